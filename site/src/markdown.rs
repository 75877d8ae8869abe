//! One Markdown parse per page: produces the page HTML, its table of contents, the heading ids links are
//! checked against, plain-text sections (for search and the RAG corpus) and the links still to verify.
//!
//! [`render_with`] walks the parser's events once; each concern handles its own events in a module of its own:
//! [`admonitions`] (`:::kind` blocks), [`headings`] (ids, TOC, section boundaries), [`linking`] (links, images,
//! citations), [`code`] (fenced blocks), [`math`] (TeX to MathML) and [`text`] (section text, raw HTML).

mod admonitions;
mod code;
mod headings;
mod linking;
mod math;
mod text;

use crate::cite::RefContext;
use crate::error::{Diagnostic, LineIndex};
use crate::figures::Numbering;
use crate::links::PendingLink;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::Path;

pub use admonitions::ADMONITION_KINDS;
pub(crate) use text::find_end;

/// What the renderer needs to know about the page and the site around it.
pub struct RenderInput<'a> {
    /// Path shown in diagnostics.
    pub file: &'a Path,
    /// Whole file (front matter included) so positions are real file lines.
    pub source: &'a str,
    pub body_offset: usize,
    /// Content-relative key of the page, e.g. `03-kinematics/index.md`.
    pub page_key: &'a str,
    /// Page URL without base, e.g. `/ur/kinematics/`.
    pub page_url: &'a str,
    /// Base path and origin: links and images are written under the base path.
    pub urls: &'a crate::urls::SiteUrls,
    /// Key -> URL for every page of the locale being rendered.
    pub pages: &'a BTreeMap<String, String>,
    pub static_dir: &'a Path,
    /// Default admonition titles, by kind, in the page's UI language.
    pub admonition_titles: &'a BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Plain text of one heading-delimited section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Section {
    pub anchor: String,
    pub heading_path: Vec<String>,
    pub text: String,
    /// In-site link targets (`page_url#anchor`, no base) in order: a glossary entry's "see" link for the corpus.
    pub links: Vec<String>,
}

/// Serializable for the render cache `site build` keeps beside its output (see `pipeline/render.rs`).
#[derive(Debug, Default, Clone, Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: HashSet<String>,
    pub sections: Vec<Section>,
    pub links: Vec<PendingLink>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// What the page cites (see `cite`).
    pub refs: crate::cite::PageRefs,
}

type Events<'e> = [(Event<'e>, Range<usize>)];

/// The walk over one page's events: what every concern's handler reads and writes.
struct Walk<'a, 'e> {
    input: &'a RenderInput<'a>,
    ctx: &'a RefContext<'a>,
    lines: LineIndex,
    events: &'e Events<'e>,
    numbering: Numbering,
    out: Rendered,
    /// The events pulldown-cmark turns into the page HTML.
    html: Vec<Event<'e>>,
    /// The section being collected (its heading, text and links).
    section: Section,
    headings: headings::Headings,
    /// Inside an HTML comment that spans several events.
    in_comment: bool,
}

impl Walk<'_, '_> {
    /// Line and column in the file of a body offset.
    fn pos(&self, off: usize) -> (usize, usize) {
        self.lines.line_col(self.input.source, self.input.body_offset + off)
    }

    fn error(&mut self, at: (usize, usize), msg: impl Into<String>) {
        self.out.errors.push(Diagnostic::new(self.input.file, at.0, at.1, msg));
    }
}

/// Renders one page without a bibliography or chapter number (see [`render_with`]).
pub fn render(input: &RenderInput) -> Rendered {
    render_with(input, &RefContext::default())
}

/// Renders one page. Never panics: problems become diagnostics in the result.
pub fn render_with(input: &RenderInput, ctx: &RefContext) -> Rendered {
    let mut out = Rendered::default();
    let lines = LineIndex::new(input.source);
    let mut body = input.source.get(input.body_offset..).unwrap_or_default().to_string();
    let mut markers = admonitions::extract(input, &mut body, &lines, &mut out);
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH;
    // `[text][ref]` with no `[ref]: url` definition would otherwise render as plain text with no message;
    // `[@key]` citations are shortcut links the citation module claims.
    let mut broken_refs: Vec<(usize, String)> = vec![];
    let events: Vec<(Event, Range<usize>)> = {
        let note = |b: pulldown_cmark::BrokenLink<'_>| {
            if matches!(b.link_type, pulldown_cmark::LinkType::Reference | pulldown_cmark::LinkType::Collapsed) {
                broken_refs.push((b.span.start, b.reference.to_string()));
                return None;
            }
            crate::cite::broken_link(b).map(|(u, t)| (CowStr::from(u.into_string()), CowStr::from(t.into_string())))
        };
        Parser::new_with_broken_link_callback(&body, opts, Some(note)).into_offset_iter().collect()
    };
    let numbering = crate::figures::scan(&events, ctx);
    let mut w = Walk {
        input,
        ctx,
        lines,
        events: &events,
        numbering,
        out,
        html: Vec::with_capacity(events.len()),
        section: Section::default(),
        headings: headings::Headings::default(),
        in_comment: false,
    };
    for (off, r) in broken_refs {
        w.error(w.pos(off), format!("broken reference link: no `[{r}]: url` definition"));
    }
    for (off, msg) in std::mem::take(&mut w.numbering.errors) {
        w.error(w.pos(off), msg);
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        if depth == 0 {
            markers.emit_due(range.start, input, &mut w.html);
        }
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some(fig) = w.numbering.figure_part(i, &ctx.figure_label) {
            w.html.push(Event::Html(fig.html.into()));
            text::push_block(&mut w.section.text, &fig.text);
            i += 1;
            continue;
        }
        // A handler that consumed the element up to its end says where to go on.
        let skip_to = match ev {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                w.heading(i, range.start, *level, id.as_deref(), classes, attrs);
                None
            }
            Event::Start(Tag::CodeBlock(kind)) => Some(w.code_block(i, kind)),
            Event::Start(Tag::Image { dest_url, title, .. }) => Some(w.image(i, range.start, dest_url, title)),
            Event::Start(Tag::Link { link_type, dest_url, .. }) if crate::cite::is_citation(*link_type) => {
                Some(w.citation(i, range.start, dest_url))
            }
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                w.link(range.start, *link_type, dest_url, title);
                None
            }
            Event::End(TagEnd::Link) => {
                w.html.push(Event::InlineHtml("</a>".into()));
                None
            }
            Event::InlineMath(tex) => {
                w.inline_math(range.start, tex);
                None
            }
            Event::DisplayMath(tex) => {
                w.display_math(i, range.start, tex);
                None
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                w.raw_html(range.start, h);
                None
            }
            _ => {
                w.text_event(ev);
                None
            }
        };
        match skip_to {
            Some(next) => {
                i = next;
                depth = depth.saturating_sub(1);
            }
            None => i += 1,
        }
    }
    markers.emit_rest(input, &mut w.html);
    w.finish()
}

impl Walk<'_, '_> {
    /// The last section, the text clean-up, the HTML and the reference list.
    fn finish(self) -> Rendered {
        let Walk { input, ctx, numbering, mut out, html, section, mut headings, .. } = self;
        if !section.text.trim().is_empty() || !section.anchor.is_empty() {
            out.sections.push(section);
        }
        for s in &mut out.sections {
            s.text = text::normalize_text(&s.text);
        }
        out.ids.extend(numbering.ids().cloned());
        pulldown_cmark::html::push_html(&mut out.html, html.into_iter());
        crate::cite::append_references(ctx, &mut out, &mut headings.used, input.file);
        // Tables scroll sideways on narrow screens (CSS `overflow-x: auto`); focusable for the keyboard, like code.
        // Text `<table>` inside code or prose is escaped by then, so only real tables match.
        out.html = out.html.replace("<table>", "<table tabindex=\"0\">");
        out
    }
}
