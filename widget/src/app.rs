//! Mounting: loader.js calls `mount` with its settings and the shadow root, and gets a handle to open the panel.
//! State lives in `state.rs`, what the reader can do in `actions.rs`, the markup in `panel.rs` and `turn.rs`.

use crate::net::Api;
use crate::page::{self, Page};
use crate::state::State;
use js_sys::Reflect;
use leptos::prelude::*;
use protocol::{Locale, MAX_SELECTED_TEXT_CHARS};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// The panel's stylesheet as build.rs leaves it: `panel.css` without comments and spare whitespace.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/panel.min.css"));

/// Logs a panic's message before the module traps; loader.js then shows the crash notice and reports it.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("chat widget panic: {info}");
        web_sys::console::error_1(&msg.as_str().into());
        if let Some(w) = web_sys::window() {
            let _ = Reflect::set(&w, &"__paiPanic".into(), &msg.into());
        }
    }));
}

/// Handle returned to loader.js.
#[wasm_bindgen]
pub struct WidgetHandle {
    state: State,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Opens the panel, optionally attaching text the reader selected on the page.
    pub fn open(&self, selected: Option<String>) {
        let selected = selected.map(|s| s.trim().chars().take(MAX_SELECTED_TEXT_CHARS).collect::<String>());
        if let Some(s) = selected.filter(|s| !s.is_empty()) {
            self.state.attached.set(Some(s));
        }
        self.state.open.set(true);
    }
}

fn prop(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn prop_str(obj: &JsValue, key: &str) -> String {
    prop(obj, key).as_string().unwrap_or_default()
}

/// Called once by loader.js with `{apiUrl, siteKey, locale, pageUrl, siteBase, root, container, launcher}`.
#[wasm_bindgen]
pub fn mount(config: JsValue) -> Option<WidgetHandle> {
    let root: ShadowRoot = prop(&config, "root").dyn_into().ok()?;
    let container: HtmlElement = prop(&config, "container").dyn_into().ok()?;
    let locale = Locale::parse(&prop_str(&config, "locale")).unwrap_or_default();
    if !page::set_locale(locale) {
        return None; // mounted already
    }
    let page = Page {
        api: Api { base: prop_str(&config, "apiUrl"), site_key: prop_str(&config, "siteKey") },
        locale,
        page_url: prop_str(&config, "pageUrl"),
        site_base: prop_str(&config, "siteBase"),
        root: root.clone(),
        launcher: prop(&config, "launcher").dyn_into().ok(),
    };
    let document = web_sys::window()?.document()?;
    let style = document.create_element("style").ok()?;
    style.set_text_content(Some(CSS));
    let _ = root.append_child(&style);

    install_panic_hook();
    let state = State::new(page);
    // mount_to starts the async executor, so restoring (which spawns a fetch) must come after it.
    leptos::mount::mount_to(container, move || crate::panel::panel(state)).forget();
    state.restore();
    Some(WidgetHandle { state })
}
