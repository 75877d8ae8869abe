# UI strings of the static site (site/templates). Every key is required in every locale.
site-title = Physical AI & Humanoid Robotics
skip-to-content = Skip to content
search-placeholder = Search the book
search-label = Search
search-no-results = No results
search-loading = Loading search index…
theme-toggle = Toggle dark mode
theme-dark = Dark theme
theme-light = Light theme
locale-switch = Read this page in Urdu
locale-name-en = English
locale-name-ur = اردو
sidebar-label = Chapters
breadcrumbs-label = Breadcrumbs
toc-title = On this page
edit-page = Edit this page
last-updated = Last updated:
prev-page = Previous
next-page = Next
untranslated-notice = This page has not been translated yet; the English original is shown.
not-found-title = Page not found
not-found-body = The page you are looking for does not exist or has moved.
back-home = Back to the introduction
footer-text = An open textbook. Text licensed for reuse; see the repository for details.
admonition-note = Note
admonition-tip = Tip
admonition-info = Info
admonition-warning = Warning
admonition-danger = Danger
menu-toggle = Menu
# Numbered figures ("Figure 3.1: ...") and references to them.
figure-label = Figure
# Heading of the list generated on every page that cites sources.
references-title = References
# Bibliography page: before the links to the chapters citing an entry.
bibliography-cited-in = Cited in:
breadcrumbs-home = Home
search-open = Open search
copy-code = Copy
copied = Copied
