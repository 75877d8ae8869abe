//! What answers when no route does: JSON errors under `/api/` (404 for an unknown path, 405 for a known path with
//! the wrong method), and for the static site a path check before the file server sees the request.

use crate::error::AppError;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use protocol::ErrorCode;

/// The route template of the `/api/` catch-all; `track` reports it as `unmatched`.
pub const API_CATCH_ALL: &str = "/api/{*rest}";

pub async fn api_not_found() -> AppError {
    AppError::not_found("route")
}

pub async fn method_not_allowed() -> AppError {
    AppError::new(StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed, "this method is not allowed here")
}

/// `path` with every run of `/` collapsed to one.
fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// A path with an empty segment (`//locomotion`) is sent to its collapsed form first. Otherwise the file server's
/// own directory redirect would answer `Location: //locomotion/`, which a browser reads as the host `locomotion`.
pub async fn normalise_static_path(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.contains("//") {
        return next.run(req).await;
    }
    let mut target = collapse_slashes(path);
    if let Some(q) = req.uri().query() {
        target.push('?');
        target.push_str(q);
    }
    // The collapsed path starts with exactly one `/`, so the Location stays on this host.
    match (target.parse::<Uri>(), HeaderValue::from_str(&target)) {
        (Ok(_), Ok(location)) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response(),
        _ => AppError::not_found("page").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::collapse_slashes;

    #[test]
    fn empty_segments_collapse() {
        assert_eq!(collapse_slashes("//locomotion"), "/locomotion");
        assert_eq!(collapse_slashes("///evil.example//x//"), "/evil.example/x/");
        assert_eq!(collapse_slashes("/ur/locomotion/"), "/ur/locomotion/");
    }
}
