//! TeX math in answers (`$…$`, `\(…\)`, `$$…$$`, `\[…\]`) as a MathML tree, so formulas read as formulas instead
//! of raw LaTeX, keep left-to-right order inside Urdu answers, and render with text nodes only.
//!
//! Written here rather than taken from a crate: the site's `latex2mathml` yields an HTML string (the panel never
//! sets inner HTML) and its symbol tables would cost several KB of the widget's 150 KB budget. This covers the
//! notation the textbook uses (Greek, sub/superscripts, fractions, roots, accents, fonts, delimiters, matrices);
//! an unknown command is shown as its name in an `mtext`, never dropped.

/// A MathML element or text. Leaves (`mi`, `mn`, `mo`, `mtext`) hold one `Text` child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    El { tag: &'static str, attrs: Vec<(&'static str, &'static str)>, children: Vec<Node> },
    Text(String),
}

fn el(tag: &'static str, children: Vec<Node>) -> Node {
    Node::El { tag, attrs: Vec::new(), children }
}

fn leaf(tag: &'static str, text: &str) -> Node {
    el(tag, vec![Node::Text(text.to_string())])
}

fn with_attr(mut n: Node, k: &'static str, v: &'static str) -> Node {
    if let Node::El { attrs, .. } = &mut n {
        attrs.push((k, v));
    }
    n
}

/// `<math>` for `tex`; `display` sets `display="block"`.
pub fn to_mathml(tex: &str, display: bool) -> Node {
    let mut p = Parser { s: tex, i: 0 };
    let body = p.seq(&[]);
    let math = el("math", vec![row(body)]);
    if display { with_attr(math, "display", "block") } else { math }
}

/// One `mrow` unless there is exactly one node.
fn row(mut nodes: Vec<Node>) -> Node {
    if nodes.len() == 1 { nodes.pop().unwrap_or(Node::Text(String::new())) } else { el("mrow", nodes) }
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

#[derive(PartialEq)]
enum Tok<'a> {
    Cmd(&'a str),
    Char(char),
    Num(&'a str),
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn skip_ws(&mut self) {
        let r = self.rest();
        self.i += r.len() - r.trim_start().len();
    }

    fn peek(&mut self) -> Option<Tok<'a>> {
        self.skip_ws();
        let r = self.rest();
        let c = r.chars().next()?;
        Some(if c == '\\' {
            let name_len = r[1..].chars().take_while(char::is_ascii_alphabetic).count();
            if name_len == 0 {
                // Control symbol: `\,` `\{` `\\` `\|`.
                Tok::Cmd(r.get(..1 + r[1..].chars().next().map_or(0, char::len_utf8)).unwrap_or(r))
            } else {
                Tok::Cmd(&r[..1 + name_len])
            }
        } else if c.is_ascii_digit() {
            let n = r.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
            Tok::Num(r[..n].trim_end_matches('.'))
        } else {
            Tok::Char(c)
        })
    }

    fn bump(&mut self, t: &Tok) {
        self.i += match t {
            Tok::Cmd(s) | Tok::Num(s) => s.len(),
            Tok::Char(c) => c.len_utf8(),
        };
    }

    /// Terms until end of input or one of `stops` (`}` `&` `\\` `\right` `\end`), which is left unread.
    fn seq(&mut self, stops: &[&str]) -> Vec<Node> {
        let mut out = Vec::new();
        while let Some(t) = self.peek() {
            let stop = match &t {
                Tok::Char(c) => stops.iter().any(|s| s.len() == c.len_utf8() && s.starts_with(*c)),
                Tok::Cmd(c) => stops.contains(c),
                Tok::Num(_) => false,
            };
            if stop {
                break;
            }
            if t == Tok::Char('}') {
                self.bump(&t); // a stray closing brace: skip it rather than loop
                continue;
            }
            let base = self.atom();
            out.push(self.scripts(base));
        }
        out
    }

    /// Sub- and superscripts after `base`, in either order.
    fn scripts(&mut self, base: Node) -> Node {
        let (mut sub, mut sup) = (None, None);
        let mut primes = String::new();
        loop {
            match self.peek() {
                Some(t @ Tok::Char('_')) if sub.is_none() => {
                    self.bump(&t);
                    sub = Some(self.arg());
                }
                Some(t @ Tok::Char('^')) if sup.is_none() => {
                    self.bump(&t);
                    sup = Some(self.arg());
                }
                Some(t @ Tok::Char('\'')) => {
                    self.bump(&t);
                    primes.push('′');
                }
                _ => break,
            }
        }
        if !primes.is_empty() {
            let p = leaf("mo", &primes);
            sup = Some(match sup {
                Some(s) => row(vec![p, s]),
                None => p,
            });
        }
        match (sub, sup) {
            (None, None) => base,
            (Some(b), None) => el("msub", vec![base, b]),
            (None, Some(p)) => el("msup", vec![base, p]),
            (Some(b), Some(p)) => el("msubsup", vec![base, b, p]),
        }
    }

    /// A command or script argument: `{…}` or a single token.
    fn arg(&mut self) -> Node {
        match self.peek() {
            Some(t @ Tok::Char('{')) => {
                self.bump(&t);
                let inner = self.seq(&["}"]);
                self.eat('}');
                row(inner)
            }
            Some(Tok::Num(n)) => {
                // `x^23` superscripts only the first digit, as TeX does.
                let first = &n[..n.chars().next().map_or(0, char::len_utf8)];
                self.i += first.len();
                leaf("mn", first)
            }
            Some(_) => self.atom(),
            None => el("mrow", Vec::new()),
        }
    }

    /// The raw text of a `{…}` argument (for `\text`, `\begin{…}`), braces balanced.
    fn raw_arg(&mut self) -> &'a str {
        self.skip_ws();
        if !self.rest().starts_with('{') {
            return "";
        }
        let start = self.i + 1;
        let mut depth = 0usize;
        for (k, c) in self.rest().char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        let end = self.i + k;
                        self.i = end + 1;
                        return &self.s[start..end];
                    }
                }
                _ => {}
            }
        }
        let all = &self.s[start..];
        self.i = self.s.len();
        all
    }

    fn eat(&mut self, c: char) -> bool {
        match self.peek() {
            Some(t @ Tok::Char(x)) if x == c => {
                self.bump(&t);
                true
            }
            _ => false,
        }
    }

    fn atom(&mut self) -> Node {
        let Some(t) = self.peek() else { return el("mrow", Vec::new()) };
        self.bump(&t);
        match t {
            Tok::Num(n) => leaf("mn", n),
            Tok::Char('{') => {
                let inner = self.seq(&["}"]);
                self.eat('}');
                row(inner)
            }
            Tok::Char(c) if c.is_alphabetic() => leaf("mi", c.encode_utf8(&mut [0; 4])),
            // Brackets inside a row would get the default (wide) operator spacing: say which side they open.
            Tok::Char(c @ ('(' | '[')) => with_attr(leaf("mo", c.encode_utf8(&mut [0; 4])), "form", "prefix"),
            Tok::Char(c @ (')' | ']')) => with_attr(leaf("mo", c.encode_utf8(&mut [0; 4])), "form", "postfix"),
            Tok::Char('-') => leaf("mo", "−"),
            Tok::Char(c) => leaf("mo", c.encode_utf8(&mut [0; 4])),
            Tok::Cmd(cmd) => self.command(cmd),
        }
    }

    fn command(&mut self, cmd: &'a str) -> Node {
        let name = &cmd[1..];
        match name {
            "frac" | "dfrac" | "tfrac" => {
                let a = self.arg();
                let b = self.arg();
                el("mfrac", vec![a, b])
            }
            "sqrt" => {
                if self.eat('[') {
                    let idx = row(self.seq(&["]"]));
                    self.eat(']');
                    let body = self.arg();
                    el("mroot", vec![body, idx])
                } else {
                    el("msqrt", vec![self.arg()])
                }
            }
            "text" | "mathrm" | "textrm" | "operatorname" | "mbox" => {
                let raw = self.raw_arg();
                if name == "text" || name == "mbox" { leaf("mtext", raw) } else { leaf("mi", raw) }
            }
            "mathbf" | "boldsymbol" | "bm" => with_attr(self.arg(), "mathvariant", "bold"),
            "mathbb" => {
                let raw = self.raw_arg();
                leaf("mi", &raw.chars().map(double_struck).collect::<String>())
            }
            "mathcal" => with_attr(self.arg(), "mathvariant", "script"),
            "left" | "right" | "big" | "Big" | "bigl" | "bigr" | "Bigl" | "Bigr" => {
                let d = self.delimiter();
                if name == "left" {
                    let inner = self.seq(&["\\right"]);
                    let mut kids = vec![with_attr(leaf("mo", &d), "stretchy", "true")];
                    kids.extend(inner);
                    if let Some(t @ Tok::Cmd("\\right")) = self.peek() {
                        self.bump(&t);
                        let close = self.delimiter();
                        kids.push(with_attr(leaf("mo", &close), "stretchy", "true"));
                    }
                    el("mrow", kids)
                } else {
                    leaf("mo", &d)
                }
            }
            "begin" => self.environment(),
            _ => {
                if let Some(accent) = accent(name) {
                    let body = self.arg();
                    return with_attr(el("mover", vec![body, leaf("mo", accent)]), "accent", "true");
                }
                match symbol(name) {
                    Some(Sym::Ident(s)) => leaf("mi", s),
                    Some(Sym::Op(s)) => leaf("mo", s),
                    Some(Sym::Space(w)) => with_attr(el("mspace", Vec::new()), "width", w),
                    None => leaf("mtext", cmd),
                }
            }
        }
    }

    /// The delimiter after `\left`/`\right`: a character or a control word; `.` is none.
    fn delimiter(&mut self) -> String {
        match self.peek() {
            Some(t) => {
                self.bump(&t);
                match t {
                    Tok::Char('.') => String::new(),
                    Tok::Char(c) => c.to_string(),
                    Tok::Cmd(c) => match symbol(&c[1..]) {
                        Some(Sym::Ident(s) | Sym::Op(s)) => s.to_string(),
                        _ => String::new(),
                    },
                    Tok::Num(n) => n.to_string(),
                }
            }
            None => String::new(),
        }
    }

    /// `\begin{bmatrix}` … `\end{bmatrix}` (and the other matrix, cases and aligned forms) as an `mtable`.
    fn environment(&mut self) -> Node {
        let env = self.raw_arg();
        let mut rows = Vec::new();
        loop {
            let mut cells = Vec::new();
            loop {
                let cell = self.seq(&["&", "\\\\", "\\end"]);
                cells.push(el("mtd", vec![row(cell)]));
                if !self.eat('&') {
                    break;
                }
            }
            rows.push(el("mtr", cells));
            match self.peek() {
                Some(t @ Tok::Cmd("\\\\")) => self.bump(&t),
                Some(t @ Tok::Cmd("\\end")) => {
                    self.bump(&t);
                    self.raw_arg();
                    break;
                }
                _ => break,
            }
        }
        let table = el("mtable", rows);
        let (open, close) = match env {
            "bmatrix" => ("[", "]"),
            "pmatrix" => ("(", ")"),
            "vmatrix" => ("|", "|"),
            "Vmatrix" => ("‖", "‖"),
            "cases" => ("{", ""),
            _ => return table,
        };
        let mut kids = vec![with_attr(leaf("mo", open), "stretchy", "true"), table];
        if !close.is_empty() {
            kids.push(with_attr(leaf("mo", close), "stretchy", "true"));
        }
        el("mrow", kids)
    }
}

/// A math span at the start of some text: byte offsets of its body and of the end of its closing delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MathSpan {
    pub body: (usize, usize),
    pub end: usize,
    pub display: bool,
}

/// The math span that `s` starts with, if any: `$$…$$`, `\[…\]`, `\(…\)` or `$…$`. A single `$` only opens math
/// when followed by a non-space and closed by a `$` after a non-space and not before a digit (so prices such as
/// "$5 and $10" stay text), the rule Pandoc's `tex_math_dollars` uses.
pub fn math_at(s: &str) -> Option<MathSpan> {
    for (open, close, display) in [("$$", "$$", true), ("\\[", "\\]", true), ("\\(", "\\)", false)] {
        if let Some(body) = s.strip_prefix(open)
            && let Some(end) = body.find(close)
            && end > 0
        {
            let body = (open.len(), open.len() + end);
            return Some(MathSpan { body, end: body.1 + close.len(), display });
        }
    }
    let body = s.strip_prefix('$')?;
    let end = body.find('$')?;
    let ok = end > 0
        && !body.starts_with(char::is_whitespace)
        && !body[..end].ends_with(char::is_whitespace)
        && !body[end + 1..].starts_with(|c: char| c.is_ascii_digit());
    ok.then_some(MathSpan { body: (1, 1 + end), end: end + 2, display: false })
}

#[path = "math_symbols.rs"]
mod symbols;
use symbols::{Sym, accent, double_struck, symbol};

#[cfg(test)]
#[path = "math_tests.rs"]
mod tests;
