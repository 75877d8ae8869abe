//! `site.toml` plus command-line / environment overrides.

use crate::error::{Result, SiteError};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The contents of `site.toml`. Unknown keys are rejected so typos do not silently fall back to defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Fluent key holding the site title in each locale's `site.ftl`.
    pub title_key: String,
    /// Path prefix the site is served under, e.g. `/rag-chatbot/`.
    pub base_url: String,
    /// Scheme + host for canonical/sitemap URLs (`https://example.github.io`); empty = relative URLs.
    pub site_url: String,
    /// Repository URL; "edit this page" links go to `{repository}/edit/{branch}/{file}`.
    pub repository: String,
    pub branch: String,
    /// Chat API origin for the widget; empty = same origin.
    pub api_url: String,
    /// Public site key sent by the widget.
    pub site_key: String,
    /// `content` (`content/<locale>/`), `docusaurus` (`docs/` + `i18n/<locale>/docusaurus-plugin-content-docs/
    /// current/`) or `auto`: Docusaurus when there is no `content/` but a Docusaurus project (see docusaurus.rs).
    pub content_layout: String,
    /// The Docusaurus docs folder (the docs plugin's `path`), relative to the root.
    pub docs_dir: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title_key: "site-title".into(),
            base_url: "/".into(),
            site_url: String::new(),
            repository: String::new(),
            branch: "main".into(),
            api_url: String::new(),
            site_key: "pk_local_dev".into(),
            content_layout: "auto".into(),
            docs_dir: "docs".into(),
        }
    }
}

impl SiteConfig {
    /// Reads `site.toml`; a missing file means all defaults.
    pub fn load(path: &Path) -> Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(SiteError::io(path, e)),
        };
        let cfg: Self =
            toml::from_str(&text).map_err(|e| SiteError::Toml { path: path.to_path_buf(), message: e.to_string() })?;
        if !["auto", "content", "docusaurus"].contains(&cfg.content_layout.as_str()) {
            return Err(SiteError::Toml {
                path: path.to_path_buf(),
                message: format!(
                    "content_layout {:?} must be \"auto\", \"content\" or \"docusaurus\"",
                    cfg.content_layout
                ),
            });
        }
        Ok(cfg)
    }
}

/// Normalises a base URL to start and end with `/` so it can be prefixed to site-root paths.
pub fn normalize_base(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() { "/".to_string() } else { format!("/{trimmed}/") }
}

/// Everything one build needs; paths default to the conventional places under `root`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub api_url: Option<String>,
    pub site_key: Option<String>,
    pub widget_dir: Option<PathBuf>,
    pub templates_dir: Option<PathBuf>,
    pub locales_dir: Option<PathBuf>,
    pub static_dir: Option<PathBuf>,
    /// Include `draft: true` pages (never for production builds).
    pub include_drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), ..Default::default() }
    }
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
    pub fn widget_dir(&self) -> PathBuf {
        self.widget_dir.clone().unwrap_or_else(|| self.root.join("widget/dist"))
    }
    pub fn templates_dir(&self) -> PathBuf {
        self.templates_dir.clone().unwrap_or_else(|| self.root.join("site/templates"))
    }
    pub fn locales_dir(&self) -> PathBuf {
        self.locales_dir.clone().unwrap_or_else(|| self.root.join("locales"))
    }
    pub fn static_dir(&self) -> PathBuf {
        self.static_dir.clone().unwrap_or_else(|| self.root.join("static"))
    }
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `site.toml` with overrides applied: explicit options win over the environment, which wins over the file.
    pub fn resolve_config(&self) -> Result<SiteConfig> {
        let mut cfg = SiteConfig::load(&self.root.join("site.toml"))?;
        let env = |k: &str| std::env::var(k).ok();
        if let Some(b) = self.base_url.clone().or_else(|| env("SITE_BASE_URL")) {
            cfg.base_url = b;
        }
        if let Some(a) = self.api_url.clone().or_else(|| env("SITE_API_URL")) {
            cfg.api_url = a;
        }
        if let Some(k) = self.site_key.clone().or_else(|| env("SITE_KEY")) {
            cfg.site_key = k;
        }
        cfg.base_url = normalize_base(&cfg.base_url);
        cfg.site_url = cfg.site_url.trim_end_matches('/').to_string();
        cfg.repository = cfg.repository.trim_end_matches('/').to_string();
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_normalisation() {
        assert_eq!(normalize_base(""), "/");
        assert_eq!(normalize_base("rag-chatbot"), "/rag-chatbot/");
        assert_eq!(normalize_base("/rag-chatbot/"), "/rag-chatbot/");
    }

    #[test]
    fn explicit_options_override_site_toml() {
        let dir = std::env::temp_dir().join(format!("site-cfg-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("site.toml"), "base_url = \"/a/\"\napi_url = \"https://api\"\n").expect("write");
        let opts = BuildOptions {
            base_url: Some("b".into()),
            site_key: Some("pk_x".into()),
            api_url: Some("https://other".into()),
            ..BuildOptions::new(&dir)
        };
        let cfg = opts.resolve_config().expect("config");
        assert_eq!(cfg.base_url, "/b/");
        assert_eq!(cfg.site_key, "pk_x");
        assert_eq!(cfg.api_url, "https://other");
        std::fs::write(dir.join("site.toml"), "base_ur = \"/a/\"\n").expect("write");
        let err = BuildOptions::new(&dir).resolve_config().expect_err("unknown key").to_string();
        assert!(err.contains("base_ur"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
