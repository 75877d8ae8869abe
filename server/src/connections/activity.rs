//! What a connection is doing, for the keep-alive idle timeout: requests in flight (from the head being parsed until
//! the response body is finished or dropped, so a long answer stream is never "idle") and when the last one ended.
//! hyper 1.x has no idle timeout for a kept-alive HTTP/1 connection (its header-read timer starts only when the
//! next request's first bytes arrive), so the connection loop asks this after every `idle_timeout`.

use axum::body::Body;
use http_body_util::BodyExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Activity {
    opened: Instant,
    /// Milliseconds after `opened` when the connection last became quiet (opened, or a response finished).
    quiet_since_ms: AtomicU64,
    in_flight: AtomicUsize,
}

/// Held for as long as one request and its response body are alive.
#[derive(Debug)]
pub struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Activity {
    pub fn new() -> Arc<Self> {
        Arc::new(Self { opened: Instant::now(), quiet_since_ms: AtomicU64::new(0), in_flight: AtomicUsize::new(0) })
    }

    fn touch(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.quiet_since_ms.store(ms, Ordering::Release);
    }

    /// Marks a request as started; the returned guard ends it when dropped.
    pub fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.touch();
        InFlight(self.clone())
    }

    /// When the connection will have been idle for `timeout`, if nothing happens meanwhile; None while a request is
    /// in flight (check again one `timeout` later).
    pub fn idle_deadline(&self, timeout: Duration) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let quiet_since = self.opened + Duration::from_millis(self.quiet_since_ms.load(Ordering::Acquire));
        Some(quiet_since + timeout)
    }
}

/// Ties `guard` to the response body, so the request counts as in flight until the last byte is sent or the client
/// goes away (the body is dropped either way).
pub fn hold_until_body_ends(response: axum::response::Response, guard: InFlight) -> axum::response::Response {
    response.map(|body| {
        Body::new(body.map_frame(move |frame| {
            let _alive = &guard;
            frame
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_only_without_requests_in_flight() {
        let activity = Activity::new();
        let timeout = Duration::from_secs(60);
        let opened_deadline = activity.idle_deadline(timeout).expect("idle when opened");
        assert!(opened_deadline <= Instant::now() + timeout);

        let guard = activity.begin();
        assert_eq!(activity.idle_deadline(timeout), None, "a request is in flight");
        let second = activity.begin();
        drop(guard);
        assert_eq!(activity.idle_deadline(timeout), None, "one request still in flight");
        std::thread::sleep(Duration::from_millis(20));
        drop(second);
        let after = activity.idle_deadline(timeout).expect("idle again");
        assert!(after > opened_deadline, "the idle clock restarts when the last response ends");
    }

    #[tokio::test]
    async fn the_body_keeps_the_request_in_flight() {
        let activity = Activity::new();
        let response = axum::response::Response::new(Body::from("answer"));
        let response = hold_until_body_ends(response, activity.begin());
        assert_eq!(activity.idle_deadline(Duration::from_secs(1)), None, "body not yet sent");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], b"answer");
        assert!(activity.idle_deadline(Duration::from_secs(1)).is_some(), "body consumed and dropped");
    }
}
