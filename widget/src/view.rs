//! Turns the Markdown AST into Leptos views: elements and text nodes only, never inner HTML.

use leptos::prelude::*;
use widget::markdown::{Block, Inline, parse};

pub fn markdown(src: &str, site_base: &str) -> AnyView {
    parse(src, site_base).into_iter().map(block).collect_view().into_any()
}

fn block(b: Block) -> AnyView {
    match b {
        Block::Paragraph(spans) => view! { <p>{spans_view(spans)}</p> }.into_any(),
        Block::List { ordered: true, items } => {
            view! { <ol>{items.into_iter().map(|i| view! { <li>{spans_view(i)}</li> }).collect_view()}</ol> }.into_any()
        }
        Block::List { ordered: false, items } => {
            view! { <ul>{items.into_iter().map(|i| view! { <li>{spans_view(i)}</li> }).collect_view()}</ul> }.into_any()
        }
        // Code keeps left-to-right order even inside the Urdu panel.
        Block::Code(text) => view! { <pre dir="ltr"><code>{text}</code></pre> }.into_any(),
    }
}

fn spans_view(spans: Vec<Inline>) -> Vec<AnyView> {
    spans
        .into_iter()
        .map(|s| match s {
            Inline::Text(t) => t.into_any(),
            Inline::Emphasis(c) => view! { <em>{spans_view(c)}</em> }.into_any(),
            Inline::Strong(c) => view! { <strong>{spans_view(c)}</strong> }.into_any(),
            Inline::Code(t) => view! { <code dir="ltr">{t}</code> }.into_any(),
            Inline::Link { href, children } => view! { <a href=href>{spans_view(children)}</a> }.into_any(),
        })
        .collect()
}
