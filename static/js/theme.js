// Dark-mode toggle (the initial theme is set by an inline script in <head> to avoid a flash)
// and the small-screen header: the Menu (chapter list over the page) and the search button.
(function () {
  var root = document.documentElement;
  var btn = document.querySelector(".theme-toggle");
  function label() {
    if (!btn) return;
    var dark = root.getAttribute("data-theme") === "dark";
    btn.setAttribute("aria-pressed", dark ? "true" : "false");
    btn.title = dark ? btn.dataset.labelLight : btn.dataset.labelDark;
  }
  if (btn) {
    label();
    btn.addEventListener("click", function () {
      var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("theme", next); } catch (e) { /* private mode: not remembered */ }
      label();
    });
  }
  var menu = document.querySelector(".menu-toggle");
  var side = document.getElementById("sidebar");
  function setMenu(open) {
    side.classList.toggle("open", open);
    menu.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (menu && side) {
    menu.addEventListener("click", function () { setMenu(!side.classList.contains("open")); });
    // A link in the open Menu may be on this same page (an anchor): close the Menu so the reader sees it.
    side.addEventListener("click", function (e) { if (e.target.closest("a")) setMenu(false); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && side.classList.contains("open")) { setMenu(false); menu.focus(); }
    });
  }
  var header = document.querySelector(".site-header");
  var searchBtn = document.querySelector(".search-toggle");
  var input = document.getElementById("search-input");
  if (header && searchBtn && input) {
    searchBtn.addEventListener("click", function () {
      var open = header.classList.toggle("search-open");
      searchBtn.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) input.focus();
    });
  }
})();
