//! Renders an answer's Markdown AST into the DOM: elements and text nodes created one by one, never inner HTML.
//!
//! Built with plain DOM calls rather than Leptos `view!` trees: the answer is rebuilt whole on every streamed delta
//! anyway, and each distinct `view!` shape costs generated code (this file's Leptos version plus math and citations
//! put the widget ~17 KB gzipped over its 150 KB budget).

use protocol::Source;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};
use widget::markdown::{Block, Inline, parse};
use widget::math::{self, to_mathml};
use widget::urls;

const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// Where `[n]` markers point: the answer's numbered sources and the site base their URLs are relative to.
pub struct Cites<'a> {
    pub sources: &'a [Source],
    pub site_base: &'a str,
}

/// Replaces the children of `into` with the rendered answer.
pub fn render(into: &Element, src: &str, cites: &Cites) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let out = doc.create_document_fragment();
    for b in parse(src, cites.site_base) {
        let _ = out.append_child(&block(&doc, b, cites));
    }
    into.replace_children_with_node_1(&out);
}

/// Replaces the children of `list` with one item per source, linked to its section; a refused URL keeps its place
/// as plain text so the numbers still match the answer's markers.
pub fn render_sources(list: &Element, c: &Cites) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let out = doc.create_document_fragment();
    for s in c.sources {
        let label = text(&doc, &format!("{} › {}", s.title, s.heading));
        let item = match urls::section_href(c.site_base, &s.url) {
            Some(href) => with(el(&doc, "a", &[("href", &href)]), [label]),
            None => label,
        };
        let _ = out.append_child(&with(el(&doc, "li", &[("dir", "auto")]), [item]));
    }
    list.replace_children_with_node_1(&out);
}

fn el(doc: &Document, tag: &str, attrs: &[(&str, &str)]) -> Element {
    // create_element only fails for an invalid tag name, and every tag here is a constant.
    let e = doc.create_element(tag).expect("constant, valid tag name");
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    e
}

fn with(parent: Element, children: impl IntoIterator<Item = Node>) -> Node {
    for c in children {
        let _ = parent.append_child(&c);
    }
    parent.unchecked_into()
}

fn text(doc: &Document, t: &str) -> Node {
    doc.create_text_node(t).unchecked_into()
}

fn block(doc: &Document, b: Block, c: &Cites) -> Node {
    // dir="auto": an English answer kept in the history reads left to right inside the Urdu panel, and vice versa.
    let auto = [("dir", "auto")];
    match b {
        Block::Paragraph(spans) => with(el(doc, "p", &auto), spans_nodes(doc, spans, c)),
        Block::List { ordered, items } => with(
            el(doc, if ordered { "ol" } else { "ul" }, &[]),
            items.into_iter().map(|i| with(el(doc, "li", &auto), spans_nodes(doc, i, c))),
        ),
        // Code keeps left-to-right order even inside the Urdu panel.
        Block::Code(t) => with(el(doc, "pre", &[("dir", "ltr")]), [with(el(doc, "code", &[]), [text(doc, &t)])]),
    }
}

fn spans_nodes(doc: &Document, spans: Vec<Inline>, c: &Cites) -> Vec<Node> {
    spans
        .into_iter()
        .map(|s| match s {
            Inline::Text(t) => text(doc, &t),
            Inline::Emphasis(k) => with(el(doc, "em", &[]), spans_nodes(doc, k, c)),
            Inline::Strong(k) => with(el(doc, "strong", &[]), spans_nodes(doc, k, c)),
            Inline::Code(t) => with(el(doc, "code", &[("dir", "ltr")]), [text(doc, &t)]),
            Inline::Link { href, children } => with(el(doc, "a", &[("href", &href)]), spans_nodes(doc, children, c)),
            Inline::Math { tex, display } => formula(doc, &tex, display),
            Inline::Cite(nums) => cite(doc, &nums, c),
        })
        .collect()
}

/// `[1, 3]` as links to the numbered sources; a number the source list does not have (yet) stays text.
fn cite(doc: &Document, nums: &[u32], c: &Cites) -> Node {
    let links = nums.iter().map(|&n| {
        let src = n.checked_sub(1).and_then(|i| c.sources.get(i as usize));
        let href = src.and_then(|s| urls::section_href(c.site_base, &s.url));
        let label = n.to_string();
        match (src, href) {
            (Some(s), Some(href)) => {
                let title = format!("{} › {}", s.title, s.heading);
                let aria = crate::page::tr_args("cite-label", &[("n", &n), ("title", &title)]);
                let a = el(doc, "a", &[("class", "cite"), ("href", &href), ("aria-label", &aria), ("title", &title)]);
                with(a, [text(doc, &label)])
            }
            _ => with(el(doc, "span", &[("class", "cite")]), [text(doc, &label)]),
        }
    });
    with(el(doc, "sup", &[("class", "cites")]), links.collect::<Vec<_>>())
}

/// A formula as MathML inside a left-to-right span that keeps the TeX source (for copy and for readers without
/// MathML support).
fn formula(doc: &Document, tex: &str, display: bool) -> Node {
    let class = if display { "math display" } else { "math" };
    let holder = el(doc, "span", &[("class", class), ("dir", "ltr"), ("data-tex", tex)]);
    // A wide display formula scrolls sideways: keyboard users reach it with Tab, as on the book's pages.
    if display {
        let _ = holder.set_attribute("tabindex", "0");
    }
    with(holder, [mathml(doc, &to_mathml(tex, display))])
}

fn mathml(doc: &Document, n: &math::Node) -> Node {
    match n {
        math::Node::Text(t) => text(doc, t),
        math::Node::El { tag, attrs, children } => {
            let Ok(e) = doc.create_element_ns(Some(MATHML), tag) else { return text(doc, "") };
            for (k, v) in attrs {
                let _ = e.set_attribute(k, v);
            }
            with(e, children.iter().map(|c| mathml(doc, c)).collect::<Vec<_>>())
        }
    }
}
