//! Spelling variants of Urdu words. Transliterated technical terms are written with or without their long-vowel
//! letters (the book's "ایڈمیٹنس" and "سمولیٹر", a reader's "ایڈمٹنس" and "سمیولیٹر"). A question word the book
//! never uses is replaced by the book's word with the same consonant skeleton, when there is exactly one; known
//! words are never touched. The vocabulary is built once per ingest.

use super::urdu;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Letters that spell vowels and are written or left out freely in transliterations.
const VOWEL_LETTERS: &[char] = &['ا', 'ی', 'و', 'ے', 'ئ'];
/// Shorter skeletons are shared by too many unrelated words.
const MIN_SKELETON: usize = 4;

#[derive(Debug, Default)]
pub struct Spellings {
    /// Every Urdu word of the corpus, prepared (normalised and suffix-folded).
    known: HashSet<String>,
    /// Consonant skeleton -> the corpus word (as written) with that skeleton; `None` when several share it.
    by_skeleton: HashMap<String, Option<String>>,
}

fn skeleton(prepared: &str) -> String {
    let mut chars = prepared.chars();
    let first = chars.next().into_iter();
    first.chain(chars.filter(|c| !VOWEL_LETTERS.contains(c))).collect()
}

/// The Urdu words of `text` (maximal runs of Urdu letters and diacritics), as written.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(urdu::is_urdu_letter(c) || urdu::is_diacritic(c))).filter(|w| !w.is_empty())
}

impl Spellings {
    pub fn build<'a>(texts: impl Iterator<Item = &'a str>) -> Spellings {
        let mut s = Spellings::default();
        for text in texts {
            for w in words(text) {
                let n = urdu::normalise(w);
                if urdu::is_stopword(&n) {
                    continue;
                }
                let p = urdu::stem(&n).to_string();
                if s.known.contains(&p) {
                    continue;
                }
                let k = skeleton(&p);
                s.known.insert(p);
                if k.chars().count() >= MIN_SKELETON {
                    s.by_skeleton
                        .entry(k)
                        .and_modify(|v| {
                            if v.as_deref() != Some(w) {
                                *v = None;
                            }
                        })
                        .or_insert_with(|| Some(w.to_string()));
                }
            }
        }
        s
    }

    /// `text` with each unknown Urdu word respelled as the book's word of the same skeleton, where there is one.
    pub fn respell<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.known.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out: Option<String> = None;
        for w in words(text) {
            let n = urdu::normalise(w);
            let p = urdu::stem(&n);
            if self.known.contains(p) || urdu::is_stopword(&n) {
                continue;
            }
            if let Some(Some(book)) = self.by_skeleton.get(&skeleton(p)) {
                out = Some(out.unwrap_or_else(|| text.to_string()).replacen(w, book, 1));
            }
        }
        out.map(Cow::Owned).unwrap_or(Cow::Borrowed(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_variants_take_the_books_spelling_and_known_words_stay() {
        let s = Spellings::build(["ایڈمیٹنس کنٹرول قوت ناپتا ہے۔", "سمولیٹر میں رگڑ بدلتی ہے۔"].into_iter());
        assert_eq!(s.respell("ایڈمٹنس کنٹرول کیا ہے؟"), "ایڈمیٹنس کنٹرول کیا ہے؟");
        assert_eq!(s.respell("سمیولیٹر میں رگڑ"), "سمولیٹر میں رگڑ");
        assert_eq!(s.respell("کنٹرول"), "کنٹرول");
        assert!(matches!(s.respell("pizza topping"), Cow::Borrowed(_)));
    }
}
