//! Reports the widget's own failures (panics, server errors) to `POST /api/client-errors`, so errors in readers'
//! browsers show up in the service's metrics and alerts. Only a kind from `protocol::CLIENT_ERROR_KINDS` and a
//! scrubbed technical message are sent (never the question, the answer or a session id), at most
//! `MAX_REPORTS_PER_PAGE` per page load, fire-and-forget: a report that fails is dropped, never retried or shown.

use crate::net::Api;
use protocol::{CLIENT_ERROR_MESSAGE_MAX, ClientErrorReport, client_error_kind};
use std::cell::Cell;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit};
use widget::urls;

/// A widget stuck in a failing loop must not send a report per render; the server limits per IP as well.
const MAX_REPORTS_PER_PAGE: u32 = 5;

thread_local! {
    static SENT: Cell<u32> = const { Cell::new(0) };
}

/// Sends one report in the background. `kind`: "panic", "network", "http", "stream", "render", "storage" (anything
/// else is sent as "other"); `message`: a short technical description such as a panic message or "HTTP 502".
pub fn report_error(api: &Api, kind: &str, message: &str) {
    let allowed = SENT.with(|n| {
        let sent = n.get();
        n.set(sent.saturating_add(1));
        sent < MAX_REPORTS_PER_PAGE
    });
    if !allowed {
        return;
    }
    let report =
        // Callers pass technical text only ("HTTP 502", a panic message); the server scrubs again on arrival, so the
        // scrubber's code stays out of the widget's size budget.
        ClientErrorReport { kind: client_error_kind(kind).into(), message: message.chars().take(CLIENT_ERROR_MESSAGE_MAX).collect() };
    let (Some(window), Ok(body), Ok(headers)) = (web_sys::window(), serde_json::to_string(&report), Headers::new())
    else {
        return;
    };
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("X-Site-Key", &api.site_key);
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    let promise = window.fetch_with_str_and_init(&urls::api_url(&api.base, "/api/client-errors"), &init);
    // Awaited only so a rejected fetch is handled instead of surfacing as an uncaught promise rejection.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
}
