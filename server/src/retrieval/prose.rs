//! Which sentences of a section are explanatory prose, fit to quote as an answer: complete sentences of paragraph
//! lines, never code, display math, table rows or list fragments. A sentence that leads into a display formula
//! ("The law of cosines gives the elbow angle directly,") is quoted with the formula left out and closed with a
//! full stop: the formula itself is raw LaTeX in a chat bubble, and the "Read more" link points to it.

use unicode_segmentation::UnicodeSegmentation;

/// Quoted sentences shorter than this are labels or fragments; longer ones are paragraphs the splitter missed.
const MIN_QUOTE_CHARS: usize = 30;
const MAX_QUOTE_CHARS: usize = 420;
/// Inline formulas longer than this read as raw LaTeX in a chat bubble: such sentences are not quoted.
const MAX_INLINE_MATH_CHARS: usize = 48;

/// A line of the plain-text section is paragraph text when it starts with a letter (or inline math) and has none
/// of the characters code and tables are made of outside its formulas. Code blocks, display math (`$$`) and table
/// rows fail one of these.
fn is_paragraph(line: &str) -> bool {
    let t = line.trim();
    if t.chars().count() < MIN_QUOTE_CHARS || t.starts_with("$$") || t.contains(" | ") {
        return false;
    }
    let first = t.chars().next().unwrap_or(' ');
    // Not a quote mark: a line opening with one is a docstring or a quoted literal in code more often than prose.
    if !(first.is_alphabetic() || first == '$' || first == '(') {
        return false;
    }
    // Not the semicolon: prose uses it ("... a physical body; a language model ..."), Python hardly does.
    let outside_math: String = t.split('$').step_by(2).collect();
    !outside_math.contains(['{', '}', '=', '\\', '[', ']', '#']) && !outside_math.contains("()")
}

/// A paragraph line that also ends like a sentence (a list fragment without a full stop does not).
pub fn is_prose_line(line: &str) -> bool {
    is_paragraph(line) && ends_sentence(line.trim())
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(['"', '”', ')', '*', '\'']).ends_with(['.', '?', '!', '۔', '؟'])
}

/// Whether a sentence can be shown as is: balanced, short inline formulas and a reasonable length.
fn quotable_sentence(s: &str) -> bool {
    let n = s.chars().count();
    if !(MIN_QUOTE_CHARS..=MAX_QUOTE_CHARS).contains(&n) {
        return false;
    }
    let parts: Vec<&str> = s.split('$').collect();
    if parts.len().is_multiple_of(2) {
        return false;
    }
    parts.iter().skip(1).step_by(2).all(|m| !m.is_empty() && m.chars().count() <= MAX_INLINE_MATH_CHARS)
}

/// "Figure 8.3: Stance, swing and double support in one gait cycle." labels a picture the chat does not show.
fn is_caption(line: &str) -> bool {
    let mut words = line.trim().splitn(3, ' ');
    let (Some(label), Some(number)) = (words.next(), words.next()) else { return false };
    matches!(label, "Figure" | "Table" | "شکل" | "جدول")
        && number.trim_end_matches([':', '،']).chars().all(|c| c.is_numeric() || c == '.')
        && number.ends_with([':', '،'])
}

/// The quotable sentences of a section's plain text, in reading order.
pub fn sentences(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !is_paragraph(line) || is_caption(line) {
            continue;
        }
        let leads_into_formula = lines.get(i + 1).is_some_and(|n| n.trim_start().starts_with("$$"));
        for s in line.unicode_sentences().map(str::trim) {
            // "where $z_c$ is the height ..." continues a sentence a display formula interrupted.
            if s.chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
            let s = if ends_sentence(s) {
                s.to_string()
            } else if leads_into_formula && let Some(body) = s.strip_suffix([',', '،', ':']) {
                let stop = if body.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) { '۔' } else { '.' };
                format!("{body}{stop}")
            } else {
                // An unfinished fragment: the rest of a list item or a line cut by the chunk splitter.
                continue;
            };
            if quotable_sentence(&s) {
                out.push(s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_lines_exclude_code_math_tables_and_fragments() {
        assert!(is_prose_line("The Jacobian $J(q)$ maps joint velocities to the velocity of the end effector."));
        assert!(is_prose_line("An embodied agent acts through a body; a language model answers a question in text."));
        assert!(is_prose_line("زیرو مومنٹ پوائنٹ وہ نقطہ ہے جس کے گرد زمین کی قوتیں کوئی افقی مومنٹ پیدا نہیں کرتیں۔"));
        assert!(!is_prose_line(r#"world = {"robot_at": "door", "holding": None}."#));
        assert!(!is_prose_line("$$\\min_{u_0,\\ldots,u_{N-1}} \\sum_{k=0}^{N-1} x_k^T Q x_k$$"));
        assert!(!is_prose_line("# DH table of the three-joint arm: one row (d, a, alpha) per joint"));
        assert!(!is_prose_line("print(fk(0.3, 0.5)).  # the hand position in metres and more."));
        assert!(!is_prose_line("\"\"\"Hand position of a planar two-link arm, angles in radians.\"\"\""));
        assert!(!is_prose_line("Joint | Range | Motor | Notes about this joint"));
        assert!(!is_prose_line("Solve inverse kinematics for a planar arm with two links and"));
    }

    #[test]
    fn long_formulas_and_unbalanced_math_are_not_quoted() {
        assert!(quotable_sentence("The gain $K_p$ sets how hard the joint is pulled back to its target."));
        assert!(!quotable_sentence(
            "The cost is $\\sum_{k=0}^{N-1} (x_k - x_k^{ref})^T Q (x_k - x_k^{ref}) + u_k^T R u_k$ over the horizon."
        ));
        assert!(!quotable_sentence("A broken formula $x = 1 over the horizon of the controller here."));
    }

    #[test]
    fn sentences_leading_into_a_formula_are_closed_and_fragments_dropped() {
        let text = "where $l_1$ is the length of the upper arm and more words.\n\
                    Inverse kinematics may have no solution at all. The law of cosines gives the elbow angle directly,\n\
                    $$\n\\cos\\theta_2 = \\frac{x^2 + y^2}{2 l_1 l_2}\n$$\n\
                    Solve inverse kinematics for a planar arm with two links and";
        assert_eq!(
            sentences(text),
            ["Inverse kinematics may have no solution at all.", "The law of cosines gives the elbow angle directly."]
        );
        assert!(sentences("Figure 8.3: Stance, swing and double support in one gait cycle.").is_empty());
        assert!(sentences("شکل 8.3: ایک چکر میں اسٹانس، سوئنگ اور دوہرا سہارا دکھایا گیا ہے۔").is_empty());
        let ur = "مساوات یہ ہے کہ اعشاریہ پانچ کا فرق بہت زیادہ نہیں ہوتا،\n$$\nx = 1\n$$";
        assert_eq!(sentences(ur), ["مساوات یہ ہے کہ اعشاریہ پانچ کا فرق بہت زیادہ نہیں ہوتا۔"]);
    }
}
