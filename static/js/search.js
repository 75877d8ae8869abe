// Offline full-text search with Pagefind: its runtime (pagefind/pagefind.js, WebAssembly) is imported the
// first time the search box gets focus, and each query fetches only the index chunks it needs. The index
// matching <html lang> is used, so the Urdu site searches the Urdu book. Excerpts are built as text nodes
// (only Pagefind's <mark> highlights are kept), never as HTML.
(function () {
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var pagefind = null, loading = null, seq = 0;
  function load() {
    if (!loading) {
      loading = import(form.dataset.index)
        .then(function (pf) { return pf.options({ baseUrl: "/", excerptLength: 24 }).then(function () { pf.init(); pagefind = pf; }); })
        .catch(function () { pagefind = false; });
    }
    return loading;
  }
  function excerpt(html) {
    var frag = document.createDocumentFragment();
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (n) {
      if (n.nodeName === "MARK") { var m = document.createElement("mark"); m.textContent = n.textContent; frag.appendChild(m); }
      else frag.appendChild(document.createTextNode(n.textContent));
    });
    return frag;
  }
  function item(href, title, sub) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = href; a.textContent = title;
    if (sub) { var s = document.createElement("small"); s.appendChild(excerpt(sub)); a.appendChild(s); }
    li.appendChild(a); return li;
  }
  // Pages come ranked as wholes; each shows its best-scoring sections (at most 3, 10 links in all), so a result
  // lands on the heading that answers the query rather than the top of the page. A section's score sums
  // Pagefind's per-match scores, which already weigh matches in headings and rare words higher.
  function score(sub) {
    return (sub.weighted_locations || []).reduce(function (t, l) { return t + (l.balanced_score || 0); }, 0);
  }
  function sections(pages) {
    var out = [];
    pages.forEach(function (d) {
      var title = (d.meta || {}).title || d.url;
      var subs = (d.sub_results || []).slice().sort(function (a, b) { return score(b) - score(a); }).slice(0, 3);
      if (!subs.length) subs = [{ url: d.url, title: title, excerpt: d.excerpt }];
      subs.forEach(function (s) {
        var own = s.url.indexOf("#") >= 0 && s.title && s.title !== title;
        out.push({ url: s.url, label: own ? title + " › " + s.title : title, excerpt: s.excerpt });
      });
    });
    return out.slice(0, 10);
  }
  function message(text) { var li = document.createElement("li"); li.textContent = text; list.appendChild(li); }
  function show() {
    var q = input.value.trim();
    var mine = ++seq;
    list.textContent = "";
    if (!q) { list.hidden = true; return; }
    list.hidden = false;
    if (pagefind === null) { message(form.dataset.loading); load().then(function () { if (mine === seq) show(); }); return; }
    if (pagefind === false) { message(form.dataset.noResults); return; }
    pagefind.search(q).then(function (res) {
      return Promise.all(res.results.slice(0, 10).map(function (r) { return r.data(); }));
    }).then(function (pages) {
      if (mine !== seq) return; // a newer query is on its way
      list.textContent = "";
      var links = sections(pages);
      if (!links.length) { message(form.dataset.noResults); return; }
      links.forEach(function (l) { list.appendChild(item(l.url, l.label, l.excerpt)); });
    });
  }
  // A result on this same page only changes the hash: close the list (and the phone's search row) so the
  // section it jumps to is not left under them.
  list.addEventListener("click", function (e) {
    if (!e.target.closest("a")) return;
    list.hidden = true;
    var header = form.closest(".site-header");
    var toggle = header && header.querySelector(".search-toggle");
    if (header && header.classList.contains("search-open")) {
      header.classList.remove("search-open");
      if (toggle) toggle.setAttribute("aria-expanded", "false");
    }
  });
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", show);
  form.addEventListener("submit", function (e) { e.preventDefault(); var a = list.querySelector("a[href]"); if (a) location.href = a.href; });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; show(); }
    if (e.key === "ArrowDown") { var a = list.querySelector("a"); if (a) { e.preventDefault(); a.focus(); } }
  });
  list.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown" && i + 1 < links.length) { e.preventDefault(); links[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    if (e.key === "Escape") { input.focus(); }
  });
})();
