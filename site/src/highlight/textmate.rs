//! Every language but Python: syntect's bundled TextMate grammars (the ones Sublime Text ships), with Oniguruma
//! for their regexes. Each token takes the role of its innermost scope that has one.

use super::Spans;
use std::sync::OnceLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Scope prefixes and the role they give, most specific first; a token takes the role of its innermost scope
/// that has one.
pub(super) const SCOPE_ROLES: [(&str, &str); 28] = [
    ("comment", "c"),
    ("punctuation.definition.comment", "c"),
    ("string", "s"),
    ("punctuation.definition.string", "s"),
    ("constant.character.escape", "n"),
    ("constant.numeric", "n"),
    ("constant.language", "n"),
    ("constant.character", "n"),
    ("constant.other", "n"),
    ("support.constant", "n"),
    ("keyword.operator.word", "k"),
    ("keyword.operator.logical", "k"),
    ("keyword.operator", "o"),
    ("keyword", "k"),
    ("storage", "k"),
    ("entity.name.function", "f"),
    ("support.function", "f"),
    ("variable.function", "f"),
    ("meta.decorator", "f"),
    ("entity.name.class", "t"),
    ("entity.name.type", "t"),
    ("entity.name.tag", "t"),
    ("entity.other.inherited-class", "t"),
    ("support.type", "t"),
    ("support.class", "t"),
    ("variable.parameter", "p"),
    ("variable.language", "p"),
    ("entity.other.attribute-name", "a"),
];

fn syntaxes() -> &'static SyntaxSet {
    // Loading the bundled syntax dump takes a noticeable moment; do it once per process.
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

pub(super) fn highlight(code: &str, lang: &str) -> String {
    let ss = syntaxes();
    let syntax = (!lang.is_empty())
        .then(|| ss.find_syntax_by_token(lang))
        .flatten()
        .unwrap_or_else(|| ss.find_syntax_plain_text());
    let roles = scope_roles();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = Spans::default();
    for line in LinesWithEndings::from(code) {
        let Ok(ops) = state.parse_line(line, ss) else {
            // A grammar failure must not fail the page: show the code unhighlighted instead.
            return crate::html::escape(code);
        };
        let mut pos = 0;
        for (at, op) in ops {
            out.push(&line[pos..at], role_of(&stack, roles));
            pos = at;
            if stack.apply(&op).is_err() {
                return crate::html::escape(code);
            }
        }
        out.push(&line[pos..], role_of(&stack, roles));
    }
    out.finish()
}

pub(super) fn scope_roles() -> &'static [(Scope, &'static str)] {
    static ROLE_SCOPES: OnceLock<Vec<(Scope, &'static str)>> = OnceLock::new();
    ROLE_SCOPES.get_or_init(|| {
        SCOPE_ROLES.iter().filter_map(|(prefix, role)| Scope::new(prefix).ok().map(|s| (s, *role))).collect()
    })
}

fn role_of(stack: &ScopeStack, roles: &[(Scope, &'static str)]) -> Option<&'static str> {
    stack
        .as_slice()
        .iter()
        .rev()
        .find_map(|scope| roles.iter().find(|(prefix, _)| prefix.is_prefix_of(*scope)).map(|(_, role)| *role))
}
