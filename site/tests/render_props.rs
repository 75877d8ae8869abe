//! Property tests: arbitrary Markdown never panics the renderer; slugs are stable, valid and unique per page
//! (Urdu included); the corpus chunker loses no text, respects its size bound and keeps each chunk's section URL.

use proptest::prelude::*;
use protocol::Locale;
use site::corpus::{MAX_CHUNK_CHARS, page_records, record_id};
use site::markdown::Section;
use site::slug::{is_valid_id, slugify, unique};
use std::collections::{HashMap, HashSet};

mod common;

fn render_body(body: &str) -> site::markdown::Rendered {
    common::render_snippet("x.md", body)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn renderer_never_panics(s in "(\\PC|\n|#|:::|\\$|`|\\[|\\]|\\(|\\)|!|\\{|\\}|\\*)*") {
        let r = render_body(&s);
        for id in &r.ids {
            prop_assert!(site::slug::is_valid_id(id));
        }
    }

    #[test]
    fn slugs_are_stable_and_valid(s in "\\PC*") {
        let a = site::slug::slugify(&s);
        prop_assert_eq!(&a, &site::slug::slugify(&s));
        prop_assert!(site::slug::is_valid_id(&a));
        prop_assert_eq!(&site::slug::slugify(&a), &a, "slugify is idempotent");
    }
}

/// Urdu letters (including ے, ں, ھ and Urdu digits), diacritics (zabar, zer, pesh, shadda, sukun, khari zabar,
/// hamza), Urdu punctuation (۔ ، ؟), the zero-width non-joiner, spaces and hyphens.
const URDU: &str = "[ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیے۰-۹\u{064E}\u{0650}\u{064F}\u{0651}\u{0652}\u{0670}\u{0654}۔،؟\u{200C} -]{0,40}";
const URDU_MARKS: [char; 7] = ['\u{064E}', '\u{0650}', '\u{064F}', '\u{0651}', '\u{0652}', '\u{0670}', '\u{0654}'];

/// Word stems in both scripts; `words` numbers them so every word of a generated text is distinct.
const STEMS: [&str; 8] = ["joint", "torque", "zmp", "gait", "زاویہ", "توازن", "روبوٹ", "قوت"];

/// A section text shaped like the renderer's (lines, blank lines between paragraphs) made of distinct words, so
/// each word's position in the text is unambiguous. Returns the text and its words in order.
fn words_text() -> impl Strategy<Value = (String, Vec<String>)> {
    prop::collection::vec(prop::collection::vec((0..STEMS.len(), 0..3usize), 1..120), 1..8).prop_map(|paras| {
        let mut words = vec![];
        let mut text = String::new();
        for (p, para) in paras.iter().enumerate() {
            if p > 0 {
                text.push_str("\n\n");
            }
            for (i, (stem, sep)) in para.iter().enumerate() {
                if i > 0 {
                    text.push(if *sep == 0 { '\n' } else { ' ' });
                }
                let w = format!("{}{}", STEMS[*stem], words.len());
                text.push_str(&w);
                words.push(w);
            }
        }
        (text, words)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn unique_slugs_are_distinct_and_keep_their_base(titles in prop::collection::vec("(a|b|a-1|b-2|آ|ب| |-){0,4}", 1..40)) {
        let mut used = HashSet::new();
        let mut seen = HashSet::new();
        for t in &titles {
            let base = slugify(t);
            let id = unique(base.clone(), &mut used);
            prop_assert!(seen.insert(id.clone()), "{id:?} handed out twice for {titles:?}");
            prop_assert!(is_valid_id(&id));
            let suffix = id.strip_prefix(&base).unwrap_or_else(|| panic!("{id:?} does not start with {base:?}"));
            prop_assert!(
                suffix.is_empty() || suffix.strip_prefix('-').is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 1)),
                "suffix {suffix:?} of {id:?}"
            );
        }
        prop_assert_eq!(seen.len(), titles.len());
    }

    #[test]
    fn repeated_headings_get_distinct_ids(headings in prop::collection::vec("(Joint|joint|ZMP|زاویہ|زاویہِ|-| ){1,3}", 1..12)) {
        let page: String = headings.iter().map(|h| format!("## {h}\n\ntext\n\n")).collect();
        let r = render_body(&page);
        let toc_ids: HashSet<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        prop_assert_eq!(r.toc.len(), headings.len(), "one TOC entry per heading: {:?}", r.toc);
        prop_assert_eq!(toc_ids.len(), headings.len(), "distinct ids: {:?}", r.toc);
        // Besides the heading ids, a heading whose Docusaurus slug differs has that slug as an extra anchor.
        prop_assert!(r.ids.len() >= headings.len());
        for t in &r.toc {
            prop_assert!(r.ids.contains(&t.id));
        }
        for id in &r.ids {
            prop_assert_eq!(r.html.matches(&format!("id=\"{id}\"")).count(), 1, "{} not exactly once in the HTML", id);
        }
    }

    #[test]
    fn urdu_slugs_are_non_empty_stable_and_ignore_diacritics(s in URDU) {
        let a = slugify(&s);
        prop_assert!(!a.is_empty());
        prop_assert!(is_valid_id(&a), "{a:?}");
        prop_assert_eq!(&a, &slugify(&s), "stable");
        prop_assert_eq!(&slugify(&a), &a, "idempotent");
        // The marks are optional in Urdu spelling: with or without them, one anchor.
        let bare: String = s.chars().filter(|c| !URDU_MARKS.contains(c)).collect();
        prop_assert_eq!(&slugify(&bare), &a, "{:?} vs {:?}", bare, s);
        // Every letter and digit survives, in order; nothing else but the `-` separators.
        let letters: String = bare.chars().filter(|c| c.is_alphanumeric()).collect();
        if letters.is_empty() {
            prop_assert_eq!(a.as_str(), "section");
        } else {
            prop_assert_eq!(a.replace('-', ""), letters);
            prop_assert!(!a.starts_with('-') && !a.ends_with('-') && !a.contains("--"), "{a:?}");
        }
    }

    #[test]
    fn chunks_cover_the_section_in_order_within_the_bound((text, words) in words_text(), anchor in "[a-z]{0,6}") {
        let section = Section { anchor: anchor.clone(), heading_path: vec!["H".into()], text: text.clone(), links: vec![] };
        let recs = page_records(Locale::Ur, "Title", "/ur/p/", std::slice::from_ref(&section));
        prop_assert!(!recs.is_empty());
        let url = if anchor.is_empty() { "/ur/p/".to_string() } else { format!("/ur/p/#{anchor}") };
        let index: HashMap<&str, usize> = words.iter().enumerate().map(|(i, w)| (w.as_str(), i)).collect();
        let mut covered = vec![false; words.len()];
        let mut prev_start = None;
        for r in &recs {
            prop_assert!(r.text.chars().count() <= MAX_CHUNK_CHARS, "{} chars", r.text.chars().count());
            prop_assert_eq!(&r.url, &url);
            prop_assert_eq!(&r.anchor, &anchor);
            prop_assert_eq!(&r.heading_path, &section.heading_path);
            prop_assert_eq!(&r.id, &record_id(Locale::Ur, &url, &r.text));
            prop_assert!(text.contains(r.text.as_str()), "a chunk is a piece of the section, unaltered");
            // The chunk's words are a contiguous run of the section's words, starting after the previous chunk's.
            let pos: Vec<usize> = r.text.split_whitespace().map(|w| index[w]).collect();
            prop_assert!(!pos.is_empty());
            prop_assert!(pos.windows(2).all(|w| w[1] == w[0] + 1), "words out of order: {pos:?}");
            prop_assert!(prev_start.is_none_or(|p| pos[0] > p), "chunks out of order");
            prev_start = Some(pos[0]);
            for p in pos {
                covered[p] = true;
            }
        }
        let lost: Vec<&String> = words.iter().zip(&covered).filter(|(_, c)| !**c).map(|(w, _)| w).collect();
        prop_assert!(lost.is_empty(), "words in no chunk: {lost:?}");
        if text.chars().count() <= MAX_CHUNK_CHARS {
            prop_assert_eq!(recs.len(), 1);
            prop_assert_eq!(&recs[0].text, &text);
        }
    }

    #[test]
    fn rendered_page_chunks_link_to_their_sections(paras in prop::collection::vec(("(Joint|ZMP|زاویہ| ){1,3}", 1..400usize), 1..6)) {
        // Headings (some repeated) over paragraphs long enough to be split: every chunk's URL is the page plus an
        // anchor the page really has, and the text before the first heading links to the page itself.
        let mut page = String::from("Intro text.\n\n");
        for (h, n) in &paras {
            page.push_str(&format!("## {h}\n\n{}\n\n", "word ".repeat(*n)));
        }
        let r = render_body(&page);
        let recs = page_records(Locale::En, "T", "/p/", &r.sections);
        prop_assert!(recs.len() > paras.len(), "intro plus at least one chunk per section");
        for rec in &recs {
            prop_assert!(rec.text.chars().count() <= MAX_CHUNK_CHARS);
            if rec.anchor.is_empty() {
                prop_assert_eq!(rec.url.as_str(), "/p/");
            } else {
                prop_assert!(r.ids.contains(&rec.anchor), "{} is no heading id", rec.anchor);
                prop_assert_eq!(&rec.url, &format!("/p/#{}", rec.anchor));
            }
        }
        let anchors: HashSet<&str> = recs.iter().map(|r| r.anchor.as_str()).filter(|a| !a.is_empty()).collect();
        prop_assert_eq!(anchors.len(), paras.len(), "every section has chunks");
    }
}
