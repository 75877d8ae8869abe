// Textbook chat widget loader: draws a launcher at once and fetches the WebAssembly app only when the reader shows
// intent to open it, so reading is never blocked and pages stay light. Everything lives in a shadow root.
// Strings below must equal locales/*/widget.ftl (checked by widget/tests/loader_strings.rs).
const T = /*i18n*/{"en":{"launcher-open":"Ask the textbook","launcher-loading":"Opening the assistant…","ask-selection":"Ask about this","widget-load-failed":"The assistant could not be loaded. Please try again later.","widget-crashed":"The assistant stopped working. Reload the page to start it again; your conversation is kept.","reload":"Reload"},"ur":{"launcher-open":"نصابی کتاب سے پوچھیں","launcher-loading":"اسسٹنٹ کھل رہا ہے…","ask-selection":"اس کے بارے میں پوچھیں","widget-load-failed":"اسسٹنٹ لوڈ نہیں ہو سکا۔ براہ کرم بعد میں دوبارہ کوشش کریں۔","widget-crashed":"اسسٹنٹ نے کام کرنا بند کر دیا۔ اسے دوبارہ شروع کرنے کے لیے صفحہ دوبارہ لوڈ کریں؛ آپ کی گفتگو محفوظ ہے۔","reload":"دوبارہ لوڈ کریں"}}/*end*/;
const CSS = `:host{all:initial}
.launch,.pick{position:fixed;z-index:2147483000;font:600 15px/1.2 system-ui,sans-serif;border-radius:24px;cursor:pointer;
border:2px solid #0b5cad;background:#0b5cad;color:#fff;padding:10px 16px;box-shadow:0 4px 16px rgba(0,0,0,.25)}
.launch{inset-block-end:16px;inset-inline-end:16px;transition:transform .2s}.pick{padding:6px 12px}
.launch[aria-busy=true]::before{content:"";display:inline-block;inline-size:.9em;block-size:.9em;margin-inline-end:8px;
vertical-align:-2px;border:2px solid currentColor;border-inline-end-color:transparent;border-radius:50%;animation:s 1s linear infinite}
@keyframes s{to{transform:rotate(360deg)}}
@media (max-width:480px){.launch{inline-size:56px;block-size:56px;padding:0;font-size:0;border-radius:50%}
.launch::after{content:"?";font:700 26px/1 system-ui,sans-serif}.launch[aria-busy=true]::after{content:none}
.launch[aria-busy=true]::before{font-size:22px;margin:0}.launch.away{transform:translateY(96px)}}
.crash{position:fixed;z-index:2147483002;inset-block-end:76px;inset-inline-end:16px;max-inline-size:min(360px,calc(100vw - 32px));
background:#fff;color:#1a1a1a;border:2px solid #a40000;border-radius:8px;padding:12px;font:15px/1.5 system-ui,sans-serif}
.crash button{margin-block-start:8px;font:inherit;padding:8px 14px;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff}
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
// Ctrl+/ (Cmd+/ on a Mac) opens the chat from anywhere on the page; announced to assistive tech and in the tooltip.
launcher.setAttribute("aria-keyshortcuts", "Control+/ Meta+/");
launcher.setAttribute("aria-label", t["launcher-open"]);
launcher.title = t["launcher-open"] + " (Ctrl+/)";
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
        siteBase: data("siteBase", "/"), root, container, launcher,
      });
    })
    .catch((e) => {
      loading = null;
      throw e;
    });
  return loading;
}

// Feedback at once: on a slow network the WebAssembly app can take seconds to arrive after the click.
const busy = (on) => {
  launcher.setAttribute("aria-busy", String(on));
  launcher.textContent = t[on ? "launcher-loading" : "launcher-open"];
};
async function open(selected) {
  busy(true);
  try {
    const app = await load();
    if (app) app.open(selected || undefined);
    busy(false);
  } catch (e) {
    launcher.setAttribute("aria-busy", "false");
    launcher.title = t["widget-load-failed"];
    launcher.textContent = t["widget-load-failed"];
    console.warn("chat widget:", e);
  }
}

launcher.addEventListener("click", () => open());
addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "/" || e.code === "Slash")) {
    e.preventDefault();
    open();
  }
});

// A panic in the app (its panic hook has logged the cause) traps the WebAssembly instance: replace the panel with
// a plain message and a reload button instead of leaving a blank or frozen panel, and report it (no page text).
let crashed = false;
function onCrash(err) {
  if (crashed || !(err instanceof WebAssembly.RuntimeError)) return;
  crashed = true;
  container.replaceChildren();
  const box = document.createElement("div"), p = document.createElement("p"), again = button("", t.reload);
  box.className = "crash";
  box.setAttribute("role", "alert");
  p.textContent = t["widget-crashed"];
  again.addEventListener("click", () => location.reload());
  box.append(p, again);
  root.append(box);
  launcher.hidden = true;
  again.focus();
  const body = JSON.stringify({ kind: "panic", message: String(window.__paiPanic || err.message).slice(0, 500) });
  try { fetch(data("apiUrl") + "/api/client-errors", { method: "POST", body, keepalive: true,
    headers: { "content-type": "application/json" } }).catch(() => {}); } catch { /* reporting is best effort */ }
}
addEventListener("error", (e) => onCrash(e.error));
addEventListener("unhandledrejection", (e) => onCrash(e.reason));

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
// On a phone the round launcher steps aside while the reader scrolls down through the text, and comes back on
// scrolling up or at the end of the page, so it never sits on the line being read.
let lastY = scrollY;
addEventListener("scroll", () => {
  pick.hidden = true;
  const atEnd = innerHeight + scrollY >= document.documentElement.scrollHeight - 4;
  launcher.classList.toggle("away", scrollY > lastY + 4 && !atEnd);
  if (Math.abs(scrollY - lastY) > 4) lastY = scrollY;
}, { passive: true });
// Keep the page selection alive when the button is pressed.
pick.addEventListener("mousedown", (e) => e.preventDefault());
pick.addEventListener("click", () => {
  pick.hidden = true;
  open(picked);
});

// Early in the tab order (right after the skip link): keyboard readers reach the chat in two Tab presses.
const mountHost = () => {
  const skip = document.querySelector("body > .skip-link");
  if (skip) skip.after(host);
  else document.body.prepend(host);
  // The panel was open on the previous page (a cited section in another chapter): reopen it here.
  let reopen = false;
  try { reopen = sessionStorage.getItem("pai-chat:open") === "1"; } catch { /* storage blocked */ }
  if (reopen && !matchMedia("(max-width: 480px)").matches) open();
};
if (document.body) mountHost();
else addEventListener("DOMContentLoaded", mountHost);
// The app is fetched on intent (pointer over, focus or touch on the launcher), not on idle: a reader who never opens
// the chat downloads only this loader, which keeps a chapter within its page-weight budget.
const warm = () => load().catch(() => {});
for (const ev of ["pointerenter", "focus", "touchstart"]) launcher.addEventListener(ev, warm, { once: true, passive: true });
