//! loader.js inlines the launcher strings so it needs no extra request; these must stay equal to the Fluent files.

use protocol::Locale;
use widget::i18n::{I18n, source};

fn loader() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/loader.js")).expect("widget/loader.js readable")
}

#[test]
fn loader_strings_equal_the_ftl_values() {
    let js = loader();
    let start = js.find("/*i18n*/").expect("i18n marker") + "/*i18n*/".len();
    let end = js[start..].find("/*end*/").expect("end marker") + start;
    let table: serde_json::Value = serde_json::from_str(&js[start..end]).expect("loader table is JSON");
    for l in Locale::ALL {
        let strings = table[l.as_str()].as_object().expect("locale table");
        assert_eq!(strings.len(), 6, "{l}: {strings:?}");
        let i18n = I18n::new(l);
        for (id, value) in strings {
            assert!(source(l).contains(&format!("\n{id} = ")), "{l}: {id} missing from widget.ftl");
            assert_eq!(value.as_str(), Some(i18n.t(id).as_str()), "{l}: {id}");
        }
    }
}

#[test]
fn loader_never_uses_inner_html_and_stays_small() {
    let js = loader();
    assert!(!js.contains("innerHTML"), "loader must build DOM with text nodes only");
    assert!(js.len() < 12_000, "loader.js grew to {} bytes", js.len());
}
