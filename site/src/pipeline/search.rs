//! Step 4 (beside layout, on its own thread): the Pagefind bundle from the pages' section texts.

use super::RenderCache;
use super::load::Loaded;
use crate::error::Result;
use crate::hashing::Hasher;
use crate::markdown::Rendered;
use crate::search;
use crate::urls::SiteUrls;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

/// What one language's bundle is made from: the pages (url, title, sections), the base path, and the builder
/// itself (a cached bundle from another build of the builder may differ, so the executable's size and time are in).
fn language_key(lang: &str, pages: &[&search::Page], urls: &SiteUrls) -> String {
    let mut h = Hasher::new();
    h.part("search").part(env!("CARGO_PKG_VERSION")).part(builder_fingerprint()).part(lang).part(urls.base());
    h.end_group();
    for p in pages {
        h.part(&p.url).part(&p.title).part(&p.lang);
        for s in &p.sections {
            h.part(&s.anchor).part(&s.heading).part(&s.text);
        }
        h.end_group();
    }
    h.hex()
}

pub(super) fn builder_fingerprint() -> &'static str {
    static PRINT: OnceLock<String> = OnceLock::new();
    PRINT.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        let modified = meta.as_ref().ok().and_then(|m| m.modified().ok());
        let nanos = modified.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_nanos());
        format!("{}:{}", meta.map(|m| m.len()).unwrap_or(0), nanos.unwrap_or(0))
    })
}

/// The `pagefind/` files for `pages`, linked under the base path of `urls`. Each language is indexed on its own and
/// its bundle kept under a key of everything it is made from: in `cache` (`site serve`), and in `disk` (a folder
/// beside the output that `site build` keeps between runs). A language whose pages did not change is not indexed
/// again: an edit to one English page re-indexes English only, and a rebuild of an unchanged book none.
pub fn search_bundle(
    pages: &[search::Page],
    urls: &SiteUrls,
    cache: Option<&RenderCache>,
    disk: Option<&Path>,
) -> Result<search::Bundle> {
    let by_lang = search::by_language(pages);
    if by_lang.is_empty() {
        return Ok(search::index_one(pages.iter(), urls)?);
    }
    let mut bundles: BTreeMap<&str, search::Bundle> = BTreeMap::new();
    let mut missing: Vec<(&str, String, &[&search::Page])> = vec![];
    for (lang, lang_pages) in &by_lang {
        let key = language_key(lang, lang_pages, urls);
        let hit = cache
            .and_then(|c| c.search.lock().ok().and_then(|m| m.get(*lang).filter(|(k, _)| *k == key).cloned()))
            .map(|(_, b)| b)
            .or_else(|| disk.and_then(|d| read_cached(&cache_file(d, lang), &key)));
        match hit {
            Some(b) => {
                bundles.insert(lang, b);
            }
            None => missing.push((lang, key, lang_pages.as_slice())),
        }
    }
    let groups: Vec<&[&search::Page]> = missing.iter().map(|(_, _, p)| *p).collect();
    let built = search::index_each(&groups, urls, cache.map(|c| &c.search_pages))?;
    for ((lang, key, _), bundle) in missing.into_iter().zip(built) {
        if let Some(d) = disk {
            // A cache that cannot be written only costs the next build its indexing time.
            let _ = write_cached(d, &cache_file(d, lang), &key, &bundle);
        }
        if let Some(mut m) = cache.and_then(|c| c.search.lock().ok()) {
            m.insert(lang.to_string(), (key, bundle.clone()));
        }
        bundles.insert(lang, bundle);
    }
    let mut all: Vec<search::Bundle> = bundles.into_values().collect();
    if all.len() == 1 {
        return Ok(all.pop().unwrap_or_default());
    }
    Ok(search::merge(all)?)
}

fn cache_file(dir: &Path, lang: &str) -> PathBuf {
    let safe: String = lang.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    dir.join(format!("search-{safe}.bin"))
}

const MAGIC: &[u8] = b"site search cache 1\n";

/// The bundle stored in `path` when it was stored under `key`. Layout: magic, key, `\n`, then per file a u32 path
/// length, the path, a u64 size and the bytes (little endian). Anything unexpected is a miss.
fn read_cached(path: &Path, key: &str) -> Option<search::Bundle> {
    let data = std::fs::read(path).ok()?;
    let rest = data.strip_prefix(MAGIC)?.strip_prefix(key.as_bytes())?.strip_prefix(b"\n")?;
    let mut at: usize = 0;
    let mut take = |n: usize| {
        let s = rest.get(at..at.checked_add(n)?)?;
        at += n;
        Some(s)
    };
    let mut bundle = vec![];
    while let Some(len) = take(4) {
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let name = String::from_utf8(take(len)?.to_vec()).ok()?;
        let size = usize::try_from(u64::from_le_bytes(take(8)?.try_into().ok()?)).ok()?;
        bundle.push((name, take(size)?.to_vec()));
    }
    Some(bundle)
}

fn write_cached(dir: &Path, path: &Path, key: &str, bundle: &search::Bundle) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut data = Vec::with_capacity(bundle.iter().map(|(n, b)| n.len() + b.len() + 12).sum::<usize>() + 100);
    data.extend_from_slice(MAGIC);
    data.extend_from_slice(key.as_bytes());
    data.push(b'\n');
    for (name, bytes) in bundle {
        let len = u32::try_from(name.len()).map_err(std::io::Error::other)?;
        data.extend_from_slice(&len.to_le_bytes());
        data.extend_from_slice(name.as_bytes());
        data.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        data.extend_from_slice(bytes);
    }
    // Written aside and renamed, so a build stopped half way never leaves a truncated entry under the name.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, &data)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_bundle_reads_back_only_under_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = cache_file(dir.path(), "en");
        let bundle = vec![("pagefind/a.js".to_string(), b"js".to_vec()), ("pagefind/e.json".into(), vec![])];
        write_cached(dir.path(), &file, "k1", &bundle).unwrap();
        assert_eq!(read_cached(&file, "k1"), Some(bundle));
        assert_eq!(read_cached(&file, "k2"), None);
        // A truncated file is a miss, not a partial bundle.
        let data = std::fs::read(&file).unwrap();
        std::fs::write(&file, &data[..data.len() - 1]).unwrap();
        assert_eq!(read_cached(&file, "k1"), None);
    }
}
