//! sitemap.xml and robots.txt.

use crate::links::with_base;

pub struct SitemapEntry {
    /// Per locale (`en`, `ur`), page URL without base.
    pub alternates: Vec<(String, String)>,
    pub url: String,
}

pub fn absolute(site_url: &str, base: &str, url: &str) -> String {
    format!("{site_url}{}", with_base(base, url))
}

pub fn sitemap(entries: &[SitemapEntry], site_url: &str, base: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for e in entries {
        xml.push_str(&format!("<url><loc>{}</loc>", crate::layout::escape_html(&absolute(site_url, base, &e.url))));
        for (lang, url) in &e.alternates {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>",
                crate::layout::escape_html(&absolute(site_url, base, url))
            ));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(site_url: &str, base: &str) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {}\n", absolute(site_url, base, "/sitemap.xml"))
}
