//! A language's Pagefind index files from its pages' words ([`super::words`]): the metadata file, the word index
//! in chunks, and one fragment per page, in the format the Pagefind runtime in the browser reads (CBOR for
//! metadata and words, JSON for fragments, each gzipped after Pagefind's `pagefind_dcd` marker, named by a
//! SHA-1 of its content). The runtime itself comes from the Pagefind crate ([`super::runtime`]).
//!
//! Why not Pagefind's own indexer: it reads each page behind one lock on one thread and compresses at the
//! slowest level, which made search the longest step of a build (bench/REPORT.md §1). Here pages are read in
//! parallel and files are compressed by libdeflate ([`gzip`]); `search::tests` checks that the decompressed files
//! and their names are the ones Pagefind writes.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use libdeflater::{CompressionLvl, Compressor};
use rayon::prelude::*;
use sha1::{Digest, Sha1};
use std::cell::RefCell;

use super::words::{Anchor, Loc, PageWords, by_spelling};

/// Words per index chunk, counted as Pagefind counts them (one per location and per page entry).
const CHUNK_SIZE: usize = 20_000;
/// Every compressed file starts with this, so the runtime can tell a decompressed file from a compressed one.
const MARKER: &[u8] = b"pagefind_dcd";

#[derive(minicbor::Encode)]
struct MetaIndex {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage>,
    #[n(2)]
    index_chunks: Vec<MetaChunk>,
    #[n(3)]
    filters: Vec<String>,
    #[n(4)]
    sorts: Vec<String>,
    #[n(5)]
    meta_fields: Vec<String>,
}

#[derive(minicbor::Encode)]
struct MetaPage {
    #[n(0)]
    hash: String,
    #[n(1)]
    word_count: u32,
    #[n(2)]
    group_hash: String,
}

#[derive(minicbor::Encode)]
struct MetaChunk {
    #[n(0)]
    from: String,
    #[n(1)]
    to: String,
    #[n(2)]
    hash: String,
}

#[derive(minicbor::Encode)]
struct WordIndex {
    #[n(0)]
    words: Vec<PackedWord>,
}

#[derive(minicbor::Encode, Clone)]
struct PackedWord {
    #[n(0)]
    word: String,
    #[n(1)]
    pages: Vec<PackedPage>,
    #[n(2)]
    variants: Vec<PackedVariant>,
}

#[derive(minicbor::Encode, Clone)]
struct PackedVariant {
    #[n(0)]
    form: String,
    #[n(1)]
    pages: Vec<PackedPage>,
}

#[derive(minicbor::Encode, Clone)]
struct PackedPage {
    #[n(0)]
    page: usize,
    #[n(1)]
    locs: Vec<i32>,
    #[n(2)]
    meta_locs: Vec<i32>,
}

#[derive(serde::Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: BTreeMap<String, Vec<String>>,
    meta: BTreeMap<&'static str, &'a str>,
    anchors: &'a [Anchor],
}

/// A language's index: `(file name inside the bundle, bytes)` and the metadata hash `pagefind-entry.json` names.
pub struct LanguageIndex {
    pub files: Vec<(String, Vec<u8>)>,
    pub meta_hash: String,
    pub page_count: usize,
}

/// SHA-1 in hex as Pagefind writes it: each byte without a leading zero.
fn full_hash(bytes: &[u8]) -> String {
    Sha1::digest(bytes).iter().map(|b| format!("{b:x}")).collect()
}

/// The file gzipped after Pagefind's marker. libdeflate at its level 6: on the textbook's index it took 28 ms
/// where zlib at level 6 took 43, and wrote 1.4 % fewer bytes (as few as zlib at level 9, which took 82 ms).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    thread_local! {
        static GZIP: RefCell<Compressor> = RefCell::new(Compressor::new(CompressionLvl::default()));
    }
    let mut input = Vec::with_capacity(MARKER.len() + bytes.len());
    input.extend_from_slice(MARKER);
    input.extend_from_slice(bytes);
    GZIP.with_borrow_mut(|gz| {
        let mut out = vec![0; gz.gzip_compress_bound(input.len())];
        // The buffer is as large as libdeflate says any input of this size needs, so this cannot fail.
        let n = gz.gzip_compress(&input, &mut out).unwrap_or(0);
        out.truncate(n);
        out
    })
}

/// The shortest unused prefix of `hash`, at least `min` characters long.
fn short_name<V>(hash: &str, min: usize, taken: &HashMap<String, V>) -> String {
    let mut n = min.min(hash.len());
    while taken.contains_key(&hash[..n]) && n < hash.len() {
        n += 1;
    }
    hash[..n].to_string()
}

/// The weight the packed positions start from. Pagefind's indexer assumes 25 for plain text while it weighs
/// plain text 24, so every list opens with a weight change; the runtime reads either, and the same bytes keep
/// the file names equal to Pagefind's.
const START_WEIGHT: u8 = 25;

/// Positions of a form on a page, as the runtime decodes them: grouped by weight (the start weight first), a
/// weight change written as `-(weight + 1)` followed by the absolute position, otherwise each position as the
/// distance from the one before.
fn pack_locs(mut locs: Vec<Loc>) -> Vec<i32> {
    locs.sort_by_key(|l| (if l.weight == START_WEIGHT { 0 } else { l.weight }, l.position));
    let mut out = Vec::with_capacity(locs.len() + 2);
    let (mut weight, mut last) = (START_WEIGHT, 0u32);
    for l in locs {
        if l.weight != weight {
            out.push(-i32::from(l.weight) - 1);
            out.push(l.position as i32);
            weight = l.weight;
        } else {
            out.push((l.position - last) as i32);
        }
        last = l.position;
    }
    out
}

/// Title word positions: the field (the title is field 0, the only one) and each position from the previous.
fn pack_title(mut positions: Vec<u32>) -> Vec<i32> {
    if positions.is_empty() {
        return vec![];
    }
    positions.sort_unstable();
    let mut out = vec![-1];
    let mut last = 0;
    for p in positions {
        out.push((p - last) as i32);
        last = p;
    }
    out
}

/// The word's entry, made empty when it has none yet.
fn entry<'m>(map: &'m mut HashMap<String, PackedWord>, form: &str) -> &'m mut PackedWord {
    map.entry(form.to_string()).or_insert_with(|| PackedWord {
        word: form.to_string(),
        pages: vec![],
        variants: vec![],
    })
}

/// One page's entries of the word index.
fn page_entries(page: usize, words: &PageWords) -> HashMap<String, PackedWord> {
    let mut map: HashMap<String, PackedWord> = HashMap::with_capacity_and_hasher(words.words.len(), Default::default());
    for (form, locs) in &words.words {
        let (plain, marked) = by_spelling(locs, &words.spellings);
        let w = entry(&mut map, form);
        if !plain.is_empty() {
            w.pages.push(PackedPage { page, locs: pack_locs(plain), meta_locs: vec![] });
        }
        for (spelling, locs) in marked {
            w.variants.push(PackedVariant {
                form: spelling,
                pages: vec![PackedPage { page, locs: pack_locs(locs), meta_locs: vec![] }],
            });
        }
    }
    let mut title: BTreeMap<(&str, Option<&str>), Vec<u32>> = BTreeMap::new();
    for (form, pos, original) in &words.title_words {
        title.entry((form.as_str(), original.as_deref())).or_default().push(*pos);
    }
    for ((form, original), positions) in title {
        let w = entry(&mut map, form);
        let meta_locs = pack_title(positions);
        let pages = match original {
            None => &mut w.pages,
            Some(spelling) => match w.variants.iter().position(|v| v.form == spelling) {
                Some(i) => &mut w.variants[i].pages,
                None => {
                    w.variants.push(PackedVariant { form: spelling.to_string(), pages: vec![] });
                    &mut w.variants.last_mut().expect("just pushed").pages
                }
            },
        };
        match pages.iter_mut().find(|p| p.page == page) {
            Some(p) => p.meta_locs = meta_locs,
            None => pages.push(PackedPage { page, locs: vec![], meta_locs }),
        }
    }
    map
}

/// The index files of one language's pages (`(url, words)`, in page order), `version` being the runtime's.
/// The pages are let go of once their fragments and word entries are made: a language's words were the largest
/// part of a cold build's peak memory.
pub fn build(lang: &str, pages: Vec<(String, Arc<PageWords>)>, version: &str) -> LanguageIndex {
    let fragments: Vec<String> = pages
        .par_iter()
        .map(|(url, w)| {
            let f = Fragment {
                url,
                content: &w.content,
                word_count: w.word_count,
                filters: BTreeMap::new(),
                meta: BTreeMap::from([("title", w.title.as_str())]),
                anchors: &w.anchors,
            };
            serde_json::to_string(&f).unwrap_or_default()
        })
        .collect();
    let entries: Vec<HashMap<String, PackedWord>> =
        pages.par_iter().enumerate().map(|(i, (_, w))| page_entries(i, w)).collect();

    let mut names: HashMap<String, usize> = HashMap::default();
    let (page_count, word_counts): (usize, Vec<usize>) =
        (pages.len(), pages.iter().map(|(_, w)| w.word_count).collect());
    drop(pages);
    let mut meta_pages = Vec::with_capacity(page_count);
    for (i, json) in fragments.iter().enumerate() {
        let hash = format!("{lang}_{}", full_hash(json.as_bytes()));
        let name = short_name(&hash, lang.len() + 8, &names);
        names.insert(name.clone(), i);
        meta_pages.push(MetaPage { hash: name, word_count: word_counts[i] as u32, group_hash: String::new() });
    }

    let mut all: HashMap<String, PackedWord> = HashMap::default();
    for page in entries {
        for (form, w) in page {
            match all.get_mut(&form) {
                None => {
                    all.insert(form, w);
                }
                Some(have) => {
                    have.pages.extend(w.pages);
                    for v in w.variants {
                        match have.variants.iter_mut().find(|h| h.form == v.form) {
                            Some(h) => h.pages.extend(v.pages),
                            None => have.variants.push(v),
                        }
                    }
                }
            }
        }
    }
    let mut words: Vec<PackedWord> = all.into_values().collect();
    words.sort_by(|a, b| a.word.cmp(&b.word));
    let chunks = chunk(words);
    let ranges = chunk_ranges(&chunks);
    let encoded: Vec<(Vec<u8>, String)> = chunks
        .into_par_iter()
        .map(|c| {
            let bytes =
                minicbor::to_vec(WordIndex { words: c.into_iter().map(delta_pages).collect() }).unwrap_or_default();
            let hash = format!("{lang}_{}", full_hash(&bytes));
            (bytes, hash)
        })
        .collect();
    let mut index_names: HashMap<String, usize> = HashMap::default();
    let mut index_chunks = Vec::with_capacity(encoded.len());
    let mut index_files = Vec::with_capacity(encoded.len());
    for (i, ((bytes, hash), (from, to))) in encoded.into_iter().zip(ranges).enumerate() {
        let name = short_name(&hash, lang.len() + 8, &index_names);
        index_names.insert(name.clone(), i);
        index_chunks.push(MetaChunk { from, to, hash: name.clone() });
        index_files.push((format!("index/{name}.pf_index"), bytes));
    }

    let meta = MetaIndex {
        version: version.to_string(),
        pages: meta_pages,
        index_chunks,
        filters: vec![],
        sorts: vec![],
        meta_fields: vec!["title".to_string()],
    };
    let meta_bytes = minicbor::to_vec(&meta).unwrap_or_default();
    let meta_hash = format!("{lang}_{}", &full_hash(&meta_bytes)[..lang.len() + 8]);

    let mut raw: Vec<(String, &[u8])> = Vec::with_capacity(page_count + index_files.len() + 1);
    raw.push((format!("pagefind.{meta_hash}.pf_meta"), &meta_bytes));
    for (page, json) in meta.pages.iter().zip(&fragments) {
        raw.push((format!("fragment/{}.pf_fragment", page.hash), json.as_bytes()));
    }
    for (name, bytes) in &index_files {
        raw.push((name.clone(), bytes));
    }
    let files = raw.into_par_iter().map(|(name, bytes)| (name, gzip(bytes))).collect();
    LanguageIndex { files, meta_hash, page_count }
}

/// Page numbers within a word's list as distances from the previous page (they compress to small numbers).
fn delta_pages(mut w: PackedWord) -> PackedWord {
    let delta = |pages: &mut Vec<PackedPage>| {
        pages.sort_by_key(|p| p.page);
        let mut last = 0;
        for p in pages.iter_mut() {
            let n = p.page;
            p.page = n - last;
            last = n;
        }
    };
    delta(&mut w.pages);
    for v in &mut w.variants {
        delta(&mut v.pages);
    }
    w
}

/// Sorted words cut into chunks of about [`CHUNK_SIZE`] entries; the runtime loads only the chunks a query needs.
fn chunk(words: Vec<PackedWord>) -> Vec<Vec<PackedWord>> {
    let mut chunks = vec![];
    let mut current = vec![];
    let mut size = 0;
    for w in words {
        let pages = w.pages.iter().chain(w.variants.iter().flat_map(|v| &v.pages));
        size += pages.map(|p| p.locs.len() + p.meta_locs.len() + 1).sum::<usize>() + w.variants.len();
        current.push(w);
        if size >= CHUNK_SIZE {
            chunks.push(std::mem::take(&mut current));
            size = 0;
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The first and last word of each chunk, shortened to the prefixes that still tell neighbouring chunks apart.
fn chunk_ranges(chunks: &[Vec<PackedWord>]) -> Vec<(String, String)> {
    let mut ranges: Vec<(String, String)> = chunks
        .iter()
        .map(|c| {
            let word = |w: Option<&PackedWord>| w.map(|w| w.word.clone()).unwrap_or_default();
            (word(c.first()), word(c.last()))
        })
        .collect();
    for i in 1..ranges.len() {
        let (to, from) = (&ranges[i - 1].1, &ranges[i].0);
        let common = from.chars().zip(to.chars()).take_while(|(a, b)| a == b).count();
        let to_prefix: String = to.chars().take(common + 1).collect();
        let from_prefix: String = from.chars().take(common + 1).collect();
        if to_prefix >= ranges[i - 1].0 {
            ranges[i - 1].1 = to_prefix;
        }
        ranges[i].0 = from_prefix;
    }
    ranges
}

/// Languages named in `pagefind-entry.json`: `(language, metadata hash, stemming runtime, page count)`.
pub fn entry_json(version: &str, langs: &[(String, String, Option<String>, usize)]) -> Vec<u8> {
    let languages: BTreeMap<&str, serde_json::Value> = langs
        .iter()
        .map(|(l, hash, wasm, n)| (l.as_str(), serde_json::json!({"hash": hash, "wasm": wasm, "page_count": n})))
        .collect();
    let entry = serde_json::json!({
        "version": version,
        "languages": languages,
        "include_characters": super::words::WORD_SYMBOLS,
    });
    serde_json::to_vec(&entry).unwrap_or_default()
}
