//! Pagefind's browser runtime (its JavaScript, UI files and WebAssembly search engine, one engine per stemming
//! language) and the format version the index files must name. Both come from the Pagefind crate itself: it is
//! asked to index one tiny page per language once per process, and everything it writes except that page's
//! index is kept. So the runtime always matches the crate version the index is written for.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use pagefind::api::PagefindIndex;

use super::SearchError;

/// The runtime files (names inside the bundle) and what `pagefind-entry.json` needs per language.
#[derive(Debug)]
pub struct Runtime {
    pub version: String,
    pub files: Vec<(String, Vec<u8>)>,
    /// The language's stemming engine (`wasm.<lang>.pagefind`), when Pagefind has one.
    pub wasm: BTreeMap<String, Option<String>>,
}

/// Index files of the tiny page, not part of the runtime.
fn is_index_file(name: &str) -> bool {
    [".pf_meta", ".pf_fragment", ".pf_index", ".pf_filter"].iter().any(|s| name.ends_with(s))
        || name == "pagefind-entry.json"
}

/// The runtime for pages in `langs` (computed once per set of languages and process: a caller that asks while
/// another is computing it waits for that one, as a build asks while [`prefetch`] is at work).
pub fn runtime(langs: &[&str]) -> Result<Arc<Runtime>, SearchError> {
    type Cell = Arc<OnceLock<Result<Arc<Runtime>, String>>>;
    static CACHE: OnceLock<Mutex<HashMap<Vec<String>, Cell>>> = OnceLock::new();
    let key: Vec<String> = langs.iter().map(|l| l.to_string()).collect();
    let cache = CACHE.get_or_init(Default::default);
    let cell = match cache.lock() {
        Ok(mut c) => c.entry(key.clone()).or_default().clone(),
        Err(_) => return load(langs).map(Arc::new),
    };
    let result = cell.get_or_init(|| load(langs).map(Arc::new).map_err(|e| e.0)).clone();
    if result.is_err() {
        // A failure is not kept: the next build (`site serve`) tries again.
        if let Ok(mut c) = cache.lock() {
            c.remove(&key);
        }
    }
    result.map_err(SearchError)
}

/// Starts computing the runtime of each of `langs` (alone, as a build indexes each language on its own) on a
/// thread of its own, so a build has it ready by the time its pages are rendered: about 10 ms of a cold build
/// that was otherwise spent before indexing could start.
pub fn prefetch(langs: &[&str]) {
    let langs: Vec<String> = langs.iter().map(|l| l.to_string()).collect();
    std::thread::spawn(move || {
        for lang in langs {
            // An error is found again, and reported, when the build asks for this runtime.
            let _ = runtime(&[lang.as_str()]);
        }
    });
}

fn load(langs: &[&str]) -> Result<Runtime, SearchError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SearchError(format!("cannot start the indexing runtime: {e}")))?;
    let files = rt.block_on(async {
        let mut index = PagefindIndex::new(None).map_err(|e| SearchError(e.to_string()))?;
        for lang in langs {
            let html = format!("<html lang=\"{}\"><body><p>runtime</p></body></html>", crate::html::escape(lang));
            index
                .add_html_file(None, Some(format!("/{lang}/")), html)
                .await
                .map_err(|e| SearchError(format!("Pagefind runtime for {lang}: {e}")))?;
        }
        index.get_files().await.map_err(|e| SearchError(e.to_string()))
    })?;
    let mut entry: Option<serde_json::Value> = None;
    let mut runtime = vec![];
    for f in files {
        let name = f.filename.to_string_lossy().replace('\\', "/");
        if name == "pagefind-entry.json" {
            entry = serde_json::from_slice(&f.contents).ok();
        } else if !is_index_file(&name) {
            runtime.push((name, f.contents));
        }
    }
    let entry = entry.ok_or_else(|| SearchError("Pagefind wrote no pagefind-entry.json".into()))?;
    let version = entry["version"].as_str().unwrap_or_default().to_string();
    let wasm =
        langs.iter().map(|l| (l.to_string(), entry["languages"][*l]["wasm"].as_str().map(str::to_string))).collect();
    runtime.sort();
    Ok(Runtime { version, files: runtime, wasm })
}
