//! Per-page values the front matter can set or that are derived from the page (Docusaurus semantics): the
//! description (default: the first paragraph), the table of contents' heading range, explicit prev/next
//! links, a custom edit URL and `last_update`.

use crate::content::{Page, Site};
use crate::markdown::{Rendered, TocEntry};
use crate::nav::NavLink;
use crate::urls::SiteUrls;

/// Longest derived description, in characters; a meta description is cut by search engines past ~160.
const DESCRIPTION_CHARS: usize = 300;

pub struct PageMeta {
    pub description: String,
    pub toc: Vec<TocEntry>,
    /// `None`: the sidebar order decides; `Some(None)`: no link (`pagination_next: null`).
    pub prev: Option<Option<NavLink>>,
    pub next: Option<Option<NavLink>>,
    pub edit_url: Option<Option<String>>,
    pub last_updated: Option<String>,
}

impl PageMeta {
    pub fn new(site: &Site, page: &Page, r: &Rendered, urls: &SiteUrls) -> Self {
        let fm = &site.sources[page.source].fm;
        let (min, max) = (fm.toc_min_heading_level.unwrap_or(2), fm.toc_max_heading_level.unwrap_or(3));
        let toc = if fm.hide_table_of_contents {
            vec![]
        } else {
            r.toc.iter().filter(|t| (min..=max).contains(&t.level)).cloned().collect()
        };
        let link = |id: &Option<Option<String>>| {
            id.as_ref().map(|id| {
                let target = site.find_doc(page.locale, id.as_deref()?)?;
                let tfm = &site.sources[target.source].fm;
                let label =
                    tfm.pagination_label.clone().or_else(|| tfm.sidebar_label.clone()).unwrap_or(tfm.title.clone());
                Some(NavLink { label, href: urls.page_href(&target.url) })
            })
        };
        PageMeta {
            description: if fm.description.trim().is_empty() { first_paragraph(r) } else { fm.description.clone() },
            toc,
            prev: link(&fm.pagination_prev),
            next: link(&fm.pagination_next),
            edit_url: fm.custom_edit_url.clone(),
            last_updated: fm.last_update.as_ref().and_then(|l| l.date.clone()),
        }
    }
}

/// The page's first paragraph as plain text, cut at a word boundary (Docusaurus's default description).
pub fn first_paragraph(r: &Rendered) -> String {
    // A section's text starts with its heading's text, which is not a paragraph.
    let lines = r
        .sections
        .iter()
        .flat_map(|s| s.text.lines().map(str::trim).filter(|l| s.heading_path.last().is_none_or(|h| h != l)));
    let Some(first) = lines.into_iter().find(|l| !l.is_empty()) else {
        return String::new();
    };
    if first.chars().count() <= DESCRIPTION_CHARS {
        return first.to_string();
    }
    let cut: String = first.chars().take(DESCRIPTION_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Section;

    #[test]
    fn description_defaults_to_the_first_paragraph() {
        let r = Rendered {
            sections: vec![Section { text: "First para here.\nSecond.".into(), ..Default::default() }],
            ..Default::default()
        };
        assert_eq!(first_paragraph(&r), "First para here.");
        let long = "word ".repeat(100);
        let r = Rendered { sections: vec![Section { text: long, ..Default::default() }], ..Default::default() };
        let d = first_paragraph(&r);
        assert!(d.ends_with('…') && d.chars().count() <= DESCRIPTION_CHARS + 1, "{d}");
        assert_eq!(first_paragraph(&Rendered::default()), "");
    }
}
