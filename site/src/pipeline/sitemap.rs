//! Step 6: `sitemap.xml` (with each page's language alternates), `robots.txt` and `.nojekyll`.

use super::load::Loaded;
use crate::assets::Files;
use crate::seo;
use protocol::Locale;

pub(super) fn write(loaded: &Loaded, files: &mut Files) {
    let site = &loaded.site;
    let entries: Vec<seo::SitemapEntry> = site
        .pages
        .iter()
        .filter(|p| !site.sources[p.source].fm.unlisted)
        .map(|p| seo::SitemapEntry {
            url: p.url.clone(),
            alternates: Locale::ALL
                .iter()
                .filter_map(|lc| site.find(*lc, &p.key).map(|a| (lc.as_str().to_string(), a.url.clone())))
                .collect(),
        })
        .collect();
    files.insert("sitemap.xml".into(), seo::sitemap(&entries, &loaded.urls).into_bytes());
    files.insert("robots.txt".into(), seo::robots(&loaded.urls).into_bytes());
    files.insert(".nojekyll".into(), vec![]);
}
