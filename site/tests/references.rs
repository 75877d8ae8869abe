//! Citations, reference lists, the bibliography page, numbered figures and equations, and the Urdu terminology
//! check: what a build writes, and the `file:line:col` error for each kind of mistake.

mod common;
use common::*;

const BIB: &str = "[kajita2003]\nauthors = [\"S. Kajita\", \"F. Kanehiro\", \"K. Kaneko\"]\n\
title = \"Biped walking pattern generation by using preview control of zero-moment point\"\n\
venue = \"Proc. ICRA\"\nyear = 2003\ndoi = \"10.1109/ROBOT.2003.1241826\"\n\n\
[pratt2006]\nauthors = [\"J. Pratt\"]\ntitle = \"Capture point\"\nvenue = \"Humanoids\"\nyear = 2006\n\
url = \"https://example.org/capture\"\n\n\
[unused1999]\nauthors = [\"A. Nobody\"]\ntitle = \"Never cited\"\nvenue = \"Nowhere\"\nyear = 1999\n\
url = \"https://example.org/unused\"\n";

const CHAPTER: &str = "---\ntitle: Locomotion\ndescription: D\n---\n\n\
Walking uses preview control [@kajita2003]. Both ideas [@pratt2006; @kajita2003] appear in [@fig:lipm].\n\n\
![A pendulum on a foot](/img/lipm.svg \"The linear inverted pendulum\")\n\n\
$$\n\\ddot x = \\omega^2 (x - p) \\label{eq:lipm}\n$$\n\n\
Equation [@eq:lipm] is linear. Code keeps its text: `[@kajita2003]`.\n\n\
## Next {#next}\n\nMore [@pratt2006].\n";

fn site_files(chapter_ur: &str) -> Vec<(&str, &str)> {
    vec![
        ("content/bibliography.toml", BIB),
        ("content/en/index.md", "---\ntitle: Home\ndescription: D\n---\n\nHome.\n"),
        ("content/en/08-locomotion/index.md", CHAPTER),
        ("content/ur/08-locomotion/index.md", chapter_ur),
        ("content/en/bibliography.md", "---\ntitle: Bibliography\ndescription: D\n---\n\n## All {#all}\n\n[@*]\n"),
        ("static/img/lipm.svg", "<svg/>"),
        ("static/img/ur/lipm.svg", "<svg/>"),
    ]
}

const CHAPTER_UR: &str = "---\ntitle: چال\ndescription: D\n---\n\n\
پیش بینی کنٹرول [@kajita2003]، دیکھیں [@fig:lipm]۔\n\n\
![پاؤں پر پنڈولم](/img/ur/lipm.svg \"خطی الٹا پنڈولم\")\n\n## Next {#next}\n\nمزید۔\n";

fn errors(files: &[(&str, &str)]) -> Vec<site::Diagnostic> {
    common::check_errors(files)
}

#[test]
fn citations_render_numbered_links_and_a_reference_list_in_order_of_first_citation() {
    let dir = temp_site(&site_files(CHAPTER_UR));
    let r = site::generate(&options(dir.path())).expect("builds");
    let en = text(&r.files, "locomotion/index.html");
    assert!(
        en.contains("<span class=\"cite\">[<a href=\"#ref-kajita2003\" role=\"doc-biblioref\">1</a>]</span>"),
        "first citation is [1]"
    );
    assert!(
        en.contains("[<a href=\"#ref-pratt2006\" role=\"doc-biblioref\">2</a>, <a href=\"#ref-kajita2003\""),
        "[2, 1]"
    );
    assert!(en.contains("<h2 id=\"references\">References</h2>"));
    let list = &en[en.find("<ol class=\"references\">").expect("list")..];
    let (k, p) = (list.find("id=\"ref-kajita2003\"").unwrap(), list.find("id=\"ref-pratt2006\"").unwrap());
    assert!(k < p, "numbered by first citation");
    assert!(list.contains("href=\"https://doi.org/10.1109/ROBOT.2003.1241826\""));
    assert!(!en.contains("unused1999"), "only cited entries are listed");
    assert!(en.contains("<code>[@kajita2003]</code>"), "code spans are not citations");
    assert!(en.contains("href=\"#references\""), "the list is in the table of contents");
    // Urdu: localised heading, same entry ids.
    let ur = text(&r.files, "ur/locomotion/index.html");
    assert!(ur.contains("<h2 id=\"references\">حوالہ جات</h2>"));
    assert!(ur.contains("id=\"ref-kajita2003\" dir=\"ltr\" lang=\"en\""));
}

#[test]
fn figures_and_equations_are_numbered_by_chapter_and_referenced() {
    let dir = temp_site(&site_files(CHAPTER_UR));
    let r = site::generate(&options(dir.path())).expect("builds");
    let en = text(&r.files, "locomotion/index.html");
    assert!(en.contains("<figure class=\"figure\" id=\"fig-lipm\"><img src=\"/img/lipm.svg\" alt=\"A pendulum on a foot\" loading=\"lazy\">"), "{en}");
    assert!(en.contains("<figcaption><span class=\"figure-number\">Figure 8.1:</span> The linear inverted pendulum</figcaption></figure>"));
    assert!(en.contains("<a class=\"xref\" href=\"#fig-lipm\">Figure 8.1</a>"), "referenced before the figure");
    assert!(en.contains("<span class=\"equation\" id=\"eq-lipm\">"));
    assert!(en.contains("<span class=\"eq-number\">(8.1)</span>"));
    assert!(en.contains("<a class=\"xref\" href=\"#eq-lipm\">(8.1)</a>"));
    assert!(!en.contains("\\label") && !en.contains("eq:lipm"), "\\label is removed from the formula");
    let ur = text(&r.files, "ur/locomotion/index.html");
    assert!(
        ur.contains("<figure class=\"figure\" id=\"fig-lipm\"><img src=\"/img/ur/lipm.svg\""),
        "Urdu figure keeps the id"
    );
    assert!(ur.contains("شکل 8.1:</span> خطی الٹا پنڈولم"));
    assert!(ur.contains(">شکل 8.1</a>"));
}

#[test]
fn every_display_formula_is_numbered_and_only_labelled_ones_get_an_id() {
    let chapter = CHAPTER.replace("![A pendulum", "$$\nE = mc^2\n$$\n\n![A pendulum") + "\n$$\nx = 1\n$$\n";
    let dir = temp_site(
        &site_files(CHAPTER_UR)
            .into_iter()
            .map(|(p, t)| (p, if p == "content/en/08-locomotion/index.md" { chapter.as_str() } else { t }))
            .collect::<Vec<_>>(),
    );
    let r = site::generate(&options(dir.path())).expect("builds");
    let en = text(&r.files, "locomotion/index.html");
    let open = "<span class=\"eq-number\">";
    let numbers: Vec<&str> = en.match_indices(open).map(|(i, _)| &en[i + open.len()..i + open.len() + 5]).collect();
    assert_eq!(numbers, ["(8.1)", "(8.2)", "(8.3)"], "numbered in page order: {en}");
    assert!(en.contains("<span class=\"equation\"><span class=\"math"), "unlabelled: numbered, no id");
    assert!(en.contains("<span class=\"equation\" id=\"eq-lipm\">"));
    assert!(en.contains("<a class=\"xref\" href=\"#eq-lipm\">(8.2)</a>"), "the reference follows the number");
}

#[test]
fn search_and_corpus_get_readable_citations_not_raw_keys() {
    let dir = temp_site(&site_files(CHAPTER_UR));
    let r = site::generate(&options(dir.path())).expect("builds");
    let corpus = text(&r.files, "rag/corpus.jsonl");
    // Only the code span keeps `[@kajita2003]`; no citation, figure or equation reference leaks as raw syntax.
    for raw in ["[@pratt2006", "@kajita2003]. Both", "[@fig:", "[@eq:"] {
        assert!(!corpus.contains(raw), "raw citation syntax {raw} in the corpus");
    }
    assert!(corpus.contains("(Kajita et al., 2003)"), "a citation reads as author and year");
    assert!(corpus.contains("Figure 8.1: The linear inverted pendulum"), "captions are text");
    assert!(!corpus.contains("#references"), "reference lists stay out of the corpus (retrieval noise)");
    assert!(!corpus.contains("Biped walking pattern generation"), "no entry text in the corpus");
    let search: String = r.search_pages.iter().flat_map(|p| p.sections.iter().map(|s| s.text.clone())).collect();
    assert!(
        !search.contains("[@pratt2006") && !search.contains("[@fig:"),
        "no raw citation syntax in the search index"
    );
}

#[test]
fn bibliography_page_lists_every_entry_with_links_back_to_citing_pages() {
    let dir = temp_site(&site_files(CHAPTER_UR));
    let r = site::generate(&options(dir.path())).expect("builds");
    let bib = text(&r.files, "bibliography/index.html");
    for key in ["kajita2003", "pratt2006", "unused1999"] {
        assert!(bib.contains(&format!("id=\"ref-{key}\"")), "{key} listed");
    }
    let k = &bib[bib.find("id=\"ref-kajita2003\"").unwrap()..];
    let k = &k[..k.find("</li>").unwrap()];
    assert!(k.contains("Cited in: <a href=\"/locomotion/#ref-kajita2003\">Locomotion</a>"), "{k}");
    let u = &bib[bib.find("id=\"ref-unused1999\"").unwrap()..];
    assert!(!u[..u.find("</li>").unwrap()].contains("cited-in"), "no back-links for an uncited entry");
    // Sorted by first author's surname: Kajita < Nobody < Pratt.
    let pos = |k: &str| bib.find(&format!("id=\"ref-{k}\"")).unwrap();
    assert!(pos("kajita2003") < pos("unused1999") && pos("unused1999") < pos("pratt2006"));
    assert!(!bib.contains("site:bibliography"), "placeholder replaced");
    // The Urdu URL (an untranslated fallback here) links to Urdu pages.
    let ur = text(&r.files, "ur/bibliography/index.html");
    assert!(ur.contains("href=\"/ur/locomotion/#ref-kajita2003\""), "Urdu back-links stay in Urdu");
    let corpus = text(&r.files, "rag/corpus.jsonl");
    assert!(!corpus.contains("Never cited"), "the full list stays out of the corpus");
}

#[test]
fn unknown_citation_key_fails_with_position() {
    let ch = CHAPTER.replace("More [@pratt2006].", "More [@prat2006].");
    let mut files = site_files(CHAPTER_UR);
    files[2].1 = &ch;
    let d = errors(&files);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file, std::path::PathBuf::from("content/en/08-locomotion/index.md"));
    assert_eq!((d[0].line, d[0].col), (18, 6), "{}", d[0]);
    assert!(d[0].message.contains("unknown citation key `prat2006`"), "{}", d[0]);
}

#[test]
fn unknown_figure_and_equation_labels_fail_with_position() {
    let ch = CHAPTER
        .replace("appear in [@fig:lipm]", "appear in [@fig:lpm]")
        .replace("Equation [@eq:lipm]", "Equation [@eq:x]");
    let mut files = site_files(CHAPTER_UR);
    files[2].1 = &ch;
    let d = errors(&files);
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!((d[0].line, d[0].col), (6, 92), "{}", d[0]);
    assert!(d[0].message.contains("unknown label `fig:lpm`"), "{}", d[0]);
    assert_eq!((d[1].line, d[1].col), (14, 10), "{}", d[1]);
    assert!(d[1].message.contains("unknown label `eq:x`"), "{}", d[1]);
}

#[test]
fn duplicate_and_malformed_labels_fail() {
    let ch = CHAPTER.replace(
        "\\label{eq:lipm}\n$$\n",
        "\\label{eq:lipm}\n$$\n\n$$\ny \\label{eq:lipm}\n$$\n\n$$\nz \\label{lipm}\n$$\n",
    );
    let mut files = site_files(CHAPTER_UR);
    files[2].1 = &ch;
    let d = errors(&files);
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0].line, 14);
    assert!(d[0].message.contains("`eq:lipm` is used twice"), "{}", d[0]);
    assert_eq!(d[1].line, 18);
    assert!(d[1].message.contains("must be `eq:`"), "{}", d[1]);
}

#[test]
fn bad_bibliography_entry_fails_naming_the_file_and_line() {
    let bib = BIB.replace("doi = \"10.1109/ROBOT.2003.1241826\"", "doi = \"doi:10.1109/x\"");
    let mut files = site_files(CHAPTER_UR);
    files[0].1 = &bib;
    let d = errors(&files);
    assert_eq!(d[0].file, std::path::PathBuf::from("content/bibliography.toml"));
    assert_eq!(d[0].line, 1, "{}", d[0]);
    assert!(d[0].message.contains("[kajita2003]: `doi`"), "{}", d[0]);
}

#[test]
fn hand_written_references_heading_clashes_with_the_generated_list() {
    let ch = format!("{CHAPTER}\n## References {{#references}}\n\nOld list.\n");
    let mut files = site_files(CHAPTER_UR);
    files[2].1 = &ch;
    let d = errors(&files);
    assert!(d.iter().any(|e| e.message.contains("`references` is reserved")), "{d:?}");
}

#[test]
fn urdu_terminology_variants_fail_with_position() {
    let ur = CHAPTER_UR.replace("مزید۔", "یہ سمیولیشن اور انسان نما روبوٹ۔");
    let d = errors(&site_files(&ur));
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0].file, std::path::PathBuf::from("content/ur/08-locomotion/index.md"));
    assert_eq!((d[0].line, d[0].col), (12, 4), "{}", d[0]);
    assert!(d[0].message.contains("`سمیول`") && d[0].message.contains("سمولیشن"), "{}", d[0]);
    assert_eq!((d[1].line, d[1].col), (12, 17), "{}", d[1]);
    assert!(d[1].message.contains("ہیومنائیڈ"), "{}", d[1]);
}

#[test]
fn the_book_has_no_urdu_terminology_variants() {
    let root = repo_root();
    let terms = site::terms::load(&root.join("locales/ur/terms.toml"), "locales/ur/terms.toml").expect("valid table");
    assert!(terms.len() >= 5);
    let mut found = vec![];
    for e in walkdir::WalkDir::new(root.join("content/ur")).into_iter().filter_map(Result::ok) {
        if e.path().extension().is_some_and(|x| x == "md") {
            let t = std::fs::read_to_string(e.path()).unwrap();
            found.extend(site::terms::check(&terms, &e.path().display().to_string(), &t));
        }
    }
    assert!(found.is_empty(), "{}", found.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"));
}

#[test]
fn malformed_citations_are_errors_not_panics() {
    for (body, expect) in [
        ("See [@].\n", "not a valid key"),
        ("$$\nx \\label{eq:a}\n$$\n\nSee [@eq:a; b].\n", "does not start with `@`"),
        ("See [@fig:].\n", "unknown label `fig:`"),
        ("See [@eq:nope].\n", "unknown label `eq:nope`"),
        ("See [@bad key].\n", "not a valid key"),
        ("$$\nx \\label{eq:}\n$$\n", "must be `eq:`"),
    ] {
        let r = common::render_snippet("x.md", body);
        assert!(r.errors.iter().any(|e| e.message.contains(expect)), "{body:?}: {:?}", r.errors);
        assert!(!r.html.contains("[@"), "{body:?} left raw syntax: {}", r.html);
    }
}
