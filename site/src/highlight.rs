//! Build-time code highlighting with syntect: class-based spans plus one generated stylesheet,
//! so pages need no client-side JavaScript and dark mode is a CSS switch.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
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
/// Results are memoised for the process: every Urdu chapter repeats its English code blocks verbatim, and
/// `site serve` re-renders edited pages whose other blocks did not change. Highlighting is the costliest part of
/// rendering (syntect's pure-Rust regex engine), so this halves it on a full build.
pub fn highlight(code: &str, lang: &str) -> String {
    static MEMO: OnceLock<Mutex<HashMap<(String, String), String>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let key = (lang.to_string(), code.to_string());
    if let Some(hit) = memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    let html = highlight_uncached(code, lang);
    if let Ok(mut m) = memo.lock() {
        // Bounded: a long `site serve` session with many edits must not grow without limit.
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(key, html.clone());
    }
    html
}

fn highlight_uncached(code: &str, lang: &str) -> String {
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
        // Scoped too: unscoped light rules would still colour tokens the dark theme leaves undefined, in dark mode.
        css.push_str(&scope_rules(&with_contrast(&c, CODE_BG_LIGHT), ":root:not([data-theme=\"dark\"]) "));
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark")
        && let Ok(c) = css_for_theme_with_class_style(dark, CLASS_STYLE)
    {
        css.push_str(&scope_rules(&with_contrast(&c, CODE_BG_DARK), "[data-theme=\"dark\"] "));
    }
    css
}

/// `--code-bg` of static/css/site.css in each scheme: what highlighted text is read against.
const CODE_BG_LIGHT: [u8; 3] = [0xf5, 0xf7, 0xfa];
const CODE_BG_DARK: [u8; 3] = [0x1d, 0x22, 0x29];
/// WCAG 2.1 AA for normal text.
const MIN_CONTRAST: f64 = 4.5;

fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.039_28 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Moves each `color: #rrggbb` of a theme toward black or white (whichever the background is farther from) until
/// it reaches AA contrast against `bg`: the stock themes have token colours that fail it on our code background.
fn with_contrast(css: &str, bg: [u8; 3]) -> String {
    let target: [u8; 3] = if luminance(bg) > 0.5 { [0, 0, 0] } else { [255, 255, 255] };
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        let (head, tail) = rest.split_at(i + "color: #".len());
        out.push_str(head);
        let hexpart: String = tail.chars().take(6).collect();
        let parsed = (hexpart.len() == 6).then(|| hex_rgb(&hexpart)).flatten();
        match parsed {
            Some(mut c) if !head.ends_with("background-color: #") => {
                let mut step = 0;
                while contrast(c, bg) < MIN_CONTRAST && step < 20 {
                    for k in 0..3 {
                        c[k] = (f64::from(c[k]) + (f64::from(target[k]) - f64::from(c[k])) * 0.1).round() as u8;
                    }
                    step += 1;
                }
                out.push_str(&format!("{:02x}{:02x}{:02x}", c[0], c[1], c[2]));
                rest = &tail[6..];
            }
            _ => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

fn hex_rgb(h: &str) -> Option<[u8; 3]> {
    let v = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
    Some([v(0)?, v(2)?, v(4)?])
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
    use super::*;

    #[test]
    fn every_token_colour_meets_aa_contrast_in_both_schemes() {
        let css = theme_css();
        let mut checked = 0;
        for rule in css.split('}') {
            let light = rule.contains(":not([data-theme");
            let bg = if light { CODE_BG_LIGHT } else { CODE_BG_DARK };
            let mut rest = rule;
            while let Some(i) = rest.find("color: #") {
                let before = &rest[..i];
                let h = &rest[i + 8..];
                if !before.ends_with("background-") && h.len() >= 6 {
                    let c = hex_rgb(&h[..6]).unwrap();
                    assert!(contrast(c, bg) >= MIN_CONTRAST, "{rule}");
                    checked += 1;
                }
                rest = &rest[i + 8..];
            }
        }
        assert!(checked > 10, "{checked} colours checked");
    }

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
