//! `$…$` and `$$…$$`: TeX to MathML at build time (latex2mathml); what it cannot convert is shown as TeX source
//! with a warning. The section text keeps the TeX.

use super::Walk;
use super::text::push_block;
use crate::error::Diagnostic;
use pulldown_cmark::Event;

impl Walk<'_, '_> {
    pub(super) fn inline_math(&mut self, start: usize, tex: &str) {
        let html = self.math_html(tex, false, start);
        self.html.push(Event::InlineHtml(html.into()));
        self.section.text.push_str(&format!("${tex}$"));
    }

    /// A display formula of event `i`, numbered when it has a `\label`.
    pub(super) fn display_math(&mut self, i: usize, start: usize, tex: &str) {
        let tex = crate::figures::split_label(tex).1;
        let math = self.math_html(&tex, true, start);
        let (html, number) = self.numbering.equation_html(i, math);
        self.html.push(Event::InlineHtml(html.into()));
        push_block(&mut self.section.text, &format!("$${tex}$$ {}", number.unwrap_or_default()));
    }

    /// The formula at body offset `start` as MathML, or as its source with a warning.
    fn math_html(&mut self, tex: &str, display: bool, start: usize) -> String {
        use latex2mathml::{DisplayStyle, latex_to_mathml};
        let style = if display { DisplayStyle::Block } else { DisplayStyle::Inline };
        let class = if display { "math math-display" } else { "math" };
        // latex2mathml answers Ok for some input it cannot read, with "[PARSE ERROR: …]" inside the MathML; a
        // reader must never see that, so it is treated like an outright failure.
        let converted = latex_to_mathml(&crate::tex::normalize(tex), style).map_err(|e| e.to_string()).and_then(|m| {
            match m.find("[PARSE ERROR: ") {
                Some(i) => {
                    let what = m[i + 14..].split(']').next().unwrap_or_default();
                    Err(format!("unsupported TeX in this formula ({what})"))
                }
                None => Ok(crate::tex::compact(m)),
            }
        });
        match converted {
            // A wide display formula scrolls sideways: focusable so keyboard users can scroll it (WCAG 2.1.1).
            Ok(m) if display => format!("<span class=\"{class}\" dir=\"ltr\" tabindex=\"0\">{m}</span>"),
            Ok(m) => format!("<span class=\"{class}\" dir=\"ltr\">{m}</span>"),
            Err(e) => {
                // Unsupported TeX should not block a whole book build: show the source and warn.
                let (l, c) = self.pos(start);
                let msg = format!("math not converted to MathML: {e}");
                self.out.warnings.push(Diagnostic::new(self.input.file, l, c, msg));
                format!("<code class=\"{class} math-source\" dir=\"ltr\">{}</code>", crate::html::escape(tex))
            }
        }
    }
}
