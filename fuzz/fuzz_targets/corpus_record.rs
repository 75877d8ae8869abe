//! `corpus.jsonl` from arbitrary bytes, read as the server reads it on ingest: the JSONL parse and checks against a
//! manifest, then each record's BM25 document vector, point id and payload round trip. Nothing may panic; a corpus
//! that parses must hold what the checks promise. The same bytes are also tried as `manifest.json`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use server::corpus::parse;
use server::retrieval::analyzer::Analyzer;
use server::retrieval::{payload_to_record, point_uuid, record_payload};
use std::collections::HashSet;
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::new().expect("the BM25 analyzers build"))
}

fn manifest(records: usize) -> String {
    format!(r#"{{"format_version":1,"corpus_hash":"ab","records":{records},"pages":1}}"#)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse("corpus.jsonl", "", "manifest.json", &text).map_err(|e| e.to_string());

    // The manifest agrees on the count, so a well-formed corpus gets past the cross-check.
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let corpus = match parse("corpus.jsonl", &text, "manifest.json", &manifest(lines)) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    assert_eq!(corpus.records.len(), lines);
    let mut ids = HashSet::new();
    for r in &corpus.records {
        assert!(ids.insert(r.id.as_str()), "duplicate id {} accepted", r.id);
        assert!(r.url.starts_with('/') && r.page_url.starts_with('/'));
        let doc = analyzer().document(r.locale, &r.text);
        assert_eq!(doc.indices.len(), doc.values.len());
        let _ = point_uuid(&r.id);
        assert_eq!(payload_to_record(&record_payload(r)).as_ref(), Some(r), "payload round trip");
    }
});
