//! Follow-up questions. "And why does it matter for walking?" after a question about the zero moment point is
//! about the ZMP: retrieval then searches with the previous question added. A question that stands on its own
//! ("What is a URDF file used for?") is searched alone, so an old topic cannot crowd out a new one.

use protocol::Role;

/// Words a follow-up opens with: it continues the previous question rather than starting a new one.
const OPENERS_EN: &[&str] = &["and", "but", "so", "also", "then", "what about", "how about", "why is that", "and why"];
const OPENERS_UR: &[&str] = &["اور", "لیکن", "مگر", "تو", "پھر", "نیز"];
/// Words that refer back to something named earlier.
const ANAPHORS_EN: &[&str] = &["it", "its", "it's", "this", "that", "these", "those", "they", "them", "their", "there"];
const ANAPHORS_UR: &[&str] = &["یہ", "وہ", "اسے", "انہیں", "اسی", "اُس", "اِس", "ایسے", "ایسا", "ایسی"];
/// Longer questions carry their own topic even when they contain "it" or "this".
const MAX_FOLLOW_UP_WORDS: usize = 14;
/// The selection a question is about is searched too, up to this many characters.
const MAX_SELECTION_CHARS: usize = 800;

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | '?' | '!' | '.' | '،' | '؟' | '۔' | ':' | ';'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `question` leans on the conversation for its topic.
pub fn is_follow_up(question: &str) -> bool {
    let w = words(question);
    if w.is_empty() || w.len() > MAX_FOLLOW_UP_WORDS {
        return false;
    }
    let joined = w.join(" ");
    let opens = OPENERS_EN.iter().chain(OPENERS_UR).any(|o| joined == *o || joined.starts_with(&format!("{o} ")));
    // One or two words ("why?", "in Urdu?") cannot name a topic of their own.
    w.len() <= 2 || opens || w.iter().any(|x| ANAPHORS_EN.contains(&x.as_str()) || ANAPHORS_UR.contains(&x.as_str()))
}

/// How much a term that only the earlier turns contribute weighs against the question's own terms: the earlier
/// question says what "it" is, the new one what is asked about it ("and what about hydraulic actuators?"), so
/// the new words must not be outvoted by the many words of the old question.
pub const CONTEXT_TERM_WEIGHT: f32 = 0.6;

/// Scales the weights of the terms not in `own` (the question's and the selection's terms) by
/// [`CONTEXT_TERM_WEIGHT`]: `terms` and `weights` are parallel.
pub fn weigh_context(terms: &[u32], weights: &mut [f32], own: &std::collections::HashSet<u32>) {
    for (t, w) in terms.iter().zip(weights.iter_mut()) {
        if !own.contains(t) {
            *w *= CONTEXT_TERM_WEIGHT;
        }
    }
}

/// What retrieval searches for a question: the selected text it is about, the question, and for a follow-up the
/// student's previous question (`history` is oldest first).
pub fn retrieval_text(question: &str, selected: Option<&str>, history: &[(Role, String)]) -> String {
    let mut text = String::new();
    if let Some(sel) = selected {
        text.extend(sel.chars().take(MAX_SELECTION_CHARS));
        text.push('\n');
    }
    text.push_str(question);
    if is_follow_up(question)
        && let Some((_, prev)) = history.iter().rev().find(|(r, _)| *r == Role::User)
    {
        text.push('\n');
        text.push_str(prev);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_ups_are_told_from_new_questions() {
        assert!(is_follow_up("and why does it matter for walking?"));
        assert!(is_follow_up("What about quaternions?"));
        assert!(is_follow_up("how is it computed from the pendulum model?"));
        assert!(is_follow_up("اور یہ چلنے کے لیے کیوں اہم ہے؟"));
        assert!(is_follow_up("why?"));
        assert!(!is_follow_up("What is a URDF file used for?"));
        assert!(!is_follow_up("URDF فائل کس کام آتی ہے؟"));
        assert!(!is_follow_up("Andrew asked: what is a URDF file used for?"), "a word starting with 'and'");
    }

    #[test]
    fn only_follow_ups_carry_the_previous_question() {
        let history = vec![
            (Role::User, "What is the zero moment point?".to_string()),
            (Role::Assistant, "The ZMP is ...".to_string()),
        ];
        let t = retrieval_text("and why does it matter for walking?", None, &history);
        assert_eq!(t, "and why does it matter for walking?\nWhat is the zero moment point?");
        assert_eq!(retrieval_text("What is a URDF file used for?", None, &history), "What is a URDF file used for?");
        assert_eq!(retrieval_text("why?", Some("the selection"), &[]), "the selection\nwhy?");
    }

    #[test]
    fn earlier_turns_weigh_less_than_the_question() {
        let own = std::collections::HashSet::from([1, 2]);
        let mut w = vec![2.0, 2.0, 2.0];
        weigh_context(&[1, 2, 3], &mut w, &own);
        assert_eq!(w, vec![2.0, 2.0, 2.0 * CONTEXT_TERM_WEIGHT]);
    }
}
