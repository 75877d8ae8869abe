//! `POST /api/client-errors`: the widget reports its own failures (panics, failed requests) from readers'
//! browsers. Each report is counted in `rag_client_errors_total{kind}` (alerted on in ops/) and logged at WARN with
//! a scrubbed message. The same origin and site-key rules as the chat API apply, with limits of its own so a
//! broken page in a loop cannot flood logs or take the chat's per-IP budget: 6 reports per minute per client IP
//! and 600 per minute per instance; over that the report is refused with 429 and counted as dropped.

use super::guard::check_caller;
use super::ratelimit::client_ip;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};
use protocol::{ClientErrorReport, client_error_kind, scrub_client_error_message};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::OnceLock;

/// A report is a kind and a 200-character message; anything much larger is not one.
const MAX_REPORT_BYTES: usize = 2048;
const PER_IP_PER_MINUTE: u32 = 6;
const PER_INSTANCE_PER_MINUTE: u32 = 600;

struct Limits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    total: DefaultDirectRateLimiter,
}

fn limits() -> &'static Limits {
    static LIMITS: OnceLock<Limits> = OnceLock::new();
    let per_minute = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
    LIMITS.get_or_init(|| Limits {
        per_ip: DefaultKeyedRateLimiter::keyed(per_minute(PER_IP_PER_MINUTE)),
        total: DefaultDirectRateLimiter::direct(per_minute(PER_INSTANCE_PER_MINUTE)),
    })
}

fn check_limits(ip: IpAddr) -> Result<(), u64> {
    let l = limits();
    let clock = DefaultClock::default();
    let wait = |n: governor::NotUntil<_>| n.wait_time_from(clock.now()).as_secs_f64().ceil().max(1.0) as u64;
    l.per_ip.check_key(&ip).map_err(wait)?;
    l.total.check().map_err(wait)?;
    if l.per_ip.len() > 10_000 {
        l.per_ip.retain_recent();
    }
    Ok(())
}

pub async fn report(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    check_caller(&state, &headers)?;
    let ip =
        client_ip(peer, headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()), &state.config.trusted_proxies);
    if let Err(wait) = check_limits(ip) {
        metrics::counter!("rag_client_errors_dropped_total").increment(1);
        return Err(AppError::rate_limited(wait));
    }
    if body.len() > MAX_REPORT_BYTES {
        return Err(AppError::invalid_field("body", format!("a report is at most {MAX_REPORT_BYTES} bytes")));
    }
    let report: ClientErrorReport = serde_json::from_slice(&body)
        .map_err(|e| AppError::invalid_field("body", format!("expected {{\"kind\", \"message\"}}: {e}")))?;
    let kind = client_error_kind(&report.kind);
    metrics::counter!("rag_client_errors_total", "kind" => kind).increment(1);
    tracing::warn!(kind, message = %scrub_client_error_message(&report.message), "client error reported");
    Ok(StatusCode::NO_CONTENT.into_response())
}
