//! Pagefind's own indexer over the same pages: the reference our index writer is checked against (by the tests
//! here and in `site/tests/search_index.rs`). It is not used by the build.

use std::collections::BTreeMap;
use std::io::Read;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{Bundle, ENTRY, Page, SearchError, bundle_path, page_html};
use crate::urls::SiteUrls;

/// The bundle Pagefind writes for `pages` when each is handed to it as [`page_html`] describes.
pub fn index_one<'a>(pages: impl Iterator<Item = &'a Page>, urls: &SiteUrls) -> Result<Bundle, SearchError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SearchError(format!("cannot start the indexing runtime: {e}")))?;
    rt.block_on(async {
        // Result URLs are used as given (page links under the base path); sub-results add the section anchor.
        let config = PagefindServiceConfig::builder().keep_index_url(true).build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| SearchError(e.to_string()))?;
        for page in pages {
            index
                .add_html_file(None, Some(urls.page_href(&page.url)), page_html(page))
                .await
                .map_err(|e| SearchError(format!("{}: {e}", page.url)))?;
        }
        let files = index.get_files().await.map_err(|e| SearchError(e.to_string()))?;
        let mut out = files
            .into_iter()
            .map(|f| bundle_path(&f.filename).map(|p| (p, f.contents)))
            .collect::<Result<Bundle, _>>()?;
        out.sort();
        Ok(out)
    })
}

/// Every file of a bundle as the runtime reads it, for comparing two bundles: index files decompressed and without
/// Pagefind's `pagefind_dcd` marker, the entry re-serialized (key order), the rest as they are.
pub fn readable(files: &Bundle) -> Result<BTreeMap<String, Vec<u8>>, SearchError> {
    files
        .iter()
        .map(|(name, bytes)| {
            let bytes = if [".pf_meta", ".pf_fragment", ".pf_index"].iter().any(|s| name.ends_with(s)) {
                let mut out = vec![];
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut out)
                    .map_err(|e| SearchError(format!("{name}: {e}")))?;
                out.strip_prefix(b"pagefind_dcd".as_slice())
                    .ok_or_else(|| SearchError(format!("{name}: no pagefind_dcd marker")))?
                    .to_vec()
            } else if name == ENTRY {
                let v: serde_json::Value =
                    serde_json::from_slice(bytes).map_err(|e| SearchError(format!("{name}: {e}")))?;
                v.to_string().into_bytes()
            } else {
                bytes.clone()
            };
            Ok((name.clone(), bytes))
        })
        .collect()
}
