//! Pagefind's own indexer over the same pages: the reference our index writer is checked against (by the tests
//! here and in `site/tests/search_index.rs`). It is not used by the build.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{Bundle, Page, SearchError, bundle_path, page_html};
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
