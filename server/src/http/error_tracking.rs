//! Server error tracking without an extra SDK: every panic and every 5xx becomes an ERROR event with its context
//! (route, status, request id from the enclosing span, build), counted in `rag_server_errors_total{kind}`. The
//! events reach the JSON logs (and the log store through `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`) and, through
//! tracing-opentelemetry, mark the request's trace as failed with the message as an exception event, so any OTLP
//! backend set in `OTEL_EXPORTER_OTLP_ENDPOINT` groups them by route and release. ops/ alerts on the counter.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Once;

/// Logs and counts every 5xx the API answers; the request span around it carries the request id.
pub async fn report_5xx(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_default();
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let status = resp.status();
    if status.is_server_error() {
        metrics::counter!("rag_server_errors_total", "kind" => "5xx").increment(1);
        tracing::error!(
            error.kind = "5xx",
            status = status.as_u16(),
            route,
            method,
            git_sha = crate::build_info::git_sha(),
            version = crate::build_info::VERSION,
            "server error response"
        );
    }
    resp
}

/// Reports panics (message and source location) before the default hook prints them; CatchPanicLayer still turns a
/// handler panic into a 500. Installed once per process.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".into());
            let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            metrics::counter!("rag_server_errors_total", "kind" => "panic").increment(1);
            tracing::error!(
                error.kind = "panic",
                panic.message = %message,
                panic.location = %location,
                git_sha = crate::build_info::git_sha(),
                version = crate::build_info::VERSION,
                "panic"
            );
            previous(info);
        }));
    });
}
