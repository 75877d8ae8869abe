//! Step 4 (beside layout, on its own thread): the Pagefind bundle from the pages' section texts.

use super::RenderCache;
use super::load::Loaded;
use crate::error::Result;
use crate::hashing::Hasher;
use crate::markdown::Rendered;
use crate::search;
use crate::urls::SiteUrls;

/// One search page, with its sections, for every page written in its own language.
pub(super) fn search_pages(loaded: &Loaded, rendered: &[Rendered]) -> Vec<search::Page> {
    // An untranslated Urdu URL repeats the English text; indexing it would double every English hit.
    loaded
        .site
        .pages
        .iter()
        .zip(rendered)
        .filter(|(p, _)| !p.fallback && !loaded.site.sources[p.source].fm.unlisted)
        .map(|(p, r)| search::Page {
            url: p.url.clone(),
            title: loaded.site.sources[p.source].fm.title.clone(),
            lang: p.locale.as_str().to_string(),
            sections: r
                .sections
                .iter()
                .map(|s| search::Section {
                    anchor: s.anchor.clone(),
                    heading: s.heading_path.last().cloned().unwrap_or_default(),
                    text: s.text.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The `pagefind/` files for `pages`, linked under the base path of `urls` (reused from `cache` when neither
/// changed).
pub fn search_bundle(pages: &[search::Page], urls: &SiteUrls, cache: Option<&RenderCache>) -> Result<search::Bundle> {
    let key = {
        let mut h = Hasher::new();
        h.part(urls.base()).end_group();
        for p in pages {
            h.part(&p.url).part(&p.title).part(&p.lang);
            for s in &p.sections {
                h.part(&s.anchor).part(&s.heading).part(&s.text);
            }
            h.end_group();
        }
        h.hex()
    };
    if let Some(hit) =
        cache.and_then(|c| c.search.lock().ok()).and_then(|g| g.as_ref().filter(|(k, _)| *k == key).cloned())
    {
        return Ok(hit.1);
    }
    let built = search::index(pages, urls)?;
    if let Some(mut slot) = cache.and_then(|c| c.search.lock().ok()) {
        *slot = Some((key, built.clone()));
    }
    Ok(built)
}
