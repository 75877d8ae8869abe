//! Section text (plain, for search and the RAG corpus) and the events that are mostly text: prose, breaks, block
//! ends, task markers, table cells, and raw HTML (shown as text).

use super::{Events, Walk};
use crate::error::Diagnostic;
use pulldown_cmark::{CowStr, Event, TagEnd};

impl<'e> Walk<'_, 'e> {
    /// An event no other concern claimed: into the HTML as it is, and its text into the section.
    pub(super) fn text_event(&mut self, ev: &Event<'e>) {
        match ev {
            Event::Text(t) | Event::Code(t) => self.section.text.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.section.text.push(' '),
            Event::End(
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead,
            ) => push_block(&mut self.section.text, ""),
            // A disabled checkbox has no accessible name (axe "label"); a ballot-box character reads as its state.
            Event::TaskListMarker(done) => {
                let (mark, class) = if *done { ("☑", "task done") } else { ("☐", "task") };
                self.html.push(Event::InlineHtml(format!("<span class=\"{class}\">{mark}</span> ").into()));
                return;
            }
            Event::End(TagEnd::TableCell) => self.section.text.push_str(" | "),
            _ => {}
        }
        self.html.push(ev.clone());
    }

    /// Raw HTML in content is shown as text, never passed through: no markup or script reaches readers without
    /// review, and the pages' CSP can stay strict. The book needs none (Markdown covers it). HTML comments are
    /// authors' notes and are dropped.
    pub(super) fn raw_html(&mut self, start: usize, h: &CowStr<'e>) {
        let t = h.trim_start();
        if self.in_comment || t.starts_with("<!--") {
            self.in_comment = !h.contains("-->");
        } else if let Some((safe, ids)) = crate::mdx::allowed_html(h) {
            // `<details>`/`<summary>` and `<a id>` anchors (Docusaurus authors use them); nothing else passes.
            self.section.text.push_str(&normalize_text(&crate::mdx::strip_tags(h)));
            self.out.ids.extend(ids);
            self.html.push(Event::Html(safe.into()));
        } else {
            let (l, c) = self.pos(start);
            self.out.warnings.push(Diagnostic::new(self.input.file, l, c, "raw HTML is shown as text; use Markdown"));
            self.section.text.push_str(h);
            self.html.push(Event::Text(h.clone()));
        }
    }
}

/// Index of the `End` matching the `Start` at `start` (same nesting level).
pub(crate) fn find_end(events: &Events, start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1).max(start)
}

/// The text of a heading or an image's alt: text, code and TeX, breaks as spaces.
pub(super) fn plain_text(events: &Events) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Appends `block` as a block of its own: on a new line, ended by one.
pub(super) fn push_block(text: &mut String, block: &str) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(block);
    if !block.is_empty() && !block.ends_with('\n') {
        text.push('\n');
    }
}

/// Trims trailing spaces and collapses runs of blank lines so chunk text (and its id) is stable.
pub(super) fn normalize_text(s: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}
