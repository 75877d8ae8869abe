//! Unicode-aware heading slugs: Urdu headings keep their letters so anchors stay readable.

/// Lower-cases, keeps letters and digits of any script, turns whitespace and `-` runs into one `-`.
/// Combining marks (e.g. Urdu diacritics) and punctuation are dropped: they are optional in Urdu
/// spelling, so keeping them would give two spellings of one heading two different anchors.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars() {
        // Rust counts most combining marks as alphabetic (Unicode's Other_Alphabetic: zabar, zer, pesh, shadda...),
        // so they are skipped explicitly, before the letter test.
        if unicode_normalization::char::is_combining_mark(ch) {
            continue;
        }
        if ch.is_alphanumeric() || ch == '_' {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(ch.to_lowercase());
        } else if ch.is_whitespace() || ch == '-' {
            pending_dash = true;
        }
    }
    if out.is_empty() { "section".to_string() } else { out }
}

/// Makes `slug` unique among `used` by appending `-1`, `-2`, ... and records it.
pub fn unique(slug: String, used: &mut std::collections::HashSet<String>) -> String {
    if used.insert(slug.clone()) {
        return slug;
    }
    let mut n = 1;
    loop {
        let candidate = format!("{slug}-{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// The id Docusaurus (github-slugger) gives a heading, when it differs from `ours` and is free: lower-cased,
/// punctuation and symbols dropped, every space a `-` (runs are not collapsed, marks are kept).
pub fn docusaurus_alias(text: &str, ours: &str, used: &mut std::collections::HashSet<String>) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        if ch.is_alphanumeric() || ch == '_' || ch == '-' || unicode_normalization::char::is_combining_mark(ch) {
            out.extend(ch.to_lowercase());
        } else if ch == ' ' {
            out.push('-');
        }
    }
    (out != ours && is_valid_id(&out) && used.insert(out.clone())).then_some(out)
}

/// True when `s` is usable as an HTML id and URL fragment without escaping.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == '#' || c == '"' || c == '<' || c == '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_heading() {
        assert_eq!(slugify("Forward Kinematics: the Basics!"), "forward-kinematics-the-basics");
    }

    #[test]
    fn urdu_heading_keeps_letters() {
        assert_eq!(slugify("آگے کی حرکیات"), "آگے-کی-حرکیات");
    }

    #[test]
    fn urdu_diacritics_do_not_change_the_slug() {
        // Regression (found by the slug property tests): zer/zabar/shadda were kept, so "درجاتِ آزادی" and
        // "درجات آزادی" got different anchors although the marks are optional in Urdu spelling.
        assert_eq!(slugify("درجاتِ آزادی"), slugify("درجات آزادی"));
        assert_eq!(slugify("مَرکزِ کمیّت"), "مرکز-کمیت");
        assert_eq!(slugify("\u{0651}\u{064E}"), "section", "marks alone are no letters");
    }

    #[test]
    fn empty_and_punctuation_only() {
        assert_eq!(slugify("?!"), "section");
        assert_eq!(slugify("  a  --  b "), "a-b");
    }

    #[test]
    fn docusaurus_alias_only_when_different() {
        let mut used = Default::default();
        assert_eq!(
            docusaurus_alias("Installation & Setup", "installation-setup", &mut used).as_deref(),
            Some("installation--setup")
        );
        assert_eq!(docusaurus_alias("Plain title", "plain-title", &mut used), None);
        assert_eq!(docusaurus_alias("Installation & Setup", "x", &mut used), None, "taken");
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut used = Default::default();
        assert_eq!(unique("a".into(), &mut used), "a");
        assert_eq!(unique("a".into(), &mut used), "a-1");
        assert_eq!(unique("a".into(), &mut used), "a-2");
    }
}
