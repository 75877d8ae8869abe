//! Build-time code highlighting with syntect: class-based spans plus one generated stylesheet,
//! so pages need no client-side JavaScript and dark mode is a CSS switch.

use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    // Loading the bundled syntax dump takes a noticeable moment; do it once per process.
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlights `code` as `lang` (a fence token like `python`); unknown languages render as plain text.
pub fn highlight(code: &str, lang: &str) -> String {
    let ss = syntaxes();
    let syntax = (!lang.is_empty())
        .then(|| ss.find_syntax_by_token(lang))
        .flatten()
        .unwrap_or_else(|| ss.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator.parse_html_for_line_which_includes_newline(line).is_err() {
            // A grammar failure must not fail the page: show the code unhighlighted instead.
            return crate::layout::escape_html(code);
        }
    }
    generator.finalize()
}

/// Stylesheet for highlighted code: a light theme by default and a dark one under `[data-theme="dark"]`.
pub fn theme_css() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css = String::new();
    if let Some(light) = themes.themes.get("InspiredGitHub")
        && let Ok(c) = css_for_theme_with_class_style(light, CLASS_STYLE)
    {
        css.push_str(&c);
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark")
        && let Ok(c) = css_for_theme_with_class_style(dark, CLASS_STYLE)
    {
        css.push_str(&scope_rules(&c, "[data-theme=\"dark\"] "));
    }
    css
}

/// Prefixes every selector of every rule in `css` with `scope` (the generated CSS has no nesting).
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::new();
    for rule in css.split_inclusive('}') {
        match rule.split_once('{') {
            Some((selectors, body)) => {
                let scoped: Vec<String> = selectors
                    .split(',')
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty() && !s.starts_with("/*"))
                    .map(|s| format!("{scope}{s}"))
                    .collect();
                if scoped.is_empty() {
                    continue;
                }
                out.push_str(&scoped.join(", "));
                out.push('{');
                out.push_str(body);
                out.push('\n');
            }
            None => out.push_str(rule),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn python_gets_classes() {
        let html = super::highlight("def f(x):\n    return x\n", "python");
        assert!(html.contains("hl-"), "{html}");
        assert!(html.contains("def"));
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        let html = super::highlight("<b>", "no-such-lang");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }
}
