//! The search bundle: what readers' results look like, and that our index writer and Pagefind's agree.

use super::*;

/// A page titled "Kinematics" with `(anchor, heading, text)` sections.
fn page(url: &str, lang: &str, sections: &[(&str, &str, &str)]) -> Page {
    Page {
        url: url.into(),
        title: "Kinematics".into(),
        lang: lang.into(),
        sections: sections
            .iter()
            .map(|(a, h, t)| Section { anchor: a.to_string(), heading: h.to_string(), text: t.to_string() })
            .collect(),
    }
}

#[test]
fn formulas_are_indexed_as_readable_text_not_tex() {
    let html = page_html(&page(
        "/k/",
        "en",
        &[("j", "Jacobian", "Jacobian\nThe rates $\\dot{q}_i$ map to $$v = J(q)\\,\\dot{q}$$")],
    ));
    assert!(html.contains("The rates q̇ᵢ map to v = J(q) q̇"), "{html}");
    assert!(!html.contains('\\') && !html.contains('$'), "{html}");
}

#[test]
fn bundle_paths_are_relative_to_the_output_root() {
    let p = std::path::Path::new("/work/x/pagefind/fragment/en_1a2b.pf_fragment");
    assert_eq!(bundle_path(p).unwrap(), "pagefind/fragment/en_1a2b.pf_fragment");
    assert_eq!(bundle_path(std::path::Path::new("pagefind/pagefind.js")).unwrap(), "pagefind/pagefind.js");
    assert_eq!(
        bundle_path(std::path::Path::new("fragment/en_1.pf_fragment")).unwrap(),
        "pagefind/fragment/en_1.pf_fragment"
    );
    assert!(bundle_path(std::path::Path::new("/tmp/other.js")).is_err());
}

#[test]
fn both_languages_get_an_index_and_the_runtime_is_included() {
    let files = index(
        &[
            page(
                "/kinematics/",
                "en",
                &[("forward-kinematics", "Forward kinematics", "Joint angles give the hand pose.")],
            ),
            page(
                "/ur/kinematics/",
                "ur",
                &[("forward-kinematics", "فارورڈ کائنیمیٹکس", "جوڑوں کے زاویوں سے ہاتھ کا پوز")],
            ),
        ],
        &SiteUrls::default(),
    )
    .unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for must in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"] {
        assert!(names.contains(&must), "{must} missing from {names:?}");
    }
    let entry: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|(n, _)| n == "pagefind/pagefind-entry.json").unwrap().1).unwrap();
    assert!(entry["languages"]["en"]["page_count"].as_u64() == Some(1), "{entry}");
    assert!(entry["languages"]["ur"]["page_count"].as_u64() == Some(1), "{entry}");
    assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")), "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("pagefind/")), "{names:?}");
    // Each language keeps its own metadata and word index files next to the shared runtime.
    for lang in ["en", "ur"] {
        let prefix = format!("pagefind/pagefind.{lang}_");
        assert!(names.iter().any(|n| n.starts_with(&prefix)), "{prefix} missing from {names:?}");
        let prefix = format!("pagefind/index/{lang}_");
        assert!(names.iter().any(|n| n.starts_with(&prefix)), "{prefix} missing from {names:?}");
    }
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "every file once");
}

#[test]
fn languages_indexed_together_or_apart_and_merged_give_the_same_bundle() {
    let pages = [
        page("/a/", "en", &[("x", "Frames", "A frame has an origin and three axes.")]),
        page("/b/", "en", &[("y", "Jacobian", "The Jacobian maps joint rates to hand velocity.")]),
        page("/ur/a/", "ur", &[("x", "فریم", "فریم کا ایک مبدا اور تین محور ہوتے ہیں")]),
    ];
    let by_lang = by_language(&pages);
    let groups: Vec<&[&Page]> = by_lang.values().map(Vec::as_slice).collect();
    let apart = merge(index_each(&groups, &SiteUrls::default(), None).unwrap()).unwrap();
    let together = index(&pages, &SiteUrls::default()).unwrap();
    assert!(together == apart, "the bundles differ");
}

fn readable(files: &Bundle) -> BTreeMap<String, Vec<u8>> {
    reference::readable(files).unwrap()
}

/// Asserts that our writer and Pagefind's indexer give the same files, byte for byte once decompressed.
pub fn assert_same_as_pagefind(pages: &[Page], urls: &SiteUrls) {
    let ours = readable(&index(pages, urls).unwrap());
    let theirs = readable(&reference::index_one(pages.iter(), urls).unwrap());
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs), "file names");
    for (name, bytes) in &theirs {
        assert!(
            ours[name] == *bytes,
            "{name} differs:\nours   {:?}\ntheirs {:?}",
            String::from_utf8_lossy(&ours[name]),
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn our_index_is_the_one_pagefind_writes() {
    let pages = [
        page(
            "/k/",
            "en",
            &[
                ("", "", "Robots <b>move</b> in frames & \"quotes\"; don't they? Café naïve résumé."),
                (
                    "forward",
                    "Forward & inverse kinematics",
                    "Forward kinematics\nJoint angles give the hand pose (x, y)",
                ),
                (
                    "ros",
                    "ROS 2 and tf2",
                    "Call rclpy.node.Node or self.tf_buffer.lookup_transform('odom', 'camera_link') e.g. in base_link.",
                ),
                (
                    "zmp",
                    "ZeroMomentPoint",
                    "The ZMP, CoM and camelCase names: well-known multi-body state-of-the-art 0.99 γ=0.99 v2.1 😀 robots.",
                ),
                ("space", "Spaces", "Zero\u{200B}width space and\ttabs\nnew lines  and   runs of spaces 3.14159*"),
                ("math", "Math", "The rates $\\dot{q}_i$ map to $$v = J(q)\\,\\dot{q}$$"),
            ],
        ),
        page("/d/", "en", &[("x", "Dynamics", "Forces and torques; forces again, torque.")]),
        page(
            "/ur/k/",
            "ur",
            &[
                ("", "", "روبوٹ فریموں میں حرکت کرتا ہے۔ آ گئے، اِس کا زیر و زبر: کِتاب"),
                (
                    "forward",
                    "فارورڈ کائنیمیٹکس (Forward kinematics)",
                    "جوڑوں کے زاویوں سے ہاتھ کا پوز؛ base_link اور tf2۔",
                ),
            ],
        ),
        page("/ur/d/", "ur", &[("x", "ڈائنامکس", "قوت اور ٹارک")]),
    ];
    assert_same_as_pagefind(&pages, &SiteUrls::default());
    assert_same_as_pagefind(&pages[..1], &SiteUrls::new("", "/book/"));
}

#[test]
fn merging_refuses_two_different_files_under_one_path() {
    let entry = |lang: &str| {
        (ENTRY.to_string(), format!(r#"{{"version":"1","languages":{{"{lang}":{{"page_count":1}}}}}}"#).into_bytes())
    };
    let merged = merge(vec![
        vec![entry("en"), ("pagefind/pagefind.js".into(), b"js".to_vec())],
        vec![entry("ur"), ("pagefind/pagefind.js".into(), b"js".to_vec())],
    ])
    .unwrap();
    let e: serde_json::Value = serde_json::from_slice(&merged.iter().find(|(n, _)| n == ENTRY).unwrap().1).unwrap();
    assert_eq!(e["languages"].as_object().unwrap().len(), 2, "{e}");
    assert_eq!(merged.len(), 2);
    let clash = merge(vec![
        vec![entry("en"), ("pagefind/x".into(), b"a".to_vec())],
        vec![entry("ur"), ("pagefind/x".into(), b"b".to_vec())],
    ]);
    assert!(clash.unwrap_err().to_string().contains("pagefind/x"));
}

fn fragments(files: &Bundle) -> Vec<serde_json::Value> {
    use std::io::Read;
    files
        .iter()
        .filter(|(n, _)| n.starts_with("pagefind/fragment/"))
        .map(|(n, b)| {
            let mut text = String::new();
            flate2::read::GzDecoder::new(&b[..]).read_to_string(&mut text).unwrap();
            let json = text.strip_prefix("pagefind_dcd").unwrap_or_else(|| panic!("{n}: {text}"));
            serde_json::from_str(json).unwrap()
        })
        .collect()
}

#[test]
fn a_page_is_one_result_whose_headings_are_sub_results() {
    let files = index(
        &[
            page(
                "/k/",
                "en",
                &[
                    ("", "", "Robots <b>move</b> in frames."),
                    ("forward", "Forward & inverse", "Joint angles give the hand pose."),
                    ("jacobian", "Jacobian", "Jacobian\nThe Jacobian maps joint rates."),
                ],
            ),
            page("/d/", "en", &[("x", "Dynamics", "Forces and torques.")]),
        ],
        &SiteUrls::default(),
    )
    .unwrap();
    let frags = fragments(&files);
    assert_eq!(frags.len(), 2, "one fragment per page: {frags:?}");
    let k = frags.iter().find(|f| f["url"] == "/k/").unwrap();
    assert_eq!(k["meta"]["title"], "Kinematics");
    let anchors: Vec<(&str, &str)> = k["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["text"].as_str().unwrap()))
        .collect();
    assert_eq!(anchors, [("forward", "Forward & inverse"), ("jacobian", "Jacobian")]);
    // Section text is indexed as text: markup in it is neither parsed nor lost.
    let content = k["content"].as_str().unwrap();
    assert!(content.contains("Robots <b>move</b> in frames.") && content.contains("maps joint rates"), "{content}");
    // A section's own heading line is not repeated after the heading.
    assert_eq!(content.matches("Jacobian").count(), 2, "heading once, then the text's own mention: {content}");
}

#[test]
fn results_link_to_pages_under_the_base_path() {
    let files = index(&[page("/k/", "en", &[("x", "Frames", "A frame.")])], &SiteUrls::new("", "/book/")).unwrap();
    let frags = fragments(&files);
    assert_eq!(frags[0]["url"], "/book/k/", "{frags:?}");
}

#[test]
fn a_cached_rebuild_reads_only_the_edited_page_and_writes_the_same_bundle() {
    let mut pages = vec![
        page("/a/", "en", &[("x", "Frames", "A frame has an origin and three axes.")]),
        page("/b/", "en", &[("y", "Jacobian", "The Jacobian maps joint rates to hand velocity.")]),
        page("/ur/a/", "ur", &[("x", "فریم", "فریم کا ایک مبدا اور تین محور ہوتے ہیں")]),
    ];
    let urls = SiteUrls::default();
    let cache = PageCache::default();
    let cached = |pages: &[Page]| index_cached(pages.iter(), &urls, Some(&cache)).unwrap();
    assert!(cached(&pages) == index(&pages, &urls).unwrap());
    assert_eq!(cache.reads(), 3);
    pages[1].sections[0].text = "The Jacobian maps joint rates to the velocity of the hand.".into();
    let after = cached(&pages);
    assert_eq!(cache.reads(), 4, "only the edited page is read again");
    assert!(after == index(&pages, &urls).unwrap(), "the same bundle as a build without the cache");
    let words = readable(&after);
    assert!(
        words
            .iter()
            .any(|(n, b)| n.contains("/fragment/") && String::from_utf8_lossy(b).contains("velocity of the hand"))
    );
}
