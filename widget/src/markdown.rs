//! The small Markdown subset answers use: paragraphs, lists, emphasis, inline code, code blocks, links, TeX math
//! (see [`crate::math`]) and numbered citations `[1]`, `[1, 3]` that point into the answer's source list.
//!
//! Parsing yields a tiny AST that the UI turns into DOM nodes with text nodes only, so HTML in an answer is shown as
//! text and can never execute. Links keep only http(s) and relative targets; any other link becomes its label text.

use crate::urls;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List { ordered: bool, items: Vec<Vec<Inline>> },
    Code(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Code(String),
    Link {
        href: String,
        children: Vec<Inline>,
    },
    /// TeX source without its delimiters; `display` for `$$…$$` and `\[…\]`.
    Math {
        tex: String,
        display: bool,
    },
    /// Citation markers: 1-based positions in the answer's sources.
    Cite(Vec<u32>),
}

/// Parses `src`; root-relative links (`/kinematics/`) are prefixed with `site_base`. Unclosed code fences (an answer
/// still streaming) run to the end.
pub fn parse(src: &str, site_base: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<String>)> = None;
    let mut lines = src.lines();

    fn flush(blocks: &mut Vec<Block>, para: &mut Vec<&str>, list: &mut Option<(bool, Vec<String>)>, base: &str) {
        if !para.is_empty() {
            blocks.push(Block::Paragraph(inlines(&para.join(" "), base)));
            para.clear();
        }
        if let Some((ordered, items)) = list.take() {
            blocks.push(Block::List { ordered, items: items.iter().map(|i| inlines(i, base)).collect() });
        }
    }

    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            flush(&mut blocks, &mut para, &mut list, site_base);
            let mut code: Vec<&str> = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(l);
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if trimmed.is_empty() {
            flush(&mut blocks, &mut para, &mut list, site_base);
        } else if let Some((ordered, item)) = list_item(trimmed) {
            if !para.is_empty() || list.as_ref().is_some_and(|(o, _)| *o != ordered) {
                flush(&mut blocks, &mut para, &mut list, site_base);
            }
            list.get_or_insert_with(|| (ordered, Vec::new())).1.push(item.to_string());
        } else if let Some(heading) = heading(trimmed) {
            // Headings inside a chat bubble read better as a bold line than as page-level headings.
            flush(&mut blocks, &mut para, &mut list, site_base);
            blocks.push(Block::Paragraph(vec![Inline::Strong(inlines(heading, site_base))]));
        } else if let Some((_, items)) = list.as_mut().filter(|_| line.starts_with([' ', '\t'])) {
            // An indented line continues the last list item.
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            if list.is_some() {
                flush(&mut blocks, &mut para, &mut list, site_base);
            }
            para.push(trimmed.trim_end());
        }
    }
    flush(&mut blocks, &mut para, &mut list, site_base);
    blocks
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some((false, rest.trim()));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(item) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, item.trim()));
        }
    }
    None
}

fn heading(line: &str) -> Option<&str> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) { line[hashes..].strip_prefix(' ').map(str::trim) } else { None }
}

/// Inline spans. Delimiters without a closing partner stay literal text.
pub fn inlines(src: &str, site_base: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = src;
    while let Some(c) = rest.chars().next() {
        let prev_alnum = text.chars().last().is_some_and(char::is_alphanumeric);
        if let Some((span, after)) = span(rest, c, prev_alnum, site_base) {
            if !text.is_empty() {
                out.push(Inline::Text(std::mem::take(&mut text)));
            }
            out.push(span);
            rest = after;
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

/// Tries to read one span starting at `s` (whose first char is `c`); returns it and the remaining input.
fn span<'a>(s: &'a str, c: char, prev_alnum: bool, base: &str) -> Option<(Inline, &'a str)> {
    match c {
        '`' => {
            let end = s[1..].find('`')? + 1;
            (end > 1).then(|| (Inline::Code(s[1..end].to_string()), &s[end + 1..]))
        }
        '*' | '_' => {
            // `snake_case_names` are not emphasis.
            if c == '_' && prev_alnum {
                return None;
            }
            let double = if c == '*' { "**" } else { "__" };
            if let Some(inner) = s.strip_prefix(double) {
                let end = inner.find(double)?;
                if end == 0 {
                    return None;
                }
                return Some((Inline::Strong(inlines(&inner[..end], base)), &inner[end + 2..]));
            }
            let inner = &s[1..];
            if inner.starts_with(char::is_whitespace) {
                return None;
            }
            let end = inner.find(c)?;
            (end > 0).then(|| (Inline::Emphasis(inlines(&inner[..end], base)), &inner[end + 1..]))
        }
        '$' | '\\' => {
            let m = crate::math::math_at(s)?;
            Some((Inline::Math { tex: s[m.body.0..m.body.1].trim().to_string(), display: m.display }, &s[m.end..]))
        }
        '[' => {
            let close = matching_bracket(s)?;
            let label = &s[1..close];
            if let Some(cite) = citation(label).filter(|_| !s[close + 1..].starts_with('(')) {
                return Some((cite, &s[close + 1..]));
            }
            let after = s[close + 1..].strip_prefix('(')?;
            let end = after.find(')')?;
            let target = after[..end].trim();
            // A title (`[a](url "t")`) is dropped; the URL is the part before the first space.
            let target = target.split_whitespace().next().unwrap_or("");
            let children = inlines(label, base);
            let rest = &after[end + 1..];
            match urls::section_href(base, target) {
                Some(href) => Some((Inline::Link { href, children }, rest)),
                None => Some((Inline::Text(plain_text(&children)), rest)),
            }
        }
        _ => None,
    }
}

/// `1`, `1, 3` or `1,3` inside brackets: a citation of those sources (at most 99 each, as answers cite a handful).
fn citation(label: &str) -> Option<Inline> {
    let nums: Option<Vec<u32>> = label
        .split(',')
        .map(|p| p.trim().parse::<u32>().ok().filter(|n| (1..100).contains(n) && p.trim().len() <= 2))
        .collect();
    nums.filter(|n| !n.is_empty()).map(Inline::Cite)
}

fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The visible text of spans (for refused links, copy and announcements).
pub fn plain_text(spans: &[Inline]) -> String {
    let mut out = String::new();
    for s in spans {
        match s {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Math { tex, .. } => out.push_str(tex),
            Inline::Cite(n) => {
                let list: Vec<String> = n.iter().map(u32::to_string).collect();
                out.push_str(&format!("[{}]", list.join(", ")));
            }
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Link { children: c, .. } => out.push_str(&plain_text(c)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn t(s: &str) -> Inline {
        Text(s.into())
    }

    /// Every link target in the tree.
    fn hrefs(blocks: &[Block]) -> Vec<String> {
        fn walk(spans: &[Inline], out: &mut Vec<String>) {
            for s in spans {
                match s {
                    Link { href, children } => {
                        out.push(href.clone());
                        walk(children, out);
                    }
                    Emphasis(c) | Strong(c) => walk(c, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for b in blocks {
            match b {
                Block::Paragraph(p) => walk(p, &mut out),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, &mut out)),
                Block::Code(_) => {}
            }
        }
        out
    }

    #[test]
    fn paragraphs_lists_and_code_blocks() {
        let md = "First line\nsame para.\n\n- one\n- **two**\n  continued\n\n1. a\n2) b\n\n```rust\nlet x = `y`;\n```\nafter";
        let blocks = parse(md, "/");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![t("First line same para.")]),
                Block::List {
                    ordered: false,
                    items: vec![vec![t("one")], vec![Strong(vec![t("two")]), t(" continued")]]
                },
                Block::List { ordered: true, items: vec![vec![t("a")], vec![t("b")]] },
                Block::Code("let x = `y`;".into()),
                Block::Paragraph(vec![t("after")]),
            ]
        );
    }

    #[test]
    fn emphasis_code_and_unclosed_delimiters() {
        assert_eq!(
            inlines("an *em* and `code` and __strong__", "/"),
            vec![
                t("an "),
                Emphasis(vec![t("em")]),
                t(" and "),
                Code("code".into()),
                t(" and "),
                Strong(vec![t("strong")])
            ]
        );
        assert_eq!(inlines("2 * 3 = 6, joint_angle_max, `open", "/"), vec![t("2 * 3 = 6, joint_angle_max, `open")]);
        assert_eq!(parse("## Summary", "/"), vec![Block::Paragraph(vec![Strong(vec![t("Summary")])])]);
        // Streaming: an unclosed fence is still a code block.
        assert_eq!(parse("```\nx = 1", "/"), vec![Block::Code("x = 1".into())]);
    }

    #[test]
    fn links_are_resolved_against_the_site_base() {
        let blocks =
            parse("See [Forward *kinematics*](/kinematics/#forward-kinematics) or [docs](https://ros.org).", "/book/");
        assert_eq!(hrefs(&blocks), vec!["/book/kinematics/#forward-kinematics", "https://ros.org"]);
        assert_eq!(
            blocks[0],
            Block::Paragraph(vec![
                t("See "),
                Link {
                    href: "/book/kinematics/#forward-kinematics".into(),
                    children: vec![t("Forward "), Emphasis(vec![t("kinematics")])]
                },
                t(" or "),
                Link { href: "https://ros.org".into(), children: vec![t("docs")] },
                t("."),
            ])
        );
    }

    #[test]
    fn xss_payloads_stay_inert_text() {
        let html = "<img src=x onerror=alert(1)> <script>alert(2)</script>";
        assert_eq!(parse(html, "/"), vec![Block::Paragraph(vec![t(html)])]);

        for payload in [
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x]( javascript:alert(1) )",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](vbscript:msgbox)",
            "[**x**](javascript:alert(document.cookie))",
        ] {
            let blocks = parse(payload, "/");
            assert!(hrefs(&blocks).is_empty(), "{payload} produced a link: {blocks:?}");
            let Block::Paragraph(p) = &blocks[0] else { panic!("{blocks:?}") };
            assert_eq!(plain_text(p).trim_end_matches([')', ' ']), "x", "{payload}");
        }
        // A bare javascript: URL without link syntax is only text.
        assert_eq!(parse("javascript:alert(1)", "/"), vec![Block::Paragraph(vec![t("javascript:alert(1)")])]);
        // An HTML payload inside a link label is text, not markup.
        let blocks = parse("[<img src=x onerror=alert(1)>](https://example.org)", "/");
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![Link {
                href: "https://example.org".into(),
                children: vec![t("<img src=x onerror=alert(1)>")]
            }])]
        );
    }

    #[test]
    fn citations_and_math_are_spans() {
        assert_eq!(
            inlines("It stays inside [1]. Both agree [2, 3]; a link [1](/x/) is a link.", "/"),
            vec![
                t("It stays inside "),
                Cite(vec![1]),
                t(". Both agree "),
                Cite(vec![2, 3]),
                t("; a link "),
                Link { href: "/x/".into(), children: vec![t("1")] },
                t(" is a link."),
            ]
        );
        // Not citations: words, zero, long numbers.
        assert_eq!(inlines("[a] [0] [123]", "/"), vec![t("[a] [0] [123]")]);
        assert_eq!(
            inlines("The ZMP $p_x$ and \\(\\tau\\) cost $5.", "/"),
            vec![
                t("The ZMP "),
                Math { tex: "p_x".into(), display: false },
                t(" and "),
                Math { tex: "\\tau".into(), display: false },
                t(" cost $5."),
            ]
        );
        // An extractive answer quotes a sentence with the display formula it leads into, then cites it.
        assert_eq!(
            inlines("**Pendulum.** Applying it gives $$m l^2 \\ddot\\theta = \\tau$$ [1]", "/"),
            vec![
                Strong(vec![t("Pendulum.")]),
                t(" Applying it gives "),
                Math { tex: "m l^2 \\ddot\\theta = \\tau".into(), display: true },
                t(" "),
                Cite(vec![1]),
            ]
        );
        // Display math over several lines joins into one paragraph span.
        assert_eq!(
            parse("$$\nJ = \\frac{a}{b}\n$$", "/"),
            vec![Block::Paragraph(vec![Math { tex: "J = \\frac{a}{b}".into(), display: true }])]
        );
    }

    #[test]
    fn arbitrary_input_never_panics() {
        let weird = [
            "[", "[]()", "[a](", "**", "*", "_", "`", "```", "1.", "- ", "#", "[a]](b)", "[[a](b)", "**a*b**", "ـ*ا*ـ",
            "$", "$$", "\\(", "\\[", "[1]", "[1,", "$x^", "\\frac{",
        ];
        for a in weird {
            for b in weird {
                let s = format!("{a}{b} x{a}\n{b}");
                let _ = parse(&s, "/");
            }
        }
    }
}
