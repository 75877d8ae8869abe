//! Client-side search with Pagefind: every section of every page becomes one Pagefind record (URL with the
//! section anchor, page title and heading as metadata, plain text as content), fed from the same Markdown
//! parse as the pages and the RAG corpus. Pagefind writes a chunked, compressed index per language plus its
//! WebAssembly search runtime under `pagefind/`; the browser fetches only the chunks a query needs, so search
//! works offline on GitHub Pages and scales to the whole book. Urdu has no Pagefind stemmer; it is indexed as
//! whole words, which matches how readers type it.
//!
//! Only the indexing API is used (`default-features = false` drops Pagefind's own dev server). It is async, so
//! the build runs it on a small current-thread Tokio runtime.

use std::collections::BTreeMap;
use std::path::Component;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// One searchable section.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    /// Link target with base and anchor (`/rag-chatbot/kinematics/#frames`).
    pub url: String,
    /// Page title.
    pub title: String,
    /// Section heading (empty for the page intro).
    pub heading: String,
    /// Plain text of the section.
    pub text: String,
    /// `en` or `ur`.
    pub lang: String,
}

/// The `pagefind/` bundle: `(path under the output root, bytes)` per file.
pub type Bundle = Vec<(String, Vec<u8>)>;

#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(String);

/// Builds the index; returns `(path under the output root, bytes)` for every file of the `pagefind/` bundle.
pub fn index(records: &[Record]) -> Result<Bundle, SearchError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SearchError(format!("cannot start the indexing runtime: {e}")))?;
    rt.block_on(async {
        // Result URLs are used as given: they already carry the base path and the section anchor.
        let config = PagefindServiceConfig::builder().keep_index_url(true).build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| SearchError(e.to_string()))?;
        for r in records {
            let mut meta = BTreeMap::new();
            meta.insert("title".to_string(), r.title.clone());
            if !r.heading.is_empty() {
                meta.insert("heading".to_string(), r.heading.clone());
            }
            // Headings and titles are searchable too, not just shown.
            let content = format!("{} {}\n{}", r.title, r.heading, r.text);
            index
                .add_custom_record(r.url.clone(), content, r.lang.clone(), Some(meta), None, None)
                .await
                .map_err(|e| SearchError(format!("{}: {e}", r.url)))?;
        }
        let files = index.get_files().await.map_err(|e| SearchError(e.to_string()))?;
        files.into_iter().map(|f| bundle_path(&f.filename).map(|p| (p, f.contents))).collect::<Result<Vec<_>, _>>()
    })
}

/// Pagefind names its files relative to the bundle directory (`fragment/en_1a.pf_fragment`) or, depending on its
/// options, under it (`<cwd>/pagefind/...`). Either way the result is the path below the output root.
/// The bundle's own sub-directories (fragment, index, filter) never use the name `pagefind`.
fn bundle_path(path: &std::path::Path) -> Result<String, SearchError> {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        return Err(SearchError(format!("unexpected bundle file {}", path.display())));
    }
    let inner = match parts[..parts.len() - 1].iter().rposition(|p| p == "pagefind") {
        Some(root) => &parts[root + 1..],
        None if path.is_relative() => &parts[..],
        None => return Err(SearchError(format!("unexpected bundle file {}", path.display()))),
    };
    Ok(format!("pagefind/{}", inner.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(url: &str, lang: &str, heading: &str, text: &str) -> Record {
        Record {
            url: url.into(),
            title: "Kinematics".into(),
            heading: heading.into(),
            text: text.into(),
            lang: lang.into(),
        }
    }

    #[test]
    fn bundle_paths_are_relative_to_the_output_root() {
        let p = std::path::Path::new("/work/x/pagefind/fragment/en_1a2b.pf_fragment");
        assert_eq!(bundle_path(p).unwrap(), "pagefind/fragment/en_1a2b.pf_fragment");
        assert_eq!(bundle_path(std::path::Path::new("pagefind/pagefind.js")).unwrap(), "pagefind/pagefind.js");
        assert_eq!(
            bundle_path(std::path::Path::new("fragment/en_1.pf_fragment")).unwrap(),
            "pagefind/fragment/en_1.pf_fragment"
        );
        assert!(bundle_path(std::path::Path::new("/tmp/other.js")).is_err());
    }

    #[test]
    fn both_languages_get_an_index_and_the_runtime_is_included() {
        let files = index(&[
            rec("/kinematics/#forward-kinematics", "en", "Forward kinematics", "Joint angles give the hand pose."),
            rec("/ur/kinematics/#forward-kinematics", "ur", "فارورڈ کائنیمیٹکس", "جوڑوں کے زاویوں سے ہاتھ کا پوز"),
        ])
        .unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for must in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"] {
            assert!(names.contains(&must), "{must} missing from {names:?}");
        }
        let entry: serde_json::Value =
            serde_json::from_slice(&files.iter().find(|(n, _)| n == "pagefind/pagefind-entry.json").unwrap().1)
                .unwrap();
        assert!(entry["languages"]["en"]["page_count"].as_u64() == Some(1), "{entry}");
        assert!(entry["languages"]["ur"]["page_count"].as_u64() == Some(1), "{entry}");
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")), "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("pagefind/")), "{names:?}");
    }
}
