//! Every page's sidebar, rendered once per locale (or, for a large book, once per chapter) instead of per page.
//!
//! A page's sidebar is the locale's tree with `aria-current` on its own link and ` open` on the collapsed
//! categories that hold it, so each page gets a copy of one rendering with those few attributes spliced in
//! ([`SidebarTemplate`]). Rendering the tree per page made layout grow with the square of the page count: each of N
//! pages walked and formatted all N links.
//!
//! Listing every page on every page still makes the output grow with the square of the page count (a
//! 2,000-page book wrote about 100 KB of sidebar into each page). Above [`LIST_ALL_UP_TO`] listed pages, a page's
//! sidebar lists only the pages of the categories that hold it (and of `collapsed: false` ones); every other
//! category is one link, to its own page or its first page, so each page stays reachable without JavaScript
//! (Docusaurus likewise leaves a collapsed category's items out of the page until it is opened). Such a rendering
//! is shared by all pages of a chapter.

use crate::nav::{NavItem, contains};
use crate::urls::SiteUrls;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Books listing at most this many pages in a locale's sidebar list them all on every page.
pub const LIST_ALL_UP_TO: usize = 300;

const CURRENT: &str = " aria-current=\"page\"";
const OPEN: &str = " open";

/// One locale's sidebar for any page.
pub struct Sidebar {
    tree: Vec<NavItem>,
    urls: SiteUrls,
    /// The whole tree, for a book up to [`LIST_ALL_UP_TO`] pages.
    all: Option<SidebarTemplate>,
    /// A large book: one rendering per chain of categories holding the page (root first, as child indices).
    chapters: Mutex<HashMap<Vec<usize>, Arc<SidebarTemplate>>>,
}

impl Sidebar {
    pub fn new(tree: &[NavItem], urls: &SiteUrls) -> Self {
        let mut listed = vec![];
        for i in tree {
            subtree_urls(i, &mut listed);
        }
        let all = (listed.len() <= LIST_ALL_UP_TO).then(|| SidebarTemplate::new(tree, urls, None));
        Sidebar { tree: tree.to_vec(), urls: urls.clone(), all, chapters: Mutex::default() }
    }

    /// The sidebar with `current` as the current page (`""` for none).
    pub fn render(&self, current: &str) -> String {
        if let Some(all) = &self.all {
            return all.render(current);
        }
        let path = chain(&self.tree, current);
        let hit = self.chapters.lock().ok().and_then(|c| c.get(&path).cloned());
        let template = hit.unwrap_or_else(|| {
            let t = Arc::new(SidebarTemplate::new(&self.tree, &self.urls, Some(&path)));
            if let Ok(mut c) = self.chapters.lock() {
                c.insert(path, t.clone());
            }
            t
        });
        template.render(current)
    }
}

/// The categories holding `url`, from the root down, as child indices (empty when no category holds it).
fn chain(items: &[NavItem], url: &str) -> Vec<usize> {
    let mut path = vec![];
    let mut level = items;
    while let Some(i) = level.iter().position(|it| it.is_category && !it.children.is_empty() && contains(it, url)) {
        path.push(i);
        level = &level[i].children;
    }
    path
}

/// A rendering with the spots where pages differ marked.
pub struct SidebarTemplate {
    /// The markup with no current page (and, for the whole tree, every collapsed category closed).
    html: String,
    /// Page URL -> (byte offset in `html`, attribute to insert there), by offset.
    marks: HashMap<String, Vec<(usize, &'static str)>>,
}

impl SidebarTemplate {
    /// With `chapter` `None`, the whole tree ([`crate::nav::sidebar_html`], which a test holds it to); with the chain of a
    /// chapter, that chapter's rendering for a large book (see the module comment).
    fn new(items: &[NavItem], urls: &SiteUrls, chapter: Option<&[usize]>) -> Self {
        let mut t = SidebarTemplate { html: String::new(), marks: HashMap::new() };
        t.list(items, urls, chapter.map(|c| (c, true)));
        for v in t.marks.values_mut() {
            v.sort_unstable();
        }
        t
    }

    /// The rendering with `current` as the current page.
    pub fn render(&self, current: &str) -> String {
        let Some(marks) = self.marks.get(current) else {
            return self.html.clone();
        };
        let mut out = String::with_capacity(self.html.len() + marks.len() * CURRENT.len());
        let mut at = 0;
        for &(offset, attr) in marks {
            out.push_str(&self.html[at..offset]);
            out.push_str(attr);
            at = offset;
        }
        out.push_str(&self.html[at..]);
        out
    }

    fn mark(&mut self, url: &str, attr: &'static str) {
        let offset = self.html.len();
        self.marks.entry(url.to_string()).or_default().push((offset, attr));
    }

    /// Mirrors [`crate::nav::sidebar_html`]. `chapter`: the chain of the chapter being rendered, from this level down, and
    /// whether this level is still on it.
    fn list(&mut self, items: &[NavItem], urls: &SiteUrls, chapter: Option<(&[usize], bool)>) {
        use crate::html::escape as esc;
        use std::fmt::Write;
        self.html.push_str("<ul class=\"nav-list\">");
        for (idx, i) in items.iter().enumerate() {
            let has_children = i.is_category && !i.children.is_empty();
            // In a chapter rendering: is this category on the chapter's chain, and is it listed with its pages?
            let on_chain = chapter.is_some_and(|(c, on)| on && c.first() == Some(&idx));
            let expanded = chapter.is_none() || on_chain || !i.collapsed;
            if has_children && !expanded {
                // One link for the whole category: its own page, else its first page.
                let mut first = vec![];
                subtree_urls(i, &mut first);
                self.html.push_str("<li class=\"nav-category\">");
                match first.first() {
                    Some(u) => {
                        let _ = write!(self.html, "<a href=\"{}\">{}</a>", esc(&urls.page_href(u)), esc(&i.label));
                    }
                    None => {
                        let _ = write!(self.html, "<span>{}</span>", esc(&i.label));
                    }
                }
                self.html.push_str("</li>");
                continue;
            }
            self.html.push_str(if has_children { "<li class=\"nav-category\">" } else { "<li>" });
            match &i.url {
                Some(u) => {
                    let _ = write!(self.html, "<a href=\"{}\"", esc(&urls.page_href(u)));
                    self.mark(u, CURRENT);
                    let _ = write!(self.html, ">{}</a>", esc(&i.label));
                    if has_children {
                        self.details(i, on_chain);
                        let _ = write!(
                            self.html,
                            "><summary class=\"nav-toggle\" aria-label=\"{}\"></summary>",
                            esc(&i.label)
                        );
                    }
                }
                None if has_children => {
                    self.details(i, on_chain);
                    let _ = write!(self.html, "><summary class=\"nav-label\">{}</summary>", esc(&i.label));
                }
                None => {
                    let _ = write!(self.html, "<span>{}</span>", esc(&i.label));
                }
            }
            if has_children {
                let below = chapter.map(|(c, _)| (c.get(1..).unwrap_or_default(), on_chain));
                self.list(&i.children, urls, below);
                self.html.push_str("</details>");
            }
            self.html.push_str("</li>");
        }
        self.html.push_str("</ul>");
    }

    /// `<details`: open for good when the category says `collapsed: false` or holds the chapter being rendered,
    /// else marked open for every page in it.
    fn details(&mut self, i: &NavItem, on_chain: bool) {
        self.html.push_str("<details");
        if !i.collapsed || on_chain {
            self.html.push_str(OPEN);
            return;
        }
        let mut inside = vec![];
        subtree_urls(i, &mut inside);
        // A URL listed twice under one category still opens it once.
        inside.sort_unstable();
        inside.dedup();
        let offset = self.html.len();
        for u in inside {
            self.marks.entry(u.to_string()).or_default().push((offset, OPEN));
        }
    }
}

/// Every URL in `item` and below it, in sidebar order (what [`contains`] tests one by one).
fn subtree_urls<'a>(item: &'a NavItem, out: &mut Vec<&'a str>) {
    out.extend(item.url.as_deref());
    for c in &item.children {
        subtree_urls(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nav::sidebar_html;
    use crate::nav::tests::item;

    fn sample() -> Vec<NavItem> {
        let mut open_cat = item(
            "Open <part>",
            None,
            vec![item("Deep", Some("/o/deep/"), vec![item("Leaf", Some("/o/deep/leaf/"), vec![], false)], true)],
            true,
        );
        open_cat.collapsed = false;
        vec![
            item("Home", Some("/"), vec![], false),
            item(
                "Kinematics & co",
                Some("/kinematics/"),
                vec![
                    item("Frames", Some("/kinematics/frames/"), vec![], false),
                    item("Sub", None, vec![item("Quat", Some("/kinematics/q/"), vec![], false)], true),
                    item("Empty", None, vec![], true),
                ],
                true,
            ),
            open_cat,
            item("Dynamics", Some("/dynamics/"), vec![], true),
        ]
    }

    fn all_urls(tree: &[NavItem]) -> Vec<&str> {
        let mut pages = vec![];
        for i in tree {
            subtree_urls(i, &mut pages);
        }
        pages
    }

    #[test]
    fn the_spliced_sidebar_equals_the_one_rendered_per_page() {
        let tree = sample();
        let urls = SiteUrls::new("https://example.org", "/book/");
        let sidebar = Sidebar::new(&tree, &urls);
        let pages = all_urls(&tree);
        assert_eq!(pages.len(), 7);
        for current in pages.into_iter().chain(["", "/missing/"]) {
            assert_eq!(sidebar.render(current), sidebar_html(&tree, current, &urls), "current page {current:?}");
        }
    }

    #[test]
    fn a_large_book_lists_only_the_pages_of_the_chapters_holding_the_page() {
        // Parts of 50 pages without pages of their own (like bench's generated book).
        let parts: Vec<NavItem> = (0..8)
            .map(|p| {
                let pages = (0..50).map(|i| format!("/p{p}/page-{i}/")).collect::<Vec<_>>();
                let children = pages.iter().map(|u| item(u, Some(u.as_str()), vec![], false)).collect();
                item(&format!("Part {p}"), None, children, true)
            })
            .collect();
        let urls = SiteUrls::new("", "/");
        let sidebar = Sidebar::new(&parts, &urls);
        assert!(sidebar.all.is_none(), "400 pages is past LIST_ALL_UP_TO");
        let html = sidebar.render("/p3/page-7/");
        assert!(html.contains("<a href=\"/p3/page-7/\" aria-current=\"page\">"), "{html}");
        assert!(html.contains("<details open><summary class=\"nav-label\">Part 3</summary>"), "{html}");
        assert!(html.contains("/p3/page-49/"), "the page's own part is listed whole");
        // Every other part is one link to its first page, so a reader without JavaScript reaches all of them.
        assert!(html.contains("<li class=\"nav-category\"><a href=\"/p5/page-0/\">Part 5</a></li>"), "{html}");
        assert!(!html.contains("/p5/page-1/"), "other parts are not listed page by page");
        assert_eq!(html.matches("<a ").count(), 50 + 7);
        // Pages of one part share a rendering; the 404 page (no current page) lists no part's pages.
        assert_eq!(sidebar.render("/p3/page-8/").replace("page-8/\" aria-current=\"page\"", "page-8/\""), {
            let h = sidebar.render("/p3/page-7/");
            h.replace("page-7/\" aria-current=\"page\"", "page-7/\"")
        });
        assert_eq!(sidebar.render("").matches("<a ").count(), 8);
        // The whole-tree rendering below the limit is unchanged by all this.
        let small = sample();
        assert!(Sidebar::new(&small, &urls).all.is_some());
    }
}
