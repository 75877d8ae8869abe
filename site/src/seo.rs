//! sitemap.xml and robots.txt.

use crate::urls::SiteUrls;

pub struct SitemapEntry {
    /// Per locale (`en`, `ur`), page URL without base.
    pub alternates: Vec<(String, String)>,
    pub url: String,
}

pub fn sitemap(entries: &[SitemapEntry], urls: &SiteUrls) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for e in entries {
        xml.push_str(&format!("<url><loc>{}</loc>", crate::html::escape(&urls.absolute(&e.url))));
        for (lang, url) in &e.alternates {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>",
                crate::html::escape(&urls.absolute(url))
            ));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(urls: &SiteUrls) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {}\n", urls.absolute("/sitemap.xml"))
}
