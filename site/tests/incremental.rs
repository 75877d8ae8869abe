//! A full build and an incremental one give the same bytes: `site build` reusing its cache and the output it
//! replaces (`.public.cache`, `.public.previous`), and `site serve` reusing renders and search bundles in memory,
//! each after edits, against a cold build of the edited site.

mod common;
use common::*;
use site::BuildMode;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` (relative path -> bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_string_lossy().into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().map(|e| e.expect("walk")) {
        let dest = to.join(e.path().strip_prefix(from).expect("under from"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// A paragraph of one page: only that page's render and search text change.
fn edit_text(root: &Path) {
    let frames = root.join("content/en/01-kinematics/frames.md");
    let text = std::fs::read_to_string(&frames).expect("read");
    std::fs::write(&frames, format!("{text}\nA new paragraph about frames.\n")).expect("edit");
}

/// A page title: its sidebar label, so every page's layout changes.
fn edit_title(root: &Path) {
    let frames = root.join("content/en/01-kinematics/frames.md");
    let text = std::fs::read_to_string(&frames).expect("read").replace("title: Frames", "title: Frames of reference");
    std::fs::write(&frames, text).expect("edit");
}

/// A new page and a removed one (every link target of the locale may change: all of it re-renders).
fn edit_pages(root: &Path) {
    std::fs::write(
        root.join("content/en/01-kinematics/joints.md"),
        format!("{FM}\n## Joints {{#joints}}\n\nRevolute.\n"),
    )
    .expect("add");
    std::fs::remove_file(root.join("content/ur/01-kinematics/index.md")).expect("remove");
}

fn assert_same(full: &BTreeMap<String, Vec<u8>>, incremental: &BTreeMap<String, Vec<u8>>) {
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(incremental), names(full), "same files");
    for (path, bytes) in full {
        assert!(incremental[path] == *bytes, "{path} differs");
    }
}

#[test]
fn an_incremental_build_writes_the_same_bytes_as_a_full_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_dir(&fixture("basic"), &root);
    let opts = |out: &str| site::BuildOptions { out: Some(tmp.path().join(out)), ..options(&root) };

    // Two builds before the edits fill the cache and leave a replaced generation to stage into.
    site::build(&opts("inc")).expect("first build");
    site::build(&opts("inc")).expect("second build");
    assert!(tmp.path().join(".inc.cache/renders.pack").is_file() && tmp.path().join(".inc.previous").is_dir());
    for (step, edit) in [edit_text as fn(&Path), edit_title, edit_pages].into_iter().enumerate() {
        edit(&root);
        let incremental = site::build(&opts("inc")).expect("incremental build");
        if step < 2 {
            assert!(incremental.rendered < incremental.pages, "cached renders were reused");
        }
        let full_dir = format!("full{step}");
        let full = site::build(&opts(&full_dir)).expect("full build");
        assert_eq!(full.rendered, full.pages, "a cold build renders every page");
        let inc_tree = tree(&tmp.path().join("inc"));
        assert!(inc_tree.keys().any(|k| k.starts_with("pagefind/fragment/")), "search bundle written");
        assert_same(&tree(&tmp.path().join(full_dir)), &inc_tree);
    }
    assert!(tree(&tmp.path().join("inc")).contains_key("kinematics/joints/index.html"));
}

#[test]
fn serve_rebuilds_give_the_same_files_as_a_full_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_dir(&fixture("basic"), &root);
    let opts = options(&root);
    let cache = site::RenderCache::default();
    let serve = || {
        let r = site::generate_with(&opts, BuildMode::DeferredSearch, Some(&cache)).expect("serve build");
        let mut files = r.files.clone();
        files.extend(site::pipeline::search_bundle(&r.search_pages, &r.urls, Some(&cache), None).expect("search"));
        (r.rendered, files)
    };
    serve();
    for (step, edit) in [edit_text as fn(&Path), edit_title, edit_pages].into_iter().enumerate() {
        edit(&root);
        let (rendered, served) = serve();
        let full = site::generate(&opts).expect("full build");
        if step < 2 {
            assert!(rendered < full.pages, "cached renders were reused");
        }
        let to_tree =
            |f: &site::assets::Files| f.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<BTreeMap<_, _>>();
        assert_same(&to_tree(&full.files), &to_tree(&served));
    }
}

#[test]
fn serve_rebuilds_check_the_urdu_terms_of_an_edited_page_again() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_dir(&fixture("basic"), &root);
    let opts = options(&root);
    let cache = site::RenderCache::default();
    let serve = || site::generate_with(&opts, BuildMode::DeferredSearch, Some(&cache));
    serve().expect("clean build");
    let page = root.join("content/ur/index.md");
    let good = std::fs::read_to_string(&page).expect("read");
    // "لکیری" is a rejected spelling of "linear" in locales/ur/terms.toml; the cached findings of the unedited
    // file must not hide it.
    std::fs::write(&page, format!("{good}\nیہ ایک لکیری نظام ہے۔\n")).expect("edit");
    let err = serve().expect_err("a rejected variant fails the rebuild").to_string();
    assert!(err.contains("content/ur/index.md") && err.contains("لکیری"), "{err}");
    std::fs::write(&page, good).expect("fix");
    serve().expect("fixed");
}
