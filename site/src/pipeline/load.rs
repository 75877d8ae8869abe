//! Step 1: everything a build reads, loaded once (config, strings, pages, templates, dates, references, terms).

use crate::config::{BuildOptions, SiteConfig};
use crate::content::{self, Site};
use crate::error::Result;
use crate::i18n::{self, Strings};
use crate::urls::SiteUrls;
use crate::{git, layout, markdown};
use protocol::Locale;
use std::collections::{BTreeMap, HashMap};

pub(crate) struct Loaded {
    pub cfg: SiteConfig,
    /// Every link and absolute URL of the output is made through this (base path and origin from `cfg`).
    pub urls: SiteUrls,
    pub site: Site,
    pub strings: BTreeMap<&'static str, Strings>,
    pub tera: tera::Tera,
    pub dates: HashMap<String, String>,
    pub bib: crate::cite::Bibliography,
    pub terms: Vec<crate::terms::Term>,
}

/// Loads everything; `cache`, when given, keeps the git dates, the loaded content files and the compiled templates
/// between calls (see `RenderCache`).
pub(crate) fn load(opts: &BuildOptions, cache: Option<&super::RenderCache>) -> Result<Loaded> {
    let dates = cache.map(|c| &c.dates);
    let cfg = opts.resolve_config()?;
    let docusaurus = crate::docusaurus::is_docusaurus(&opts.root, &cfg);
    let mut strings = BTreeMap::new();
    for l in Locale::ALL {
        let mut s = i18n::load_strings(&opts.locales_dir(), l, &cfg.title_key)?;
        if docusaurus {
            if let Some(title) = crate::docusaurus::config_title(&opts.root) {
                s.insert(cfg.title_key.clone(), title);
            }
            crate::docusaurus::apply_i18n(&opts.root, l, &cfg.title_key, &mut s);
        }
        strings.insert(l.as_str(), s);
    }
    let dirs = crate::docusaurus::locale_dirs(&opts.root, &opts.content_dir(), &cfg);
    let read_dates = || {
        if docusaurus {
            dirs.iter().flat_map(|(_, d)| git::last_updated(&opts.root, d)).collect()
        } else {
            git::last_updated(&opts.root, &opts.content_dir())
        }
    };
    // `git log` runs beside the reading of the pages: it is a process of its own and mostly waits.
    let (site, tera, dates) = std::thread::scope(|s| {
        let dates = s.spawn(|| match dates.and_then(|d| d.lock().ok()) {
            Some(mut kept) => kept.get_or_insert_with(read_dates).clone(),
            None => read_dates(),
        });
        let site = content::load_dirs_cached(&opts.root, &dirs, opts.include_drafts, cache.map(|c| &c.files));
        // Templates change only with a non-content edit, which clears the cache.
        let tera = match cache.and_then(|c| c.tera.lock().ok()) {
            Some(mut kept) => match kept.as_ref() {
                Some(t) => Ok(t.clone()),
                None => layout::load_templates(&opts.templates_dir()).map(|t| kept.insert(t).clone()),
            },
            None => layout::load_templates(&opts.templates_dir()),
        };
        // Without dates (a failed git) pages show none; the thread cannot fail otherwise.
        (site, tera, dates.join().unwrap_or_default())
    });
    let (site, tera) = (site?, tera?);
    let bib = crate::cite::load_from(opts)?;
    let terms = crate::terms::load_from(opts)?;
    let urls = SiteUrls::new(&cfg.site_url, &cfg.base_url);
    Ok(Loaded { cfg, urls, site, strings, tera, dates, bib, terms })
}

pub(crate) fn admonition_titles(s: &Strings) -> BTreeMap<String, String> {
    markdown::ADMONITION_KINDS
        .iter()
        .filter_map(|k| s.get(&format!("admonition-{k}")).map(|v| (k.to_string(), v.clone())))
        .collect()
}
