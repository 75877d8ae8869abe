// `site serve` only: the open page follows the author's edits. After a rebuild it fetches its own URL again and
// swaps the new main column, table of contents and sidebar in place, the way a bundler's hot update does: no new
// page load, so no stylesheet, font or script is fetched and parsed again, the scroll position stays, and the
// new text is on screen a few milliseconds after the rebuild. A full reload is the fallback whenever anything
// else changed (stylesheets, scripts, the page's language) or a build error overlay comes or goes.
(function (subscription) {
  var OVERLAY = "#site-error-overlay";
  var events = new EventSource(subscription);
  var busy = false;
  var again = false;

  function assets(doc) {
    return Array.prototype.map.call(doc.querySelectorAll("link[rel=stylesheet], script[src]"), function (e) {
      return e.getAttribute("href") || e.getAttribute("src");
    }).join(" ");
  }
  function sameShell(next) {
    var a = document.documentElement, b = next.documentElement;
    return assets(next) === assets(document) &&
      a.getAttribute("lang") === b.getAttribute("lang") && a.getAttribute("dir") === b.getAttribute("dir") &&
      !next.querySelector(OVERLAY) && !document.querySelector(OVERLAY) &&
      !!document.getElementById("content") && !!next.getElementById("content");
  }
  // The sidebar keeps its element (the menu's click handler is on it) and takes the new contents.
  function swap(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    if (!sameShell(next)) return false;
    document.title = next.title;
    document.getElementById("content").replaceWith(document.adoptNode(next.getElementById("content")));
    var side = document.getElementById("sidebar"), nextSide = next.getElementById("sidebar");
    if (side && nextSide && side.innerHTML !== nextSide.innerHTML) side.innerHTML = nextSide.innerHTML;
    var toc = document.querySelector(".layout > .toc"), nextToc = next.querySelector(".layout > .toc");
    if (toc && nextToc) toc.replaceWith(document.adoptNode(nextToc));
    else if (toc) toc.remove();
    else if (nextToc) document.getElementById("content").after(document.adoptNode(nextToc));
    // reader.js marks the current section and adds the code blocks' copy buttons again.
    document.dispatchEvent(new CustomEvent("site:content"));
    return true;
  }
  function update() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null || !swap(html)) { location.reload(); return; }
        busy = false;
        if (again) { again = false; update(); }
      })
      .catch(function () { location.reload(); });
  }
  events.onmessage = update;
})("/__site_reload?since=SINCE");
