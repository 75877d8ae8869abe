//! Python through tree-sitter, the parser GitHub and editors such as Neovim, Helix and Zed read it with.
//!
//! Why not syntect here as for the other languages: its TextMate grammar for Python ran at about 1 MB/s on the
//! book's code (the textbook's 56 Python blocks, 68 KB: 75-80 ms, a third of the CPU of a build into an empty
//! folder). Why roles from the syntax tree and not tree-sitter's highlight queries: compiling the grammar's query
//! took 7-8 ms of every build and running it 17 ms, where parsing and one walk over the tree take 11 ms. The
//! roles are the ones the TextMate scopes gave ([`role`]), so the two kinds of block look alike.

use super::Spans;
use std::cell::RefCell;
use tree_sitter::{Node, Parser, TreeCursor};

/// Keywords, word operators included (`and`, `not in`: TextMate colours them as keywords too).
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "case", "class", "continue", "def", "del", "elif", "else",
    "except", "exec", "finally", "for", "from", "global", "if", "import", "in", "is", "is not", "lambda", "match",
    "nonlocal", "not", "not in", "or", "pass", "print", "raise", "return", "try", "type", "while", "with", "yield",
];

/// Operator tokens (`@` only as the matrix product: in a decorator it belongs to the decorator).
const OPERATORS: &[&str] = &[
    "-", "-=", "!=", "*", "**", "**=", "*=", "/", "//", "//=", "/=", "&", "&=", "%", "%=", "^", "^=", "+", "->", "+=",
    "<", "<<", "<<=", "<=", "<>", "=", ":=", "==", ">", ">=", ">>", ">>=", "|", "|=", "~", "@=",
];

/// Built-in type names, coloured as types wherever they appear (`float(x)`, `dtype=float`).
const BUILTIN_TYPES: &[&str] =
    &["int", "float", "complex", "str", "bool", "bytes", "list", "dict", "tuple", "set", "frozenset", "object"];

/// `code` highlighted, when `lang` is Python and the parser could read it; `None` leaves it to syntect.
pub(super) fn highlight(code: &str, lang: &str) -> Option<String> {
    if !matches!(lang, "python" | "py" | "python3") {
        return None;
    }
    thread_local! {
        // A parser keeps its buffers between blocks.
        static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
    }
    let tree = PARSER.with_borrow_mut(|slot| {
        if slot.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&tree_sitter_python::LANGUAGE.into()).ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(code, None)
    })?;
    let mut walk = Walk { code, out: Spans::default(), at: 0 };
    walk.node(&mut tree.walk(), None);
    walk.out.push(code.get(walk.at..)?, None);
    Some(walk.out.finish())
}

/// The text written so far (up to byte `at`) and the spans it became.
struct Walk<'a> {
    code: &'a str,
    out: Spans,
    at: usize,
}

impl Walk<'_> {
    /// Writes the cursor's node: the text between its children takes the node's role (or the one around it), each
    /// child its own. Recursion depth is the tree's depth, which a code block keeps small.
    fn node(&mut self, cursor: &mut TreeCursor, around: Option<&'static str>) {
        let node = cursor.node();
        let own = role(&node, cursor.field_name(), self.code);
        let here = match own {
            Some(r) => r,
            None => around,
        };
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                self.until(child.start_byte(), here);
                self.node(cursor, here);
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
            cursor.goto_parent();
        }
        self.until(node.end_byte(), here);
    }

    fn until(&mut self, end: usize, role: Option<&'static str>) {
        if end > self.at
            && let Some(text) = self.code.get(self.at..end)
        {
            self.out.push(text, role);
            self.at = end;
        }
    }
}

/// The role of a node, `Some(None)` when it is plain even inside a coloured node (the code in an f-string's
/// braces), `None` when it takes the role around it.
fn role(node: &Node, field: Option<&str>, code: &str) -> Option<Option<&'static str>> {
    let kind = node.kind();
    if !node.is_named() {
        return if KEYWORDS.contains(&kind) {
            Some(Some("k"))
        } else if OPERATORS.contains(&kind) || (kind == "@" && parent_kind(node) == Some("binary_operator")) {
            Some(Some("o"))
        } else {
            None
        };
    }
    Some(match kind {
        "comment" => Some("c"),
        "string" => Some("s"),
        "escape_sequence" => Some("n"),
        "interpolation" => None,
        "integer" | "float" | "true" | "false" | "none" => Some("n"),
        "decorator" => Some("f"),
        "identifier" => return identifier(node, field, code).map(Some),
        _ => return None,
    })
}

fn parent_kind<'t>(node: &Node<'t>) -> Option<&'static str> {
    node.parent().map(|p| p.kind())
}

/// An identifier's role from where it stands: what a definition names, what a call calls, a parameter, a type.
fn identifier(node: &Node, field: Option<&str>, code: &str) -> Option<&'static str> {
    let text = node.utf8_text(code.as_bytes()).unwrap_or_default();
    if BUILTIN_TYPES.contains(&text) {
        return Some("t");
    }
    if matches!(text, "self" | "cls") {
        return Some("p");
    }
    let parent = node.parent()?;
    match (parent.kind(), field) {
        ("function_definition", Some("name")) | ("call", Some("function")) => Some("f"),
        ("class_definition", Some("name")) | ("type", _) => Some("t"),
        ("parameters" | "lambda_parameters" | "typed_parameter", _) => Some("p"),
        ("default_parameter" | "typed_default_parameter" | "keyword_argument", Some("name")) => Some("p"),
        // `obj.method(...)`: the attribute a call calls.
        ("attribute", Some("attribute"))
            if parent.parent().is_some_and(|g| g.kind() == "call")
                && parent.parent().and_then(|g| g.child_by_field_name("function")) == Some(parent) =>
        {
            Some("f")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    fn python_html(code: &str) -> String {
        super::highlight(code, "python").expect("Python is highlighted here")
    }

    #[test]
    fn python_reads_as_the_textmate_scheme_coloured_it() {
        let html = python_html(
            "@cache\nclass Arm(Base):\n    def move(self, T, gain=2):\n        if ok and not done:\n            \
             return self.go(T @ x, speed=f\"{v}\\n\")  # go\n",
        );
        for want in [
            "<span class=\"hl-f\">@cache</span>",
            "<span class=\"hl-k\">class </span><span class=\"hl-t\">Arm</span>",
            "<span class=\"hl-f\">move</span>",
            "<span class=\"hl-p\">self</span>",
            "<span class=\"hl-p\">gain</span><span class=\"hl-o\">=</span><span class=\"hl-n\">2</span>",
            "<span class=\"hl-k\">and not </span>",
            "<span class=\"hl-f\">go</span>",
            "<span class=\"hl-o\">@ </span>",
            "<span class=\"hl-p\">speed</span>",
            "<span class=\"hl-n\">\\n</span>",
            "<span class=\"hl-c\"># go</span>",
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
        // A capitalised variable is plain, and an f-string's `{v}` is code inside the string.
        assert!(html.contains("(T <span class=\"hl-o\">@ </span>x"), "{html}");
        assert!(html.contains("<span class=\"hl-s\">f&quot;</span>{v}<span"), "{html}");
    }

    #[test]
    fn every_byte_is_written_once_even_where_the_parser_finds_errors() {
        let open_tag = regex::Regex::new("<span class=\"hl-.\">").unwrap();
        for code in ["def broken(:\n  x = [1, 2\n", "x = 1  # é ü ✓\n\n\ny = 'a'", "", "\n\n"] {
            let html = python_html(code);
            let text = html.replace("</span>", "");
            let text = open_tag.replace_all(&text, "");
            assert_eq!(text, crate::html::escape(code), "{html}");
        }
    }

    #[test]
    fn other_languages_are_left_to_syntect() {
        assert_eq!(super::highlight("echo hi", "bash"), None);
    }
}
