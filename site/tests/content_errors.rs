//! Content problems fail the build with `file:line:col` diagnostics.

mod common;
use common::*;

fn errors(files: &[(&str, &str)]) -> Vec<site::Diagnostic> {
    common::check_errors(files)
}

#[test]
fn broken_link_names_target_and_position() {
    let d = errors(&[("content/en/index.md", &format!("{FM}\nSee [x](missing.md).\n"))]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].file, std::path::PathBuf::from("content/en/index.md"));
    assert_eq!((d[0].line, d[0].col), (6, 5));
    assert!(d[0].message.contains("missing.md"), "{}", d[0]);
}

#[test]
fn broken_anchor_fails() {
    let d = errors(&[
        ("content/en/index.md", &format!("{FM}\n## A {{#a}}\n\nSee [b](other.md#nope) and [c](#a).\n")),
        ("content/en/other.md", &format!("{FM}\n## B {{#b}}\n")),
    ]);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].line, 8);
    assert!(d[0].message.contains("#nope"), "{}", d[0]);
}

#[test]
fn bad_front_matter_value_names_key_and_line() {
    let d = errors(&[("content/en/index.md", "---\ntitle: T\ndescription: D\nsidebar_position: first\n---\nx\n")]);
    assert_eq!(d[0].line, 4);
    assert!(d[0].message.contains("sidebar_position"), "{}", d[0]);
}

#[test]
fn front_matter_typo_is_a_warning_naming_the_known_field() {
    // Docusaurus accepts any extra field, so an unknown one no longer fails; a likely typo is still reported.
    let dir = temp_site(&[("content/en/index.md", "---\ntitle: T\ndescription: D\nsidebar_postion: 1\n---\nx\n")]);
    let r = site::check(&options(dir.path())).expect("a typo is not fatal");
    let w: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter().any(|w| w.starts_with("content/en/index.md:4:1:") && w.contains("did you mean `sidebar_position`")),
        "{w:?}"
    );
}

#[test]
fn image_without_alt_fails() {
    let d = errors(&[("content/en/index.md", &format!("{FM}\n![](/img/a.svg)\n")), ("static/img/a.svg", "<svg/>")]);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].line, 6);
    assert!(d[0].message.contains("alt text"));
}

#[test]
fn missing_image_file_fails() {
    let d = errors(&[("content/en/index.md", &format!("{FM}\n![A figure](/img/none.svg)\n"))]);
    assert!(d[0].message.contains("/img/none.svg"), "{}", d[0]);
}

#[test]
fn unknown_admonition_type_fails_with_column() {
    // (`caution` is a Docusaurus alias of `warning`, so a made-up kind is used.)
    let d = errors(&[("content/en/index.md", &format!("{FM}\n:::cuation\nx\n:::\n"))]);
    assert_eq!((d[0].line, d[0].col), (6, 4));
    assert!(d[0].message.contains("cuation"));
}

#[test]
fn missing_ui_string_names_key_and_locale() {
    let dir = temp_site(&[
        ("content/en/index.md", &format!("{FM}\nx\n")),
        ("locales/en/site.ftl", "site-title = X\n"),
        ("locales/ur/site.ftl", "site-title = X\n"),
    ]);
    let mut opts = options(dir.path());
    opts.locales_dir = Some(dir.path().join("locales"));
    let err = site::check(&opts).expect_err("missing strings").to_string();
    assert!(err.contains("skip-to-content") && err.contains("`en`"), "{err}");
}

#[test]
fn clean_site_checks_ok() {
    let dir = temp_site(&[("content/en/index.md", &format!("{FM}\n## A\n\ntext\n"))]);
    let r = site::check(&options(dir.path())).expect("ok");
    assert_eq!(r.pages, 2, "English page plus its Urdu fallback");
    assert_eq!(r.parity.untranslated, vec!["index.md".to_string()]);
}

#[test]
fn cached_rebuild_renders_only_the_edited_page() {
    let dir = temp_site(&[
        ("content/en/index.md", &format!("{FM}\nSee [a](a.md#x).\n")),
        ("content/en/a.md", &format!("{FM}\n## X {{#x}}\n\nold\n")),
        ("content/en/b.md", &format!("{FM}\nb\n")),
    ]);
    let opts = options(dir.path());
    let cache = site::RenderCache::default();
    let first = site::generate_cached(&opts, Some(&cache)).expect("first");
    assert_eq!(first.rendered, 6, "3 English pages + 3 Urdu fallbacks");
    std::fs::write(dir.path().join("content/en/b.md"), format!("{FM}\nb changed\n")).expect("edit");
    let second = site::generate_cached(&opts, Some(&cache)).expect("second");
    assert_eq!(second.rendered, 2, "only b.md and its Urdu fallback");
    assert!(String::from_utf8_lossy(&second.files["b/index.html"]).contains("b changed"));
    // Removing the anchor a link depends on is still caught although index.md itself is cached.
    std::fs::write(dir.path().join("content/en/a.md"), format!("{FM}\n## Y\n")).expect("edit");
    let err = site::generate_cached(&opts, Some(&cache)).expect_err("broken anchor").to_string();
    assert!(err.contains("content/en/index.md:6:5") && err.contains("#x"), "{err}");
}
