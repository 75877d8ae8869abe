// Offline full-text search: the per-locale index (search/<locale>.json) is fetched the first time the
// search box gets focus, then every term of the query must occur in a section's title/heading/text.
(function () {
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var docs = null, loading = null;
  function load() {
    if (!loading) {
      loading = fetch(form.dataset.index).then(function (r) { return r.json(); })
        .then(function (d) { docs = d.map(function (x) { x.k = (x.t + " " + x.h + " " + x.x).toLowerCase(); return x; }); })
        .catch(function () { docs = []; });
    }
    return loading;
  }
  function item(href, title, sub) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = href; a.textContent = title;
    if (sub) { var s = document.createElement("small"); s.textContent = sub; a.appendChild(s); }
    li.appendChild(a); return li;
  }
  function show() {
    var q = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!q) { list.hidden = true; return; }
    list.hidden = false;
    if (!docs) { list.appendChild(item("#", form.dataset.loading)); load().then(show); return; }
    var terms = q.split(/\s+/);
    var hits = docs.filter(function (d) { return terms.every(function (t) { return d.k.indexOf(t) >= 0; }); }).slice(0, 12);
    if (!hits.length) { var li = document.createElement("li"); li.textContent = form.dataset.noResults; list.appendChild(li); return; }
    hits.forEach(function (d) {
      var i = d.x.toLowerCase().indexOf(terms[0]);
      var snip = d.x.slice(Math.max(0, i - 40), Math.max(0, i - 40) + 120);
      list.appendChild(item(d.u, d.h ? d.t + " › " + d.h : d.t, snip));
    });
  }
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", show);
  form.addEventListener("submit", function (e) { e.preventDefault(); var a = list.querySelector("a[href]:not([href='#'])"); if (a) location.href = a.href; });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; show(); }
    if (e.key === "ArrowDown") { var a = list.querySelector("a"); if (a) { e.preventDefault(); a.focus(); } }
  });
})();
