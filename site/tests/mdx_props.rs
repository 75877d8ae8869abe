//! Property tests of the Docusaurus/MDX rewrites: arbitrary text built from the constructs they look for never
//! panics them, keeps the line count (so diagnostics still name the author's line) and renders without a panic;
//! code blocks with any info string and magic comments keep every non-comment line.

use proptest::prelude::*;
use site::codeblock;
use site::mdx::prepare;
use std::path::Path;
mod common;

/// Lines made of the pieces the rewrites react to, in any order and indentation.
fn mdx_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("import X from 'y';".to_string()),
        Just("export const a = 1;".to_string()),
        Just("<Tabs>".to_string()),
        Just("</Tabs>".to_string()),
        Just("<TabItem value=\"a\" label=\"A b\" default>".to_string()),
        Just("</TabItem>".to_string()),
        Just("<Foo bar={1} />".to_string()),
        Just("<Foo>x</Foo>".to_string()),
        Just("<Foo attr=\"unterminated".to_string()),
        Just("{/* c */}".to_string()),
        Just("{/* open".to_string()),
        Just(":::tip[T]".to_string()),
        Just("::::note".to_string()),
        Just(":::".to_string()),
        Just("```js {1}".to_string()),
        Just("```".to_string()),
        Just("# Title {#t}".to_string()),
        Just("<details><summary>S</summary>".to_string()),
        "[ -~آ-ی]{0,12}",
    ];
    ("[ \t]{0,4}", piece).prop_map(|(indent, p)| format!("{indent}{p}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn rewrites_keep_lines_and_never_panic(lines in prop::collection::vec(mdx_line(), 0..30), crlf in any::<bool>()) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let body: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
        let p = prepare(Path::new("a.mdx"), &body, 1);
        prop_assert_eq!(p.body.matches('\n').count(), body.matches('\n').count());
        for w in &p.warnings {
            prop_assert!(w.line >= 1 && w.line <= lines.len().max(1), "{w}");
        }
        let r = common::render_snippet("a.mdx", &p.body);
        let line_count = p.body.lines().count().max(1) + 1;
        for d in r.errors.iter().chain(&r.warnings) {
            prop_assert!(d.line >= 1 && d.line <= line_count, "{d}");
        }
    }

    #[test]
    fn code_blocks_keep_every_code_line(info in "[ -~]{0,30}", code in prop::collection::vec("[ -~]{0,10}", 0..12)) {
        let magic = ["// highlight-next-line", "# highlight-start", "# highlight-end"];
        let mut src = String::new();
        let mut kept = String::new();
        for (i, l) in code.iter().enumerate() {
            if i % 4 == 3 {
                src.push_str(magic[i % 3]);
                src.push('\n');
            }
            src.push_str(l);
            src.push('\n');
            if !magic.iter().any(|m| l.trim() == *m) {
                kept.push_str(l);
                kept.push('\n');
            }
        }
        let block = codeblock::parse(&info, &src);
        let html = block.html();
        prop_assert!(html.contains("</pre>"));
        prop_assert!(block.highlighted.iter().all(|n| *n >= 1));
        prop_assert_eq!(block.code, kept);
    }
}
