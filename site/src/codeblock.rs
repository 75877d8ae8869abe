//! Fenced code block metadata as Docusaurus writes it: `title="file.py"`, highlighted lines (`{1,3-5}` in the
//! info string, or `highlight-next-line` / `highlight-start` / `highlight-end` magic comments in the code) and
//! `showLineNumbers`. A block without any of them renders exactly as before.

use crate::highlight::highlight;
use crate::html::escape;
use std::collections::BTreeSet;

#[derive(Debug, Default, PartialEq)]
pub struct CodeBlock {
    pub lang: String,
    pub title: Option<String>,
    /// 1-based line numbers of the code after magic comments are removed.
    pub highlighted: BTreeSet<usize>,
    /// First line number when numbered (`showLineNumbers=5` starts at 5).
    pub line_numbers: Option<usize>,
    /// The code without magic-comment lines (also what search and the corpus see).
    pub code: String,
}

/// Splits an info string into words, keeping `"quoted parts"` (with spaces) inside one word.
fn words(info: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut quote = None;
    for c in info.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `1,3-5` -> {1, 3, 4, 5}; unreadable parts are skipped. Ranges are capped so `{1-99999999}` stays cheap.
fn line_ranges(spec: &str, out: &mut BTreeSet<usize>) {
    for part in spec.split(',') {
        let part = part.trim();
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        if let (Ok(a), Ok(b)) = (a.trim().parse::<usize>(), b.trim().parse::<usize>()) {
            out.extend((a..=b.min(a + 10_000)).filter(|n| *n > 0));
        }
    }
}

/// The directive a magic comment line holds (`// highlight-next-line`, `# highlight-start`, `<!-- ... -->`).
fn magic(line: &str) -> Option<&'static str> {
    let mut t = line.trim();
    for p in ["//", "#", "/*", "<!--", "--", "%", ";", "{/*"] {
        if let Some(r) = t.strip_prefix(p) {
            t = r;
            break;
        }
    }
    for s in ["*/}", "*/", "-->"] {
        if let Some(r) = t.strip_suffix(s) {
            t = r;
            break;
        }
    }
    ["highlight-next-line", "highlight-start", "highlight-end"].into_iter().find(|d| t.trim() == *d)
}

/// Reads the fence's info string and the code's magic comments.
pub fn parse(info: &str, code: &str) -> CodeBlock {
    let mut block = CodeBlock::default();
    for (i, w) in words(info).into_iter().enumerate() {
        if let Some(spec) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            line_ranges(spec, &mut block.highlighted);
        } else if let Some(t) = w.strip_prefix("title=") {
            block.title = Some(t.to_string());
        } else if w == "showLineNumbers" {
            block.line_numbers = Some(1);
        } else if let Some(n) = w.strip_prefix("showLineNumbers=") {
            block.line_numbers = Some(n.parse().unwrap_or(1));
        } else if i == 0 {
            // `js{1,3}` without a space.
            let (lang, spec) = w.split_once('{').unwrap_or((&w, ""));
            block.lang = lang.to_string();
            line_ranges(spec.trim_end_matches('}'), &mut block.highlighted);
        }
    }
    let mut next = false;
    let mut open = false;
    let mut n = 0;
    for line in code.split_inclusive('\n') {
        match magic(line) {
            Some("highlight-next-line") => next = true,
            Some("highlight-start") => open = true,
            Some(_) => open = false,
            None => {
                n += 1;
                if next || open {
                    block.highlighted.insert(n);
                }
                next = false;
                block.code.push_str(line);
            }
        }
    }
    block
}

impl CodeBlock {
    fn plain(&self) -> bool {
        self.title.is_none() && self.highlighted.is_empty() && self.line_numbers.is_none()
    }

    pub fn html(&self) -> String {
        let class = if self.lang.is_empty() { String::new() } else { format!(" language-{}", escape(&self.lang)) };
        let code = highlight(&self.code, &self.lang);
        // tabindex: a long line makes the block scroll sideways, and keyboard users must be able to
        // focus it to scroll (WCAG 2.1.1; axe `scrollable-region-focusable`).
        if self.plain() {
            return format!("<pre class=\"code{class}\" dir=\"ltr\" tabindex=\"0\"><code>{code}</code></pre>\n");
        }
        let mut lines = String::new();
        for (i, l) in split_lines(&code).iter().enumerate() {
            let hl = if self.highlighted.contains(&(i + 1)) { " highlighted" } else { "" };
            // Numbers are real text (no inline style for a CSS counter, which the pages' CSP would block), hidden
            // from screen readers and not selectable, so copying the code copies only code.
            let num = self
                .line_numbers
                .map(|start| format!("<span class=\"line-number\" aria-hidden=\"true\">{}</span>", start + i))
                .unwrap_or_default();
            lines.push_str(&format!("<span class=\"code-line{hl}\">{num}{l}</span>\n"));
        }
        let numbered = if self.line_numbers.is_some() { " line-numbers" } else { "" };
        let title = self
            .title
            .as_ref()
            .map(|t| format!("<div class=\"code-title\" dir=\"ltr\">{}</div>", escape(t)))
            .unwrap_or_default();
        format!(
            "<div class=\"code-block\">{title}<pre class=\"code{class}{numbered}\" dir=\"ltr\" tabindex=\"0\"><code>{lines}</code></pre></div>\n"
        )
    }
}

/// Splits highlighted HTML into lines, closing the spans still open at each line end and reopening them on the
/// next line, so every line can be wrapped in its own element.
fn split_lines(html: &str) -> Vec<String> {
    let mut lines = vec![];
    let mut open: Vec<&str> = vec![];
    let mut cur = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with("</span>") {
            open.pop();
            cur.push_str("</span>");
            rest = &rest[7..];
        } else if rest.starts_with("<span")
            && let Some(end) = rest.find('>')
        {
            open.push(&rest[..=end]);
            cur.push_str(&rest[..=end]);
            rest = &rest[end + 1..];
        } else if let Some(r) = rest.strip_prefix('\n') {
            cur.push_str(&"</span>".repeat(open.len()));
            lines.push(std::mem::take(&mut cur));
            cur.extend(open.iter().copied());
            rest = r;
        } else {
            let ch = rest.chars().next().map_or(1, char::len_utf8);
            cur.push_str(&rest[..ch]);
            rest = &rest[ch..];
        }
    }
    // Code ends with a newline, so the last "line" holds only reopened and closed spans: dropped with them.
    let has_text = {
        let mut in_tag = false;
        cur.chars().any(|c| {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => return true,
                _ => {}
            }
            false
        })
    };
    if has_text {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_string_and_magic_comments() {
        let b = parse("python title=\"my file.py\" {1,3-4} showLineNumbers", "a\nb\nc\n# highlight-next-line\nd\ne\n");
        assert_eq!(b.lang, "python");
        assert_eq!(b.title.as_deref(), Some("my file.py"));
        assert_eq!(b.highlighted, BTreeSet::from([1, 3, 4]));
        assert_eq!(b.line_numbers, Some(1));
        assert_eq!(b.code, "a\nb\nc\nd\ne\n");
        let b = parse("js{2}", "// highlight-start\nx\ny\n// highlight-end\nz\n");
        assert_eq!((b.lang.as_str(), b.code.as_str()), ("js", "x\ny\nz\n"));
        assert_eq!(b.highlighted, BTreeSet::from([1, 2]));
    }

    #[test]
    fn plain_block_is_unchanged_and_marked_lines_are_wrapped() {
        let plain = parse("python", "x = 1\n").html();
        assert!(plain.starts_with("<pre class=\"code language-python\" dir=\"ltr\" tabindex=\"0\"><code>"), "{plain}");
        let html = parse("text {2} title=\"a<b\"", "one\ntwo\n").html();
        assert!(html.contains("<div class=\"code-title\" dir=\"ltr\">a&lt;b</div>"), "{html}");
        assert_eq!(html.matches("class=\"code-line").count(), 2, "{html}");
        assert!(html.contains("<span class=\"code-line highlighted\">"), "{html}");
    }

    #[test]
    fn spans_across_lines_are_balanced() {
        let lines = split_lines("<span class=\"a\">x\ny</span>\nz\n");
        assert_eq!(lines, vec!["<span class=\"a\">x</span>", "<span class=\"a\">y</span>", "z"]);
    }
}
