//! The RAG corpus the site build writes (`public/rag/corpus.jsonl` + `manifest.json`) and the server ingests.

use crate::Locale;
use serde::{Deserialize, Serialize};

/// Bumped when the record layout changes incompatibly; the server refuses other versions.
pub const CORPUS_FORMAT_VERSION: u32 = 1;

/// One chunk of one page: a section (or part of a long section) as plain text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorpusRecord {
    /// Stable id: hex SHA-256 of locale, url and text, so unchanged chunks keep their id across builds.
    pub id: String,
    pub locale: Locale,
    /// Page title from front matter.
    pub title: String,
    /// Headings from the page's first section heading down to this chunk's section (not including the page title).
    pub heading_path: Vec<String>,
    /// Page URL relative to the site root, without the deployment's base path, e.g. `/ur/kinematics/`.
    pub page_url: String,
    /// Section anchor (heading id) the chunk belongs to; empty for text before the first heading.
    pub anchor: String,
    /// `page_url` + `#anchor` when there is an anchor: what citations link to.
    pub url: String,
    /// Plain text, no markup.
    pub text: String,
    /// What the section is for; retrieval ranks the sections that explain a concept above the keyword-dense ones
    /// that only name it (objectives, exercises, summaries). Absent in corpora built before it existed: `body`.
    #[serde(default)]
    pub kind: SectionKind,
    /// For a glossary entry: the `url` of the section its "see" link points to, so retrieval can send a reader
    /// from the short definition to the section that explains the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points_to: Option<String>,
}

/// The role of a section in a chapter, told by its heading id (ids are shared by both locales).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// Explanatory text: the sections a question should be answered from.
    #[default]
    Body,
    /// "Learning objectives": a list of what the chapter teaches.
    Objectives,
    /// "Exercises": tasks for the reader.
    Exercises,
    /// "Summary": the chapter's points in brief.
    Summary,
    /// An entry of the glossary page: a short definition.
    Glossary,
    /// "References" / "Further reading": literature lists.
    References,
}

impl SectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Body => "body",
            SectionKind::Objectives => "objectives",
            SectionKind::Exercises => "exercises",
            SectionKind::Summary => "summary",
            SectionKind::Glossary => "glossary",
            SectionKind::References => "references",
        }
    }

    pub fn parse(s: &str) -> SectionKind {
        match s {
            "objectives" => SectionKind::Objectives,
            "exercises" => SectionKind::Exercises,
            "summary" => SectionKind::Summary,
            "glossary" => SectionKind::Glossary,
            "references" => SectionKind::References,
            _ => SectionKind::Body,
        }
    }

    /// Whether sentences of this kind may be quoted as an answer (lists of tasks and goals read as non-answers).
    pub fn quotable(self) -> bool {
        matches!(self, SectionKind::Body | SectionKind::Glossary | SectionKind::Summary)
    }
}

/// Summary of one corpus build; `corpus_hash` lets the server skip re-indexing when nothing changed. The site's
/// base path is not in it: corpus URLs are root-relative, and the page tells the widget its base (`data-site-base`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorpusManifest {
    pub format_version: u32,
    /// Hex SHA-256 over every record id in file order.
    pub corpus_hash: String,
    pub records: usize,
    pub pages: usize,
}
