//! Sidebar tree, breadcrumbs and prev/next, derived from folders, `_category_.toml` and front matter.

use crate::content::{Site, is_index, strip_order};
use crate::urls::SiteUrls;
use protocol::Locale;
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct NavItem {
    pub label: String,
    pub url: Option<String>,
    /// Page key for pages (and for a category's `index.md`).
    pub key: Option<String>,
    /// Docusaurus allows fractional positions (`2.5` between 2 and 3).
    position: f64,
    sort_name: String,
    pub children: Vec<NavItem>,
    pub is_category: bool,
    folder: String,
    /// Categories only: closed unless they hold the current page (`collapsed: false` opens it).
    pub(crate) collapsed: bool,
    /// `pagination_label` of the page: its name in prev/next links.
    pager_label: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NavLink {
    pub label: String,
    /// With the base path (see `SiteUrls::page_href`).
    pub href: String,
}

/// The sidebar for one locale; sorted by position, then by file name.
pub fn tree(site: &Site, locale: Locale) -> Vec<NavItem> {
    let mut root: Vec<NavItem> = vec![];
    // `unlisted` pages are built and linkable but not listed (Docusaurus).
    for page in site.pages.iter().filter(|p| p.locale == locale && !site.sources[p.source].fm.unlisted) {
        let src = &site.sources[page.source];
        let mut parts: Vec<&str> = page.key.split('/').collect();
        let file = parts.pop().unwrap_or_default();
        let mut level = &mut root;
        let mut folder = String::new();
        for part in &parts {
            if !folder.is_empty() {
                folder.push('/');
            }
            folder.push_str(part);
            let idx = match level.iter().position(|n| n.is_category && n.folder == folder) {
                Some(i) => i,
                None => {
                    let cat = site
                        .categories
                        .get(&(locale, folder.clone()))
                        .or_else(|| site.categories.get(&(Locale::En, folder.clone())));
                    let (name, order) = strip_order(part);
                    level.push(NavItem {
                        label: cat.map_or_else(|| name.replace('-', " "), |c| c.label.clone()),
                        url: None,
                        key: None,
                        position: cat.and_then(|c| c.position).or(order.map(|o| o as f64)).unwrap_or(f64::INFINITY),
                        sort_name: part.to_string(),
                        children: vec![],
                        is_category: true,
                        folder: folder.clone(),
                        collapsed: cat.and_then(|c| c.collapsed).unwrap_or(true),
                        pager_label: None,
                    });
                    level.len() - 1
                }
            };
            level = &mut level[idx].children;
        }
        if is_index(file) && !parts.is_empty() {
            // The folder's index page is the category's own link; `level` is its children, so step back.
            set_category_page(&mut root, &folder, &page.url, &page.key);
            continue;
        }
        let (name, order) = strip_order(file);
        level.push(NavItem {
            label: src.fm.sidebar_label.clone().unwrap_or_else(|| src.fm.title.clone()),
            url: Some(page.url.clone()),
            key: Some(page.key.clone()),
            position: src.fm.sidebar_position.or(order.map(|o| o as f64)).unwrap_or(if is_index(file) {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }),
            sort_name: name.to_string(),
            children: vec![],
            is_category: false,
            folder: String::new(),
            collapsed: false,
            pager_label: src.fm.pagination_label.clone(),
        });
    }
    link_category_docs(site, locale, &mut root);
    sort(&mut root);
    root
}

/// `link: {type: doc, id}` in a category file: the category opens that doc, which then is not listed again.
fn link_category_docs(site: &Site, locale: Locale, items: &mut [NavItem]) {
    for item in items.iter_mut().filter(|i| i.is_category) {
        let cat = site
            .categories
            .get(&(locale, item.folder.clone()))
            .or_else(|| site.categories.get(&(Locale::En, item.folder.clone())));
        let doc = cat.and_then(|c| c.link.as_ref()).filter(|l| l.kind == "doc").and_then(|l| l.id.as_deref());
        if let Some(page) = doc.and_then(|id| {
            site.find_doc(locale, id).or_else(|| site.find_doc(locale, &format!("{}/{id}", doc_folder(&item.folder))))
        }) {
            item.url = Some(page.url.clone());
            item.key = Some(page.key.clone());
            item.children.retain(|c| c.key.as_deref() != Some(page.key.as_str()));
        }
        link_category_docs(site, locale, &mut item.children);
    }
}

/// A folder key as it appears in doc ids (number prefixes stripped).
fn doc_folder(folder: &str) -> String {
    folder.split('/').map(|s| strip_order(s).0).collect::<Vec<_>>().join("/")
}

fn set_category_page(items: &mut [NavItem], folder: &str, url: &str, key: &str) {
    for item in items {
        if item.is_category && item.folder == folder {
            item.url = Some(url.to_string());
            item.key = Some(key.to_string());
            return;
        }
        if item.is_category && folder.starts_with(&format!("{}/", item.folder)) {
            set_category_page(&mut item.children, folder, url, key);
        }
    }
}

fn sort(items: &mut [NavItem]) {
    items.sort_by(|a, b| a.position.total_cmp(&b.position).then_with(|| a.sort_name.cmp(&b.sort_name)));
    for i in items {
        sort(&mut i.children);
    }
}

/// Pages in reading order (category index pages before their children).
pub fn flatten(items: &[NavItem], out: &mut Vec<NavLink>, urls: &SiteUrls) {
    for i in items {
        if let Some(url) = &i.url {
            let label = i.pager_label.clone().unwrap_or_else(|| i.label.clone());
            out.push(NavLink { label, href: urls.page_href(url) });
        }
        flatten(&i.children, out, urls);
    }
}

/// Categories from the root down to the one holding `url`.
pub fn breadcrumbs(items: &[NavItem], url: &str, urls: &SiteUrls) -> Vec<NavLink> {
    fn walk(items: &[NavItem], url: &str, urls: &SiteUrls, trail: &mut Vec<NavLink>) -> bool {
        for i in items {
            if i.url.as_deref() == Some(url) {
                return true;
            }
            if i.is_category {
                trail.push(NavLink {
                    label: i.label.clone(),
                    href: i.url.as_deref().map(|u| urls.page_href(u)).unwrap_or_default(),
                });
                if walk(&i.children, url, urls, trail) {
                    return true;
                }
                trail.pop();
            }
        }
        false
    }
    let mut trail = vec![];
    walk(items, url, urls, &mut trail);
    trail
}

pub(crate) fn contains(item: &NavItem, url: &str) -> bool {
    item.url.as_deref() == Some(url) || item.children.iter().any(|c| contains(c, url))
}

/// Sidebar markup. Every page, chapters included, is a plain link that is always visible. A category with pages
/// under it adds a `<details>` disclosure after its link (it collapses without JavaScript and works by keyboard):
/// the link stays outside the `<details>`, because whatever follows a closed `<summary>` is hidden, and the
/// summary is a visible, labelled toggle rather than an empty one (a 0x0 tab stop helps nobody). A link inside
/// `<summary>` would nest two interactive controls (axe `nested-interactive`), so the two stay apart.
pub fn sidebar_html(items: &[NavItem], current: &str, urls: &SiteUrls) -> String {
    use crate::html::escape as esc;
    let mut html = String::from("<ul class=\"nav-list\">");
    for i in items {
        let has_children = i.is_category && !i.children.is_empty();
        html.push_str(if has_children { "<li class=\"nav-category\">" } else { "<li>" });
        // Open when it holds the current page, or when its category says `collapsed: false`.
        let open = if has_children && (contains(i, current) || !i.collapsed) { " open" } else { "" };
        match &i.url {
            Some(u) => {
                let cur = if u == current { " aria-current=\"page\"" } else { "" };
                html.push_str(&format!("<a href=\"{}\"{cur}>{}</a>", esc(&urls.page_href(u)), esc(&i.label)));
                if has_children {
                    html.push_str(&format!(
                        "<details{open}><summary class=\"nav-toggle\" aria-label=\"{}\"></summary>",
                        esc(&i.label)
                    ));
                }
            }
            // A category without a page of its own: its label is the toggle.
            None if has_children => {
                html.push_str(&format!("<details{open}><summary class=\"nav-label\">{}</summary>", esc(&i.label)))
            }
            None => html.push_str(&format!("<span>{}</span>", esc(&i.label))),
        }
        if has_children {
            html.push_str(&sidebar_html(&i.children, current, urls));
            html.push_str("</details>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn item(label: &str, url: Option<&str>, children: Vec<NavItem>, is_category: bool) -> NavItem {
        NavItem {
            label: label.into(),
            url: url.map(Into::into),
            key: None,
            position: 0.0,
            sort_name: label.into(),
            children,
            is_category,
            folder: label.into(),
            collapsed: true,
            pager_label: None,
        }
    }

    #[test]
    fn a_chapter_link_is_never_inside_a_closed_disclosure() {
        let tree = vec![
            item(
                "Kinematics",
                Some("/kinematics/"),
                vec![item("Frames", Some("/kinematics/frames/"), vec![], false)],
                true,
            ),
            item("Dynamics", Some("/dynamics/"), vec![], true),
        ];
        let html = sidebar_html(&tree, "/dynamics/", &SiteUrls::new("", "/"));
        // The chapter with pages under it: its link comes before (outside) its closed <details>.
        assert!(
            html.contains(
                "<li class=\"nav-category\"><a href=\"/kinematics/\">Kinematics</a><details><summary class=\"nav-toggle\" aria-label=\"Kinematics\"></summary>"
            ),
            "{html}"
        );
        // A chapter without sub-pages is a plain link: no disclosure, no toggle to tab through.
        assert!(html.contains("<li><a href=\"/dynamics/\" aria-current=\"page\">Dynamics</a></li>"), "{html}");
        assert_eq!(html.matches("<summary").count(), 1, "{html}");
        // The current page's chapter is open.
        let html = sidebar_html(&tree, "/kinematics/frames/", &SiteUrls::new("", "/"));
        assert!(html.contains("<details open><summary"), "{html}");
    }

    #[test]
    fn a_category_without_a_page_is_labelled_by_its_summary() {
        let tree = vec![item("Appendix", None, vec![item("Glossary", Some("/glossary/"), vec![], false)], true)];
        let html = sidebar_html(&tree, "", &SiteUrls::new("", "/"));
        assert!(html.contains("<details><summary class=\"nav-label\">Appendix</summary>"), "{html}");
    }
}
