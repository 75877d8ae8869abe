//! `X-Request-Id` from the client is used only when it is a short token of safe characters; anything else is
//! dropped so `SetRequestIdLayer` generates a UUID instead. The id is echoed in a response header and written into
//! every log line of the request, so a crafted one could forge fields in text logs (`x" audit=true`) or multiply
//! log volume (a 300 KB id per request).

use axum::extract::Request;

pub const HEADER: &str = "x-request-id";
/// Long enough for a UUID, a ULID or a proxy's trace id; short enough that logs stay small.
pub const MAX_LEN: usize = 64;

pub fn acceptable(id: &[u8]) -> bool {
    !id.is_empty() && id.len() <= MAX_LEN && id.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
}

/// Removes every `X-Request-Id` header unless there is exactly one and it is acceptable.
pub async fn sanitise(mut req: Request) -> Request {
    let values: Vec<_> = req.headers().get_all(HEADER).iter().collect();
    let keep = values.len() == 1 && acceptable(values[0].as_bytes());
    if !keep && !values.is_empty() {
        req.headers_mut().remove(HEADER);
    }
    req
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn only_short_safe_ids_pass() {
        for ok in ["0190b9a0-1234-7abc-8def-0123456789ab", "req_42", "a.b-c", &"x".repeat(64)] {
            assert!(acceptable(ok.as_bytes()), "{ok}");
        }
        for bad in ["", "forged\" audit=true", "a b", "x\ny", "ünï", "a/b", &"x".repeat(65)] {
            assert!(!acceptable(bad.as_bytes()), "{bad:?}");
        }
    }
}
