//! Property tests: arbitrary Markdown never panics the renderer; slugs are stable and valid.

use proptest::prelude::*;
use site::markdown::{RenderInput, render};
use std::collections::BTreeMap;
use std::path::Path;

fn render_body(body: &str) -> site::markdown::Rendered {
    let pages: BTreeMap<String, String> = [("index.md".to_string(), "/".to_string())].into();
    let titles = BTreeMap::new();
    let input = RenderInput {
        file: Path::new("x.md"),
        source: body,
        body_offset: 0,
        page_key: "index.md",
        page_url: "/",
        base_url: "/",
        pages: &pages,
        static_dir: Path::new("/nonexistent"),
        admonition_titles: &titles,
    };
    render(&input)
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
