//! Code blocks: the info string's title, highlighted lines and line numbers (see `codeblock`), highlighted HTML,
//! and the code itself in the section text (readers ask about it).

use super::Walk;
use super::text::{find_end, push_block};
use pulldown_cmark::{CodeBlockKind, Event};

impl Walk<'_, '_> {
    /// The code block whose `Start` is event `i`; returns the index after its end.
    pub(super) fn code_block(&mut self, i: usize, kind: &CodeBlockKind) -> usize {
        let end = find_end(self.events, i);
        let code: String = self
            .events
            .get(i + 1..end)
            .unwrap_or_default()
            .iter()
            .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
            .collect();
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.as_ref(),
            CodeBlockKind::Indented => "",
        };
        let block = crate::codeblock::parse(info, &code);
        self.html.push(Event::Html(block.html().into()));
        push_block(&mut self.section.text, &block.code);
        end + 1
    }
}
