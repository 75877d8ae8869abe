//! Links, images and citations: targets resolved and checked by `crate::links`, `[@key]` citations by
//! `crate::cite`; in-site targets are remembered for the section (a glossary entry's "see" link).

use super::text::{find_end, plain_text};
use super::{RenderInput, Walk};
use crate::html::escape;
use crate::links::{self, LinkScope, LinkTarget};
use pulldown_cmark::{Event, LinkType};

impl<'a> RenderInput<'a> {
    fn link_scope(&self) -> LinkScope<'a> {
        LinkScope {
            file: self.file,
            page_key: self.page_key,
            page_url: self.page_url,
            urls: self.urls,
            pages: self.pages,
            static_dir: self.static_dir,
        }
    }
}

impl Walk<'_, '_> {
    /// The image whose `Start` is event `i` (at body offset `start`); returns the index after its end.
    pub(super) fn image(&mut self, i: usize, start: usize, dest_url: &str, title: &str) -> usize {
        let end = find_end(self.events, i);
        let alt = plain_text(self.events.get(i + 1..end).unwrap_or_default());
        let at = self.pos(start);
        if alt.trim().is_empty() {
            self.error(at, format!("image `{dest_url}` has no alt text (describe the figure in the page's language)"));
        }
        let src = links::image_src(&self.input.link_scope(), dest_url, at, &mut self.out.errors);
        // Inside a numbered figure the title is the caption, already shown.
        let title = if title.is_empty() || self.numbering.in_figure(i) {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(title))
        };
        self.html.push(Event::InlineHtml(
            format!("<img src=\"{}\" alt=\"{}\"{title} loading=\"lazy\">", escape(&src), escape(&alt)).into(),
        ));
        end + 1
    }

    /// The `[@key]` citation whose `Start` is event `i`; returns the index after its end.
    pub(super) fn citation(&mut self, i: usize, start: usize, label: &str) -> usize {
        let at = (self.input.file, self.pos(start));
        let (html, text) = crate::cite::citation(
            label,
            self.ctx,
            &self.numbering,
            &mut self.out.refs,
            &self.section.anchor,
            at,
            &mut self.out.errors,
        );
        self.html.push(Event::InlineHtml(html.into()));
        self.section.text.push_str(&text);
        find_end(self.events, i) + 1
    }

    /// The opening `<a>` of a link; its text follows as ordinary events.
    pub(super) fn link(&mut self, start: usize, link_type: LinkType, dest_url: &str, title: &str) {
        let at = self.pos(start);
        let checked = self.out.links.len();
        let scope = self.input.link_scope();
        let target = links::classify(&scope, link_type, dest_url, at, &mut self.out.links, &mut self.out.errors);
        if let Some(p) = self.out.links.get(checked) {
            self.section.links.push(format!("{}#{}", p.page_url, p.anchor).trim_end_matches('#').to_string());
        }
        let title = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape(title)) };
        let attrs = match &target {
            LinkTarget::External(_) => " rel=\"noopener noreferrer\" target=\"_blank\"",
            _ => "",
        };
        self.html.push(Event::InlineHtml(format!("<a href=\"{}\"{title}{attrs}>", escape(target.href())).into()));
    }
}
