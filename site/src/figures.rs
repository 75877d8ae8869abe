//! Numbered figures and equations (see docs/authoring.md).
//!
//! A figure is a paragraph holding only an image with a title, `![alt](/img/x.svg "Caption")`: it renders as
//! `<figure class="figure" id="fig-x">` with "Figure 3.1: Caption", and `[@fig:x]` refers to it. A display formula
//! is numbered "(3.2)"; one with `\label{eq:name}` also gets `id="eq-name"` and `[@eq:name]` refers to it. Numbers
//! run per page, prefixed by the chapter number taken from the chapter folder (`03-kinematics` -> 3).
//!
//! The page's events are scanned once before rendering ([`scan`]), so a reference may come before its target.

use crate::cite::RefContext;
use crate::html::escape;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// One figure: `id` is the HTML id (`fig-x`), `number` "3.1".
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub id: String,
    pub number: String,
    pub caption: String,
}

/// Figure and equation numbers of one page, by the index of the event that opens them.
#[derive(Debug, Default)]
pub struct Numbering {
    /// Paragraph-start event index -> figure; the matching paragraph end index -> the same figure.
    opens: HashMap<usize, usize>,
    closes: HashMap<usize, usize>,
    pub figures: Vec<Figure>,
    /// Display-math event index -> (id if labelled, number).
    equations: HashMap<usize, (Option<String>, String)>,
    /// `fig:x` / `eq:y` -> (id, number).
    labels: HashMap<String, (String, String, bool)>,
    /// (byte offset in the body, message) for duplicate or malformed labels.
    pub errors: Vec<(usize, String)>,
}

/// What replaces a figure paragraph's start or end event.
pub struct FigurePart {
    pub html: String,
    /// Text for search and the corpus ("Figure 3.1: Caption" at the end; nothing at the start).
    pub text: String,
}

/// `\label{...}` in `tex`: the label and the formula without it.
pub fn split_label(tex: &str) -> (Option<&str>, String) {
    let Some(start) = tex.find("\\label{") else {
        return (None, tex.to_string());
    };
    let rest = &tex[start + 7..];
    let Some(end) = rest.find('}') else {
        return (None, tex.to_string());
    };
    (Some(rest[..end].trim()), format!("{}{}", &tex[..start], &rest[end + 1..]))
}

/// A figure's label from its image path: the file name without extension (`/img/ur/kinematics-frames.svg` ->
/// `kinematics-frames`), so the English and Urdu versions of a figure share one label and one id.
pub fn figure_name(dest: &str) -> String {
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    crate::slug::slugify(stem)
}

fn valid_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

pub fn scan(events: &[(Event, Range<usize>)], ctx: &RefContext) -> Numbering {
    let mut n = Numbering::default();
    let number = |k: usize| match ctx.chapter {
        Some(c) => format!("{c}.{k}"),
        None => k.to_string(),
    };
    let mut eq_count = 0;
    for (i, (ev, range)) in events.iter().enumerate() {
        match ev {
            Event::Start(Tag::Paragraph) => {
                let Some((Event::Start(Tag::Image { dest_url, title, .. }), _)) = events.get(i + 1) else {
                    continue;
                };
                let img_end = crate::markdown::find_end(events, i + 1);
                let is_alone = matches!(events.get(img_end + 1), Some((Event::End(TagEnd::Paragraph), _)));
                if title.trim().is_empty() || !is_alone {
                    continue;
                }
                let name = figure_name(dest_url);
                let label = format!("fig:{name}");
                let fig = Figure {
                    id: format!("fig-{name}"),
                    number: number(n.figures.len() + 1),
                    caption: title.trim().to_string(),
                };
                if n.labels.contains_key(&label) {
                    n.errors.push((range.start, format!("figure label `{label}` is used twice on this page")));
                    continue;
                }
                n.labels.insert(label, (fig.id.clone(), fig.number.clone(), true));
                n.opens.insert(i, n.figures.len());
                n.closes.insert(img_end + 1, n.figures.len());
                n.figures.push(fig);
            }
            Event::DisplayMath(tex) => {
                // Every display formula is numbered, as in a printed textbook; only a labelled one gets an id to
                // refer to (an id from its position would change whenever a formula is added above it).
                eq_count += 1;
                let num = number(eq_count);
                let (Some(label), _) = split_label(tex) else {
                    n.equations.insert(i, (None, num));
                    continue;
                };
                let Some(name) = label.strip_prefix("eq:").filter(|s| valid_name(s)) else {
                    n.errors.push((
                        range.start,
                        format!("equation label `{label}` must be `eq:` + letters, digits, `_` or `-`"),
                    ));
                    continue;
                };
                if n.labels.contains_key(label) {
                    n.errors.push((range.start, format!("equation label `{label}` is used twice on this page")));
                    continue;
                }
                let id = format!("eq-{name}");
                n.labels.insert(label.to_string(), (id.clone(), num.clone(), false));
                n.equations.insert(i, (Some(id), num));
            }
            _ => {}
        }
    }
    n
}

impl Numbering {
    /// The id and the shown text ("Figure 3.1", "(3.2)") of `fig:x` / `eq:y`.
    pub fn label(&self, label: &str, figure_word: &str) -> Option<(String, String)> {
        self.labels.get(label).map(|(id, num, is_fig)| {
            let shown = if *is_fig { format!("{figure_word} {num}") } else { format!("({num})") };
            (id.clone(), shown)
        })
    }

    /// Ids this page gains (checked by links, compared by translation parity).
    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.labels.values().map(|(id, _, _)| id)
    }

    pub fn in_figure(&self, image_event: usize) -> bool {
        image_event > 0 && self.opens.contains_key(&(image_event - 1))
    }

    /// The `<figure>` open or `<figcaption>` + close that replaces paragraph event `i`, if it belongs to a figure.
    pub fn figure_part(&self, i: usize, figure_word: &str) -> Option<FigurePart> {
        if let Some(&f) = self.opens.get(&i) {
            let fig = &self.figures[f];
            return Some(FigurePart {
                html: format!("<figure class=\"figure\" id=\"{}\">", fig.id),
                text: String::new(),
            });
        }
        let fig = &self.figures[*self.closes.get(&i)?];
        let head = format!("{figure_word} {}:", fig.number);
        Some(FigurePart {
            html: format!(
                "<figcaption><span class=\"figure-number\">{}</span> {}</figcaption></figure>\n",
                escape(&head),
                escape(&fig.caption)
            ),
            text: format!("{head} {}", fig.caption),
        })
    }

    /// Wraps rendered display math `math` of event `i` with its number (and its id, if labelled); also returns the
    /// number.
    pub fn equation_html(&self, i: usize, math: String) -> (String, Option<String>) {
        match self.equations.get(&i) {
            Some((id, num)) => {
                let id_attr = id.as_ref().map(|id| format!(" id=\"{id}\"")).unwrap_or_default();
                (
                    format!("<span class=\"equation\"{id_attr}>{math}<span class=\"eq-number\">({num})</span></span>"),
                    Some(format!("({num})")),
                )
            }
            None => (math, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_names() {
        assert_eq!(split_label("x = 1 \\label{eq:a}"), (Some("eq:a"), "x = 1 ".to_string()));
        assert_eq!(split_label("x"), (None, "x".to_string()));
        assert_eq!(split_label("\\label{eq:a"), (None, "\\label{eq:a".to_string()));
        assert_eq!(figure_name("/img/ur/kinematics-frames.svg"), "kinematics-frames");
        assert_eq!(figure_name("/img/a.b.png?x=1"), "ab");
    }
}
