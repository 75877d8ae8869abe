//! The RAG corpus the site build writes (`public/rag/corpus.jsonl` + `manifest.json`) and the server ingests.

use crate::Locale;
use serde::{Deserialize, Serialize};

/// Bumped when the record layout changes incompatibly; the server refuses other versions.
pub const CORPUS_FORMAT_VERSION: u32 = 1;

/// One chunk of one page: a section (or part of a long section) as plain text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorpusRecord {
    /// Stable id: hex SHA-256 of locale, url and text, so unchanged chunks keep their id across builds.
    pub id: String,
    pub locale: Locale,
    /// Page title from front matter.
    pub title: String,
    /// Headings from the page's first section heading down to this chunk's section (not including the page title).
    pub heading_path: Vec<String>,
    /// Page URL relative to the site root, without `base_url`, e.g. `/ur/kinematics/`.
    pub page_url: String,
    /// Section anchor (heading id) the chunk belongs to; empty for text before the first heading.
    pub anchor: String,
    /// `page_url` + `#anchor` when there is an anchor: what citations link to.
    pub url: String,
    /// Plain text, no markup.
    pub text: String,
}

/// Summary of one corpus build; `corpus_hash` lets the server skip re-indexing when nothing changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorpusManifest {
    pub format_version: u32,
    /// Hex SHA-256 over every record id in file order.
    pub corpus_hash: String,
    pub records: usize,
    pub pages: usize,
    /// The site's `base_url` at build time, so absolute links can be formed (`/rag-chatbot/`).
    pub base_url: String,
}
