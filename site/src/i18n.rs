//! UI strings from `locales/<locale>/site.ftl` via Fluent.

use crate::error::{Result, SiteError};
use fluent_bundle::{FluentBundle, FluentResource};
use protocol::Locale;
use std::collections::BTreeMap;
use std::path::Path;

/// Every key the templates use. Resolving them all up front turns a missing translation into one
/// clear build error instead of a hole in some page.
pub const UI_KEYS: &[&str] = &[
    "site-title",
    "skip-to-content",
    "search-placeholder",
    "search-label",
    "search-no-results",
    "search-loading",
    "theme-toggle",
    "theme-dark",
    "theme-light",
    "locale-switch",
    "locale-name-en",
    "locale-name-ur",
    "sidebar-label",
    "breadcrumbs-label",
    "toc-title",
    "edit-page",
    "last-updated",
    "prev-page",
    "next-page",
    "untranslated-notice",
    "not-found-title",
    "not-found-body",
    "back-home",
    "footer-text",
    "admonition-note",
    "admonition-tip",
    "admonition-info",
    "admonition-warning",
    "admonition-danger",
    "menu-toggle",
    "figure-label",
    "references-title",
    "bibliography-cited-in",
    "breadcrumbs-home",
    "search-open",
    "copy-code",
    "copied",
];

/// Resolved strings for one locale, keyed by Fluent message id.
pub type Strings = BTreeMap<String, String>;

pub fn load_strings(locales_dir: &Path, locale: Locale, title_key: &str) -> Result<Strings> {
    let path = locales_dir.join(locale.as_str()).join("site.ftl");
    // A project without `locales/` (a Docusaurus tree read as it is) gets the built-in strings.
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !locales_dir.is_dir() => match locale {
            Locale::En => include_str!("../../locales/en/site.ftl").to_string(),
            Locale::Ur => include_str!("../../locales/ur/site.ftl").to_string(),
        },
        Err(e) => return Err(SiteError::io(&path, e)),
    };
    let resource = FluentResource::try_new(source).map_err(|(_, errs)| SiteError::Fluent {
        locale: locale.to_string(),
        message: format!("{}: {:?}", path.display(), errs),
    })?;
    let langid = locale
        .as_str()
        .parse::<unic_langid::LanguageIdentifier>()
        .map_err(|e| SiteError::Fluent { locale: locale.to_string(), message: e.to_string() })?;
    let mut bundle = FluentBundle::new(vec![langid]);
    // Bidi isolation marks would end up inside <title> and attributes; the templates set `dir` themselves.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errs| SiteError::Fluent { locale: locale.to_string(), message: format!("{errs:?}") })?;

    let mut out = Strings::new();
    let keys = UI_KEYS.iter().copied().chain(std::iter::once(title_key));
    for key in keys {
        let missing =
            || SiteError::MissingString { locale: locale.to_string(), key: key.to_string(), path: path.clone() };
        let msg = bundle.get_message(key).ok_or_else(missing)?;
        let pattern = msg.value().ok_or_else(missing)?;
        let mut errs = vec![];
        let value = bundle.format_pattern(pattern, None, &mut errs);
        if !errs.is_empty() {
            return Err(SiteError::Fluent { locale: locale.to_string(), message: format!("{key}: {errs:?}") });
        }
        out.insert(key.to_string(), value.into_owned());
    }
    Ok(out)
}
