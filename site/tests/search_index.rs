//! The search index of the whole textbook, both locales, as our writer makes it is the one Pagefind's own
//! indexer makes from the same pages: same file names, same bytes once decompressed. So search in the browser
//! (Pagefind's runtime) finds, ranks and excerpts exactly as it would with Pagefind's indexer.

mod common;

use std::collections::BTreeMap;

use site::BuildMode;

fn readable(files: &site::search::Bundle) -> BTreeMap<String, Vec<u8>> {
    site::search::reference::readable(files).expect("a readable bundle")
}

#[test]
fn the_textbook_index_is_the_one_pagefind_writes() {
    let root = common::repo_root();
    let opts = site::BuildOptions { base_url: Some("/textbook/".into()), ..common::options(&root) };
    let report = site::generate_with(&opts, BuildMode::DeferredSearch, None).expect("textbook builds");
    let pages = &report.search_pages;
    assert!(pages.iter().any(|p| p.lang == "ur") && pages.len() > 20, "{} pages", pages.len());
    let ours = readable(&site::search::index(pages, &report.urls).expect("our index"));
    let theirs = readable(&site::search::reference::index_one(pages.iter(), &report.urls).expect("Pagefind's"));
    assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "file names");
    let fragments = theirs.keys().filter(|k| k.contains("/fragment/")).count();
    assert_eq!(fragments, pages.len(), "one fragment per page");
    for (name, bytes) in &theirs {
        assert!(ours[name] == *bytes, "{name} differs");
    }
}
