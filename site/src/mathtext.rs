//! TeX formulas as readable plain text, for the search index: a search excerpt is plain text (Pagefind cuts a
//! window out of it), so `$\dot{\theta}_i$` is shown there as `θ̇ᵢ` instead of raw LaTeX. The pages themselves
//! render math as MathML; the RAG corpus keeps the TeX (the chat answers render it).
//!
//! Covers what the book uses: Greek letters and common symbols, accents, fractions, roots, sub/superscripts
//! (Unicode sub/superscript characters where they exist), matrices and font commands. Anything else keeps its
//! command name without the backslash, which still reads better than the source.

/// Replaces every `$…$` and `$$…$$` formula in `text` with plain text. A `$` with no closing partner is kept, and
/// so is a `$…$` pair that cannot be inline math (Pandoc's rule: no space inside the delimiters, one line), which
/// leaves shell prompts and `$HOME` in code alone.
pub fn plain_math(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let delim = if after.starts_with("$$") { "$$" } else { "$" };
        let body = &after[delim.len()..];
        let formula = |end: usize| {
            let inner = &body[..end];
            delim == "$$"
                || (!inner.starts_with(char::is_whitespace)
                    && !inner.ends_with(char::is_whitespace)
                    && !inner.contains('\n'))
        };
        match body.find(delim) {
            Some(end) if end > 0 && formula(end) => {
                out.push_str(&tex_to_text(&body[..end]));
                rest = &body[end + delim.len()..];
            }
            _ => {
                out.push_str(delim);
                rest = body;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What plain text shows differently from MathML, looked up before the shared tables (`protocol::TEX_GREEK`,
/// `TEX_IDENTIFIERS`, `TEX_OPERATORS`): a transpose reads as a superscript T, spacing commands as spaces, a line
/// break as "; ", and `\deg` as the degree sign authors mean by it.
const TEXT_SYMBOLS: &[(&str, &str)] = &[
    ("top", "ᵀ"),
    ("deg", "°"),
    ("quad", " "),
    ("qquad", "  "),
    (",", " "),
    (";", " "),
    (":", " "),
    ("!", ""),
    (" ", " "),
    ("\\", "; "),
];

/// Commands that only size or style what follows: dropped, their argument kept.
const TRANSPARENT: &[&str] = &[
    "left",
    "right",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "displaystyle",
    "textstyle",
    "mathrm",
    "mathbf",
    "mathit",
    "mathcal",
    "mathbb",
    "mathscr",
    "mathsf",
    "boldsymbol",
    "text",
    "textrm",
    "textbf",
    "operatorname",
    "limits",
];

fn accent(cmd: &str) -> Option<char> {
    Some(match cmd {
        "dot" => '\u{307}',
        "ddot" => '\u{308}',
        "hat" | "widehat" => '\u{302}',
        "tilde" | "widetilde" => '\u{303}',
        "bar" | "overline" => '\u{304}',
        "vec" => '\u{20D7}',
        _ => return None,
    })
}

fn script_char(c: char, sup: bool) -> Option<char> {
    const DIGITS_SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    const DIGITS_SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    if let Some(d) = c.to_digit(10) {
        return Some(if sup { DIGITS_SUP[d as usize] } else { DIGITS_SUB[d as usize] });
    }
    let pairs: &[(char, char)] = if sup {
        &[
            ('+', '⁺'),
            ('-', '⁻'),
            ('=', '⁼'),
            ('(', '⁽'),
            (')', '⁾'),
            ('n', 'ⁿ'),
            ('i', 'ⁱ'),
            ('T', 'ᵀ'),
            ('ᵀ', 'ᵀ'),
            ('t', 'ᵗ'),
            ('k', 'ᵏ'),
            ('j', 'ʲ'),
            ('*', '*'),
            ('∗', '*'),
            ('′', '′'),
            ('⋆', '⋆'),
        ]
    } else {
        &[
            ('+', '₊'),
            ('-', '₋'),
            ('=', '₌'),
            ('(', '₍'),
            (')', '₎'),
            ('i', 'ᵢ'),
            ('j', 'ⱼ'),
            ('k', 'ₖ'),
            ('n', 'ₙ'),
            ('t', 'ₜ'),
            ('x', 'ₓ'),
            ('a', 'ₐ'),
            ('e', 'ₑ'),
            ('o', 'ₒ'),
            ('r', 'ᵣ'),
            ('m', 'ₘ'),
            ('p', 'ₚ'),
            ('s', 'ₛ'),
            ('l', 'ₗ'),
            ('h', 'ₕ'),
        ]
    };
    pairs.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)
}

/// `x` as a sub- or superscript: Unicode script characters when every character has one, else `_x` / `^x`
/// (parenthesised when longer than one character).
fn script(text: &str, sup: bool) -> String {
    let t = text.trim();
    if let Some(mapped) = t.chars().map(|c| script_char(c, sup)).collect::<Option<String>>() {
        return mapped;
    }
    let mark = if sup { '^' } else { '_' };
    if t.chars().count() == 1 { format!("{mark}{t}") } else { format!("{mark}({t})") }
}

struct Reader<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
}

impl Reader<'_> {
    /// One argument: a `{…}` group, a command, or a single character; converted.
    fn argument(&mut self) -> String {
        while self.chars.peek() == Some(&' ') {
            self.chars.next();
        }
        match self.chars.peek() {
            Some('{') => {
                self.chars.next();
                self.until_close()
            }
            Some('\\') => {
                self.chars.next();
                let name = self.command_name();
                self.command(&name)
            }
            Some(_) => self.chars.next().map(String::from).unwrap_or_default(),
            None => String::new(),
        }
    }

    fn until_close(&mut self) -> String {
        self.sequence(true)
    }

    fn command_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(&c) = self.chars.peek() {
            if c.is_ascii_alphabetic() {
                name.push(c);
                self.chars.next();
            } else {
                break;
            }
        }
        if name.is_empty()
            && let Some(c) = self.chars.next()
        {
            name.push(c);
        }
        name
    }

    fn command(&mut self, name: &str) -> String {
        if let Some((_, s)) = TEXT_SYMBOLS
            .iter()
            .chain(protocol::TEX_GREEK)
            .chain(protocol::TEX_IDENTIFIERS)
            .chain(protocol::TEX_OPERATORS)
            .find(|(n, _)| *n == name)
        {
            return (*s).to_string();
        }
        if TRANSPARENT.contains(&name) {
            return match name {
                // \left( … \right): the delimiter after it is the next ordinary character.
                "left" | "right" | "big" | "Big" | "bigg" | "Bigg" | "bigl" | "bigr" | "Bigl" | "Bigr"
                | "displaystyle" | "textstyle" | "limits" => String::new(),
                _ => self.argument(),
            };
        }
        if let Some(mark) = accent(name) {
            let arg = self.argument();
            let mut out = String::new();
            for (i, c) in arg.chars().enumerate() {
                out.push(c);
                if i == 0 {
                    out.push(mark);
                }
            }
            return out;
        }
        match name {
            "frac" | "tfrac" | "dfrac" => {
                let (a, b) = (self.argument(), self.argument());
                let wrap = |s: String| if s.chars().count() > 1 { format!("({s})") } else { s };
                format!("{}/{}", wrap(a), wrap(b))
            }
            "sqrt" => {
                let arg = self.argument();
                if arg.chars().count() > 1 { format!("√({arg})") } else { format!("√{arg}") }
            }
            "begin" => {
                let env = self.argument();
                let open = match env.as_str() {
                    "bmatrix" => "[",
                    "pmatrix" => "(",
                    "vmatrix" => "|",
                    _ => "",
                };
                format!("{open} ")
            }
            "end" => {
                let env = self.argument();
                let close = match env.as_str() {
                    "bmatrix" => "]",
                    "pmatrix" => ")",
                    "vmatrix" => "|",
                    _ => "",
                };
                format!(" {close}")
            }
            // Named operators (\sin, \max, …) read as their names.
            other => format!("{other} "),
        }
    }

    /// Converts up to the end of input, or (with `group`) up to the matching `}`.
    fn sequence(&mut self, group: bool) -> String {
        let mut out = String::new();
        while let Some(c) = self.chars.next() {
            match c {
                '}' if group => return out,
                '{' => {
                    let inner = self.until_close();
                    out.push_str(&inner);
                }
                '\\' => {
                    let name = self.command_name();
                    let s = self.command(&name);
                    // "\sin x" reads "sin x", but "\sin(" reads "sin(".
                    if s.ends_with(' ') && matches!(self.chars.peek(), Some('(' | '[' | ' ' | '^' | '_') | None) {
                        out.push_str(s.trim_end());
                    } else {
                        out.push_str(&s);
                    }
                }
                '^' | '_' => {
                    let arg = self.argument();
                    out.push_str(&script(&arg, c == '^'));
                }
                '&' => out.push_str(", "),
                '~' => out.push(' '),
                '\n' | '\t' => out.push(' '),
                other => out.push(other),
            }
        }
        out
    }
}

/// One formula (without its `$` delimiters) as plain text.
pub fn tex_to_text(tex: &str) -> String {
    let converted = Reader { chars: tex.chars().peekable() }.sequence(false);
    // Spacing commands and line breaks leave runs of spaces.
    converted.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_in_text_become_readable() {
        assert_eq!(plain_math("the angle $\\theta_1$ of joint 1"), "the angle θ₁ of joint 1");
        assert_eq!(plain_math("$$\\dot{x} = J(q)\\,\\dot{q}$$"), "x\u{307} = J(q) q\u{307}");
        assert_eq!(plain_math("costs $5 and more"), "costs $5 and more", "an unpaired $ is text");
        assert_eq!(plain_math("$ echo $HOME_DIR"), "$ echo $HOME_DIR", "a shell prompt is not math");
    }

    #[test]
    fn structures_read_like_a_person_would_write_them() {
        assert_eq!(tex_to_text("R^\\top R = I"), "Rᵀ R = I");
        assert_eq!(tex_to_text("\\frac{1}{2} m v^2"), "1/2 m v²");
        assert_eq!(tex_to_text("\\frac{\\partial f}{\\partial q}"), "(∂ f)/(∂ q)");
        assert_eq!(tex_to_text("T_{AC} = T_{AB} \\, T_{BC}"), "T_(AC) = T_(AB) T_(BC)");
        assert_eq!(tex_to_text("\\begin{bmatrix} R & p \\\\ 0 & 1 \\end{bmatrix}"), "[ R , p ; 0 , 1 ]");
        assert_eq!(tex_to_text("\\left\\lVert e \\right\\rVert \\le \\epsilon"), "‖ e ‖ ≤ ε");
        assert_eq!(tex_to_text("\\sqrt{x^2 + y^2}"), "√(x² + y²)");
        assert_eq!(tex_to_text("\\sin\\theta + \\cos(\\phi)"), "sin θ + cos(ϕ)");
        assert_eq!(tex_to_text("\\mathbf{J}^{-1}"), "J⁻¹");
        assert_eq!(tex_to_text("\\text{if } x"), "if x");
    }

    #[test]
    fn no_backslash_or_brace_survives_the_book_s_commands() {
        let tex = "\\tau = M(q)\\ddot{q} + \\hat{\\xi}_{k} \\mathcal{L} \\sum_{i=1}^{n} \\operatorname{atan2}(y, x)";
        let text = tex_to_text(tex);
        assert!(!text.contains(['\\', '{', '}']), "{text}");
        assert!(text.contains("τ = M(q)q̈"), "{text}");
    }
}
