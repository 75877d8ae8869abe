//! HTTP calls to the chat API with fetch; every failure becomes a `Failure` the UI can translate.

use js_sys::{Reflect, Uint8Array};
use protocol::{ChatRequest, FeedbackRequest, SessionHistory, StreamEvent};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, RequestInit, Response};
use widget::{errors::Failure, sse, urls};

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub site_key: String,
}

fn online() -> bool {
    web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
}

async fn send(
    api: &Api,
    method: &str,
    path: &str,
    body: Option<String>,
    signal: Option<&AbortSignal>,
) -> Result<Response, Failure> {
    let window = web_sys::window().ok_or(Failure::Server)?;
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new().map_err(|_| Failure::Server)?;
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("X-Site-Key", &api.site_key);
    init.set_headers(&headers);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(&b));
    }
    init.set_signal(signal);
    let promise = window.fetch_with_str_and_init(&urls::api_url(&api.base, path), &init);
    match JsFuture::from(promise).await {
        Ok(v) => v.dyn_into::<Response>().map_err(|_| Failure::Server),
        Err(_) => Err(Failure::from_network(online())),
    }
}

async fn text(resp: &Response) -> String {
    match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn failure_of(api: &Api, resp: &Response) -> Failure {
    if resp.status() >= 500 {
        crate::report::report_error(api, "http", &format!("HTTP {}", resp.status()));
    }
    let retry = resp.headers().get("Retry-After").ok().flatten();
    Failure::from_http(resp.status(), &text(resp).await, retry.as_deref())
}

/// Streams one answer, calling `on_event` for each protocol event. Ok once `done` or `error` arrived; a stream that
/// ends before either was cut off.
pub async fn stream_chat(
    api: &Api,
    req: &ChatRequest,
    signal: &AbortSignal,
    mut on_event: impl FnMut(StreamEvent),
) -> Result<(), Failure> {
    let body = serde_json::to_string(req).map_err(|_| Failure::Rejected)?;
    let resp = send(api, "POST", "/api/chat/stream", Some(body), Some(signal)).await?;
    if !resp.ok() {
        return Err(failure_of(api, &resp).await);
    }
    let stream = resp.body().ok_or(Failure::Interrupted)?;
    let reader: ReadableStreamDefaultReader = stream.get_reader().dyn_into().map_err(|_| Failure::Interrupted)?;
    let mut parser = sse::Parser::new();
    let mut finished = false;
    let mut handle = |frame: sse::Frame, finished: &mut bool| -> Result<(), Failure> {
        match sse::decode(&frame) {
            None => Ok(()),
            Some(Ok(ev)) => {
                *finished |= matches!(ev, StreamEvent::Done(_) | StreamEvent::Error(_));
                on_event(ev);
                Ok(())
            }
            Some(Err(_)) => Err(Failure::Interrupted),
        }
    };
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| if signal.aborted() { Failure::Interrupted } else { Failure::from_network(online()) })?;
        let done = Reflect::get(&chunk, &"done".into()).ok().and_then(|v| v.as_bool()).unwrap_or(true);
        if done {
            break;
        }
        let bytes = Reflect::get(&chunk, &"value".into()).map(|v| Uint8Array::new(&v).to_vec()).unwrap_or_default();
        for frame in parser.push(&bytes) {
            handle(frame, &mut finished)?;
        }
    }
    if let Some(frame) = parser.finish() {
        handle(frame, &mut finished)?;
    }
    if finished { Ok(()) } else { Err(Failure::Interrupted) }
}

/// A stored conversation; `Ok(None)` when the server no longer knows it.
pub async fn history(api: &Api, session_id: &str) -> Result<Option<SessionHistory>, Failure> {
    let resp = send(api, "GET", &format!("/api/sessions/{}", encode(session_id)), None, None).await?;
    if resp.status() == 404 {
        return Ok(None);
    }
    if !resp.ok() {
        return Err(failure_of(api, &resp).await);
    }
    serde_json::from_str(&text(&resp).await).map(Some).map_err(|_| Failure::Server)
}

pub async fn delete_session(api: &Api, session_id: &str) -> Result<(), Failure> {
    let resp = send(api, "DELETE", &format!("/api/sessions/{}", encode(session_id)), None, None).await?;
    // 404 means it is already gone, which is what the reader asked for.
    if resp.ok() || resp.status() == 404 { Ok(()) } else { Err(failure_of(api, &resp).await) }
}

pub async fn feedback(api: &Api, fb: &FeedbackRequest) -> Result<(), Failure> {
    let body = serde_json::to_string(fb).map_err(|_| Failure::Rejected)?;
    let resp = send(api, "POST", "/api/feedback", Some(body), None).await?;
    if resp.ok() { Ok(()) } else { Err(failure_of(api, &resp).await) }
}

/// Session ids come from the server and from localStorage; encode them so neither can reshape the path.
fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}
