// Textbook chat widget loader: draws a launcher at once and fetches the WebAssembly app only when the reader opens
// it or the browser is idle, so reading is never blocked. Everything lives in a shadow root.
// Strings below must equal locales/*/widget.ftl (checked by widget/tests/loader_strings.rs).
const T = /*i18n*/{"en":{"launcher-open":"Ask the textbook","ask-selection":"Ask about this","widget-load-failed":"The assistant could not be loaded. Please try again later."},"ur":{"launcher-open":"نصابی کتاب سے پوچھیں","ask-selection":"اس کے بارے میں پوچھیں","widget-load-failed":"اسسٹنٹ لوڈ نہیں ہو سکا۔ براہ کرم بعد میں دوبارہ کوشش کریں۔"}}/*end*/;
const CSS = `:host{all:initial}
.launch,.pick{position:fixed;z-index:2147483000;font:600 15px/1.2 system-ui,sans-serif;border-radius:24px;cursor:pointer;
border:2px solid #0b5cad;background:#0b5cad;color:#fff;padding:10px 16px;box-shadow:0 4px 16px rgba(0,0,0,.25)}
.launch{inset-block-end:16px;inset-inline-end:16px}.pick{padding:6px 12px}
:host([data-theme=dark]) .launch,:host([data-theme=dark]) .pick{background:#8ab4f8;border-color:#8ab4f8;color:#0b1a2e}
@media (prefers-color-scheme:dark){:host(:not([data-theme])) .launch,:host(:not([data-theme])) .pick{background:#8ab4f8;border-color:#8ab4f8;color:#0b1a2e}}
button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 5px #fff}
[hidden]{display:none}`;

const me = new URL(import.meta.url);
const tag = [...document.querySelectorAll("script[src]")].find((s) => s.src === me.href)
  || document.querySelector("script[data-site-key]");
const data = (k, d = "") => (tag && tag.dataset[k] != null ? tag.dataset[k] : d);
const locale = data("locale") === "ur" ? "ur" : "en";
const t = T[locale];
const base = data("widgetBase", new URL("./", me).pathname);
const v = me.searchParams.get("v");
const q = v ? "?v=" + encodeURIComponent(v) : "";

const host = document.createElement("div");
host.id = "pai-chat";
host.dir = locale === "ur" ? "rtl" : "ltr";
host.lang = locale;
const root = host.attachShadow({ mode: "open" });
const style = document.createElement("style");
style.textContent = CSS;
const button = (cls, text) => {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.textContent = text;
  return b;
};
const launcher = button("launch", t["launcher-open"]);
launcher.setAttribute("aria-haspopup", "dialog");
launcher.setAttribute("aria-expanded", "false");
const pick = button("pick", t["ask-selection"]);
pick.hidden = true;
const container = document.createElement("div");
root.append(style, launcher, pick, container);

// Follow the site's theme switch; absent data-theme means prefers-color-scheme (handled in CSS).
const html = document.documentElement;
const syncTheme = () => {
  const th = html.getAttribute("data-theme");
  if (th) host.setAttribute("data-theme", th);
  else host.removeAttribute("data-theme");
};
new MutationObserver(syncTheme).observe(html, { attributes: true, attributeFilter: ["data-theme"] });
syncTheme();

let loading = null;
function load() {
  loading ||= import(base + "widget.js" + q)
    .then(async (m) => {
      await m.default({ module_or_path: base + "widget_bg.wasm" + q });
      return m.mount({
        apiUrl: data("apiUrl"), siteKey: data("siteKey"), locale, pageUrl: data("pageUrl", location.pathname),
        base, root, container, launcher,
      });
    })
    .catch((e) => {
      loading = null;
      throw e;
    });
  return loading;
}

async function open(selected) {
  try {
    const app = await load();
    if (app) app.open(selected || undefined);
  } catch (e) {
    launcher.title = t["widget-load-failed"];
    launcher.textContent = t["widget-load-failed"];
    console.warn("chat widget:", e);
  }
}

launcher.addEventListener("click", () => open());

// "Ask about this" for text selected in the page's main content.
let picked = "";
function onSelection() {
  const s = getSelection();
  const text = s && !s.isCollapsed ? s.toString().trim() : "";
  const n = s && s.anchorNode;
  const el = n && (n.nodeType === 1 ? n : n.parentElement);
  if (!text || !el || !el.closest("main, article")) {
    pick.hidden = true;
    return;
  }
  picked = text;
  const r = s.getRangeAt(0).getBoundingClientRect();
  pick.style.top = Math.max(4, r.top - 44) + "px";
  pick.style.left = Math.max(4, Math.min(innerWidth - 200, r.left)) + "px";
  pick.hidden = false;
}
document.addEventListener("mouseup", () => setTimeout(onSelection));
document.addEventListener("keyup", (e) => { if (e.key !== "Escape") setTimeout(onSelection); });
addEventListener("scroll", () => { pick.hidden = true; }, { passive: true });
// Keep the page selection alive when the button is pressed.
pick.addEventListener("mousedown", (e) => e.preventDefault());
pick.addEventListener("click", () => {
  pick.hidden = true;
  open(picked);
});

const mountHost = () => document.body.append(host);
if (document.body) mountHost();
else addEventListener("DOMContentLoaded", mountHost);
(window.requestIdleCallback || ((f) => setTimeout(f, 3000)))(() => load().catch(() => {}), { timeout: 15000 });
