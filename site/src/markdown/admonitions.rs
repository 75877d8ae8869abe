//! `:::kind title` … `:::` blocks (Docusaurus admonitions and the MDX wrappers): found and blanked out before the
//! parse, opened and closed between the parsed blocks.

use super::{RenderInput, Rendered};
use crate::error::{Diagnostic, LineIndex};
use pulldown_cmark::Event;

pub const ADMONITION_KINDS: [&str; 5] = ["note", "tip", "info", "warning", "danger"];

struct Marker {
    offset: usize,
    open: Option<(String, String)>,
    /// For a closing marker: the kind it closes (admonitions and `crate::mdx::WRAPPERS` close differently).
    closes: String,
}

/// A page's markers in body order, and how many of them are in the HTML yet.
pub(super) struct Markers {
    list: Vec<Marker>,
    next: usize,
}

/// Finds `:::kind title` / `:::` lines outside code fences and blanks them out in place (same byte
/// length) so the Markdown parser sees a paragraph break there and every other offset is unchanged.
pub(super) fn extract(input: &RenderInput, body: &mut String, lines: &LineIndex, out: &mut Rendered) -> Markers {
    let mut markers = vec![];
    let mut fence: Option<&str> = None;
    let mut open_kinds: Vec<String> = vec![];
    let mut offset = 0;
    let mut blank = vec![];
    for line in body.split_inclusive('\n') {
        let t = line.trim();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") {
            fence = Some("```");
        } else if t.starts_with("~~~") {
            fence = Some("~~~");
        } else if let Some(rest) = t.strip_prefix(":::") {
            let (kind, title) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let at = input.body_offset + offset + line.find(":::").unwrap_or(0);
            if kind.is_empty() {
                match open_kinds.pop() {
                    None => {
                        let (l, c) = lines.line_col(input.source, at);
                        out.errors.push(Diagnostic::new(input.file, l, c, "`:::` closes no open admonition"));
                    }
                    Some(closes) => markers.push(Marker { offset, open: None, closes }),
                }
            } else if ADMONITION_KINDS.contains(&kind) || crate::mdx::WRAPPERS.contains(&kind) {
                open_kinds.push(kind.to_string());
                markers.push(Marker {
                    offset,
                    open: Some((kind.to_string(), title.trim().to_string())),
                    closes: String::new(),
                });
            } else {
                let (l, c) = lines.line_col(input.source, at + 3);
                out.errors.push(Diagnostic::new(
                    input.file,
                    l,
                    c,
                    format!("unknown admonition type `{kind}` (expected one of {})", ADMONITION_KINDS.join(", ")),
                ));
            }
            blank.push((offset, line.trim_end_matches(['\n', '\r']).len()));
        }
        offset += line.len();
    }
    if !open_kinds.is_empty() {
        let (l, c) = lines.line_col(input.source, input.source.len());
        out.errors.push(Diagnostic::new(input.file, l, c, "admonition not closed by a `:::` line"));
        markers.extend(open_kinds.into_iter().rev().map(|closes| Marker { offset: body.len(), open: None, closes }));
    }
    for (start, len) in blank {
        body.replace_range(start..start + len, &" ".repeat(len));
    }
    Markers { list: markers, next: 0 }
}

impl Markers {
    /// Opens and closes every block whose marker line comes before body `offset`. Called between top-level
    /// blocks only, so an admonition never opens inside a list or a paragraph.
    pub(super) fn emit_due(&mut self, offset: usize, input: &RenderInput, html: &mut Vec<Event>) {
        while let Some(m) = self.list.get(self.next).filter(|m| offset >= m.offset) {
            html.push(Event::Html(marker_html(input, m).into()));
            self.next += 1;
        }
    }

    /// The markers after the last block (closing what is still open).
    pub(super) fn emit_rest(&self, input: &RenderInput, html: &mut Vec<Event>) {
        for m in self.list.iter().skip(self.next) {
            html.push(Event::Html(marker_html(input, m).into()));
        }
    }
}

fn marker_html(input: &RenderInput, m: &Marker) -> String {
    match &m.open {
        None => crate::mdx::wrapper_close(&m.closes).to_string(),
        Some((kind, title)) if crate::mdx::WRAPPERS.contains(&kind.as_str()) => crate::mdx::wrapper_open(kind, title),
        Some((kind, title)) => {
            let title = if title.is_empty() {
                input.admonition_titles.get(kind).cloned().unwrap_or_else(|| kind.clone())
            } else {
                title.clone()
            };
            format!(
                "<aside class=\"admonition admonition-{kind}\"><p class=\"admonition-title\">{}</p><div class=\"admonition-body\">\n",
                crate::html::escape(&title)
            )
        }
    }
}
