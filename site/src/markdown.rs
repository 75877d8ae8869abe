//! One Markdown parse per page: produces the page HTML, its table of contents, the heading ids links are
//! checked against, plain-text sections (for search and the RAG corpus) and the links still to verify.

use crate::error::{Diagnostic, LineIndex};
use crate::links::{self, LinkTarget, PendingLink};
use crate::slug::{slugify, unique};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

pub const ADMONITION_KINDS: [&str; 5] = ["note", "tip", "info", "warning", "danger"];

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

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Plain text of one heading-delimited section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    pub anchor: String,
    pub heading_path: Vec<String>,
    pub text: String,
    /// In-site link targets (`page_url#anchor`, no base) in order: a glossary entry's "see" link for the corpus.
    pub links: Vec<String>,
}

#[derive(Debug, Default, Clone)]
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

struct Marker {
    offset: usize,
    open: Option<(String, String)>,
    /// For a closing marker: the kind it closes (admonitions and `crate::mdx::WRAPPERS` close differently).
    closes: String,
}

/// Finds `:::kind title` / `:::` lines outside code fences and blanks them out in place (same byte
/// length) so the Markdown parser sees a paragraph break there and every other offset is unchanged.
fn extract_admonitions(input: &RenderInput, body: &mut String, lines: &LineIndex, out: &mut Rendered) -> Vec<Marker> {
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
    markers
}

fn admonition_html(input: &RenderInput, m: &Marker) -> String {
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
                crate::layout::escape_html(&title)
            )
        }
    }
}

fn math_html(
    input: &RenderInput,
    tex: &str,
    display: bool,
    at: usize,
    lines: &LineIndex,
    out: &mut Rendered,
) -> String {
    use latex2mathml::{DisplayStyle, latex_to_mathml};
    let style = if display { DisplayStyle::Block } else { DisplayStyle::Inline };
    let class = if display { "math math-display" } else { "math" };
    // latex2mathml answers Ok for some input it cannot read, with "[PARSE ERROR: …]" inside the MathML; a reader
    // must never see that, so it is treated like an outright failure.
    let converted =
        latex_to_mathml(&crate::tex::normalize(tex), style).map_err(|e| e.to_string()).and_then(|m| {
            match m.find("[PARSE ERROR: ") {
                Some(i) => {
                    let what = m[i + 14..].split(']').next().unwrap_or_default();
                    Err(format!("unsupported TeX in this formula ({what})"))
                }
                None => Ok(crate::tex::compact(m)),
            }
        });
    match converted {
        // A wide display formula scrolls sideways: focusable so keyboard users can scroll it (WCAG 2.1.1).
        Ok(m) if display => format!("<span class=\"{class}\" dir=\"ltr\" tabindex=\"0\">{m}</span>"),
        Ok(m) => format!("<span class=\"{class}\" dir=\"ltr\">{m}</span>"),
        Err(e) => {
            // Unsupported TeX should not block a whole book build: show the source and warn.
            let (l, c) = lines.line_col(input.source, at);
            out.warnings.push(Diagnostic::new(input.file, l, c, format!("math not converted to MathML: {e}")));
            format!("<code class=\"{class} math-source\" dir=\"ltr\">{}</code>", crate::layout::escape_html(tex))
        }
    }
}

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

/// Renders one page without a bibliography or chapter number (see [`render_with`]).
pub fn render(input: &RenderInput) -> Rendered {
    render_with(input, &crate::cite::RefContext::default())
}

/// Renders one page. Never panics: problems become diagnostics in the result.
pub fn render_with(input: &RenderInput, ctx: &crate::cite::RefContext) -> Rendered {
    let mut out = Rendered::default();
    let src_lines = LineIndex::new(input.source);
    let mut body = input.source.get(input.body_offset..).unwrap_or_default().to_string();
    let markers = extract_admonitions(input, &mut body, &src_lines, &mut out);
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH;
    // `[text][ref]` with no `[ref]: url` definition would otherwise render as plain text with no message;
    // `[@key]` citations are shortcut links the citation module claims.
    let mut broken_refs: Vec<(usize, String)> = vec![];
    let events: Vec<(Event, std::ops::Range<usize>)> = {
        let note = |b: pulldown_cmark::BrokenLink<'_>| {
            if matches!(b.link_type, pulldown_cmark::LinkType::Reference | pulldown_cmark::LinkType::Collapsed) {
                broken_refs.push((b.span.start, b.reference.to_string()));
                return None;
            }
            crate::cite::broken_link(b).map(|(u, t)| (CowStr::from(u.into_string()), CowStr::from(t.into_string())))
        };
        Parser::new_with_broken_link_callback(&body, opts, Some(note)).into_offset_iter().collect()
    };

    let pos = |off: usize| src_lines.line_col(input.source, input.body_offset + off);
    for (off, r) in broken_refs {
        let (l, c) = pos(off);
        out.errors.push(Diagnostic::new(
            input.file,
            l,
            c,
            format!("broken reference link: no `[{r}]: url` definition"),
        ));
    }
    let numbering = crate::figures::scan(&events, ctx);
    for (off, msg) in &numbering.errors {
        let (l, c) = pos(*off);
        out.errors.push(Diagnostic::new(input.file, l, c, msg.clone()));
    }
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len());
    let mut used_ids = HashSet::new();
    let mut heading_stack: Vec<(u8, String)> = vec![];
    let mut section = Section::default();
    let mut depth = 0usize;
    let mut next_marker = 0usize;
    let mut in_comment = false;
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        while depth == 0 && next_marker < markers.len() && range.start >= markers[next_marker].offset {
            html_events.push(Event::Html(admonition_html(input, &markers[next_marker]).into()));
            next_marker += 1;
        }
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some(fig) = numbering.figure_part(i, &ctx.figure_label) {
            html_events.push(Event::Html(fig.html.into()));
            push_block(&mut section.text, &fig.text);
            i += 1;
            continue;
        }
        match ev {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let end = find_end(&events, i);
                let text = plain_text(events.get(i + 1..end).unwrap_or_default());
                let wanted = match id {
                    Some(id) if crate::slug::is_valid_id(id) => id.to_string(),
                    Some(id) => {
                        let (l, c) = pos(range.start);
                        out.errors.push(Diagnostic::new(input.file, l, c, format!("invalid heading id `{id}`")));
                        slugify(&text)
                    }
                    None => slugify(&text),
                };
                if id.is_some() && used_ids.contains(&wanted) {
                    let (l, c) = pos(range.start);
                    out.errors.push(Diagnostic::new(input.file, l, c, format!("duplicate heading id `{wanted}`")));
                }
                let hid = unique(wanted, &mut used_ids);
                // Links written for Docusaurus use its slug (`A & B` -> `a--b`): also a valid target.
                if id.is_none()
                    && let Some(alias) = crate::slug::docusaurus_alias(&text, &hid, &mut used_ids)
                {
                    html_events.push(Event::Html(format!("<a id=\"{alias}\"></a>").into()));
                    out.ids.insert(alias);
                }
                let lvl = level_num(*level);
                // Every level from 2 down: the page picks its range (`toc_min/max_heading_level`, default 2-3).
                if lvl >= 2 {
                    out.toc.push(TocEntry { level: lvl, id: hid.clone(), text: text.clone() });
                }
                if !section.text.trim().is_empty() || !section.anchor.is_empty() {
                    out.sections.push(std::mem::take(&mut section));
                }
                heading_stack.retain(|(l, _)| *l < lvl);
                heading_stack.push((lvl, text.clone()));
                section = Section {
                    anchor: hid.clone(),
                    heading_path: heading_stack.iter().map(|(_, t)| t.clone()).collect(),
                    ..Section::default()
                };
                out.ids.insert(hid.clone());
                html_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(hid)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i);
                let code: String = events
                    .get(i + 1..end)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
                    .collect();
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.as_ref(),
                    CodeBlockKind::Indented => "",
                };
                // Title, highlighted lines and line numbers (Docusaurus syntax): see codeblock.rs.
                let block = crate::codeblock::parse(info, &code);
                html_events.push(Event::Html(block.html().into()));
                push_block(&mut section.text, &block.code);
                i = end + 1;
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let end = find_end(&events, i);
                let alt = plain_text(events.get(i + 1..end).unwrap_or_default());
                let (l, c) = pos(range.start);
                if alt.trim().is_empty() {
                    out.errors.push(Diagnostic::new(
                        input.file,
                        l,
                        c,
                        format!("image `{dest_url}` has no alt text (describe the figure in the page's language)"),
                    ));
                }
                let src = links::image_src(input, dest_url, (l, c), &mut out);
                let title = if title.is_empty() || numbering.in_figure(i) {
                    String::new()
                } else {
                    format!(" title=\"{}\"", crate::layout::escape_html(title))
                };
                html_events.push(Event::InlineHtml(
                    format!(
                        "<img src=\"{}\" alt=\"{}\"{title} loading=\"lazy\">",
                        crate::layout::escape_html(&src),
                        crate::layout::escape_html(&alt)
                    )
                    .into(),
                ));
                i = end + 1;
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Start(Tag::Link { link_type, dest_url, .. }) if crate::cite::is_citation(*link_type) => {
                let at = (input.file, pos(range.start));
                let (html, text) = crate::cite::citation(
                    dest_url,
                    ctx,
                    &numbering,
                    &mut out.refs,
                    &section.anchor,
                    at,
                    &mut out.errors,
                );
                html_events.push(Event::InlineHtml(html.into()));
                section.text.push_str(&text);
                i = find_end(&events, i) + 1;
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                let (l, c) = pos(range.start);
                let checked = out.links.len();
                let target = links::classify(input, *link_type, dest_url, (l, c), &mut out);
                if let Some(p) = out.links.get(checked) {
                    section.links.push(format!("{}#{}", p.page_url, p.anchor).trim_end_matches('#').to_string());
                }
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", crate::layout::escape_html(title))
                };
                let attrs = match &target {
                    LinkTarget::External(_) => " rel=\"noopener noreferrer\" target=\"_blank\"",
                    _ => "",
                };
                html_events.push(Event::InlineHtml(
                    format!("<a href=\"{}\"{title}{attrs}>", crate::layout::escape_html(target.href())).into(),
                ));
            }
            Event::End(TagEnd::Link) => html_events.push(Event::InlineHtml("</a>".into())),
            Event::InlineMath(tex) => {
                html_events.push(Event::InlineHtml(
                    math_html(input, tex, false, input.body_offset + range.start, &src_lines, &mut out).into(),
                ));
                section.text.push_str(&format!("${tex}$"));
            }
            Event::DisplayMath(tex) => {
                let tex = crate::figures::split_label(tex).1;
                let math = math_html(input, &tex, true, input.body_offset + range.start, &src_lines, &mut out);
                let (html, number) = numbering.equation_html(i, math);
                html_events.push(Event::InlineHtml(html.into()));
                push_block(&mut section.text, &format!("$${tex}$$ {}", number.unwrap_or_default()));
            }
            Event::Text(t) | Event::Code(t) => {
                section.text.push_str(t);
                html_events.push(ev.clone());
            }
            Event::SoftBreak | Event::HardBreak => {
                section.text.push(' ');
                html_events.push(ev.clone());
            }
            Event::End(
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead,
            ) => {
                push_block(&mut section.text, "");
                html_events.push(ev.clone());
            }
            // A disabled checkbox has no accessible name (axe "label"); a ballot-box character reads as its state.
            Event::TaskListMarker(done) => {
                let (mark, class) = if *done { ("☑", "task done") } else { ("☐", "task") };
                html_events.push(Event::InlineHtml(format!("<span class=\"{class}\">{mark}</span> ").into()));
            }
            Event::End(TagEnd::TableCell) => {
                section.text.push_str(" | ");
                html_events.push(ev.clone());
            }
            // Raw HTML in content is shown as text, never passed through: no markup or script reaches readers
            // without review, and the pages' CSP can stay strict. The book needs none (Markdown covers it).
            // HTML comments are authors' notes and are dropped.
            Event::Html(h) | Event::InlineHtml(h) => {
                let t = h.trim_start();
                if in_comment || t.starts_with("<!--") {
                    in_comment = !h.contains("-->");
                } else if let Some((safe, ids)) = crate::mdx::allowed_html(h) {
                    // `<details>`/`<summary>` and `<a id>` anchors (Docusaurus authors use them); nothing else passes.
                    section.text.push_str(&normalize_text(&crate::mdx::strip_tags(h)));
                    out.ids.extend(ids);
                    html_events.push(Event::Html(safe.into()));
                } else {
                    let (l, c) = pos(range.start);
                    out.warnings.push(Diagnostic::new(input.file, l, c, "raw HTML is shown as text; use Markdown"));
                    section.text.push_str(h);
                    html_events.push(Event::Text(h.clone()));
                }
            }
            _ => html_events.push(ev.clone()),
        }
        i += 1;
    }
    for m in &markers[next_marker..] {
        html_events.push(Event::Html(admonition_html(input, m).into()));
    }
    if !section.text.trim().is_empty() || !section.anchor.is_empty() {
        out.sections.push(section);
    }
    for s in &mut out.sections {
        s.text = normalize_text(&s.text);
    }
    out.ids.extend(numbering.ids().cloned());
    pulldown_cmark::html::push_html(&mut out.html, html_events.into_iter());
    crate::cite::append_references(ctx, &mut out, &mut used_ids, input.file);
    // Tables scroll sideways on narrow screens (CSS `overflow-x: auto`); focusable for the keyboard, like code.
    // Text `<table>` inside code or prose is escaped by then, so only real tables match.
    out.html = out.html.replace("<table>", "<table tabindex=\"0\">");
    out
}

/// Index of the `End` matching the `Start` at `start` (same nesting level).
pub(crate) fn find_end(events: &[(Event, std::ops::Range<usize>)], start: usize) -> usize {
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

fn plain_text(events: &[(Event, std::ops::Range<usize>)]) -> String {
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

fn push_block(text: &mut String, block: &str) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(block);
    if !block.is_empty() && !block.ends_with('\n') {
        text.push('\n');
    }
}

/// Trims trailing spaces and collapses runs of blank lines so chunk text (and its id) is stable.
fn normalize_text(s: &str) -> String {
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
