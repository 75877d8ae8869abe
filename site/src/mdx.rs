//! What Docusaurus authors write beyond CommonMark, rewritten before the Markdown parse into what the renderer
//! reads: `import`/`export` lines and `{/* */}` comments dropped, admonition forms (`:::tip[Title]`,
//! `::::note` nesting, `caution`) normalised, `<Tabs>`/`<TabItem>` turned into `:::tabs`/`:::tab` blocks
//! (their indented content dedented, since MDX has no indented code blocks), other JSX components' tags dropped
//! with a warning (their text kept), and a leading `# Title` taken out as the page title.
//!
//! Every rewrite keeps the line count, so diagnostics from the renderer still name the author's line.

use crate::error::Diagnostic;
use std::path::Path;

/// Kinds of `:::` blocks that are layout, not admonitions (produced from `<Tabs>`/`<TabItem>`).
pub const WRAPPERS: [&str; 2] = ["tabs", "tab"];

/// Docusaurus admonition names that map onto the five kinds the site styles.
const ALIASES: [(&str, &str); 4] =
    [("caution", "warning"), ("important", "info"), ("success", "tip"), ("secondary", "note")];

/// The body after rewriting, the text of a leading `# Title` (then removed from the body) and warnings.
#[derive(Debug, Default, PartialEq)]
pub struct Prepared {
    pub body: String,
    pub title: Option<String>,
    pub warnings: Vec<Diagnostic>,
}

/// Rewrites `body`, whose first line is line `first_line` of `file`.
pub fn prepare(file: &Path, body: &str, first_line: usize) -> Prepared {
    let mut lines: Vec<String> = body.split_inclusive('\n').map(str::to_string).collect();
    let mut warnings = vec![];
    let mut fence: Option<(char, usize)> = None;
    let mut esm = false;
    let mut comment = false;
    // Open `<TabItem>` blocks: index of their opening line.
    let mut tab_items: Vec<usize> = vec![];
    for i in 0..lines.len() {
        let line = lines[i].clone();
        let (text, eol) = split_eol(&line);
        let t = text.trim();
        let line_no = first_line + i;
        if let Some((ch, n)) = fence {
            if t.chars().take_while(|c| *c == ch).count() >= n && t.trim_start_matches(ch).trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if let Some(f) = fence_open(t) {
            fence = Some(f);
            continue;
        }
        if esm {
            esm = !t.is_empty();
            lines[i] = eol.to_string();
            continue;
        }
        if comment {
            comment = !t.contains("*/}");
            lines[i] = eol.to_string();
            continue;
        }
        let indent = &text[..text.len() - text.trim_start().len()];
        if indent.is_empty() && (t.starts_with("import ") || t.starts_with("export ")) {
            // An MDX ESM block runs to the next blank line.
            if t.starts_with("export ") {
                warnings.push(Diagnostic::new(file, line_no, 1, "MDX `export` is not supported; the block is dropped"));
            }
            esm = true;
            lines[i] = eol.to_string();
            continue;
        }
        if t.starts_with("{/*") {
            comment = !t.contains("*/}");
            lines[i] = eol.to_string();
            continue;
        }
        if t.starts_with(":::") {
            lines[i] = format!("{indent}{}{eol}", admonition_line(t));
            continue;
        }
        if let Some(tag) = jsx_tag(t) {
            let rewritten = match (tag.name.as_str(), tag.closing) {
                ("Tabs", false) => ":::tabs".to_string(),
                ("TabItem", false) => {
                    tab_items.push(i);
                    let label = tag.attr("label").or_else(|| tag.attr("value")).unwrap_or_default();
                    format!(":::tab {label}")
                }
                ("Tabs", true) => ":::".to_string(),
                ("TabItem", true) => {
                    if let Some(start) = tab_items.pop() {
                        dedent(&mut lines[start + 1..i]);
                    }
                    ":::".to_string()
                }
                (name, _) => {
                    warnings.push(Diagnostic::new(
                        file,
                        line_no,
                        indent.chars().count() + 1,
                        format!(
                            "MDX component `<{name}>` is not supported: its tags are dropped, the text inside is kept"
                        ),
                    ));
                    tag.rest
                }
            };
            lines[i] = format!("{indent}{rewritten}{eol}");
        } else if let Some((kept, name, at)) = inline_components(text) {
            warnings.push(Diagnostic::new(
                file,
                line_no,
                text[..at].chars().count() + 1,
                format!("MDX component `<{name}>` is not supported: its tags are dropped, the text inside is kept"),
            ));
            lines[i] = format!("{kept}{eol}");
        }
    }
    let mut title = None;
    if let Some(i) = lines.iter().position(|l| !l.trim().is_empty())
        && let Some(h) = lines[i].trim_end().strip_prefix("# ")
    {
        title = Some(heading_text(h));
        let eol = split_eol(&lines[i]).1.to_string();
        lines[i] = eol;
    }
    Prepared { body: lines.concat(), title, warnings }
}

fn split_eol(line: &str) -> (&str, &str) {
    let text = line.trim_end_matches(['\n', '\r']);
    (text, &line[text.len()..])
}

fn fence_open(t: &str) -> Option<(char, usize)> {
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|c| *c == ch).count();
    (n >= 3).then_some((ch, n))
}

/// `::::tip[Title]`, `:::tip Title`, `:::tip{title="Title"}`, `:::caution` -> `:::tip Title`, `:::warning`.
fn admonition_line(t: &str) -> String {
    let rest = t.trim_start_matches(':');
    let kind_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
    let (kind, after) = rest.split_at(kind_len);
    let kind = ALIASES.iter().find(|(a, _)| *a == kind).map_or(kind, |(_, k)| k);
    let after = after.trim();
    let title = if let Some(inner) = after.strip_prefix('[').and_then(|a| a.strip_suffix(']')) {
        inner.trim().to_string()
    } else if let Some(attrs) = after.strip_prefix('{').and_then(|a| a.strip_suffix('}')) {
        JsxTag::parse_attrs(attrs).into_iter().find(|(k, _)| k == "title").map(|(_, v)| v).unwrap_or_default()
    } else {
        after.to_string()
    };
    if title.is_empty() { format!(":::{kind}") } else { format!(":::{kind} {title}") }
}

/// Removes the leading whitespace all non-blank lines share.
fn dedent(lines: &mut [String]) {
    let width = |l: &String| l.len() - l.trim_start_matches([' ', '\t']).len();
    let Some(common) = lines.iter().filter(|l| !l.trim().is_empty()).map(width).min() else { return };
    for l in lines.iter_mut() {
        let cut = width(l).min(common);
        l.replace_range(..cut, "");
    }
}

/// Heading text without closing `#`s and without a `{#id}`.
fn heading_text(h: &str) -> String {
    let h = h.trim().trim_end_matches('#').trim_end();
    let h = match h.rfind("{#") {
        Some(i) if h.ends_with('}') => &h[..i],
        _ => h,
    };
    h.trim().to_string()
}

/// A line that starts with a JSX component tag (`<Name`, `</Name`: capitalised, unlike HTML).
#[derive(Debug)]
struct JsxTag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
    /// The line with every component tag removed (the text an unsupported component wraps).
    rest: String,
}

impl JsxTag {
    fn attr(&self, key: &str) -> Option<String> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    /// `key="v"`, `key='v'`, `key={"v"}` and bare `key` (value empty).
    fn parse_attrs(s: &str) -> Vec<(String, String)> {
        let mut out = vec![];
        let mut rest = s.trim();
        while !rest.is_empty() {
            let key_len = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
            let key = rest[..key_len].to_string();
            rest = rest[key_len..].trim_start();
            let mut value = String::new();
            if let Some(v) = rest.strip_prefix('=') {
                let v = v.trim_start();
                let v = v.strip_prefix('{').unwrap_or(v);
                let quote = v.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'));
                let (val, after) = match quote {
                    Some(q) => v[1..].split_once(q).unwrap_or((&v[1..], "")),
                    None => v.split_once(char::is_whitespace).unwrap_or((v, "")),
                };
                value = val.to_string();
                rest = after.trim_start().trim_start_matches('}').trim_start();
            }
            if key.is_empty() {
                break;
            }
            out.push((key, value));
        }
        out
    }
}

fn jsx_tag(t: &str) -> Option<JsxTag> {
    let after = t.strip_prefix('<')?;
    let (closing, after) = after.strip_prefix('/').map_or((false, after), |a| (true, a));
    if !after.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let name_len = after.find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_')).unwrap_or(after.len());
    let name = after[..name_len].to_string();
    let end = tag_end(after)?;
    let attrs = JsxTag::parse_attrs(after[name_len..end].trim_end_matches('/'));
    Some(JsxTag { name, closing, attrs, rest: strip_component_tags(t) })
}

/// Byte index of the `>` closing a tag, skipping `>` inside quotes and braces.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    let mut braces = 0usize;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '{') => braces += 1,
            (None, '}') => braces = braces.saturating_sub(1),
            (None, '>') if braces == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

fn strip_component_tags(line: &str) -> String {
    inline_components(line).map_or_else(|| line.trim().to_string(), |(s, _, _)| s.trim().to_string())
}

/// `line` without the component tags in it (outside `` `code` `` and `$math$`, where `a<B` ... `C>b` is not a
/// tag), the first component's name and its byte index; `None` when there is no component tag.
fn inline_components(line: &str) -> Option<(String, String, usize)> {
    let mut out = String::with_capacity(line.len());
    let mut first: Option<(String, usize)> = None;
    let mut in_code = false;
    let mut in_math = false;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next()?;
        if c == '`' {
            in_code = !in_code;
        } else if c == '$' && !in_code {
            in_math = !in_math;
        } else if c == '<' && !in_code && !in_math {
            let after = &rest[1..];
            let name_start = after.strip_prefix('/').unwrap_or(after);
            if name_start.starts_with(|c: char| c.is_ascii_uppercase())
                && let Some(end) = tag_end(after)
            {
                let len = name_start.find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_')).unwrap_or(0);
                first.get_or_insert_with(|| (name_start[..len].to_string(), i));
                i += end + 2;
                continue;
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    first.map(|(name, at)| (out, name, at))
}

/// Markup for a `:::tabs` / `:::tab Label` block: all tabs shown as labelled sections, which needs no script
/// and reads in order with a screen reader.
pub fn wrapper_open(kind: &str, label: &str) -> String {
    match kind {
        "tabs" => "<div class=\"tabs\">\n".to_string(),
        _ => format!(
            "<section class=\"tab\"><p class=\"tab-label\">{}</p><div class=\"tab-body\">\n",
            crate::html::escape(label)
        ),
    }
}

pub fn wrapper_close(kind: &str) -> &'static str {
    match kind {
        "tabs" => "</div>\n",
        "tab" => "</div></section>\n",
        _ => "</div></aside>\n",
    }
}

/// Raw HTML that is safe to pass through: `<details>` / `<summary>` blocks (Docusaurus authors use them for
/// collapsible sections). Summary text is escaped; any other tag makes the whole fragment unsafe (`None`).
///
/// Also `<a name="x">` / `<a id="x">` anchors (Markdown tables of contents link to them): written as an empty
/// `<a id="x"></a>` (the closing `</a>` is dropped) and returned as ids links may point to.
pub fn allowed_html(h: &str) -> Option<(String, Vec<String>)> {
    let mut out = String::new();
    let mut ids = vec![];
    let mut rest = h;
    while let Some(i) = rest.find('<') {
        out.push_str(&crate::html::escape(&rest[..i]));
        let end = rest[i..].find('>')? + i;
        let raw = rest[i + 1..end].trim();
        let tag = raw.to_ascii_lowercase();
        match tag.as_str() {
            "details" | "/details" | "summary" | "/summary" | "details open" => {
                out.push('<');
                out.push_str(&tag);
                out.push('>');
            }
            "/a" => {}
            _ => {
                let attrs = raw.strip_prefix("a ").map(|a| JsxTag::parse_attrs(a.trim_end_matches('/')))?;
                let [(key, id)] = attrs.as_slice() else { return None };
                if !(key == "id" || key == "name") || !crate::slug::is_valid_id(id) || id.contains(['&', '\'']) {
                    return None;
                }
                out.push_str(&format!("<a id=\"{id}\"></a>"));
                ids.push(id.clone());
            }
        }
        rest = &rest[end + 1..];
    }
    out.push_str(&crate::html::escape(rest));
    Some((out, ids))
}

/// The text of an HTML fragment without its tags (summary text for search and the corpus).
pub fn strip_tags(h: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in h.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(body: &str) -> Prepared {
        prepare(Path::new("a.mdx"), body, 1)
    }

    #[test]
    fn imports_comments_and_leading_title_go_line_for_line() {
        let src =
            "import Tabs from '@theme/Tabs';\nimport {\n  A,\n} from 'x';\n\n# Hello {#hi}\n\n{/* note */}\ntext\n";
        let p = prep(src);
        assert_eq!(p.title.as_deref(), Some("Hello"));
        assert_eq!(p.body, "\n\n\n\n\n\n\n\ntext\n");
        assert_eq!(p.body.lines().count(), src.lines().count());
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn admonition_forms_are_normalised() {
        assert_eq!(admonition_line(":::tip[My title]"), ":::tip My title");
        assert_eq!(admonition_line("::::note Outer"), ":::note Outer");
        assert_eq!(admonition_line(":::caution"), ":::warning");
        assert_eq!(admonition_line(":::info{title=\"Hi there\"}"), ":::info Hi there");
        assert_eq!(admonition_line("::::"), ":::");
    }

    #[test]
    fn tabs_become_blocks_and_their_content_is_dedented() {
        let src = "<Tabs>\n  <TabItem value=\"py\" label=\"Python\" default>\n    ```py\n    x = 1\n    ```\n  </TabItem>\n</Tabs>\n";
        let p = prep(src);
        assert_eq!(p.body, ":::tabs\n  :::tab Python\n```py\nx = 1\n```\n  :::\n:::\n");
    }

    #[test]
    fn other_components_warn_with_position_and_keep_text() {
        let p = prep("para\n\n  <Highlight color=\"red\">kept text</Highlight>\n<Foo />\n```\n<Bar>\n```\n");
        assert_eq!(p.body, "para\n\n  kept text\n\n```\n<Bar>\n```\n");
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        assert_eq!((p.warnings[0].line, p.warnings[0].col), (3, 3));
        assert!(p.warnings[0].message.contains("`<Highlight>`"));
    }

    #[test]
    fn components_inside_a_line_are_dropped_outside_code() {
        let p = prep("Press <Kbd>Ctrl</Kbd> now, not `<Kbd>` or a<b.\n");
        assert_eq!(p.body, "Press Ctrl now, not `<Kbd>` or a<b.\n");
        assert!(prep("$x<N$ and $M>y$\n").warnings.is_empty(), "math is not JSX");
        assert_eq!((p.warnings[0].line, p.warnings[0].col), (1, 7));
        assert!(p.warnings[0].message.contains("`<Kbd>`"), "{}", p.warnings[0]);
        assert!(prep("a < B and C>d\n").warnings.len() <= 1, "never panics on stray brackets");
    }

    #[test]
    fn details_pass_through_other_html_does_not() {
        let html = |h: &str| allowed_html(h).map(|(h, _)| h);
        assert_eq!(html("<details>\n<summary>More <b></summary>"), None);
        assert_eq!(
            html("<details>\n  <summary>More & less</summary>\n").as_deref(),
            Some("<details>\n  <summary>More &amp; less</summary>\n")
        );
        assert_eq!(html("<script>x</script>"), None);
        assert_eq!(html("<details onclick=\"x\">"), None);
        assert_eq!(
            allowed_html("<a name=\"jwt\"></a>"),
            Some(("<a id=\"jwt\"></a>".to_string(), vec!["jwt".to_string()]))
        );
        assert_eq!(html("<a href=\"javascript:x\">"), None);
        assert_eq!(html("<a id=\"x\" onclick=\"y\">"), None);
        assert_eq!(html("<a id=\"a b\">"), None);
    }
}
