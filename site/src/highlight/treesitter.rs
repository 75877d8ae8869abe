//! Python through tree-sitter, the parser GitHub and editors such as Neovim, Helix and Zed highlight it with.
//!
//! Why not syntect here as for the other languages: its TextMate grammar for Python ran at about 1 MB/s on the
//! book's code (the textbook's 56 Python blocks, 68 KB: 75-80 ms, a third of the CPU of a build into an empty
//! folder), where tree-sitter's parser and the grammar's own highlight query take about 17 ms. The roles match
//! what the TextMate scopes gave (see [`CAPTURES`]), so the two kinds of block look alike.

use super::Spans;
use std::cell::RefCell;
use std::sync::OnceLock;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// Every capture name the queries use, and the role it gives; `None` is plain text, also inside a coloured node
/// (an f-string's `{name}` is code, not string).
pub(super) const CAPTURES: [(&str, Option<&str>); 20] = [
    ("comment", Some("c")),
    ("keyword", Some("k")),
    // `and`, `or`, `not`, `in`, `is`: words, coloured as keywords (TextMate: keyword.operator.logical).
    ("keyword.operator", Some("k")),
    ("operator", Some("o")),
    ("string", Some("s")),
    ("escape", Some("n")),
    ("number", Some("n")),
    ("constant.builtin", Some("n")),
    // The grammar calls every capitalised name a class or a constant; the book's matrices and gains (`T`, `J`,
    // `Kp`) are variables, and TextMate left them plain too. Class names are types where they are defined.
    ("constant", None),
    ("function", Some("f")),
    ("function.method", Some("f")),
    ("function.builtin", Some("f")),
    ("type", Some("t")),
    ("constructor", None),
    ("variable.parameter", Some("p")),
    ("variable.builtin", Some("p")),
    ("property", None),
    ("variable", None),
    ("embedded", None),
    ("punctuation.special", None),
];

/// Patterns added after the grammar's highlight query (a later pattern wins for the same node): parameters and
/// `self` (and keyword arguments) as the TextMate scheme colours them, word operators as keywords, class and built-in type names as
/// types, a method call as a call rather than an attribute, and the matrix product `@` as an operator.
const EXTRA_QUERY: &str = r#"
(parameters (identifier) @variable.parameter)
(lambda_parameters (identifier) @variable.parameter)
(default_parameter name: (identifier) @variable.parameter)
(typed_parameter (identifier) @variable.parameter)
(typed_default_parameter name: (identifier) @variable.parameter)
((identifier) @variable.builtin (#any-of? @variable.builtin "self" "cls"))
(keyword_argument name: (identifier) @variable.parameter)
(class_definition name: (identifier) @type)
(call function: (attribute attribute: (identifier) @function.method))
["and" "or" "not" "in" "is" "is not" "not in"] @keyword.operator
(binary_operator "@" @operator)
((identifier) @type
  (#any-of? @type "int" "float" "complex" "str" "bool" "bytes" "list" "dict" "tuple" "set" "frozenset" "object"))
"#;

fn python() -> Option<&'static HighlightConfiguration> {
    static CONFIG: OnceLock<Option<HighlightConfiguration>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let query = format!("{}\n{EXTRA_QUERY}", tree_sitter_python::HIGHLIGHTS_QUERY);
            let mut config =
                HighlightConfiguration::new(tree_sitter_python::LANGUAGE.into(), "python", &query, "", "").ok()?;
            config.configure(&CAPTURES.map(|(name, _)| name));
            Some(config)
        })
        .as_ref()
}

/// Compiles the query now (see [`super::prefetch`]).
pub(super) fn prefetch() {
    let _ = python();
}

/// `code` highlighted, when `lang` is Python and the grammar could read it; `None` leaves it to syntect.
pub(super) fn highlight(code: &str, lang: &str) -> Option<String> {
    if !matches!(lang, "python" | "py" | "python3") {
        return None;
    }
    let config = python()?;
    thread_local! {
        // A highlighter keeps its parser and buffers between blocks.
        static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
    }
    HIGHLIGHTER.with_borrow_mut(|highlighter| {
        let events = highlighter.highlight(config, code.as_bytes(), None, |_| None).ok()?;
        let mut out = Spans::default();
        let mut roles: Vec<Option<&'static str>> = vec![];
        for event in events {
            match event.ok()? {
                HighlightEvent::HighlightStart(h) => roles.push(CAPTURES.get(h.0).and_then(|(_, r)| *r)),
                HighlightEvent::HighlightEnd => {
                    roles.pop();
                }
                HighlightEvent::Source { start, end } => {
                    out.push(code.get(start..end)?, roles.last().copied().flatten())
                }
            }
        }
        Some(out.finish())
    })
}

#[cfg(test)]
mod tests {
    fn python_html(code: &str) -> String {
        super::highlight(code, "python").expect("Python is highlighted here")
    }

    #[test]
    fn python_reads_as_the_textmate_scheme_coloured_it() {
        let html = python_html(
            "class Arm(Base):\n    def move(self, T, gain=2):\n        if ok and not done:\n            \
             return self.go(T @ x, speed=f\"{v}\\n\")\n",
        );
        for want in [
            "<span class=\"hl-k\">class </span><span class=\"hl-t\">Arm</span>",
            "<span class=\"hl-f\">move</span>",
            "<span class=\"hl-p\">self</span>",
            "<span class=\"hl-p\">gain</span>",
            "<span class=\"hl-k\">and not </span>",
            "<span class=\"hl-f\">go</span>",
            "<span class=\"hl-o\">@ </span>",
            "<span class=\"hl-p\">speed</span>",
            "<span class=\"hl-n\">\\n</span>",
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
        // A capitalised variable is plain, and an f-string's `{v}` is code inside the string.
        assert!(html.contains("(T <span class=\"hl-o\">@ </span>x"), "{html}");
        assert!(html.contains("<span class=\"hl-s\">f&quot;</span>{v}<span"), "{html}");
    }

    #[test]
    fn other_languages_are_left_to_syntect() {
        assert_eq!(super::highlight("echo hi", "bash"), None);
    }
}
