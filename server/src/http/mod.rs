//! The HTTP surface: routes, middleware stack and the optional static site.

mod client_errors;
pub mod error_tracking;
mod extract;
mod fallback;
pub mod guard;
mod handlers;
pub mod openapi;
pub mod ratelimit;
pub mod request_id;
pub mod validate;
mod version;

use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use protocol::ErrorCode;
use std::path::PathBuf;
use std::time::Instant;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use handlers::render_metrics;

async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    // Both labels take a bounded set of values whatever the client sends: route templates (never raw paths) and
    // the standard methods (see `crate::metrics::method_label`).
    let route = match req.extensions().get::<MatchedPath>().map(MatchedPath::as_str) {
        Some(fallback::API_CATCH_ALL) => "unmatched".to_string(),
        Some(p) => p.to_string(),
        None if req.uri().path().starts_with("/api/") => "unmatched".into(),
        None => "static".into(),
    };
    let method = crate::metrics::method_label(req.method());
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    metrics::counter!("http_requests_total", "route" => route.clone(), "method" => method,
        "status_class" => crate::metrics::status_class(status))
    .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route.clone(), "method" => method).record(elapsed);
    if route != "static" {
        tracing::info!(route, method, status, latency_ms = (elapsed * 1000.0).round() as u64, "request");
    }
    resp
}

/// Bounds each request's handler; streams are bounded separately (the answer itself has its own LLM timeout).
async fn deadline(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(state.config.request_timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => {
            metrics::counter!("rag_query_errors_total", "reason" => "internal").increment(1);
            AppError::new(StatusCode::GATEWAY_TIMEOUT, ErrorCode::Timeout, "the request took too long").into_response()
        }
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    AppError::internal().into_response()
}

/// The policy on every response. Scripts run only from this origin: the site's one inline script (the theme set
/// before first paint, in `site/templates/base.html`) is allowed by its SHA-256, not by `'unsafe-inline'`, so an
/// injected `<script>` or `onerror=` never runs; `server/tests/security_headers.rs` recomputes the hash from the
/// template and fails if they drift. `'wasm-unsafe-eval'` compiles the widget's WebAssembly (no JS `eval`); styles
/// stay `'unsafe-inline'` for the widget's shadow-root `<style>`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'sha256-MfI/HlR7hmcdR0msaEB8+NwXiY1ogzAePzA8oL3rYY4=' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub fn router(state: AppState, site_dir: Option<PathBuf>) -> Router {
    error_tracking::register_counters();
    let api = Router::new()
        .route("/api/chat", post(handlers::chat))
        .route("/api/chat/stream", post(handlers::chat_stream))
        .route("/api/sessions/{id}", get(handlers::get_session).delete(handlers::delete_session))
        .route("/api/feedback", post(handlers::feedback))
        .route("/api/search", get(handlers::search))
        .layer(middleware::from_fn_with_state(state.clone(), guard::api_guard));

    let admin = Router::new()
        .route("/api/admin/reindex", post(handlers::reindex))
        .route("/api/admin/faults", post(handlers::faults))
        .layer(middleware::from_fn_with_state(state.clone(), guard::admin_guard));

    let mut app = Router::new()
        .merge(api)
        .merge(admin)
        // Unknown API paths answer with the API's JSON error for every method, site or no site.
        .route(fallback::API_CATCH_ALL, any(fallback::api_not_found))
        .route("/api/client-errors", post(client_errors::report))
        .route("/version", get(version::version))
        .route("/health", get(handlers::health))
        .route("/ready", get(handlers::ready))
        .route("/metrics", get(handlers::metrics))
        .route("/openapi.json", get(handlers::openapi_json));
    app = match site_dir {
        Some(dir) => {
            let not_found = ServeFile::new(dir.join("404.html"));
            let files = ServeDir::new(dir).append_index_html_on_directories(true).not_found_service(not_found);
            app.fallback_service(
                tower::ServiceBuilder::new().layer(middleware::from_fn(fallback::normalise_static_path)).service(files),
            )
        }
        None => app.fallback(|| async { AppError::not_found("route") }),
    };
    // After every route is added: the JSON 405 applies to the routes present when it is set.
    app = app.method_not_allowed_fallback(fallback::method_not_allowed);

    let mut origins: Vec<HeaderValue> =
        state.config.allowed_origins().iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    if state.config.environment == "development" && state.config.cors_origins.is_empty() {
        // `site serve` runs on its own port during writing; let it reach a local backend.
        for o in ["http://127.0.0.1:3000", "http://localhost:3000"] {
            origins.push(HeaderValue::from_static(o));
        }
    }
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static(guard::SITE_KEY_HEADER),
            HeaderName::from_static(guard::ADMIN_KEY_HEADER),
        ])
        .expose_headers([header::RETRY_AFTER, HeaderName::from_static("x-request-id")])
        .max_age(std::time::Duration::from_secs(600));

    let x_request_id = HeaderName::from_static("x-request-id");
    app.layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn(error_tracking::report_5xx))
        .layer(middleware::from_fn(track))
        .layer(DefaultBodyLimit::max(protocol::MAX_BODY_BYTES))
        .layer(cors)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("http", request_id = %id, method = crate::metrics::method_label(req.method()))
        }))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        // Outermost: a client's id is checked before anything echoes or logs it.
        .layer(middleware::map_request(request_id::sanitise))
        .with_state(state)
}
