use super::*;

/// A compact text form of the tree: `tag(children)` and leaf text, attributes in brackets.
fn show(n: &Node) -> String {
    match n {
        Node::Text(t) => t.clone(),
        Node::El { tag, attrs, children } => {
            let a: String = attrs.iter().map(|(k, v)| format!("[{k}={v}]")).collect();
            let c: Vec<String> = children.iter().map(show).collect();
            format!("{tag}{a}({})", c.join(","))
        }
    }
}

fn m(tex: &str) -> String {
    show(&to_mathml(tex, false))
}

#[test]
fn scripts_fractions_roots_and_greek() {
    assert_eq!(m("x_i^2"), "math(msubsup(mi(x),mi(i),mn(2)))");
    assert_eq!(m("\\tau = J^\\top F"), "math(mrow(mi(τ),mo(=),msup(mi(J),mo(⊤)),mi(F)))");
    assert_eq!(m("\\frac{a}{b+1}"), "math(mfrac(mi(a),mrow(mi(b),mo(+),mn(1))))");
    assert_eq!(m("\\sqrt{g/z_c}"), "math(msqrt(mrow(mi(g),mo(/),msub(mi(z),mi(c)))))");
    assert_eq!(m("\\sqrt[3]{x}"), "math(mroot(mi(x),mn(3)))");
    // TeX scripts take one digit without braces; numbers keep their decimal point.
    assert_eq!(m("x^23.5"), "math(mrow(msup(mi(x),mn(2)),mn(3.5)))");
    assert_eq!(m("f''(x)"), "math(mrow(msup(mi(f),mo(′′)),mo[form=prefix]((),mi(x),mo[form=postfix]())))");
    assert_eq!(m("a-b"), "math(mrow(mi(a),mo(−),mi(b)))");
}

#[test]
fn accents_fonts_functions_and_spacing() {
    assert_eq!(m("\\ddot{q}"), "math(mover[accent=true](mi(q),mo(¨)))");
    assert_eq!(
        m("\\mathbf{J}(q)\\dot q"),
        "math(mrow(mi[mathvariant=bold](J),mo[form=prefix]((),mi(q),mo[form=postfix]()),mover[accent=true](mi(q),mo(˙))))"
    );
    assert_eq!(m("x \\in \\mathbb{R}^n"), "math(mrow(mi(x),mo(∈),msup(mi(ℝ),mi(n))))");
    assert_eq!(m("\\sin\\theta\\,\\text{if } a"), "math(mrow(mi(sin),mi(θ),mspace[width=0.17em](),mtext(if ),mi(a)))");
}

#[test]
fn delimiters_and_matrices() {
    assert_eq!(
        m("\\left( \\frac{1}{2} \\right)"),
        "math(mrow(mo[stretchy=true]((),mfrac(mn(1),mn(2)),mo[stretchy=true]())))"
    );
    assert_eq!(
        m("\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}"),
        "math(mrow(mo[stretchy=true]([),mtable(mtr(mtd(mi(a)),mtd(mi(b))),mtr(mtd(mi(c)),mtd(mi(d)))),mo[stretchy=true](])))"
    );
    assert_eq!(show(&to_mathml("a", true)), "math[display=block](mi(a))");
}

#[test]
fn unknown_commands_are_shown_not_dropped() {
    assert_eq!(m("\\foo x"), "math(mrow(mtext(\\foo),mi(x)))");
}

#[test]
fn malformed_input_never_panics_or_hangs() {
    let bits = [
        "{",
        "}",
        "^",
        "_",
        "\\",
        "\\left",
        "\\right",
        "\\begin{bmatrix}",
        "&",
        "\\\\",
        "\\end{x}",
        "\\frac",
        "'",
        "\\sqrt[",
        "é",
        "$",
    ];
    for a in bits {
        for b in bits {
            for c in bits {
                let _ = to_mathml(&format!("{a}{b}x{c}"), false);
            }
        }
    }
}

#[test]
fn math_spans_in_text() {
    let s = "$p = c - \\frac{z_c}{g}\\ddot c$ must stay inside.";
    let span = math_at(s).unwrap();
    assert_eq!(&s[span.body.0..span.body.1], "p = c - \\frac{z_c}{g}\\ddot c");
    assert_eq!(&s[span.end..], " must stay inside.");
    assert!(!span.display);

    let d = math_at("$$E = mc^2$$ now").unwrap();
    assert!(d.display);
    assert_eq!(&"$$E = mc^2$$ now"[d.end..], " now");
    assert!(math_at("\\(x\\) and").is_some_and(|s| !s.display && s.end == 5));
    assert!(math_at("\\[x\\]").is_some_and(|s| s.display));
    // Prices and lone dollars stay text.
    assert_eq!(math_at("$5 and $10 each"), None);
    assert_eq!(math_at("$ b $ c"), None);
    assert_eq!(math_at("text $x$"), None);
}
