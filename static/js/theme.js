// Dark-mode toggle (the initial theme is set by an inline script in <head> to avoid a flash)
// and the small-screen sidebar toggle.
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
  if (menu && side) {
    menu.addEventListener("click", function () {
      var open = side.classList.toggle("open");
      menu.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
})();
