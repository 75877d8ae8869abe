//! Step 5: the RAG corpus (`rag/corpus.jsonl` and its manifest), every record's URL checked against the pages.

use super::load::Loaded;
use crate::assets::Files;
use crate::error::{Diagnostic, Result, SiteError};
use crate::links::AnchorIndex;
use crate::markdown::Rendered;
use protocol::{CorpusManifest, CorpusRecord};

/// Adds the corpus files to `files`; returns the manifest.
pub(super) fn write(
    loaded: &Loaded,
    rendered: &[Rendered],
    anchors: &AnchorIndex,
    files: &mut Files,
) -> Result<CorpusManifest> {
    let mut records: Vec<CorpusRecord> = vec![];
    let mut corpus_pages = 0;
    for (p, r) in loaded.site.pages.iter().zip(rendered).filter(|(p, _)| !p.fallback) {
        let title = &loaded.site.sources[p.source].fm.title;
        let recs = crate::corpus::page_records(p.locale, title, &p.url, &r.sections);
        corpus_pages += usize::from(!recs.is_empty());
        records.extend(recs);
    }
    let bad: Vec<Diagnostic> = records
        .iter()
        .filter_map(|rec| {
            anchors
                .check_url(&rec.url)
                .err()
                .map(|e| Diagnostic::new("public/rag/corpus.jsonl", 0, 0, format!("corpus record {}: {e}", rec.url)))
        })
        .collect();
    if !bad.is_empty() {
        return Err(SiteError::Content(bad));
    }
    let (jsonl, manifest) = crate::corpus::serialize(&records, corpus_pages);
    files.insert("rag/corpus.jsonl".into(), jsonl.into_bytes());
    let manifest_json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| SiteError::Json { path: "rag/manifest.json".into(), source: e })?;
    files.insert("rag/manifest.json".into(), manifest_json);
    Ok(manifest)
}
