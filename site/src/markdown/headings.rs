//! Headings: their ids (given, slugged or made unique, plus the Docusaurus alias), the table of contents, and
//! the section each heading starts.

use super::text::{find_end, plain_text};
use super::{Section, TocEntry, Walk};
use crate::slug::{slugify, unique};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag};
use std::collections::HashSet;

#[derive(Default)]
pub(super) struct Headings {
    /// Every id given out on the page so far; the reference list takes its id from here too.
    pub(super) used: HashSet<String>,
    /// Level and text of the current heading and the ones above it.
    stack: Vec<(u8, String)>,
}

impl<'e> Walk<'_, 'e> {
    /// The heading whose `Start` is event `i` (at body offset `start`): closes the current section and opens its own.
    pub(super) fn heading(
        &mut self,
        i: usize,
        start: usize,
        level: HeadingLevel,
        id: Option<&str>,
        classes: &[CowStr<'e>],
        attrs: &[(CowStr<'e>, Option<CowStr<'e>>)],
    ) {
        let end = find_end(self.events, i);
        let text = plain_text(self.events.get(i + 1..end).unwrap_or_default());
        let wanted = match id {
            Some(id) if crate::slug::is_valid_id(id) => id.to_string(),
            Some(id) => {
                self.error(self.pos(start), format!("invalid heading id `{id}`"));
                slugify(&text)
            }
            None => slugify(&text),
        };
        if id.is_some() && self.headings.used.contains(&wanted) {
            self.error(self.pos(start), format!("duplicate heading id `{wanted}`"));
        }
        let hid = unique(wanted, &mut self.headings.used);
        // Links written for Docusaurus use its slug (`A & B` -> `a--b`): also a valid target.
        if id.is_none()
            && let Some(alias) = crate::slug::docusaurus_alias(&text, &hid, &mut self.headings.used)
        {
            self.html.push(Event::Html(format!("<a id=\"{alias}\"></a>").into()));
            self.out.ids.insert(alias);
        }
        let lvl = level as u8;
        // Every level from 2 down: the page picks its range (`toc_min/max_heading_level`, default 2-3).
        if lvl >= 2 {
            self.out.toc.push(TocEntry { level: lvl, id: hid.clone(), text: text.clone() });
        }
        if !self.section.text.trim().is_empty() || !self.section.anchor.is_empty() {
            self.out.sections.push(std::mem::take(&mut self.section));
        }
        let stack = &mut self.headings.stack;
        stack.retain(|(l, _)| *l < lvl);
        stack.push((lvl, text));
        self.section = Section {
            anchor: hid.clone(),
            heading_path: stack.iter().map(|(_, t)| t.clone()).collect(),
            ..Section::default()
        };
        self.out.ids.insert(hid.clone());
        self.html.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(hid)),
            classes: classes.to_vec(),
            attrs: attrs.to_vec(),
        }));
    }
}
