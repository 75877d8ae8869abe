//! Urdu terminology: `locales/ur/terms.toml` lists, for each technical term, the Urdu spelling the book uses and the
//! variants it does not; `site check` (and build) fails on a variant in the Urdu pages or UI strings, naming
//! file:line:col. One spelling per term keeps the text consistent for readers and keeps search and retrieval from
//! splitting one concept over two spellings.

use crate::error::{Diagnostic, LineIndex};
use rayon::prelude::*;
use serde::Deserialize;
use std::path::Path;

/// Where the table lives, relative to the locales folder.
pub const FILE: &str = "ur/terms.toml";

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The English term, for the message and for authors reading the table.
    pub en: String,
    /// The spelling the book uses.
    pub preferred: String,
    /// Spellings (or stems) that are reported wherever they occur.
    pub rejected: Vec<String>,
    /// Phrases that contain a rejected spelling but are correct, e.g. the same word in another meaning.
    #[serde(default)]
    pub except: Vec<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermsFile {
    #[serde(default)]
    term: Vec<Term>,
}

/// Reads the table; a missing file means no terminology check.
pub fn load(path: &Path, shown_as: &str) -> Result<Vec<Term>, Vec<Diagnostic>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(vec![Diagnostic::new(shown_as, 0, 0, e.to_string())]),
    };
    let lines = LineIndex::new(&text);
    let file: TermsFile = toml::from_str(&text).map_err(|e| {
        let (l, c) = e.span().map_or((1, 1), |s| lines.line_col(&text, s.start));
        vec![Diagnostic::new(shown_as, l, c, e.message().to_string())]
    })?;
    let mut errors = vec![];
    for t in &file.term {
        let at = text.find(&format!("\"{}\"", t.en)).map_or((1, 1), |o| lines.line_col(&text, o));
        for r in &t.rejected {
            // A variant inside the preferred spelling would flag every correct use.
            if r.trim().is_empty() || t.preferred.contains(r.as_str()) {
                errors.push(Diagnostic::new(
                    shown_as,
                    at.0,
                    at.1,
                    format!(
                        "term `{}`: rejected variant {r:?} is empty or part of the preferred `{}`",
                        t.en, t.preferred
                    ),
                ));
            }
        }
    }
    if errors.is_empty() { Ok(file.term) } else { Err(errors) }
}

/// Every rejected variant in `text` (a whole file, so lines are real), outside the term's `except` phrases.
pub fn check(terms: &[Term], file: &str, text: &str) -> Vec<Diagnostic> {
    match Finder::new(terms) {
        Ok(f) => f.check(file, text),
        Err(d) => vec![d],
    }
}

/// All rejected variants of all terms in one automaton (aho-corasick): a file is read once instead of once per
/// variant and line, which took a quarter of a `site serve` rebuild of the textbook.
struct Finder<'a> {
    terms: &'a [Term],
    automaton: aho_corasick::AhoCorasick,
    /// Per pattern: its term and the index of the variant in that term's `rejected`.
    owners: Vec<(usize, usize)>,
}

impl<'a> Finder<'a> {
    fn new(terms: &'a [Term]) -> Result<Finder<'a>, Diagnostic> {
        let owners: Vec<(usize, usize)> =
            terms.iter().enumerate().flat_map(|(ti, t)| (0..t.rejected.len()).map(move |ri| (ti, ri))).collect();
        let patterns = owners.iter().map(|&(ti, ri)| terms[ti].rejected[ri].as_str());
        // A DFA: Urdu letters share their lead bytes, so the byte prefilter cannot skip ahead and the automaton
        // reads every byte; the DFA is the fastest at that. Matches do not overlap (no variant of the table is part of
        // another); an overlapping search took twice as long.
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(patterns)
            .map_err(|e| Diagnostic::new(format!("locales/{FILE}"), 0, 0, format!("rejected variants: {e}")))?;
        Ok(Finder { terms, automaton, owners })
    }

    fn check(&self, file: &str, text: &str) -> Vec<Diagnostic> {
        let mut out = vec![];
        for (n, line) in text.lines().enumerate() {
            for m in self.automaton.find_iter(line) {
                let (ti, ri) = self.owners[m.pattern().as_usize()];
                let (t, r, at) = (&self.terms[ti], &self.terms[ti].rejected[ri], m.start());
                let excepted = t.except.iter().any(|phrase| {
                    line.match_indices(phrase.as_str()).any(|(p, _)| p <= at && at + r.len() <= p + phrase.len())
                });
                if excepted {
                    continue;
                }
                let col = line[..at].chars().count() + 1;
                out.push(Diagnostic::new(
                    file,
                    n + 1,
                    col,
                    format!(
                        "Urdu terminology: `{r}` is a variant; the book writes `{}` for \"{}\" (locales/{FILE})",
                        t.preferred, t.en
                    ),
                ));
            }
        }
        out
    }
}

/// [`load`] for a build: `locales/ur/terms.toml`, errors as content errors.
pub fn load_from(opts: &crate::config::BuildOptions) -> crate::error::Result<Vec<Term>> {
    let path = opts.locales_dir().join(FILE);
    let shown = path.strip_prefix(&opts.root).unwrap_or(&path).display().to_string();
    load(&path, &shown).map_err(crate::error::SiteError::Content)
}

/// Checks every Urdu source file of the site.
pub fn check_site(site: &crate::content::Site, terms: &[Term]) -> Vec<Diagnostic> {
    check_site_cached(site, terms, None)
}

/// Per Urdu file: the variants found in it, kept by `site serve` between rebuilds so an edit checks only the edited
/// file (a change to the table clears it with the other caches).
pub type CheckCache = crate::textcache::TextCache<String, Vec<Diagnostic>>;

/// [`check_site`], reusing `cache` for files whose text did not change.
pub fn check_site_cached(site: &crate::content::Site, terms: &[Term], cache: Option<&CheckCache>) -> Vec<Diagnostic> {
    if terms.is_empty() {
        return vec![];
    }
    let finder = match Finder::new(terms) {
        Ok(f) => f,
        Err(d) => return vec![d],
    };
    site.sources
        .par_iter()
        .filter(|s| s.locale == protocol::Locale::Ur)
        .flat_map_iter(|s| {
            CheckCache::get_or_make(cache, &s.repo_path, &s.text, || finder.check(&s.repo_path, &s.text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term() -> Term {
        Term {
            en: "term (of an equation)".into(),
            preferred: "جزو".into(),
            rejected: vec!["اصطلاح".into()],
            except: vec!["اصطلاحات".into()],
            note: String::new(),
        }
    }

    #[test]
    fn flags_variants_with_line_and_column_but_not_exceptions() {
        let text = "---\ntitle: x\n---\nیہ اصطلاح غلط ہے۔\nفرہنگ کی اصطلاحات درست ہیں۔\n";
        let d = check(&[term()], "content/ur/a.md", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line, d[0].col), (4, 4));
        assert!(d[0].message.contains("جزو"), "{}", d[0].message);
    }

    #[test]
    fn load_rejects_a_variant_inside_the_preferred_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("terms.toml");
        std::fs::write(&p, "[[term]]\nen = \"x\"\npreferred = \"abc\"\nrejected = [\"b\"]\n").unwrap();
        let e = load(&p, "terms.toml").expect_err("b is part of abc");
        assert_eq!(e[0].line, 2, "{e:?}");
        std::fs::write(&p, "[[term]]\nen = \"x\"\npreferred = \"abc\"\nrejected = [\"d\"]\nnot = 1\n").unwrap();
        assert_eq!(load(&p, "terms.toml").expect_err("unknown field")[0].line, 5);
    }
}
