//! Accepting connections with bounds a hostile client cannot stretch: at most `MAX_CONNECTIONS` open at once
//! (each holds a file descriptor; at the cap the server stops accepting and new connections wait in the kernel's
//! backlog instead of failing with "Too many open files"), a connection that has not delivered a complete request
//! head within `HEADER_READ_TIMEOUT_SECS` is closed (silent sockets, header bytes trickled in), and a kept-alive
//! connection with no request for `IDLE_TIMEOUT_SECS` is closed (`activity`: hyper has no such timer).
//!
//! Why not `axum::serve`: it gives no access to hyper's connection builder, so no timer and no header-read
//! timeout, and it negotiates HTTP/2 by first waiting, without a deadline, for the client's opening bytes. This
//! loop serves HTTP/1.1 only (the platform's proxy speaks HTTP/1.1 to the service; browsers reach it through that
//! proxy). Shutdown: every connection is told to finish its request and close, and `serve` returns once all
//! connection permits are back.

mod activity;

use crate::config::ConnectionLimits;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// File descriptors kept for everything but client connections: the session database pool, the index files,
/// outbound LLM / Qdrant connections, logs.
const FD_RESERVE: u64 = 64;

/// The soft `RLIMIT_NOFILE` of this process, from /proc (Linux); None elsewhere or when unlimited.
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// The connection cap actually used: `MAX_CONNECTIONS`, lowered when the process's descriptor limit could not
/// hold that many connections next to its own files, so the cap is reached before the limit is.
pub fn effective_cap(configured: usize, fd_limit: Option<u64>) -> usize {
    match fd_limit {
        Some(limit) if (configured as u64).saturating_add(FD_RESERVE) > limit => {
            let fitted = limit.saturating_sub(FD_RESERVE).max(8) as usize;
            tracing::warn!(
                configured,
                fd_limit = limit,
                used = fitted,
                "MAX_CONNECTIONS exceeds what the open-files limit leaves for connections; using the lower cap"
            );
            fitted.min(configured)
        }
        _ => configured,
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting and waits for open connections to
/// finish their requests (callers bound that wait; see `serve::run`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send,
) {
    let cap = effective_cap(limits.max_connections, open_files_limit());
    let permits = Arc::new(Semaphore::new(cap));
    let closing = CancellationToken::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        // The permit is taken before `accept`: at the cap, connections queue in the backlog and cost no descriptor.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        if permits.available_permits() == 0 {
            metrics::counter!("http_connection_cap_reached_total").increment(1);
        }
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(accepted) => accepted,
                Err(e) => {
                    // EMFILE/ENFILE and aborted handshakes: back off briefly instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let activity = activity::Activity::new();
        let tracked = activity.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let in_flight = tracked.begin();
            let response = app.clone().oneshot(req);
            async move { response.await.map(|r| activity::hold_until_body_ends(r, in_flight)) }
        });
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let closing = closing.clone();
        let idle_timeout = limits.idle_timeout;
        tokio::spawn(async move {
            metrics::gauge!("http_connections_open").increment(1.0);
            tokio::pin!(conn);
            let mut asked_to_close = false;
            let result = loop {
                let idle_at = activity.idle_deadline(idle_timeout);
                let wake_at = idle_at.unwrap_or_else(|| std::time::Instant::now() + idle_timeout);
                tokio::select! {
                    r = conn.as_mut() => break r,
                    () = tokio::time::sleep_until(wake_at.into()), if !asked_to_close => {
                        // Re-read: a request may have started or ended while this timer ran.
                        if activity.idle_deadline(idle_timeout).is_some_and(|t| t <= std::time::Instant::now()) {
                            metrics::counter!("http_connections_idle_closed_total").increment(1);
                            conn.as_mut().graceful_shutdown();
                            asked_to_close = true;
                        }
                    }
                    () = closing.cancelled(), if !asked_to_close => {
                        conn.as_mut().graceful_shutdown();
                        asked_to_close = true;
                    }
                }
            };
            if let Err(e) = result {
                // Header-read timeouts and clients that hang up mid-request end here; not the server's fault.
                tracing::debug!(error = %e, "connection closed with an error");
            }
            metrics::gauge!("http_connections_open").decrement(1.0);
            drop(permit);
        });
    }
    drop(listener);
    closing.cancel();
    // Every connection holds a permit until it has closed: all of them back means all connections are done.
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    let _ = permits.acquire_many(all).await;
}

#[cfg(test)]
mod tests {
    use super::effective_cap;

    #[test]
    fn cap_fits_under_the_descriptor_limit() {
        assert_eq!(effective_cap(1024, None), 1024);
        assert_eq!(effective_cap(1024, Some(1_048_576)), 1024);
        assert_eq!(effective_cap(1024, Some(1024)), 960);
        assert_eq!(effective_cap(100, Some(128)), 64);
        assert_eq!(effective_cap(4, Some(16)), 4, "never above the configured cap");
    }
}
