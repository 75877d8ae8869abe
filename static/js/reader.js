// What a reader of a chapter gets on top of the static page:
// - the table of contents marks the section being read (both the side TOC and the "On this page" block);
// - the language switch opens the other language at that same section (heading ids are the same in en and ur,
//   `site check` enforces it), not at the top of the page;
// - code blocks get a language label and a copy button.
// Without JavaScript the page still works: the TOC links, the switch to the same page, and selectable code.
// `site serve` swaps a page's content in place after an edit and fires "site:content": the TOC and the code blocks
// are then read again.
(function () {
  var tocLinks = [];
  var headings = [];
  var sideToc = null;
  function readToc() {
    tocLinks = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#'], .toc-inline a[href^='#']"));
    headings = [];
    var seen = {};
    tocLinks.forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      if (seen[id]) return;
      var h = document.getElementById(id);
      if (h) { seen[id] = true; headings.push(h); }
    });
    sideToc = document.querySelector(".toc");
  }
  readToc();
  var sw = document.querySelector(".locale-switch");
  var switchBase = sw ? sw.getAttribute("href").split("#")[0] : null;
  var current = null;

  function headerHeight() {
    var h = document.querySelector(".site-header");
    return h ? h.getBoundingClientRect().height : 0;
  }
  // The section being read: the jump target while it is on screen, else the last heading above a line a little
  // below the header (the same rule Docusaurus and Starlight use).
  function active() {
    var top = headerHeight();
    var line = top + Math.min(120, window.innerHeight * 0.25);
    if (location.hash) {
      var t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (t && headings.indexOf(t) >= 0) {
        var r = t.getBoundingClientRect();
        if (r.top >= top - 4 && r.bottom <= window.innerHeight) return t;
      }
    }
    var found = null;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top <= line) found = headings[i]; else break;
    }
    return found;
  }
  function update() {
    var h = active();
    if (h === current) return;
    current = h;
    var id = h ? h.id : null;
    tocLinks.forEach(function (a) {
      var on = id !== null && decodeURIComponent(a.getAttribute("href").slice(1)) === id;
      if (on) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
    if (sw && switchBase !== null) sw.setAttribute("href", id ? switchBase + "#" + encodeURIComponent(id) : switchBase);
    if (sideToc && id) {
      var link = sideToc.querySelector("a[aria-current]");
      if (link) {
        var lt = link.offsetTop, st = sideToc.scrollTop;
        if (lt < st || lt > st + sideToc.clientHeight - 40) sideToc.scrollTop = lt - sideToc.clientHeight / 2;
      }
    }
  }
  var queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; update(); });
  }
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  window.addEventListener("hashchange", function () { current = undefined; update(); });
  update();
  // A click on the switch right after a jump, before any scroll event: compute the section now.
  if (sw) sw.addEventListener("click", function () { current = undefined; update(); });

  var body = document.body;
  var copyLabel = body.getAttribute("data-copy") || "Copy";
  var copiedLabel = body.getAttribute("data-copied") || "Copied";
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain http (a preview on another host): the older selection-based copy.
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
      document.body.appendChild(ta); ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      ta.remove();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }
  function enhanceCode(pre) {
    if (pre.hasAttribute("data-copy-ready")) return;
    pre.setAttribute("data-copy-ready", "");
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    wrap.dir = "ltr";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var m = /(?:^|\s)language-([\w+#.-]+)/.exec(pre.className);
    if (m) {
      var label = document.createElement("span");
      label.className = "code-lang";
      label.textContent = m[1];
      wrap.appendChild(label);
    }
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "code-copy";
    btn.textContent = copyLabel;
    btn.setAttribute("aria-live", "polite");
    var timer = null;
    btn.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      copy(code.textContent).then(function () {
        btn.textContent = copiedLabel;
        clearTimeout(timer);
        timer = setTimeout(function () { btn.textContent = copyLabel; }, 1800);
      }, function () { /* clipboard refused: the text stays selectable */ });
    });
    wrap.appendChild(btn);
  }
  function enhanceAll() { Array.prototype.forEach.call(document.querySelectorAll("pre.code"), enhanceCode); }
  enhanceAll();
  document.addEventListener("site:content", function () {
    readToc();
    current = undefined;
    update();
    enhanceAll();
  });
})();
