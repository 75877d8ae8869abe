//! Urdu text as the BM25 analyzer sees it. qdrant-edge has no Urdu language pack, so before its word tokenizer
//! runs, each Urdu word is normalised (diacritics such as the izafat zer dropped, Arabic code points folded to
//! their Urdu letters), function words are dropped, and common inflection suffixes are folded, so a question's
//! "موٹروں" (motors, oblique plural) or "روکوں" (may I stop) meets the book's "موٹر" and "روکنے". The folding is
//! a light stemmer: it only ever strips one suffix and keeps at least two letters, so unrelated words rarely meet.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Common Urdu function words, the light verbs of compound verbs ("ردِعمل دینا", "واپس آنا") and the words a
/// question is phrased with ("مطلب", "مراد", "وجہ", "چیز", "کیوں اہم", "فائدے اور نقصانات"): they carry no topic and would otherwise dominate short
/// questions. Matched after normalisation, before suffix folding.
const STOP_TEXT: &str = "
    کا کی کے میں سے کو نے پر اور یا ہے ہیں تھا تھی تھے ہو ہوتا
    ہوتی ہوتے کیا کیسے کیوں کب کون کس یہ وہ اس ان جو جس جن بھی
    تو ہی کہ لیے لئے ایک اپنے اپنی اپنا گیا گئی گئے جاتا جاتی
    جاتے رہا رہی رہے سکتا سکتی سکتے کر کرتا کرتی کرتے کرنے کرنا
    ہوں مجھے ہم آپ کچھ بہت بتائیں بتاؤ کیجیے ذریعے والا والی
    والے ساتھ بارے طرح کسی چاہیے چاہییں چاہئے سا سی دیتا دیتی
    دیتے دے دیں لیتا لیتی لیتے کرے کریں کروں کرو جائے جائیں ہوئے
    ہوئی ہوا جب تک اگر مگر لیکن بلکہ کہاں کتنا کتنی کتنے ایسے
    ایسی ایسا صرف نہیں نہ تاکہ پھر اب یعنی کوئی سب ہر جیسے جیسا
    جیسی رہتا رہتی رہتے کیونکہ چونکہ اسی جسے اسے انہیں ہمیں میرا
    میری میرے تم بتائیے کیسا کیسی کونسا کونسی کن کہیں مطلب مراد
    وجہ عموماً بالکل کہا معلوم گا گی گے جا جتنا جتنی جتنے اتنا اتنی اتنے ذکر
    آتا آتی آتے آنا آیا آئی آئے دینا دیا دی لینا لیا لی چیز چیزیں
    اہم فائدے نقصانات
";

pub static STOPWORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| STOP_TEXT.split_whitespace().collect());
static STOPSET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| STOPWORDS.iter().copied().collect());

/// Inflection endings, longest first: oblique and plural endings (وں، یں، یاں), infinitive and participle
/// endings (نا، نے، تا، تی، تے), gender and number vowels (ا، ی، ے، ہ), and the English plural of transliterated
/// terms (ایکچویٹرز).
const SUFFIXES: &[&str] =
    &["یوں", "ئیں", "یاں", "وں", "یں", "اں", "نا", "نے", "نی", "تا", "تی", "تے", "ا", "ی", "ے", "ہ", "ز"];
/// Letters a stem keeps at least.
const MIN_STEM: usize = 2;
/// The English plural "ز" is folded only on longer (transliterated) words.
const MIN_PLURAL_Z_WORD: usize = 5;

pub fn is_urdu_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}')
}

pub fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{200C}' | '\u{200D}')
}

/// Folds code points typed from an Arabic keyboard layout to the Urdu letters the book uses.
fn fold_letter(c: char) -> char {
    match c {
        'ي' | 'ى' => 'ی',
        'ك' => 'ک',
        'ه' => 'ہ',
        'ۂ' | 'ة' => 'ہ',
        'ۓ' => 'ے',
        'أ' | 'إ' => 'ا',
        other => other,
    }
}

/// A word without diacritics and with folded letters.
pub fn normalise(word: &str) -> String {
    word.chars().filter(|c| !is_diacritic(*c)).map(fold_letter).collect()
}

/// The word with one inflection suffix folded (the word itself when none applies).
pub fn stem(word: &str) -> &str {
    let n = word.chars().count();
    for s in SUFFIXES {
        if let Some(base) = word.strip_suffix(s) {
            let keep = base.chars().count();
            if keep < MIN_STEM || (*s == "ز" && n < MIN_PLURAL_Z_WORD) {
                continue;
            }
            return base;
        }
    }
    word
}

pub fn is_stopword(normalised: &str) -> bool {
    STOPSET.contains(normalised)
}

/// `text` with every Urdu word normalised and folded and every Urdu function word dropped; other text (English
/// terms, numbers, punctuation) is left to the tokenizer as it is.
pub fn prepare(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_urdu_letter) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let n = normalise(word);
        if !is_stopword(&n) {
            out.push_str(stem(&n));
        }
        word.clear();
    };
    for c in text.chars() {
        if is_urdu_letter(c) || (is_diacritic(c) && !word.is_empty()) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_meet_and_function_words_go() {
        for (a, b) in
            [("موٹروں", "موٹر"), ("روکوں", "روکنے"), ("ایکچویٹرز", "ایکچویٹر"), ("نقطے", "نقطہ"), ("چلتی", "چلنا")]
        {
            assert_eq!(prepare(a), prepare(b), "{a} / {b}");
        }
        assert_eq!(prepare("مرکزِ کمیت"), prepare("مرکز کمیت"), "the izafat zer is dropped");
        assert_eq!(prepare("كمپيوٹر"), prepare("کمپیوٹر"), "Arabic kaf and yeh fold to the Urdu letters");
        assert_eq!(prepare("اس کا مطلب کیا ہے؟").trim_matches([' ', '؟']), "");
        assert_eq!(prepare("ROS 2 نوڈ"), "ROS 2 نوڈ", "English terms and short words stay");
        assert_eq!(stem("کام"), "کام");
        assert_eq!(stem("بو"), "بو", "a stem keeps two letters");
    }
}
