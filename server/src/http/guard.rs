//! Who may call the API: origin allowlist, public site keys bound to origins, the hashed admin key, and rate
//! limits. A browser request from a disallowed origin is refused outright (403), not merely left without CORS
//! headers, so a non-browser client cannot ride on a page it does not own.

use super::ratelimit::client_ip;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use protocol::ErrorCode;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use subtle::ConstantTimeEq;

pub const SITE_KEY_HEADER: &str = "x-site-key";
pub const ADMIN_KEY_HEADER: &str = "x-admin-key";

fn same_origin(headers: &HeaderMap, origin: &str) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
}

/// Origin and site-key checks for the public API. With no SITE_KEYS configured (local development) keys are not
/// required; origins are still checked.
pub fn check_caller(state: &AppState, headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if let Some(o) = origin
        && !same_origin(headers, o)
        && !state.config.allowed_origins().iter().any(|a| a == o)
    {
        return Err(AppError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, "this origin may not use the API"));
    }
    if state.config.site_keys.is_empty() {
        return Ok(None);
    }
    let key = headers.get(SITE_KEY_HEADER).and_then(|k| k.to_str().ok()).ok_or_else(|| {
        AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, "missing site key (X-Site-Key header)")
    })?;
    let entry = state
        .config
        .site_keys
        .iter()
        .find(|k| bool::from(k.key.as_bytes().ct_eq(key.as_bytes())))
        .ok_or_else(|| AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, "unknown site key"))?;
    if let Some(o) = origin
        && !entry.origins.iter().any(|a| a == o)
    {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "this site key may not be used from this origin",
        ));
    }
    Ok(Some(entry.key.clone()))
}

pub fn check_admin(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let presented = headers
        .get(ADMIN_KEY_HEADER)
        .and_then(|k| k.to_str().ok())
        .or_else(|| headers.get(header::AUTHORIZATION).and_then(|a| a.to_str().ok()?.strip_prefix("Bearer ")))
        .ok_or_else(|| AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, "admin key required"))?;
    let digest = hex::encode(Sha256::digest(presented.as_bytes()));
    let ok = state.config.admin_key_hashes.iter().any(|h| bool::from(h.as_bytes().ct_eq(digest.as_bytes())));
    if !ok {
        return Err(AppError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, "admin key not accepted"));
    }
    Ok(())
}

/// `presented == expected` for a secret, in constant time: both sides are hashed first, so the timing shows neither
/// how many leading bytes of a guess were right nor the secret's length.
pub fn secret_matches(presented: &str, expected: &str) -> bool {
    bool::from(Sha256::digest(presented.as_bytes()).as_slice().ct_eq(Sha256::digest(expected.as_bytes()).as_slice()))
}

/// Middleware for the public API: caller checks, then the rate limits.
pub async fn api_guard(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Result<Response, AppError> {
    if req.method() == axum::http::Method::OPTIONS {
        return Ok(next.run(req).await);
    }
    let key = check_caller(&state, req.headers())?;
    let xff = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let ip = client_ip(peer, xff, &state.config.trusted_proxies);
    state.limiters.check(ip, key.as_deref()).map_err(AppError::rate_limited)?;
    Ok(next.run(req).await)
}

/// Middleware for `/api/admin/*`: a per-IP limit before the key is even looked at, so keys cannot be guessed at
/// speed. Refusals are 429 with `Retry-After`, like the public API's.
pub async fn admin_guard(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let xff = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let ip = client_ip(peer, xff, &state.config.trusted_proxies);
    state.limiters.check_admin(ip).map_err(AppError::rate_limited)?;
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::secret_matches;

    #[test]
    fn secret_matches_only_the_exact_secret() {
        assert!(secret_matches("s3cret-value", "s3cret-value"));
        for other in ["", "s3cret-valu", "s3cret-value ", "S3cret-value", "x3cret-value"] {
            assert!(!secret_matches(other, "s3cret-value"), "{other:?}");
        }
    }
}
