//! Step 2: every page's Markdown to HTML (in parallel, reusing `site serve`'s cache), and the parity report that
//! compares the rendered heading ids of both locales.

use super::load::{Loaded, admonition_titles};
use super::renders::DiskRenders;
use super::{Parity, RenderCache};
use crate::config::BuildOptions;
use crate::content::Site;
use crate::hashing::hash_parts;
use crate::markdown::{self, RenderInput, Rendered};
use protocol::Locale;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Renders every page, reusing `cache` (`site serve`, in memory) and `disk` (`site build`'s folder beside the
/// output, see [`DiskRenders`]) where a page's inputs are unchanged. Returns the renders, how many were fresh, and
/// the disk renders to [`DiskRenders::finish`] (the caller writes them beside the next steps, not before them).
pub(super) fn render_pages(
    opts: &BuildOptions,
    l: &Loaded,
    cache: Option<&RenderCache>,
    disk: Option<&Path>,
) -> (Vec<Rendered>, usize, Option<DiskRenders>) {
    let maps: BTreeMap<&str, BTreeMap<String, String>> =
        Locale::ALL.iter().map(|loc| (loc.as_str(), l.site.url_map(*loc))).collect();
    let map_prints: BTreeMap<&str, String> = maps
        .iter()
        .map(|(loc, m)| {
            let flat: Vec<&str> = m.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]).collect();
            (*loc, hash_parts(&flat))
        })
        .collect();
    let static_dir = opts.static_dir();
    let disk = disk.map(|d| DiskRenders::open(d, l, &static_dir));
    let empty = BTreeMap::new();
    let fresh = AtomicUsize::new(0);
    let mut out: Vec<(usize, Rendered)> = render_order(&l.site)
        .into_par_iter()
        .map(|i| {
            let p = &l.site.pages[i];
            let src = &l.site.sources[p.source];
            let loc = p.locale.as_str();
            let key = hash_parts(&[
                loc,
                src.locale.as_str(),
                &p.key,
                &p.url,
                l.urls.base(),
                &src.text,
                map_prints.get(loc).map_or("", String::as_str),
                &l.bib.fingerprint,
            ]);
            if let Some(hit) = cache.and_then(|c| c.entries.lock().ok().and_then(|e| e.get(&key).cloned())) {
                return (i, hit);
            }
            let disk_key = disk.as_ref().map(|d| d.key(&key, &src.repo_path));
            if let Some(hit) = disk.as_ref().zip(disk_key.as_deref()).and_then(|(d, k)| d.get(k)) {
                return (i, hit);
            }
            fresh.fetch_add(1, Ordering::Relaxed);
            let titles = l.strings.get(src.locale.as_str()).map(admonition_titles).unwrap_or_default();
            let input = RenderInput {
                file: Path::new(&src.repo_path),
                source: &src.text,
                body_offset: src.body_offset,
                page_key: &p.key,
                page_url: &p.url,
                urls: &l.urls,
                pages: maps.get(loc).unwrap_or(&empty),
                static_dir: &static_dir,
                admonition_titles: &titles,
            };
            let r = markdown::render_with(&input, &crate::cite::page_context(l.strings.get(loc), &l.bib, &p.key));
            // Only clean renders are cached: an error may depend on files outside the page (a missing image).
            if r.errors.is_empty() {
                if let Some((d, k)) = disk.as_ref().zip(disk_key.as_deref()) {
                    d.put(k, &r);
                }
                if let Some(mut e) = cache.and_then(|c| c.entries.lock().ok()) {
                    e.insert(key, r.clone());
                }
            }
            (i, r)
        })
        .collect();
    out.sort_unstable_by_key(|(i, _)| *i);
    (out.into_iter().map(|(_, r)| r).collect(), fresh.into_inner(), disk)
}

/// The order pages are handed to the render threads in: the first locale's pages front to back, every further
/// locale's back to front. Rayon gives the first half of the list to one thread and the other half to another;
/// in page order both would meet the same chapter's code blocks at the same moment (a translation repeats them),
/// and one would wait for the other's highlighting. From opposite ends each block is met once, and reused.
fn render_order(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.pages.len()).collect();
    let first = site.pages.first().map(|p| p.locale);
    order.sort_by_key(|&i| {
        let p = &site.pages[i];
        let reversed = Some(p.locale) != first;
        (p.locale.as_str(), if reversed { usize::MAX - i } else { i })
    });
    order
}

pub(super) fn parity(site: &Site, rendered: &[Rendered]) -> Parity {
    let mut p =
        Parity { english_pages: site.pages.iter().filter(|pg| pg.locale == Locale::En).count(), ..Default::default() };
    let ids = |loc: Locale, key: &str| {
        site.position(loc, key).filter(|&i| !site.pages[i].fallback).map(|i| rendered[i].ids.clone())
    };
    for page in site.pages.iter().filter(|p| p.locale == Locale::Ur) {
        if page.fallback {
            p.untranslated.push(page.key.clone());
        } else if site.find(Locale::En, &page.key).is_none() {
            p.urdu_only.push(page.key.clone());
        } else if let (Some(en), Some(ur)) = (ids(Locale::En, &page.key), ids(Locale::Ur, &page.key)) {
            let mut only_en: Vec<String> = en.difference(&ur).cloned().collect();
            let mut only_ur: Vec<String> = ur.difference(&en).cloned().collect();
            if !only_en.is_empty() || !only_ur.is_empty() {
                only_en.sort();
                only_ur.sort();
                p.heading_mismatch.push((page.key.clone(), only_en, only_ur));
            } else {
                p.complete += 1;
            }
        }
    }
    p
}
