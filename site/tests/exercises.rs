//! The book's exercises: every exercise has a hint, at least half have a worked solution, and both are collapsed
//! `<details>` (closed until the reader opens them) in both locales, so neither spoils the exercise.

mod common;
use common::*;

/// Numbered items of the chapter's `## Exercises` list (top-level `N. ` lines until the next heading).
fn exercise_count(md: &str) -> usize {
    let Some(start) = md.find("{#exercises}") else { return 0 };
    md[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
        .count()
}

fn summaries(md: &str, prefix: &str, suffix: &str) -> Vec<usize> {
    md.lines()
        .filter_map(|l| l.strip_prefix("<summary>")?.strip_suffix("</summary>"))
        .filter_map(|s| s.strip_prefix(prefix)?.strip_suffix(suffix)?.trim().parse().ok())
        .collect()
}

#[test]
fn every_chapter_has_collapsed_hints_for_all_and_solutions_for_half_in_both_locales() {
    let root = repo_root();
    let mut chapters = 0;
    for locale in ["en", "ur"] {
        let (hint, sol) = match locale {
            "en" => (("Hint for exercise ", ""), ("Solution to exercise ", "")),
            _ => (("مشق ", " کا اشارہ"), ("مشق ", " کا حل")),
        };
        for e in std::fs::read_dir(root.join("content").join(locale)).unwrap().filter_map(Result::ok) {
            let path = e.path().join("index.md");
            let Ok(md) = std::fs::read_to_string(&path) else { continue };
            let count = exercise_count(&md);
            if count == 0 {
                continue;
            }
            chapters += 1;
            let where_ = path.display();
            assert!(!md.contains(":::note Solution") && !md.contains(":::note مشق"), "{where_}: open solution");
            assert!(!md.contains(":::tip Hints") && !md.contains(":::tip اشارے"), "{where_}: open hints");
            let hints = summaries(&md, hint.0, hint.1);
            assert_eq!(hints, (1..=count).collect::<Vec<_>>(), "{where_}: one hint per exercise, in order");
            let solved = summaries(&md, sol.0, sol.1);
            assert!(2 * solved.len() >= count, "{where_}: {} solutions for {count} exercises", solved.len());
            assert!(solved.iter().all(|n| (1..=count).contains(n)), "{where_}: solution to a missing exercise");
            assert_eq!(md.matches("<details>").count(), md.matches("</details>").count(), "{where_}: unbalanced");
            assert!(!md.contains("<details open"), "{where_}: a hint or solution open by default");
        }
    }
    assert_eq!(chapters, 24, "12 chapters with exercises per locale");
}

#[test]
fn a_solution_renders_closed_with_its_markdown_and_math_inside() {
    let page = "---\ntitle: Kinematics\ndescription: D\n---\n\n## Exercises {#exercises}\n\n1. Invert $T$.\n\n\
### Hints and solutions {#exercise-solutions}\n\n<details>\n<summary>Solution to exercise 1</summary>\n\n\
Use $R^\\top$ and **check** the product.\n\n</details>\n";
    let dir = temp_site(&[
        ("content/en/index.md", "---\ntitle: Home\ndescription: D\n---\n\nHome.\n"),
        ("content/en/03-kinematics/index.md", page),
    ]);
    let r = site::generate(&options(dir.path())).expect("builds");
    let html = text(&r.files, "kinematics/index.html");
    let start = html.find("<details>\n<summary>Solution to exercise 1</summary>").expect("closed details with summary");
    let block = &html[start..start + html[start..].find("</details>").expect("closed")];
    assert!(block.contains("<strong>check</strong>"), "Markdown inside is rendered: {block}");
    assert!(block.contains("<math"), "math inside is rendered: {block}");
}
