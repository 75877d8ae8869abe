//! The few sentences the server itself writes into answers, in both languages.

use protocol::Locale;

pub fn not_covered(reader: Locale) -> &'static str {
    match reader {
        Locale::En => {
            "The textbook does not seem to cover this question, so I won't guess. The closest sections are listed \
             below in case they help."
        }
        Locale::Ur => {
            "لگتا ہے کہ یہ سوال نصابی کتاب میں شامل نہیں، اس لیے میں اندازے سے جواب نہیں دوں گا۔ قریب ترین حصے نیچے \
             دیے گئے ہیں، شاید ان سے مدد ملے۔"
        }
    }
}

/// What a model says when the given sections do not answer the question, in the reader's language.
pub fn not_covered_short(reader: Locale) -> &'static str {
    match reader {
        Locale::En => "The textbook does not cover this.",
        Locale::Ur => "یہ بات نصابی کتاب میں شامل نہیں۔",
    }
}

pub fn fallback_notice(reader: Locale) -> &'static str {
    match reader {
        Locale::En => "Nothing in the English edition matched, so these excerpts come from the Urdu edition.",
        Locale::Ur => "اردو ایڈیشن میں اس سوال سے متعلق کچھ نہیں ملا، اس لیے یہ اقتباسات انگریزی ایڈیشن سے ہیں۔",
    }
}

pub fn extractive_intro(reader: Locale) -> &'static str {
    match reader {
        Locale::En => "Here is what the textbook says:",
        Locale::Ur => "نصابی کتاب اس بارے میں یہ کہتی ہے:",
    }
}

/// Opens the line of links to the cited sections under an extractive answer.
pub fn read_more(reader: Locale) -> &'static str {
    match reader {
        Locale::En => "Read more:",
        Locale::Ur => "مزید پڑھیے:",
    }
}

pub fn list_separator(reader: Locale) -> &'static str {
    match reader {
        Locale::En => ", ",
        Locale::Ur => "، ",
    }
}

/// Points to a section that answers the question but has no prose to quote (a code listing or a table).
pub fn see_section(reader: Locale) -> &'static str {
    match reader {
        Locale::En => "The textbook answers this in",
        Locale::Ur => "اس کا جواب نصابی کتاب کے اس حصے میں ہے:",
    }
}

pub fn interrupted(reader: Locale) -> &'static str {
    match reader {
        Locale::En => "(The answer was cut short because the language model stopped responding.)",
        Locale::Ur => "(جواب ادھورا رہ گیا کیونکہ لینگویج ماڈل نے جواب دینا بند کر دیا۔)",
    }
}

pub fn language_name(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "English",
        Locale::Ur => "Urdu",
    }
}
