//! One page's words as Pagefind's search runtime expects them in the index: the word forms it looks up, each with
//! its positions and weights, the page's excerpt text, its section anchors and its title words.
//!
//! Pagefind's own indexer gets there by parsing an HTML document; our pages arrive as plain sections, so the
//! document that [`super::page_html`] describes (title in an `h1`, each section heading in an `h2` with its id,
//! the section text in a `p`) is read directly. The word rules below are the ones the runtime's query side is built
//! for, and `search::tests` checks that a page indexed here and by Pagefind gives the same index, so search results
//! cannot drift apart: lowercase letters and digits only; the stemmer of the page's language (none for Urdu);
//! accents and Arabic-script vowel marks folded away, the marked spelling kept as a variant that ranks higher when
//! typed; words joined by punctuation or case ("base_link", "rclpy.node", "ZeroMomentPoint") also indexed by their
//! parts, at a share of the weight; headings weighted above text (`h1` 7, `h2` 6, text 1, times 24).

use std::collections::{BTreeMap, HashSet};

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

use crate::html::escape;
use convert_case::{Case, Casing};
use pagefind_stem::{Algorithm, Stemmer};
use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Characters Pagefind counts as part of a word besides letters and digits (Unicode "connector punctuation").
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];
/// Weight of ordinary text; headings multiply it.
const TEXT_WEIGHT: u8 = 24;
const H1_WEIGHT: u8 = 7 * TEXT_WEIGHT;
const H2_WEIGHT: u8 = 6 * TEXT_WEIGHT;
/// A dotted name's tail is indexed up to this many characters.
const MAX_TAIL_CHARS: usize = 64;

/// Where a word form occurs on a page: its word position, its weight, and the spelling with accents or vowel
/// marks when the indexed form had them folded away (0 when not, else 1 + its place in
/// [`PageWords::spellings`]). Twelve bytes: a page has one per word, and they were the largest part of a cold
/// build's peak memory when each held its spelling as an `Option<String>` (32 bytes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loc {
    pub position: u32,
    pub spelling: u32,
    pub weight: u8,
}

/// A section heading's place on the page: a search sub-result links to it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Anchor {
    pub element: &'static str,
    pub id: String,
    pub text: String,
    pub location: u32,
}

/// Everything the index needs from one page.
#[derive(Debug, Clone, Default)]
pub struct PageWords {
    /// The text excerpts are cut from: every word once, separated by single spaces.
    pub content: String,
    pub words: HashMap<String, Vec<Loc>>,
    /// The marked spellings [`Loc::spelling`] points into.
    pub spellings: Vec<String>,
    /// The title's words: `(form, position in the title, original spelling)`.
    pub title_words: Vec<(String, u32, Option<String>)>,
    pub title: String,
    pub anchors: Vec<Anchor>,
    pub word_count: usize,
}

/// One block of the page: its text, the weight of its words, and the anchor that precedes it.
pub struct Block<'a> {
    pub text: &'a str,
    pub weight: u8,
    pub anchor: Option<&'a str>,
}

/// The blocks of a page: title, then per section its heading (when it has an anchor) and its text.
pub fn blocks<'a>(title: &'a str, sections: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Vec<Block<'a>> {
    let mut out = vec![Block { text: title, weight: H1_WEIGHT, anchor: None }];
    for (anchor, heading, body) in sections {
        if !anchor.is_empty() && !heading.is_empty() {
            out.push(Block { text: heading, weight: H2_WEIGHT, anchor: Some(anchor) });
        }
        out.push(Block { text: body, weight: TEXT_WEIGHT, anchor: None });
    }
    out
}

/// The stemmer for a page language, as the runtime's query side uses it (English; Pagefind has none for Urdu).
pub fn stemmer(lang: &str) -> Option<Stemmer> {
    match lang.split('-').next() {
        Some("en") => Some(Stemmer::create(Algorithm::English)),
        _ => None,
    }
}

/// The forms of written words already read (a book repeats its words: most are read once per thread, not once per
/// occurrence), with how many of each word's forms are parts.
#[derive(Default)]
pub struct Memo(HashMap<String, (Vec<Form>, usize)>);

/// Reads one page. `title` and the block texts are the plain text of the page (not HTML).
pub fn page_words(title: &str, blocks: &[Block], stemmer: Option<&Stemmer>, memo: &mut Memo) -> PageWords {
    // Titles and headings are read as Pagefind reads them from the HTML document: escaped, then decoded.
    let mut page = PageWords { title: normalize_content(&escape(title)), ..PageWords::default() };
    let mut position: u32 = 0;
    let mut spellings: HashMap<String, u32> = HashMap::default();
    for block in blocks {
        if let Some(id) = block.anchor {
            // Pagefind normalizes an anchor's text when it collects it and again when it stores it.
            let text = normalize_content(&normalize_content(&escape(block.text)));
            let id = id.chars().filter(|c| !c.is_whitespace()).collect();
            page.anchors.push(Anchor { element: "h2", id, text, location: position });
        }
        let tokens: Vec<&str> = block.text.split_whitespace().collect();
        let stop = ends_sentence(block.text);
        for (i, token) in tokens.iter().enumerate() {
            let mut word: std::borrow::Cow<str> = (*token).into();
            if stop && i + 1 == tokens.len() {
                word = format!("{token}.").into();
            }
            if word.contains('\u{200B}') {
                word = word.replace('\u{200B}', "").into();
            }
            if word.is_empty() {
                continue;
            }
            page.content.push_str(&word);
            page.content.push(' ');
            let at = Place { position, weight: block.weight };
            add_word(&mut page, &mut spellings, &word, at, stemmer, memo);
            position += 1;
        }
    }
    if page.content.ends_with(' ') {
        page.content.pop();
    }
    page.word_count = position.max(1) as usize;
    for (i, w) in page.title.split_whitespace().enumerate() {
        for f in indexable(w, stemmer) {
            page.title_words.push((f.form, i as u32, f.original));
        }
    }
    page
}

/// Whether Pagefind closes a block with a full stop for its excerpts: when the block's text, as written into the
/// HTML document (escaped), ends in a word character, a quote, `)`, `$` or `*`.
fn ends_sentence(text: &str) -> bool {
    static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"^[\w'")$*]$"#).expect("valid regex"));
    let Some(last) = text.chars().last() else { return false };
    // Only the last character can change when escaped ('&' becomes "&amp;", ending in ';').
    let escaped = escape(last.encode_utf8(&mut [0; 4]));
    escaped.chars().last().is_some_and(|c| SENTENCE_END.is_match(c.encode_utf8(&mut [0; 4])))
}

/// Entities decoded, leading and trailing whitespace trimmed, newlines and runs of whitespace made one space: the
/// form Pagefind gives titles and anchor texts.
pub fn normalize_content(s: &str) -> String {
    static TRIM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\n\r\s]+|[\n\r\s]+$").expect("valid regex"));
    static NEWLINES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\n|\r\n)+").expect("valid regex"));
    static SPACES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{2,}").expect("valid regex"));
    let decoded = html_escape::decode_html_entities(s);
    let trimmed = TRIM.replace_all(&decoded, "");
    let joined = NEWLINES.replace_all(&trimmed, " ");
    SPACES.replace_all(&joined, " ").into_owned()
}

/// A form to index for a written word.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    form: String,
    original: Option<String>,
    /// A part of a joined word ("link" of "base_link"): it shares the word's weight with the other parts.
    part: bool,
}

/// A written word's position and weight on its page.
struct Place {
    position: u32,
    weight: u8,
}

fn add_word(
    page: &mut PageWords,
    spellings: &mut HashMap<String, u32>,
    word: &str,
    at: Place,
    stemmer: Option<&Stemmer>,
    memo: &mut Memo,
) {
    let Place { position, weight } = at;
    if !memo.0.contains_key(word) {
        let mut forms = indexable(word, stemmer);
        forms.extend(dotted_tails(word, stemmer, &forms));
        let parts = forms.iter().filter(|f| f.part).count();
        memo.0.insert(word.to_string(), (forms, parts));
    }
    let Some((forms, parts)) = memo.0.get(word) else { return };
    let part_weight =
        if *parts > 0 && weight > 0 { (weight / u8::try_from(*parts).unwrap_or(u8::MAX)).max(1) } else { 0 };
    for f in forms {
        let weight = if f.part { part_weight } else { weight };
        let spelling = match &f.original {
            None => 0,
            Some(o) => match spellings.get(o) {
                Some(n) => *n,
                None => {
                    page.spellings.push(o.clone());
                    let n = page.spellings.len() as u32;
                    spellings.insert(o.clone(), n);
                    n
                }
            },
        };
        let loc = Loc { position, spelling, weight };
        match page.words.get_mut(&f.form) {
            Some(locs) => locs.push(loc),
            None => {
                page.words.insert(f.form.clone(), vec![loc]);
            }
        }
    }
}

/// The forms a written word is indexed under: the whole word, and the parts of a joined word.
fn indexable(raw: &str, stemmer: Option<&Stemmer>) -> Vec<Form> {
    let mut out = Vec::new();
    let (whole, joined) = letters_and_digits(raw);
    if !whole.is_empty() {
        out.push(stem(&whole, stemmer, false));
    }
    if !joined {
        return out;
    }
    let parts = lower_words(&raw.replace(|c: char| c.is_ascii_punctuation(), " "));
    let parts: Vec<&str> = parts.split_whitespace().collect();
    let spaced = parts.join(" ");
    if !whole.is_empty() && (parts.len() > 1 || !whole.starts_with(&spaced)) {
        for part in parts.into_iter().filter(|p| p.len() > 1) {
            let folded = fold_marks(part);
            let base = folded.as_deref().unwrap_or(part);
            let form = stemmer.map(|s| s.stem(base).into_owned()).unwrap_or_else(|| base.to_string());
            out.push(Form { form, original: folded.map(|_| part.to_string()), part: true });
        }
    }
    out.extend(emoji(raw));
    out
}

/// The words of `spaced` in lower case, split where convert_case splits them (spaces, a capital after a small
/// letter, digits beside letters). Most joined words are a word and its punctuation ("robot," "(the"): with no
/// capital and no digit, only the spaces split, and convert_case's grapheme-by-grapheme pass (a sixth of reading
/// a page) is skipped.
fn lower_words(spaced: &str) -> String {
    if spaced.chars().any(|c| c.is_uppercase() || c.is_numeric()) {
        return spaced.to_case(Case::Lower);
    }
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The emoji in a word, each indexed as itself.
fn emoji(raw: &str) -> Vec<Form> {
    static EMOJI: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\p{Emoji}").expect("valid regex"));
    if !EMOJI.is_match(raw) {
        return vec![];
    }
    raw.graphemes(true)
        .filter(|g| emojis::get(g).is_some())
        .map(|g| Form { form: g.to_string(), original: None, part: false })
        .collect()
}

/// For a dotted name ("sysconfig.is_python_build"), each joined tail after a dot, so a search for the last name
/// finds it; plain tails are already indexed as parts.
fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, have: &[Form]) -> Vec<Form> {
    if !raw.contains('.') {
        return vec![];
    }
    let seen: HashSet<&str> = have.iter().map(|f| f.form.as_str()).collect();
    let mut tails: Vec<Form> = Vec::new();
    for (i, _) in raw.match_indices('.') {
        let rest = &raw[i + 1..];
        let tail = rest.char_indices().nth(MAX_TAIL_CHARS).map_or(rest, |(end, _)| &rest[..end]);
        let (letters, joined) = letters_and_digits(tail);
        if !joined || letters.chars().count() < 2 {
            continue;
        }
        let f = stem(&letters, stemmer, true);
        if !seen.contains(f.form.as_str()) && !tails.iter().any(|t| t.form == f.form) {
            tails.push(f);
        }
    }
    tails
}

/// The word's letters, digits and word symbols, lowercased; and whether it is joined from several words
/// (punctuation or symbols in it, or a capital after its first letter: "base_link", "rclpy.node", "ZeroMoment").
fn letters_and_digits(raw: &str) -> (String, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut joined = false;
    for (i, c) in raw.chars().enumerate() {
        // ASCII first: the Unicode tables are slow, and most words of an English page never need them.
        let alnum = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        let capital = || i > 0 && if c.is_ascii() { c.is_ascii_uppercase() } else { c.is_uppercase() };
        if !joined && (!alnum || capital()) {
            joined = true;
        }
        if alnum || WORD_SYMBOLS.contains(&c) {
            let c = c.to_ascii_lowercase();
            if !c.is_ascii() && c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    (out, joined)
}

fn stem(word: &str, stemmer: Option<&Stemmer>, part: bool) -> Form {
    let folded = fold_marks(word);
    let base = folded.as_deref().unwrap_or(word);
    let form = stemmer.map(|s| s.stem(base).into_owned()).unwrap_or_else(|| base.to_string());
    Form { form, original: folded.map(|_| word.to_string()), part }
}

/// The word without combining marks (accents, Arabic-script vowel marks), when it has any; kana voicing marks
/// are letters and stay.
fn fold_marks(word: &str) -> Option<String> {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    let decomposes = |c: char| {
        let mut differs = false;
        decompose_canonical(c, |p| differs |= p != c);
        differs
    };
    if word.is_ascii() || !word.chars().any(|c| is_combining_mark(c) || decomposes(c)) {
        return None;
    }
    let kana_mark = |c: char| matches!(c, '\u{3099}' | '\u{309A}');
    let stripped: String = word.nfd().filter(|c| !is_combining_mark(*c) || kana_mark(*c)).collect();
    let folded = if stripped.chars().any(kana_mark) { stripped.nfc().collect() } else { stripped };
    (folded != word).then_some(folded)
}

/// Locations split into the plain form's and each marked spelling's (in spelling order).
pub fn by_spelling(locs: &[Loc], spellings: &[String]) -> (Vec<Loc>, BTreeMap<String, Vec<Loc>>) {
    let mut plain = Vec::new();
    let mut marked: BTreeMap<String, Vec<Loc>> = BTreeMap::new();
    for l in locs {
        match (l.spelling as usize).checked_sub(1).and_then(|i| spellings.get(i)) {
            Some(o) => marked.entry(o.clone()).or_default().push(*l),
            None => plain.push(*l),
        }
    }
    (plain, marked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_words_split_as_convert_case_splits_them() {
        let words = [
            "robot,",
            "(the",
            "end.",
            "base_link",
            "rclpy.node",
            "ZeroMomentPoint",
            "x2y",
            "ROS2",
            "it's",
            "a--b",
            "Élan,",
            "naïve.",
            "روبوٹ،",
            "(کنٹرول)",
            "۲۰۲۴،",
            "HTTPServer",
            "v1.2.3",
            "‿tie",
            "e-mail",
            "C++",
        ];
        for w in words {
            let spaced = w.replace(|c: char| c.is_ascii_punctuation(), " ");
            // Only the words count: the caller splits the result at whitespace.
            let ours = lower_words(&spaced);
            let theirs = spaced.to_case(Case::Lower);
            assert_eq!(
                ours.split_whitespace().collect::<Vec<_>>(),
                theirs.split_whitespace().collect::<Vec<_>>(),
                "{w}"
            );
        }
    }
}
