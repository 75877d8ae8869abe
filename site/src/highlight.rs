//! Build-time code highlighting: the code is parsed with a grammar of its language and each token gets one short
//! role class (`hl-k` keyword, `hl-s` string, ...), the way Prism and Shiki name tokens, with one generated
//! stylesheet holding a light and a dark palette. Pages need no client-side JavaScript and dark mode is a CSS
//! switch. Python, most of the book's code, is parsed by tree-sitter ([`python`]); every other language by
//! syntect's TextMate grammars ([`textmate`]).
//!
//! Why roles and not syntect's classed HTML: that emits one span per scope with the whole scope path as classes
//! (`<span class="hl-meta hl-qualified-name hl-python">`), nested per token; on a chapter with seven Python blocks
//! that markup was a quarter of the gzipped page. Tokens without a role (identifiers, plain punctuation) get no
//! span, and neighbouring tokens of one role share one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

mod python;
mod textmate;

/// Token roles: (class suffix, light colour, dark colour, italic). Colours meet WCAG AA (4.5:1) on the code
/// background of each scheme (tested below).
const ROLES: [(&str, &str, &str, bool); 9] = [
    ("c", "57606a", "9ba5b0", true),  // comment
    ("k", "b3202b", "ff8b84", false), // keyword, storage
    ("s", "0a3069", "a5d6ff", false), // string
    ("n", "0550ae", "79c0ff", false), // number, language constant
    ("f", "6639ba", "d2a8ff", false), // function name or call
    ("t", "8a3300", "ffa657", false), // type, class, tag, key
    ("p", "8a3300", "ffc58a", false), // parameter, `self`
    ("o", "0550ae", "79c0ff", false), // operator
    ("a", "116329", "7ee787", false), // attribute
];

/// Highlights `code` as `lang` (a fence token like `python`); unknown languages render as plain text.
/// Results are memoised for the process: every Urdu chapter repeats its English code blocks verbatim, and
/// `site serve` re-renders edited pages whose other blocks did not change. Highlighting is the costliest part of
/// rendering, so a block is highlighted once: a thread that meets a block another thread is highlighting waits
/// for that result instead of doing the same work beside it (on a cold build both locales' copies of a chapter
/// are often rendered at the same moment, and each block used to be highlighted twice).
pub fn highlight(code: &str, lang: &str) -> String {
    once_per_block(code, lang, || highlight_uncached(code, lang))
}

/// The memo behind [`highlight`]: `make`'s result for the block, made by the first caller only.
fn once_per_block(code: &str, lang: &str, make: impl FnOnce() -> String) -> String {
    type Memo = HashMap<(String, String), Arc<OnceLock<String>>>;
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let cell = match memo.lock() {
        Ok(mut m) => {
            // Bounded: a long `site serve` session with many edits must not grow without limit.
            if m.len() > 4096 {
                m.clear();
            }
            m.entry((lang.to_string(), code.to_string())).or_default().clone()
        }
        Err(_) => return make(),
    };
    cell.get_or_init(make).clone()
}

fn highlight_uncached(code: &str, lang: &str) -> String {
    python::highlight(code, lang).unwrap_or_else(|| textmate::highlight(code, lang))
}

/// Flat role spans: a span never crosses a line end (so line wrappers need not reopen it) and neighbouring text of
/// one role shares a span.
#[derive(Default)]
struct Spans {
    html: String,
    open: Option<&'static str>,
}

impl Spans {
    fn push(&mut self, text: &str, role: Option<&'static str>) {
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                self.close();
                self.html.push('\n');
            }
            if part.is_empty() {
                continue;
            }
            // Whitespace takes no colour: it joins whatever span is open instead of ending it.
            let role = if part.trim().is_empty() { self.open } else { role };
            if role != self.open {
                self.close();
                if let Some(r) = role {
                    self.html.push_str("<span class=\"hl-");
                    self.html.push_str(r);
                    self.html.push_str("\">");
                }
                self.open = role;
            }
            self.html.push_str(&crate::html::escape(part));
        }
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
    }

    fn finish(mut self) -> String {
        self.close();
        self.html
    }
}

/// Stylesheet for highlighted code: the light palette by default and the dark one under `[data-theme="dark"]`
/// (scoped both ways, so no light colour leaks into dark mode).
pub fn theme_css() -> String {
    let mut css = String::new();
    for (scope, dark) in [(":root:not([data-theme=\"dark\"])", false), ("[data-theme=\"dark\"]", true)] {
        for (class, light_hex, dark_hex, italic) in ROLES {
            let hex = if dark { dark_hex } else { light_hex };
            let style = if italic { " font-style: italic;" } else { "" };
            css.push_str(&format!("{scope} .hl-{class} {{ color: #{hex};{style} }}\n"));
        }
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_meeting_one_block_at_once_highlight_it_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let made = AtomicUsize::new(0);
        let start = std::sync::Barrier::new(4);
        let results: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        start.wait();
                        once_per_block("print('only this test')", "test-lang", || {
                            made.fetch_add(1, Ordering::SeqCst);
                            // Long enough for the other threads to arrive while this one is at work.
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            "<span>made</span>".to_string()
                        })
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(made.load(Ordering::SeqCst), 1);
        assert!(results.iter().all(|r| r == "<span>made</span>"));
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

    fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    fn hex_rgb(h: &str) -> Option<[u8; 3]> {
        let v = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        Some([v(0)?, v(2)?, v(4)?])
    }

    #[test]
    fn every_token_colour_meets_aa_contrast_in_both_schemes() {
        for (class, light, dark, _) in ROLES {
            let (l, d) = (hex_rgb(light).unwrap(), hex_rgb(dark).unwrap());
            assert!(contrast(l, CODE_BG_LIGHT) >= MIN_CONTRAST, "hl-{class} light: {:.2}", contrast(l, CODE_BG_LIGHT));
            assert!(contrast(d, CODE_BG_DARK) >= MIN_CONTRAST, "hl-{class} dark: {:.2}", contrast(d, CODE_BG_DARK));
        }
        let css = theme_css();
        assert_eq!(css.matches(".hl-").count(), 2 * ROLES.len(), "{css}");
        let has_colours = |r: &str| ROLES.iter().any(|(c, ..)| *c == r);
        assert!(textmate::SCOPE_ROLES.iter().all(|(_, r)| has_colours(r)), "every TextMate role has colours");
        for role in ["c", "k", "o", "s", "n", "f", "t", "p"] {
            assert!(has_colours(role), "hl-{role} (Python) has colours");
        }
        assert_eq!(textmate::scope_roles().len(), textmate::SCOPE_ROLES.len(), "every prefix is a valid scope");
    }

    #[test]
    fn python_tokens_get_one_flat_role_span_each() {
        let html = super::highlight("def f(x):  # note\n    return \"a<b\" + 1\n", "python");
        assert!(html.contains("<span class=\"hl-k\">def </span>"), "trailing space joins the span: {html}");
        assert!(html.contains("<span class=\"hl-f\">f</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-p\">x</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-c\"># note</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-s\">&quot;a&lt;b&quot; </span>"), "{html}");
        assert!(html.contains("<span class=\"hl-o\">+ </span>"), "{html}");
        assert!(html.contains("<span class=\"hl-n\">1</span>"), "{html}");
        assert!(!html.contains("<span class=\"hl-s\">\n"), "no span crosses a line end: {html}");
        assert!(!html.contains("<span><span") && !html.contains("hl-python"), "{html}");
        assert_eq!(html.matches("<span").count(), html.matches("</span>").count());
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        let html = super::highlight("<b>", "no-such-lang");
        assert_eq!(html, "&lt;b&gt;");
    }
}
