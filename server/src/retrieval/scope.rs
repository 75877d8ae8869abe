//! Questions of a kind the book never answers, whatever their words: prices and purchases, salaries, sales and
//! contest results, news. The book teaches principles and says so ("this book focuses on the principles underneath
//! rather than on any particular product"), yet such questions share words with it ("How much does a Unitree G1
//! humanoid robot cost?" has "humanoid robot"; "Which team won the DARPA Robotics Challenge finals?" has the
//! challenge, which the history section names). The grounding model takes this as one piece of evidence, weighed
//! against how well the best section covers the question, so a covered question that happens to use one of these
//! words ("what does it cost in expert time?") can still be answered.
//!
//! A short word list, not a classifier: the kinds are few, the words that ask for them are few, and a list is
//! readable and testable in both languages.

use protocol::Locale;
use unicode_segmentation::UnicodeSegmentation;

/// English words that ask for a price, a purchase, pay, a sale, a winner or news.
const EN_WORDS: &[&str] = &[
    "price",
    "prices",
    "priced",
    "pricing",
    "buy",
    "buying",
    "purchase",
    "cheapest",
    "salary",
    "salaries",
    "won",
    "winner",
    "winners",
    "champion",
    "champions",
    "championship",
    "sold",
    "news",
];

/// Urdu words (or their stems: خرید covers خریدنا، خریدنے، خریدا) with the same meanings.
const UR_STEMS: &[&str] = &["قیمت", "لاگت", "خرید", "تنخواہ", "جیتا", "جیتی", "جیتے", "فاتح", "چیمپئن", "خبر"];

/// Whether the question asks for something of a kind the book does not cover (see the module comment).
pub fn asks_outside_scope(locale: Locale, question: &str) -> bool {
    let lower = question.to_lowercase();
    let words: Vec<&str> = lower.unicode_words().collect();
    match locale {
        // "cost" is also a control term (cost function, cost-to-go): it asks for a price only with "how much".
        Locale::En => {
            words.iter().any(|w| EN_WORDS.contains(w))
                || (words.windows(2).any(|p| p == ["how", "much"])
                    && words.iter().any(|w| *w == "cost" || *w == "costs"))
        }
        // "کتنے کا" ("for how much") asks for a price; the stems match whole words that start with them.
        Locale::Ur => {
            words.iter().any(|w| UR_STEMS.iter().any(|s| w.starts_with(s)))
                || words.windows(2).any(|p| p == ["کتنے", "کا"])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_winners_and_news_are_outside_in_both_languages() {
        for q in [
            "How much does a Unitree G1 humanoid robot cost?",
            "What is the price of Tesla's Optimus robot?",
            "Which team won the DARPA Robotics Challenge finals?",
            "What is the average salary of a robotics engineer?",
        ] {
            assert!(asks_outside_scope(Locale::En, q), "{q}");
        }
        for q in [
            "ٹیسلا کے آپٹیمس روبوٹ کی قیمت کیا ہے؟",
            "ڈارپا روبوٹکس چیلنج کا فائنل کس ٹیم نے جیتا؟",
            "یونیورسل روبوٹس کا بازو کتنے کا آتا ہے؟",
        ] {
            assert!(asks_outside_scope(Locale::Ur, q), "{q}");
        }
    }

    #[test]
    fn control_costs_and_contractions_are_not_prices() {
        for q in [
            "What does the cost function of MPC penalise?",
            "And how does DAgger fix that drift, and what does it cost in expert time?",
            "How can a walking policy use terrain information it won't have on the robot?",
            "How much does the gear ratio reduce the reflected inertia?",
        ] {
            assert!(!asks_outside_scope(Locale::En, q), "{q}");
        }
        assert!(!asks_outside_scope(Locale::Ur, "ایم پی سی کا کاسٹ فنکشن کس چیز کو سزا دیتا ہے؟"));
    }
}
