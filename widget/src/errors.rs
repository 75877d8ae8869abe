//! Maps every way a request can fail to one friendly, translatable message.

use protocol::{ApiError, ErrorCode};

/// What went wrong, from the reader's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The browser says it has no network.
    Offline,
    /// Online, but the server did not answer (network error, 502/503, dependency down).
    Unreachable,
    /// Too many requests; seconds from `Retry-After` when the server gave them.
    RateLimited {
        retry_after_secs: Option<u64>,
    },
    Timeout,
    Server,
    /// The request itself was refused (too long, malformed, unprocessable).
    Rejected,
    /// The site key is not accepted for this origin.
    Unauthorized,
    /// The stream broke off or sent something unreadable.
    Interrupted,
}

impl Failure {
    pub fn from_code(code: ErrorCode, retry_after_secs: Option<u64>) -> Self {
        match code {
            ErrorCode::RateLimited => Failure::RateLimited { retry_after_secs },
            ErrorCode::DependencyUnavailable => Failure::Unreachable,
            ErrorCode::Timeout | ErrorCode::RequestTimeout => Failure::Timeout,
            ErrorCode::Internal | ErrorCode::NotFound => Failure::Server,
            ErrorCode::Unauthorized | ErrorCode::Forbidden => Failure::Unauthorized,
            ErrorCode::InvalidField
            | ErrorCode::MalformedJson
            | ErrorCode::PayloadTooLarge
            | ErrorCode::Unprocessable
            | ErrorCode::MethodNotAllowed => Failure::Rejected,
        }
    }

    /// A non-2xx answer before streaming: the JSON error body decides when it parses, else the status does
    /// (proxies in front of the server answer 502/504 with HTML).
    pub fn from_http(status: u16, body: &str, retry_after: Option<&str>) -> Self {
        let retry_after_secs = retry_after.and_then(parse_retry_after);
        if let Ok(api) = serde_json::from_str::<ApiError>(body) {
            return Self::from_code(api.error.code, retry_after_secs);
        }
        match status {
            429 => Failure::RateLimited { retry_after_secs },
            408 | 504 => Failure::Timeout,
            502 | 503 => Failure::Unreachable,
            401 | 403 => Failure::Unauthorized,
            400..=499 => Failure::Rejected,
            _ => Failure::Server,
        }
    }

    /// fetch rejected without a response.
    pub fn from_network(online: bool) -> Self {
        if online { Failure::Unreachable } else { Failure::Offline }
    }

    /// The Fluent message id; `error-rate-limited` takes `$seconds`.
    pub fn message_id(self) -> &'static str {
        match self {
            Failure::Offline => "error-offline",
            Failure::Unreachable => "error-unreachable",
            Failure::RateLimited { retry_after_secs: Some(_) } => "error-rate-limited",
            Failure::RateLimited { retry_after_secs: None } => "error-rate-limited-soon",
            Failure::Timeout => "error-timeout",
            Failure::Server => "error-server",
            Failure::Rejected => "error-rejected",
            Failure::Unauthorized => "error-unauthorized",
            Failure::Interrupted => "error-stream",
        }
    }

    /// Whether trying the same request again can help.
    pub fn retryable(self) -> bool {
        !matches!(self, Failure::Rejected | Failure::Unauthorized)
    }
}

/// `Retry-After` in delta-seconds; the HTTP-date form is rare for rate limits and yields a generic "wait a moment".
pub fn parse_retry_after(value: &str) -> Option<u64> {
    value.trim().parse::<u64>().ok().map(|s| s.min(24 * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_body_wins_over_status() {
        let body = r#"{"error":{"code":"rate_limited","message":"slow down"}}"#;
        assert_eq!(Failure::from_http(429, body, Some("12")), Failure::RateLimited { retry_after_secs: Some(12) });
        let body = r#"{"error":{"code":"invalid_field","message":"too long","field":"query"}}"#;
        assert_eq!(Failure::from_http(400, body, None), Failure::Rejected);
        let body = r#"{"error":{"code":"dependency_unavailable","message":"qdrant down"}}"#;
        assert_eq!(Failure::from_http(503, body, None), Failure::Unreachable);
    }

    #[test]
    fn bare_statuses_map_sensibly() {
        assert_eq!(Failure::from_http(429, "", Some("soon")), Failure::RateLimited { retry_after_secs: None });
        assert_eq!(Failure::from_http(504, "<html>", None), Failure::Timeout);
        assert_eq!(Failure::from_http(502, "", None), Failure::Unreachable);
        assert_eq!(Failure::from_http(403, "", None), Failure::Unauthorized);
        assert_eq!(Failure::from_http(500, "{}", None), Failure::Server);
        assert_eq!(Failure::from_http(418, "", None), Failure::Rejected);
    }

    #[test]
    fn offline_and_messages() {
        assert_eq!(Failure::from_network(false), Failure::Offline);
        assert_eq!(Failure::from_network(true), Failure::Unreachable);
        assert_eq!(Failure::RateLimited { retry_after_secs: Some(3) }.message_id(), "error-rate-limited");
        assert_eq!(Failure::from_code(ErrorCode::Timeout, None).message_id(), "error-timeout");
        assert!(!Failure::Rejected.retryable());
        assert!(Failure::Offline.retryable());
        assert_eq!(parse_retry_after(" 30 "), Some(30));
        assert_eq!(parse_retry_after("-1"), None);
    }
}
