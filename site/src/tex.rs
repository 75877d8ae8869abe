//! Rewrites standard TeX that `latex2mathml` 0.2 does not read into forms it does, before conversion.
//!
//! Without this, formulas using `\ge`, `\le`, `\mathcal`, `\lVert`, `\dots`, `\tfrac`, `\big`, `\ast` or
//! punctuation inside `\text{}`
//! came out of the converter with "[PARSE ERROR: …]" inside the MathML, and readers saw that text (154 formulas
//! in the book). Every rewrite keeps the meaning; sizing commands are dropped because MathML stretches fences.

/// `tex` with unsupported commands replaced; other text is kept byte for byte.
pub fn normalize(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len());
    let mut rest = tex;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name_len = after.bytes().take_while(u8::is_ascii_alphabetic).count();
        if name_len == 0 {
            // Control symbols (`\{`, `\,`, `\\`, `\|`) are read as they are.
            let sym = after.chars().next();
            match sym {
                Some(c) => {
                    out.push('\\');
                    out.push(c);
                }
                None => out.push('\\'),
            }
            rest = &after[sym.map_or(0, char::len_utf8)..];
            continue;
        }
        let name = &after[..name_len];
        rest = &after[name_len..];
        match name {
            "ge" => out.push_str("\\geq"),
            "le" => out.push_str("\\leq"),
            "lVert" | "rVert" | "Vert" => out.push_str("\\|"),
            "dots" => out.push_str("\\ldots"),
            "tfrac" | "dfrac" => out.push_str("\\frac"),
            "ast" => out.push('*'),
            "big" | "Big" | "bigg" | "Bigg" | "bigl" | "bigr" | "Bigl" | "Bigr" => {}
            "text" | "textrm" | "mbox" => {
                // The converter reads only letters, digits and spaces inside `\text{}`: punctuation such as
                // `m/s` or `or,` leaves the braces for math mode, where it means the same.
                let (arg, after_arg) = braced(rest);
                out.push_str(&text_runs(arg));
                rest = after_arg;
            }
            "mathcal" => {
                // `\mathcal{V}` -> the Unicode script capital, which needs no font command.
                let (arg, after_arg) = braced(rest);
                out.push_str(&arg.chars().map(script).collect::<String>());
                rest = after_arg;
            }
            _ => {
                out.push('\\');
                out.push_str(name);
            }
        }
    }
    out.push_str(rest);
    out
}

/// `\text{…}` for each run of letters, digits and spaces, other characters as they are.
fn text_runs(arg: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in arg.chars() {
        if c.is_alphanumeric() || c == ' ' {
            run.push(c);
        } else {
            if !run.is_empty() {
                out.push_str(&format!("\\text{{{run}}}"));
                run.clear();
            }
            out.push(c);
        }
    }
    if !run.is_empty() {
        out.push_str(&format!("\\text{{{run}}}"));
    }
    out
}

/// The argument of a command: `{…}` (one level) or the next character, and what follows it.
fn braced(s: &str) -> (&str, &str) {
    let t = s.trim_start();
    if let Some(inner) = t.strip_prefix('{') {
        match inner.find('}') {
            Some(end) => (&inner[..end], &inner[end + 1..]),
            None => (inner, ""),
        }
    } else {
        let n = t.chars().next().map_or(0, char::len_utf8);
        (&t[..n], &t[n..])
    }
}

/// Mathematical script capitals (U+1D49C block; a few live in Letterlike Symbols).
fn script(c: char) -> char {
    match c {
        'B' => 'ℬ',
        'E' => 'ℰ',
        'F' => 'ℱ',
        'H' => 'ℋ',
        'I' => 'ℐ',
        'L' => 'ℒ',
        'M' => 'ℳ',
        'R' => 'ℛ',
        'A'..='Z' => char::from_u32(0x1D49C + (c as u32 - 'A' as u32)).unwrap_or(c),
        _ => c,
    }
}

/// Drops what HTML already implies from latex2mathml's output: the MathML namespace (the HTML parser puts `<math>`
/// in it) and `display="inline"` (the default). Hundreds of formulas per chapter make that ~1 KB of each page.
pub fn compact(mathml: String) -> String {
    mathml.replacen(" xmlns=\"http://www.w3.org/1998/Math/MathML\"", "", 1).replacen(" display=\"inline\"", "", 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn compact_drops_only_implied_attributes() {
        let m = super::compact(
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"inline\"><mi>x</mi></math>".into(),
        );
        assert_eq!(m, "<math><mi>x</mi></math>");
        let b = super::compact(
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><mi>x</mi></math>".into(),
        );
        assert_eq!(b, "<math display=\"block\"><mi>x</mi></math>");
    }

    use super::*;

    #[test]
    fn rewrites_only_whole_command_names() {
        assert_eq!(normalize("a \\ge b \\le c"), "a \\geq b \\leq c");
        assert_eq!(normalize("\\left( \\geq \\leq \\lefteqn"), "\\left( \\geq \\leq \\lefteqn");
        assert_eq!(normalize("\\lVert x \\rVert"), "\\| x \\|");
        assert_eq!(normalize("1, \\dots, n"), "1, \\ldots, n");
        assert_eq!(normalize("\\tfrac{1}{2} \\big( x \\big)"), "\\frac{1}{2} ( x )");
        assert_eq!(normalize("\\{ x \\}"), "\\{ x \\}");
        assert_eq!(normalize("a \\ast b"), "a * b");
    }

    #[test]
    fn text_keeps_punctuation_outside_text_runs() {
        assert_eq!(normalize("9.81\\ \\text{m/s}^2"), "9.81\\ \\text{m}/\\text{s}^2");
        assert_eq!(normalize("\\text{or, for}"), "\\text{or},\\text{ for}");
    }

    #[test]
    fn mathcal_becomes_script_letters() {
        assert_eq!(normalize("\\mathcal{V}^\\top \\mathcal F"), "𝒱^\\top ℱ");
        assert_eq!(normalize("\\mathcal{L}"), "ℒ");
    }

    #[test]
    fn converter_reads_every_rewrite() {
        for tex in [
            "\\text{m/s}^2",
            "\\text{or, for a spring,}",
            "a \\ge b",
            "\\lVert x \\rVert",
            "1, \\dots, n",
            "\\tfrac{1}{2}",
            "\\big( x \\big)",
            "\\{ 1 \\}",
            "a \\ast b",
            "\\mathcal{V}",
        ] {
            let m = latex2mathml::latex_to_mathml(&normalize(tex), latex2mathml::DisplayStyle::Inline).unwrap();
            assert!(!m.contains("PARSE ERROR"), "{tex}: {m}");
        }
    }

    #[test]
    fn odd_input_never_panics() {
        for s in ["\\", "\\mathcal", "\\mathcal{", "é\\ge", "\\\\", "\\}"] {
            let _ = normalize(s);
        }
    }
}
