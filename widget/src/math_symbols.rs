//! The TeX names the math renderer knows: Greek letters, operators, relations, function names, spacing,
//! accents and double-struck capitals, mapped to the characters MathML shows.

pub(super) fn double_struck(c: char) -> char {
    match c {
        'R' => 'ℝ',
        'N' => 'ℕ',
        'Z' => 'ℤ',
        'Q' => 'ℚ',
        'C' => 'ℂ',
        _ => c,
    }
}

pub(super) fn accent(name: &str) -> Option<&'static str> {
    Some(match name {
        "dot" => "˙",
        "ddot" => "¨",
        "hat" | "widehat" => "^",
        "bar" | "overline" => "¯",
        "vec" | "overrightarrow" => "→",
        "tilde" | "widetilde" => "~",
        _ => return None,
    })
}

pub(super) enum Sym {
    Ident(&'static str),
    Op(&'static str),
    Space(&'static str),
}

/// Greek letters, operators, relations, arrows, big operators, function names and spacing.
pub(super) fn symbol(name: &str) -> Option<Sym> {
    const FUNCS: &[&str] = &[
        "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "log", "ln",
        "exp", "det", "min", "max", "arg", "argmin", "argmax", "lim", "sup", "inf", "tr", "rank", "diag", "dim", "ker",
        "deg", "sgn", "atan2",
    ];
    if let Some((_, s)) = protocol::TEX_GREEK.iter().chain(protocol::TEX_IDENTIFIERS).find(|(n, _)| *n == name) {
        return Some(Sym::Ident(s));
    }
    if let Some((_, s)) = protocol::TEX_OPERATORS.iter().find(|(n, _)| *n == name) {
        return Some(Sym::Op(s));
    }
    if let Some(f) = FUNCS.iter().find(|f| **f == name) {
        return Some(Sym::Ident(f));
    }
    Some(Sym::Space(match name {
        "," | ":" | ">" => "0.17em",
        ";" => "0.28em",
        " " | "quad" => "1em",
        "qquad" => "2em",
        "!" => "0em",
        _ => return None,
    }))
}
