//! What the page gives the widget once, at mount (the loader's settings), the UI strings, and the browser helpers
//! every part uses.

use crate::net::Api;
use leptos::prelude::set_timeout;
use protocol::Locale;
use std::cell::OnceCell;
use web_sys::{HtmlElement, ShadowRoot};
use widget::{errors::Failure, i18n::I18n};

/// Page-level settings from the loader's script tag; fixed for the life of the page (held by `State`).
pub(crate) struct Page {
    pub(crate) api: Api,
    pub(crate) locale: Locale,
    pub(crate) page_url: String,
    /// The site's base path (`data-site-base`): cited section URLs are relative to it.
    pub(crate) site_base: String,
    pub(crate) root: ShadowRoot,
    pub(crate) launcher: Option<HtmlElement>,
}

thread_local! {
    // The one global: the UI language, set once at mount. Every view and message helper reads it, including the
    // answer renderer (`view.rs`), which works on plain DOM outside the reactive tree where a context is not found.
    static I18N: OnceCell<I18n> = const { OnceCell::new() };
}

/// Fixes the UI language; false when it was fixed already (the widget is mounted once).
pub(crate) fn set_locale(locale: Locale) -> bool {
    I18N.with(|i| i.set(I18n::new(locale)).is_ok())
}

pub(crate) fn tr(id: &str) -> String {
    I18N.with(|i| i.get().map(|i| i.t(id)).unwrap_or_else(|| id.to_string()))
}

pub(crate) fn tr_args(id: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    I18N.with(|i| i.get().map(|i| i.t_args(id, args)).unwrap_or_else(|| id.to_string()))
}

pub(crate) fn failure_text(f: Failure) -> String {
    match f {
        Failure::RateLimited { retry_after_secs: Some(s) } => tr_args(f.message_id(), &[("seconds", &s)]),
        _ => tr(f.message_id()),
    }
}

pub(crate) fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Runs `f` after the current event handler has returned. Handlers whose action removes their own button (a starter
/// question, Retry) must not tear down that element, and with it the running closure, while still on the stack:
/// doing so trapped the WebAssembly module (`RuntimeError: unreachable`) and left a blank panel.
pub(crate) fn defer(f: impl FnOnce() + 'static) {
    set_timeout(f, std::time::Duration::ZERO);
}

/// Whether the panel covers the whole viewport (phones, landscape phones): see the media query in panel.css.
pub(crate) fn fullscreen() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 480px), (max-height: 480px)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Remembered for this tab so a cited section opened in another chapter reopens the panel there (loader.js).
pub(crate) fn remember_open(open: bool) {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = if open { s.set_item("pai-chat:open", "1") } else { s.remove_item("pai-chat:open") };
    }
}
