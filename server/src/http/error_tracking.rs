//! Server error tracking without an extra SDK: every panic and every 5xx becomes an ERROR event with its context
//! (route, status, request id from the enclosing span, build), counted in `rag_server_errors_total{kind}`. The
//! events reach the JSON logs (and the log store through `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`) and, through
//! tracing-opentelemetry, mark the request's trace as failed with the message as an exception event, so any OTLP
//! backend set in `OTEL_EXPORTER_OTLP_ENDPOINT` groups them by route and release. ops/ alerts on the counter.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Once;

/// Creates the error counters at 0 (with their descriptions), so that the first panic or report is an increase
/// that `rate()` and `increase()` can see, rather than a new series that starts at 1.
pub fn register_counters() {
    metrics::describe_counter!("rag_server_errors_total", "Server errors by kind: 5xx responses and panics");
    metrics::describe_counter!("rag_client_errors_total", "Errors reported by the widget from readers' browsers");
    metrics::describe_counter!("rag_client_errors_dropped_total", "Widget error reports refused by the rate limits");
    for kind in ["5xx", "panic"] {
        metrics::counter!("rag_server_errors_total", "kind" => kind).increment(0);
    }
    for kind in protocol::CLIENT_ERROR_KINDS {
        metrics::counter!("rag_client_errors_total", "kind" => *kind).increment(0);
    }
    metrics::counter!("rag_client_errors_dropped_total").increment(0);
}

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
