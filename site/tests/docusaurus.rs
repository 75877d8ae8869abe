//! A Docusaurus docs tree (tests/fixtures/docusaurus: `docs/`, the Urdu i18n folder, `_category_.json`/`.yml`,
//! MDX, no front matter, custom fields, number prefixes, a `slug: /` root doc) builds unchanged, passes `check`,
//! and `site import docusaurus` turns it into this project's layout with the same pages.

mod common;
use common::*;
use site::BuildOptions;
use std::path::Path;

fn docusaurus_options(root: &Path) -> BuildOptions {
    BuildOptions { widget_dir: Some(root.join("no-widget")), ..BuildOptions::new(root) }
}

fn page<'a>(files: &'a site::assets::Files, path: &str) -> std::borrow::Cow<'a, str> {
    String::from_utf8_lossy(files.get(path).unwrap_or_else(|| panic!("missing {path}; have {:?}", files.keys())))
}

#[test]
fn docusaurus_tree_builds_unchanged_and_checks() {
    let root = fixture("docusaurus");
    let checked = site::check(&docusaurus_options(&root)).expect("site check passes");
    let r = site::generate(&docusaurus_options(&root)).expect("builds");
    assert_eq!(checked.pages, r.pages);
    let f = &r.files;

    // `slug: /` makes the root page; no front-matter title: the first `# Heading` is the title, shown once.
    let home = page(f, "index.html");
    assert_eq!(home.matches("<h1").count(), 1, "{home}");
    assert!(home.contains("<h1>Welcome to the Robot Book</h1>"));
    assert!(home.contains("<title>Welcome to the Robot Book |"));
    // No `description`: the first paragraph.
    assert!(home.contains(
        "<meta name=\"description\" content=\"This book teaches robots from the ground up, one small step at a time.\">"
    ));
    assert!(home.contains("<p class=\"admonition-title\">Before you start</p>"), ":::tip[Title]");
    assert!(f.contains_key("404.html") && f.contains_key("ur/404.html"));
    assert!(f.contains_key("ur/index.html"));

    // `_category_.json` with a generated index; `01-` prefixes stripped from URLs; `sidebar_label`.
    let index = page(f, "getting-started/index.html");
    assert!(index.contains("<h1>Getting started</h1>"), "{index}");
    assert!(index.contains("Install the tools and run a first robot."));
    assert!(index.contains("href=\"/getting-started/install/\">Install</a>"), "{index}");
    assert!(index.contains("href=\"/getting-started/first-robot/\">Your first robot</a>"), "{index}");

    // MDX: imports dropped, Tabs as labelled sections (dedented content), code titles, highlighting, numbers,
    // nested admonitions and the `caution` alias.
    let install = page(f, "getting-started/install/index.html");
    assert!(!install.contains("import Tabs"), "import lines are not shown");
    assert!(install.contains("<section class=\"tab\"><p class=\"tab-label\">Linux</p>"), "{install}");
    assert!(install.contains("<p class=\"tab-label\">macOS</p>"));
    assert!(install.contains("<div class=\"code-title\" dir=\"ltr\">install.sh</div>"), "{install}");
    assert!(install.contains("<div class=\"code-title\" dir=\"ltr\">check.py</div>"));
    assert_eq!(install.matches("code-line highlighted").count(), 2, "{{2}} and highlight-next-line: {install}");
    assert!(!install.contains("highlight-next-line"));
    assert!(install.contains("<span class=\"line-number\" aria-hidden=\"true\">2</span>"));
    assert!(
        install.contains("<aside class=\"admonition admonition-info\"><p class=\"admonition-title\">Nested notes</p>")
    );
    assert!(install.contains("admonition-warning"), "caution is warning");
    assert!(install.contains("<meta name=\"keywords\" content=\"install, python\">"));

    // No front matter at all; `<details>`; an unknown JSX component keeps its text.
    let first = page(f, "getting-started/first-robot/index.html");
    assert!(first.contains("<h1>Your first robot</h1>"));
    assert!(first.contains("<details>") && first.contains("<summary>What does the script do?</summary>"), "{first}");
    assert!(first.contains("The text inside a component is kept."));
    assert!(!first.contains("&lt;Highlight"), "the component's tags are dropped");

    // `_category_.yml` linking a doc; `03_` prefix; `pagination_next: null`; `last_update`; toc levels.
    let kin = page(f, "concepts/kinematics/index.html");
    assert!(!kin.contains("class=\"pager-next\""), "pagination_next: null");
    assert!(kin.contains("2024-05-01"), "last_update.date");
    let overview = page(f, "concepts/overview/index.html");
    assert!(overview.contains("toc-h4"), "toc_max_heading_level: 4");
    assert!(overview.contains("og:image\" content=\"/img/robot.svg\""));
    assert!(home.contains("href=\"/concepts/overview/\">Concepts</a>"), "category opens its doc: {home}");
    assert!(page(f, "concepts/kinematics/index.html").contains("<span>Previous</span> Concepts"), "pagination_label");

    // `unlisted`: built, not in the sidebar or sitemap, noindex.
    let hidden = page(f, "concepts/hidden/index.html");
    assert!(hidden.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!home.contains("/concepts/hidden/"));
    assert!(!page(f, "sitemap.xml").contains("/concepts/hidden/"));

    // Urdu from i18n/ur/...: translated page, UI strings from code.json and navbar.json, fallback notice.
    let ur = page(f, "ur/index.html");
    assert!(ur.contains("<h1>روبوٹ کی کتاب میں خوش آمدید</h1>"), "{ur}");
    assert!(ur.contains("اگلا صفحہ"), "code.json paginator label: {ur}");
    assert!(ur.contains("روبوٹ کی کتاب</"), "navbar title as site title");
    let ur_install = page(f, "ur/getting-started/install/index.html");
    assert!(ur_install.contains("untranslated-notice"));
    assert!(page(f, "ur/getting-started/index.html").contains("<h1>آغاز</h1>"), "Urdu category label");

    // Warnings name file:line for what is not supported, never fail the build.
    let w: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter().any(|w| w.starts_with("docs/02-concepts/03_kinematics.md:4:1:") && w.contains("`tags`")),
        "{w:#?}"
    );
    assert!(
        w.iter().any(|w| w.starts_with("docs/01-getting-started/02-first-robot.md:14:1:") && w.contains("<Highlight>")),
        "{w:#?}"
    );
}

#[test]
fn broken_links_still_fail_in_a_docusaurus_tree() {
    let dir = temp_site(&[
        ("docusaurus.config.js", "module.exports = {};\n"),
        ("docs/intro.md", "# Hi\n\nSee [gone](gone.mdx) and [ref][nowhere].\n"),
    ]);
    let err = site::check(&docusaurus_options(dir.path())).expect_err("broken links fail");
    let text = err.to_string();
    assert!(text.contains("docs/intro.md:3:5: broken link `gone.mdx`"), "{text}");
    assert!(text.contains("docs/intro.md:3:26: broken reference link"), "{text}");
}

#[test]
fn import_round_trips_to_the_same_pages() {
    let src = fixture("docusaurus");
    let dest = tempfile::tempdir().expect("tmp");
    let report = site::import::import_docusaurus(&src, dest.path()).expect("import");
    assert_eq!(report.pages, 7);
    assert_eq!(report.categories, 3);
    let cat = std::fs::read_to_string(dest.path().join("content/en/01-getting-started/_category_.toml")).expect("toml");
    assert!(cat.contains("label = \"Getting started\"") && cat.contains("generated-index"), "{cat}");
    assert!(cat.contains("position = 2\n"), "whole positions stay integers: {cat}");
    let first =
        std::fs::read_to_string(dest.path().join("content/en/01-getting-started/02-first-robot.md")).expect("md");
    assert!(first.starts_with("---\ntitle: Your first robot\n---\n# Your first robot\n"), "{first}");
    let text = std::fs::read_to_string(dest.path().join("IMPORT-REPORT.md")).expect("report");
    assert!(text.contains("sidebars.js") && text.contains("<Highlight>") && text.contains("`tags`"), "{text}");
    assert!(text.contains("next-page = اگلا صفحہ"), "UI strings to copy by hand: {text}");

    let imported = site::generate(&docusaurus_options(dest.path())).expect("the imported tree builds");
    let original = site::generate(&docusaurus_options(&src)).expect("the original builds");
    let pages = |files: &site::assets::Files| -> Vec<String> {
        files.keys().filter(|k| k.ends_with(".html")).cloned().collect()
    };
    assert_eq!(pages(&imported.files), pages(&original.files));
    let article =
        |html: &str| html.split_once("<article").map(|(_, a)| a.split("</article>").next().unwrap_or("").to_string());
    for path in pages(&original.files) {
        assert_eq!(
            article(&page(&imported.files, &path)),
            article(&page(&original.files, &path)),
            "{path} differs after import"
        );
    }
    assert_eq!(text_of(&imported.files, "rag/corpus.jsonl"), text_of(&original.files, "rag/corpus.jsonl"));
    site::check(&docusaurus_options(dest.path())).expect("the imported tree passes check");
    // A second import into the same place is refused rather than mixing two trees.
    assert!(site::import::import_docusaurus(&src, dest.path()).is_err());
}

fn text_of(files: &site::assets::Files, path: &str) -> String {
    text(files, path)
}

#[test]
fn unknown_doc_ids_fail_with_file_and_line() {
    let dir = temp_site(&[
        ("docusaurus.config.js", "module.exports = {\n  title: 'Tiny Book',\n};\n"),
        ("docs/intro.md", "---\nslug: /\npagination_next: nowhere\n---\n# Hi\n\ntext\n"),
        ("docs/guide/_category_.yml", "label: Guide\nlink:\n  type: doc\n  id: missing\n"),
        ("docs/guide/a.md", "# A\n"),
    ]);
    let err = site::check(&docusaurus_options(dir.path())).expect_err("unknown ids fail").to_string();
    assert!(err.contains("docs/intro.md:3:1: `pagination_next`: no doc with id `nowhere`"), "{err}");
    assert!(err.contains("docs/guide/_category_.yml:4:1: category link: no doc with id `missing`"), "{err}");

    std::fs::write(dir.path().join("docs/intro.md"), "---\nslug: /\npagination_next: guide/a\n---\n# Hi\n\ntext\n")
        .expect("w");
    std::fs::write(dir.path().join("docs/guide/_category_.yml"), "label: Guide\nlink:\n  type: doc\n  id: a\n")
        .expect("w");
    let r = site::generate(&docusaurus_options(dir.path())).expect("ids resolve");
    let home = text(&r.files, "index.html");
    assert!(home.contains("href=\"/guide/a/\"><span>Next</span> A</a>"), "{home}");
    assert!(home.contains("<title>Hi | Tiny Book</title>"), "site title from docusaurus.config.js: {home}");
}

#[test]
fn docs_without_a_root_page_still_answer_at_the_root() {
    // The home page of many Docusaurus sites is a React page outside docs/: `/` redirects to the first doc.
    let dir = temp_site(&[
        ("docusaurus.config.js", "module.exports = {};\n"),
        ("docs/01-intro.md", "# Intro\n\ntext\n"),
        ("docs/02-next.md", "# Next\n\ntext\n"),
    ]);
    let r = site::generate(&docusaurus_options(dir.path())).expect("builds");
    let root = text(&r.files, "index.html");
    assert!(root.contains("http-equiv=\"refresh\" content=\"0; url=/intro/\""), "{root}");
    assert!(text(&r.files, "ur/index.html").contains("url=/ur/intro/"));
    assert!(r.files.contains_key("404.html"));
    assert!(r.warnings.iter().any(|w| w.message.contains("no page at `/`")), "{:?}", r.warnings);
}
