//! Which sentences of a section are explanatory prose, fit to quote as an answer: complete sentences of paragraph
//! lines, never code, table rows or list fragments. A sentence that leads into a display formula ("Applying the
//! Euler-Lagrange equation gives") is quoted with that formula as `$$…$$`, which the widget renders as MathML the way
//! the site does; when the formula is too long for a chat bubble, a sentence that ends in a comma or colon is
//! closed with a full stop instead (the "Read more" link points to the formula) and one that does not is left out.

use unicode_segmentation::UnicodeSegmentation;

/// Quoted sentences shorter than this are labels or fragments; longer ones are paragraphs the splitter missed.
const MIN_QUOTE_CHARS: usize = 30;
const MAX_QUOTE_CHARS: usize = 420;
/// Inline formulas longer than this crowd a chat bubble (the widget renders them as MathML, but a line-long formula
/// inside a sentence reads badly there): such sentences are not quoted.
const MAX_INLINE_MATH_CHARS: usize = 48;
const MAX_LEAD_IN_CHARS: usize = 48;
/// A display formula a quoted sentence leads into is quoted with it up to this length (TeX source).
const MAX_DISPLAY_MATH_CHARS: usize = 140;

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

/// The TeX of the display formula `lines` open with (`$$` on a line of its own or `$$ … $$`, an equation number
/// after the closing `$$` dropped), when it is closed and short enough to quote.
fn display_formula(lines: &[&str]) -> Option<String> {
    let first = lines.first()?.trim_start().strip_prefix("$$")?;
    let mut tex = String::new();
    for (n, line) in std::iter::once(first).chain(lines[1..].iter().copied()).enumerate() {
        if let Some((inside, _number)) = line.split_once("$$") {
            tex.push_str(inside);
            let tex = tex.split_whitespace().collect::<Vec<_>>().join(" ");
            return (!tex.is_empty() && tex.chars().count() <= MAX_DISPLAY_MATH_CHARS && !tex.contains('$'))
                .then_some(tex);
        }
        if n > 0 {
            tex.push(' ');
        }
        tex.push_str(line);
    }
    None
}

/// A paragraph's lead-in label ("Virtual reality.", "لیڈر-فالوور بازو (leader-follower arms)۔"): a short full
/// sentence of at most four words opening a paragraph.
fn is_lead_in(s: &str) -> bool {
    s.chars().count() < MAX_LEAD_IN_CHARS
        && ends_sentence(s)
        && s.split_whitespace().count() <= 4
        && s.chars().next().is_some_and(char::is_alphabetic)
        && !s.contains('$')
}

/// The quotable sentences of a section's plain text, in reading order.
pub fn sentences(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !is_paragraph(line) || is_caption(line) {
            continue;
        }
        let formula =
            lines.get(i + 1).filter(|n| n.trim_start().starts_with("$$")).map(|_| display_formula(&lines[i + 1..]));
        // "Virtual reality. The operator wears a headset ...": a paragraph's bold lead-in, too short to quote alone,
        // names what the paragraph is about; it is kept, in bold, before the sentence that follows it.
        let mut label: Option<&str> = None;
        for (n, s) in line.unicode_sentences().map(str::trim).enumerate() {
            if n == 0 && is_lead_in(s) {
                label = Some(s);
                continue;
            }
            let lead = label.take().map(|l| format!("**{}** ", l.trim_end())).unwrap_or_default();
            // "where $z_c$ is the height ..." continues a sentence a display formula interrupted.
            if s.chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
            if ends_sentence(s) {
                if quotable_sentence(s) {
                    out.push(format!("{lead}{s}"));
                }
                continue;
            }
            // An unfinished sentence is kept only when a display formula completes it; any other is the rest of a
            // list item or a line cut by the chunk splitter.
            let Some(formula) = &formula else { continue };
            let body = s.trim_end_matches([',', '،', ':']);
            if !quotable_sentence(body) {
                continue;
            }
            match formula {
                Some(tex) => out.push(format!("{lead}{s} $${tex}$$")),
                None if body.len() < s.len() => {
                    let stop = if body.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) { '۔' } else { '.' };
                    out.push(format!("{lead}{body}{stop}"));
                }
                None => {}
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
    fn sentences_leading_into_a_formula_quote_it_and_fragments_are_dropped() {
        let text = "where $l_1$ is the length of the upper arm and more words.\n\
                    Inverse kinematics may have no solution at all. The law of cosines gives the elbow angle directly,\n\
                    $$\n\\cos\\theta_2 = \\frac{x^2 + y^2}{2 l_1 l_2}\n$$ (3.4)\n\
                    Applying the Euler-Lagrange equation to the pendulum gives\n$$ m l^2 \\ddot\\theta = \\tau $$\n\
                    Solve inverse kinematics for a planar arm with two links and";
        assert_eq!(
            sentences(text),
            [
                "Inverse kinematics may have no solution at all.",
                "The law of cosines gives the elbow angle directly, $$\\cos\\theta_2 = \\frac{x^2 + y^2}{2 l_1 l_2}$$",
                "Applying the Euler-Lagrange equation to the pendulum gives $$m l^2 \\ddot\\theta = \\tau$$",
            ]
        );
        assert!(sentences("Figure 8.3: Stance, swing and double support in one gait cycle.").is_empty());
        assert!(sentences("شکل 8.3: ایک چکر میں اسٹانس، سوئنگ اور دوہرا سہارا دکھایا گیا ہے۔").is_empty());
        let ur = "مساوات یہ ہے کہ اعشاریہ پانچ کا فرق بہت زیادہ نہیں ہوتا،\n$$\nx = 1\n$$";
        assert_eq!(sentences(ur), ["مساوات یہ ہے کہ اعشاریہ پانچ کا فرق بہت زیادہ نہیں ہوتا، $$x = 1$$"]);
    }

    #[test]
    fn a_paragraph_lead_in_is_kept_in_bold_before_its_sentence() {
        let text = "Virtual reality. The operator wears a headset showing the robot's camera view.\n\
                    ورچوئل ریئلٹی (VR)۔ آپریٹر ہیڈسیٹ پہنتا ہے جس میں روبوٹ کے کیمرے کا منظر دکھتا ہے۔\n\
                    لیڈر-فالوور بازو (leader-follower arms)۔ آپریٹر ایک چھوٹا غیر فعال لیڈر بازو ہلاتا ہے۔\n\
                    Short line. Too short.";
        assert_eq!(
            sentences(text),
            [
                "**Virtual reality.** The operator wears a headset showing the robot's camera view.",
                "**ورچوئل ریئلٹی (VR)۔** آپریٹر ہیڈسیٹ پہنتا ہے جس میں روبوٹ کے کیمرے کا منظر دکھتا ہے۔",
                "**لیڈر-فالوور بازو (leader-follower arms)۔** آپریٹر ایک چھوٹا غیر فعال لیڈر بازو ہلاتا ہے۔",
            ]
        );
    }

    #[test]
    fn a_formula_too_long_to_quote_is_left_out_or_the_sentence_with_it() {
        let long = "x + ".repeat(40);
        let closed = format!("The law of cosines gives the elbow angle directly,\n$$\n{long}\n$$");
        assert_eq!(sentences(&closed), ["The law of cosines gives the elbow angle directly."]);
        let open = format!("Applying the Euler-Lagrange equation to the pendulum gives\n$$\n{long}\n$$");
        assert!(sentences(&open).is_empty());
        let unclosed = "Applying the Euler-Lagrange equation to the pendulum gives\n$$\nx = 1";
        assert!(sentences(unclosed).is_empty());
    }
}
