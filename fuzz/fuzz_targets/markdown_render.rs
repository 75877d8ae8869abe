//! A Markdown page from arbitrary bytes (lossy UTF-8) through what `site build` does with every file: the YAML
//! front-matter parser, the renderer (admonitions, math, code, links, images, headings) and the corpus chunker.
//! Nothing may panic; problems must come back as diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::Locale;
use site::corpus::{MAX_CHUNK_CHARS, page_records};
use site::frontmatter;
use site::markdown::{ADMONITION_KINDS, RenderInput, render};
use std::collections::BTreeMap;
use std::path::Path;

/// Put before an input whose own front matter is missing or broken, so its body is rendered all the same.
const FRONT_MATTER: &str = "---\ntitle: Fuzz\ndescription: A fuzzed page\n---\n";
const PAGE_URL: &str = "/fuzz/";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = Path::new("content/en/02-fuzz/index.md");
    let (source, fm, body_offset) = match frontmatter::split(file, &text) {
        Ok((fm, off)) => (text.into_owned(), fm, off),
        Err(diagnostic) => {
            // The error must point inside the file.
            let lines = text.lines().count().max(1) + 1;
            assert!(diagnostic.line >= 1 && diagnostic.line <= lines, "{diagnostic} for a {lines}-line file");
            let source = format!("{FRONT_MATTER}{text}");
            let (fm, off) = frontmatter::split(file, &source).expect("the fixed front matter parses");
            (source, fm, off)
        }
    };
    assert!(source.is_char_boundary(body_offset), "body offset {body_offset} splits a character");

    let pages: BTreeMap<String, String> = [
        ("index.md", "/"),
        ("02-fuzz/index.md", PAGE_URL),
        ("03-kinematics/index.md", "/kinematics/"),
        ("03-kinematics/forward.md", "/kinematics/forward/"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let titles: BTreeMap<String, String> = ADMONITION_KINDS.iter().map(|k| (k.to_string(), k.to_uppercase())).collect();
    let input = RenderInput {
        file,
        source: &source,
        body_offset,
        page_key: "02-fuzz/index.md",
        page_url: PAGE_URL,
        urls: &site::urls::SiteUrls::new("", "/rag-chatbot/"),
        pages: &pages,
        static_dir: Path::new("/nonexistent-static"),
        admonition_titles: &titles,
    };
    let r = render(&input);
    for id in &r.ids {
        assert!(site::slug::is_valid_id(id), "heading id {id:?}");
    }
    for d in r.errors.iter().chain(&r.warnings) {
        let _ = d.to_string();
    }

    let records = page_records(Locale::En, &fm.title, PAGE_URL, &r.sections);
    for rec in &records {
        assert!(rec.text.chars().count() <= MAX_CHUNK_CHARS, "chunk of {} chars", rec.text.chars().count());
        assert!(rec.url.starts_with(PAGE_URL), "{}", rec.url);
        assert!(!rec.text.trim().is_empty());
    }
});
