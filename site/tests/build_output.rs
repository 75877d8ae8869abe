//! End-to-end build of the `basic` fixture: both locales, layout, SEO, corpus and search.

mod common;
use common::*;
use protocol::{CorpusManifest, CorpusRecord, Locale};

fn built() -> site::BuildReport {
    site::generate(&options(&fixture("basic"))).expect("fixture builds")
}

#[test]
fn both_locales_and_rtl_attributes() {
    let r = built();
    let en = text(&r.files, "kinematics/index.html");
    let ur = text(&r.files, "ur/kinematics/index.html");
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(ur.contains("<html lang=\"ur\" dir=\"rtl\">"));
    assert!(ur.contains("<h1>حرکیات</h1>"));
    assert!(ur.contains("<pre class=\"code language-python\" dir=\"ltr\" tabindex=\"0\">"));
    assert!(ur.contains("dir=\"ltr\"><math"), "math forced ltr on Urdu pages");
    assert!(r.files.contains_key("index.html") && r.files.contains_key("ur/index.html"));
}

#[test]
fn untranslated_page_falls_back_with_notice() {
    let r = built();
    let ur = text(&r.files, "ur/kinematics/frames/index.html");
    assert!(ur.contains("<html lang=\"ur\" dir=\"rtl\">"));
    assert!(ur.contains("<article lang=\"en\" dir=\"ltr\">"));
    assert!(ur.contains("class=\"untranslated-notice\""));
    assert!(ur.contains("انگریزی متن دکھایا جا رہا ہے"), "notice is translated");
    assert_eq!(r.parity.untranslated, vec!["01-kinematics/frames.md".to_string()]);
    let en = text(&r.files, "kinematics/frames/index.html");
    assert!(!en.contains("untranslated-notice"));
}

#[test]
fn parity_reports_heading_id_differences() {
    let r = built();
    let (key, only_en, only_ur) = r.parity.heading_mismatch.first().expect("a mismatch").clone();
    assert_eq!(key, "01-kinematics/index.md");
    assert_eq!(only_en, vec!["inverse-kinematics".to_string()]);
    assert_eq!(only_ur, vec!["الٹی-حرکیات".to_string()]);
}

#[test]
fn locale_switcher_targets_same_page() {
    let r = built();
    let en = text(&r.files, "kinematics/frames/index.html");
    assert!(en.contains("class=\"locale-switch\" href=\"/ur/kinematics/frames/\""));
    let ur = text(&r.files, "ur/kinematics/index.html");
    assert!(ur.contains("class=\"locale-switch\" href=\"/kinematics/\""));
}

#[test]
fn explicit_ids_shared_across_locales_and_urdu_slugs() {
    let r = built();
    let en = text(&r.files, "kinematics/index.html");
    let ur = text(&r.files, "ur/kinematics/index.html");
    assert!(en.contains("<h2 id=\"forward-kinematics\">"));
    assert!(ur.contains("<h2 id=\"forward-kinematics\">"));
    assert!(en.contains("<h2 id=\"inverse-kinematics\">"));
    assert!(ur.contains("<h2 id=\"الٹی-حرکیات\">"));
}

#[test]
fn markdown_features_render() {
    let r = built();
    let en = text(&r.files, "kinematics/index.html");
    assert!(en.contains("class=\"admonition admonition-tip\""));
    assert!(en.contains("Why radians?"));
    assert!(en.contains("<span class=\"hl-"), "code is highlighted at build time");
    assert!(en.contains("<math"));
    assert!(en.contains("display=\"block\""));
    assert!(en.contains("<table tabindex=\"0\">"), "wide tables are keyboard-scrollable");
    assert!(en.contains("<span class=\"task done\">☑</span>") || en.contains("<span class=\"task\">☐</span>"));
    assert!(!en.contains("type=\"checkbox\""), "task lists render without unlabelled inputs");
    assert!(en.contains("<img src=\"/img/frames.svg\" alt=\"Two coordinate frames\""));
    assert!(en.contains("href=\"/kinematics/frames/#rotation\""));
    let frames = text(&r.files, "kinematics/frames/index.html");
    assert!(frames.contains("admonition-warning"));
    assert!(frames.contains(">Warning</p>"), "default admonition title from fluent");
    let home = text(&r.files, "index.html");
    assert!(home.contains("href=\"https://example.com\" rel=\"noopener noreferrer\" target=\"_blank\""));
}

#[test]
fn page_chrome_sidebar_toc_pager_widget() {
    let r = built();
    let en = text(&r.files, "kinematics/index.html");
    assert!(en.contains("href=\"/kinematics/\" aria-current=\"page\""));
    assert!(en.contains("<li class=\"toc-h2\"><a href=\"#forward-kinematics\">Forward kinematics</a>"));
    assert!(en.contains("rel=\"prev\" href=\"/\""));
    assert!(en.contains("rel=\"next\" href=\"/kinematics/frames/\""));
    assert!(en.contains("https://github.com/example/book/edit/main/content/en/01-kinematics/index.md"));
    assert!(en.contains("class=\"skip-link\" href=\"#content\""));
    assert!(en.contains(
        "<script type=\"module\" src=\"/widget/loader.js?v=dev\" data-api-url=\"\" data-site-key=\"pk_local_dev\" data-locale=\"en\" data-page-url=\"/kinematics/\" data-widget-base=\"/widget/\" data-site-base=\"/\" async></script>"
    ));
    let ur = text(&r.files, "ur/kinematics/index.html");
    assert!(ur.contains("data-locale=\"ur\" data-page-url=\"/ur/kinematics/\""));
    assert!(ur.contains(">حرکیات</a>"), "Urdu category label in sidebar");
    assert!(r.warnings.iter().any(|w| w.message.contains("widget build not found")));
}

#[test]
fn seo_files_and_hreflang() {
    let r = built();
    let en = text(&r.files, "kinematics/index.html");
    assert!(en.contains("<link rel=\"canonical\" href=\"https://example.org/kinematics/\">"));
    assert!(en.contains("hreflang=\"ur\" href=\"https://example.org/ur/kinematics/\""));
    assert!(en.contains("hreflang=\"x-default\" href=\"https://example.org/kinematics/\""));
    assert!(en.contains("<meta name=\"description\" content=\"Frames and transforms.\">"));
    assert!(en.contains("og:title"));
    let sitemap = text(&r.files, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/ur/kinematics/frames/</loc>"));
    assert!(
        sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"ur\" href=\"https://example.org/ur/kinematics/\"/>")
    );
    assert!(text(&r.files, "robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
    assert!(text(&r.files, "404.html").contains("Page not found"));
    assert!(text(&r.files, "ur/404.html").contains("صفحہ نہیں ملا"));
    assert!(!text(&r.files, "404.html").contains("aria-current=\"page\""), "404 marks no sidebar entry");
    assert!(r.files.contains_key(".nojekyll"));
    assert!(r.files.contains_key("favicon.svg") || en.contains("favicon.svg"));
}

#[test]
fn css_is_hashed_and_minified() {
    let r = built();
    let css = r.files.keys().find(|k| k.starts_with("css/site.") && k.ends_with(".css")).expect("hashed css");
    assert_ne!(css, "css/site.css");
    assert_eq!(text(&r.files, css), "body{color:black}");
    assert!(text(&r.files, "index.html").contains(&format!("href=\"/{css}\"")));
}

#[test]
fn corpus_records_resolve_to_anchors() {
    let r = built();
    let jsonl = text(&r.files, "rag/corpus.jsonl");
    let recs: Vec<CorpusRecord> = jsonl.lines().map(|l| serde_json::from_str(l).expect("record")).collect();
    assert!(!recs.is_empty());
    for rec in &recs {
        let page = format!("{}index.html", rec.page_url.trim_start_matches('/'));
        let html = text(&r.files, &page);
        if !rec.anchor.is_empty() {
            assert!(html.contains(&format!("id=\"{}\"", rec.anchor)), "{} has no anchor", rec.url);
            assert_eq!(rec.url, format!("{}#{}", rec.page_url, rec.anchor));
        }
        assert!(!rec.text.contains('<'), "plain text: {}", rec.text);
    }
    assert!(recs.iter().any(|r| r.locale == Locale::Ur && r.page_url == "/ur/kinematics/"));
    assert!(!recs.iter().any(|r| r.page_url == "/ur/kinematics/frames/"), "fallback pages stay out of the Urdu corpus");
    let fk = recs.iter().find(|r| r.url == "/kinematics/#forward-kinematics").expect("fk chunk");
    assert_eq!(fk.heading_path, vec!["Forward kinematics".to_string()]);
    assert!(fk.text.contains("def fk(theta)") && fk.text.contains("\\frac{\\pi}{2}"));
    let manifest: CorpusManifest = serde_json::from_str(&text(&r.files, "rag/manifest.json")).expect("manifest");
    assert_eq!(manifest.records, recs.len());
}

#[test]
fn search_index_for_both_locales() {
    let r = built();
    let entry: serde_json::Value = serde_json::from_str(&text(&r.files, "pagefind/pagefind-entry.json")).expect("json");
    for loc in ["en", "ur"] {
        let pages = entry["languages"][loc]["page_count"].as_u64().unwrap_or(0);
        assert!(pages > 0, "{loc} index empty: {entry}");
    }
    assert!(r.files.contains_key("pagefind/pagefind.js"), "search runtime missing");
    assert!(r.files.keys().any(|k| k.starts_with("pagefind/fragment/")), "no fragments");
    // Every page loads the search script, which imports the runtime from under the base URL.
    let page = text(&r.files, "ur/kinematics/index.html");
    assert!(page.contains("data-index=\"/pagefind/pagefind.js\""), "search box not wired to pagefind");
}

#[test]
fn output_is_deterministic() {
    let a = built();
    let b = built();
    assert_eq!(a.files, b.files);
}

#[test]
fn base_url_applied_everywhere() {
    let mut opts = options(&fixture("basic"));
    opts.base_url = Some("/rag-chatbot/".into());
    let r = site::generate(&opts).expect("builds");
    let mut checked = 0;
    for (path, bytes) in &r.files {
        if !(path.ends_with(".html") || path.ends_with(".xml") || path.ends_with(".json")) {
            continue;
        }
        let s = String::from_utf8_lossy(bytes);
        for attr in ["href=\"", "src=\"", "data-widget-base=\"", "data-site-base=\"", "data-index=\""] {
            for (i, _) in s.match_indices(attr) {
                let v = &s[i + attr.len()..];
                if v.starts_with('/') {
                    assert!(v.starts_with("/rag-chatbot/"), "{path}: {}", &v[..v.len().min(60)]);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "checked {checked}");
    // The corpus (and so every URL the server cites) stays root-relative: the widget adds the base.
    let jsonl = text(&r.files, "rag/corpus.jsonl");
    let recs: Vec<CorpusRecord> = jsonl.lines().map(|l| serde_json::from_str(l).expect("record")).collect();
    assert!(recs.iter().any(|r| r.url == "/kinematics/#forward-kinematics"), "corpus URLs carry no base");
    assert!(recs.iter().all(|r| !r.page_url.starts_with("/rag-chatbot/")));
    let page = text(&r.files, "kinematics/index.html");
    assert!(page.contains("data-page-url=\"/kinematics/\""), "page url stays base-free");
    assert!(page.contains("data-site-base=\"/rag-chatbot/\""), "the widget is told the base, not left to guess it");
}

#[test]
fn build_writes_output_dir() {
    let out = tempfile::tempdir().expect("tmp");
    let mut opts = options(&fixture("basic"));
    opts.out = Some(out.path().join("public"));
    site::build(&opts).expect("build");
    assert!(out.path().join("public/ur/kinematics/index.html").is_file());
    assert!(out.path().join("public/rag/corpus.jsonl").is_file());
    // A second build replaces the first without error.
    site::build(&opts).expect("rebuild");
}

#[test]
fn pages_written_during_layout_match_the_in_memory_build() {
    let out = tempfile::tempdir().expect("tmp");
    let mut opts = options(&fixture("basic"));
    opts.out = Some(out.path().join("public"));
    site::build(&opts).expect("build");
    let in_memory = site::generate(&opts).expect("generate");
    let mut on_disk = 0;
    for entry in walkdir::WalkDir::new(out.path().join("public")) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel =
                entry.path().strip_prefix(out.path().join("public")).unwrap().to_string_lossy().replace('\\', "/");
            if rel == site::output::MARKER {
                continue;
            }
            let expected = in_memory.files.get(&rel).unwrap_or_else(|| panic!("{rel} only on disk"));
            assert!(std::fs::read(entry.path()).unwrap() == *expected, "{rel} differs from the in-memory build");
            on_disk += 1;
        }
    }
    assert_eq!(on_disk, in_memory.files.len(), "every file written once");
}

#[test]
fn a_build_failing_during_layout_keeps_the_previous_site() {
    let root = tempfile::tempdir().expect("tmp");
    let templates = root.path().join("templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    for entry in std::fs::read_dir(repo_root().join("site/templates")).expect("templates") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), templates.join(entry.file_name())).expect("copy");
    }
    let out = root.path().join("public");
    let mut opts = options(&fixture("basic"));
    opts.templates_dir = Some(templates.clone());
    opts.out = Some(out.clone());
    site::build(&opts).expect("good build");
    let before = std::fs::read(out.join("kinematics/index.html")).expect("page");

    // A template that fails only when pages are rendered, after the staging directory got some of them.
    let base = std::fs::read_to_string(templates.join("base.html")).expect("base.html");
    std::fs::write(templates.join("base.html"), format!("{base}{{{{ no_such_value.field }}}}")).expect("break");
    assert!(site::build(&opts).is_err(), "the broken template fails the build");
    assert_eq!(std::fs::read(out.join("kinematics/index.html")).expect("page kept"), before);
    assert!(!root.path().join(".public.building").exists(), "no staging left behind");
}

#[test]
fn breadcrumbs_on_every_page_but_home_and_an_inline_toc() {
    let r = built();
    let chapter = text(&r.files, "kinematics/index.html");
    assert!(
        chapter.contains("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumbs\"><ol><li><a href=\"/\">Home</a></li><li aria-current=\"page\">"),
        "a chapter page (a category's own page) has Home › chapter"
    );
    let sub = text(&r.files, "kinematics/frames/index.html");
    assert!(sub.contains("<li><a href=\"/\">Home</a></li><li><a href=\"/kinematics/\">"), "Home › chapter › page");
    let ur = text(&r.files, "ur/kinematics/index.html");
    assert!(ur.contains("<li><a href=\"/ur/\">سرورق</a></li>"), "Urdu breadcrumbs start at the Urdu home");
    assert!(!text(&r.files, "index.html").contains("class=\"breadcrumbs\""), "no breadcrumbs on the home page");
    assert!(chapter.contains("<details class=\"toc-inline\"><summary>On this page</summary>"));
    assert!(chapter.contains("<body data-copy=\"Copy\" data-copied=\"Copied\">"));
    // The sidebar: the chapter with a sub-page keeps its link outside its disclosure.
    assert!(
        chapter.contains("<li class=\"nav-category\"><a href=\"/kinematics/\" aria-current=\"page\">"),
        "{chapter}"
    );
}

#[test]
fn urdu_pages_preload_the_urdu_face_and_english_pages_do_not() {
    let dir = common::temp_site(&[
        ("content/en/index.md", "---\ntitle: Home\ndescription: D\n---\nHello\n"),
        ("content/ur/index.md", "---\ntitle: سرورق\ndescription: D\n---\nسلام\n"),
        ("static/fonts/noto-nastaliq-urdu-subset.woff2", "font"),
        ("static/js/reader.js", "1;"),
    ]);
    let r = site::generate(&options(dir.path())).expect("builds");
    let preload = "<link rel=\"preload\" href=\"/fonts/noto-nastaliq-urdu-subset.woff2\" as=\"font\" type=\"font/woff2\" crossorigin>";
    assert!(text(&r.files, "ur/index.html").contains(preload));
    assert!(!text(&r.files, "index.html").contains("rel=\"preload\""));
    assert!(r.files.contains_key("fonts/noto-nastaliq-urdu-subset.woff2"), "fonts keep their plain path");
    assert!(text(&r.files, "index.html").contains("/js/reader."), "the reader script is linked");
}

/// Every formula of the real textbook converts to MathML: a formula the converter cannot read is shown to readers
/// as TeX source (and, before `site::tex`, as "[PARSE ERROR: …]" inside the page).
#[test]
fn every_formula_of_the_textbook_converts_to_mathml() {
    let opts = site::config::BuildOptions { root: common::repo_root(), ..Default::default() };
    let report = site::check(&opts).expect("the textbook checks");
    let math: Vec<String> =
        report.warnings.iter().map(ToString::to_string).filter(|w| w.contains("math not converted")).collect();
    assert!(math.is_empty(), "{} formulas not converted:\n{}", math.len(), math.join("\n"));
}

/// `Site::find` searches the pages by (locale, key): every page, fallback copies included, is found as itself.
#[test]
fn every_page_is_found_by_locale_and_key() {
    let root = fixture("basic");
    let site = site::content::load(&root, &root.join("content"), false).expect("loads");
    assert!(site.pages.iter().any(|p| p.fallback), "the fixture has an untranslated page");
    for (i, p) in site.pages.iter().enumerate() {
        assert_eq!(site.position(p.locale, &p.key), Some(i), "{:?} {}", p.locale, p.key);
        assert!(std::ptr::eq(site.find(p.locale, &p.key).unwrap(), p));
    }
    assert_eq!(site.find(Locale::Ur, "no-such-page.md").map(|p| &p.url), None);
}
