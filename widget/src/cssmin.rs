//! Drops what the browser ignores from the panel's stylesheet before it is embedded in the WebAssembly: comments
//! and whitespace that separates nothing. The stylesheet keeps its comments in the source (they say why a rule is
//! there) and the widget stays within its size budget (about 480 gzipped bytes).
//!
//! Hand-written rather than a CSS minifier crate: the ones that parse CSS properly (lightningcss) would add
//! minutes to a clean build for a file of 7 KB, and only three safe rules are needed here. Whitespace is removed
//! only next to `{ } ; , >` and after `:` (never before it, so `.a :focus` keeps its descendant combinator), and
//! nothing inside quotes is touched.

/// The stylesheet without comments and without whitespace that does not separate two tokens.
pub fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for d in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        break;
                    }
                    prev = d;
                }
                pending_space = true;
            }
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the collapsed space before `next` unless a neighbour makes it meaningless.
fn flush_space(out: &mut String, pending: &mut bool, next: char) {
    const TIGHT: &[char] = &['{', '}', ';', ',', '>'];
    if std::mem::take(pending)
        && !out.is_empty()
        && !TIGHT.contains(&next)
        && !out.ends_with(TIGHT)
        && !out.ends_with(':')
    {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn comments_and_spare_whitespace_go_and_combinators_stay() {
        let css = "/* why */\n.a .b :focus , .c > .d {\n  color : red ;\n  margin: 0 auto;\n}\n@media (max-width: 480px) { .e { x:1 } }";
        assert_eq!(minify(css), ".a .b :focus,.c>.d{color :red;margin:0 auto;}@media (max-width:480px){.e{x:1}}");
    }

    #[test]
    fn quoted_text_is_kept_as_written() {
        assert_eq!(
            minify("p { font-family: \"Noto  Nastaliq , Urdu\", 'a /* b */ c'; }"),
            "p{font-family:\"Noto  Nastaliq , Urdu\",'a /* b */ c';}"
        );
    }

    /// Against the real stylesheet: removing every remaining space from both gives the same text, so only
    /// whitespace and comments were dropped, and the result is shorter.
    #[test]
    fn the_panel_stylesheet_only_loses_whitespace_and_comments() {
        let css = include_str!("panel.css");
        let min = minify(css);
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let mut no_comments = String::new();
        let mut rest = css;
        while let Some(i) = rest.find("/*") {
            no_comments.push_str(&rest[..i]);
            rest = &rest[i + rest[i..].find("*/").expect("closed comment") + 2..];
        }
        no_comments.push_str(rest);
        assert_eq!(squeeze(&min), squeeze(&no_comments));
        assert!(min.len() * 10 < css.len() * 9, "{} of {}", min.len(), css.len());
    }
}
