//! The site's URLs in one type, computed once per build from the config (as Zola's `Config::make_permalink`):
//! pages, search records and the corpus address everything by its root-relative URL (`/ur/kinematics/`), and only
//! the output adds the deployment's base path (`/rag-chatbot/`) or its origin.

/// The base path and origin of a deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrls {
    /// Path prefix the site is served under, with a trailing `/` (`/` or `/rag-chatbot/`).
    base: String,
    /// Origin without a trailing `/` (`https://example.org`); empty when unknown.
    site_url: String,
}

impl Default for SiteUrls {
    /// A site served from the root of an unknown origin.
    fn default() -> Self {
        SiteUrls::new("", "/")
    }
}

impl SiteUrls {
    /// `base` and `site_url` as the config normalised them (see `BuildOptions::resolve_config`).
    pub fn new(site_url: &str, base: &str) -> SiteUrls {
        SiteUrls { base: base.to_string(), site_url: site_url.to_string() }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// A page's link: its root-relative URL (`/kinematics/#frames`) under the base path.
    pub fn page_href(&self, url: &str) -> String {
        self.under_base(url)
    }

    /// A generated or static file's link (`css/site.css`, `/img/a.svg`) under the base path.
    pub fn asset_href(&self, path: &str) -> String {
        self.under_base(path)
    }

    /// A page's full address (canonical links, hreflang alternates, the sitemap).
    pub fn absolute(&self, url: &str) -> String {
        format!("{}{}", self.site_url, self.page_href(url))
    }

    /// The one place the base path is joined; a leading `/` of `root_path` is not doubled.
    fn under_base(&self, root_path: &str) -> String {
        format!("{}{}", self.base, root_path.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_and_origin_are_added_once() {
        let u = SiteUrls::new("https://example.org", "/rag-chatbot/");
        assert_eq!(u.page_href("/ur/kinematics/#frames"), "/rag-chatbot/ur/kinematics/#frames");
        assert_eq!(u.asset_href("css/site.css"), "/rag-chatbot/css/site.css");
        assert_eq!(u.asset_href("/img/a.svg"), "/rag-chatbot/img/a.svg");
        assert_eq!(u.absolute("/sitemap.xml"), "https://example.org/rag-chatbot/sitemap.xml");
        let root = SiteUrls::default();
        assert_eq!(root.page_href("/"), "/");
        assert_eq!(root.absolute("/a/"), "/a/");
    }
}
