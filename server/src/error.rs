//! API errors: every failure leaves as `{"error": {"code", "message", "field"?}}` with a stable code.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use protocol::{ApiError, ErrorBody, ErrorCode};

#[derive(Debug, Clone)]
pub struct AppError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub retry_after_secs: Option<u64>,
}

impl AppError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError { status, code, message: message.into(), field: None, retry_after_secs: None }
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> AppError {
        AppError {
            field: Some(field.to_string()),
            ..AppError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidField, message)
        }
    }

    pub fn not_found(what: &str) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("{what} not found"))
    }

    pub fn unavailable(what: &str) -> AppError {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::DependencyUnavailable,
            format!("{what} is unavailable right now; please try again shortly"),
        )
    }

    pub fn rate_limited(retry_after_secs: u64) -> AppError {
        AppError {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..AppError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                format!("too many requests; retry in {} s", retry_after_secs.max(1)),
            )
        }
    }

    /// The client did not deliver its request body within `limit`.
    pub fn request_timeout(limit: std::time::Duration) -> AppError {
        AppError::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::RequestTimeout,
            format!("the request body did not arrive within {} s", limit.as_secs_f64()),
        )
    }

    pub fn internal() -> AppError {
        AppError::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, "internal error")
    }

    /// The `reason` label of `http_requests_refused_total`, for refusals.
    fn refusal_reason(&self) -> Option<&'static str> {
        match self.code {
            ErrorCode::RateLimited => Some("rate_limited"),
            ErrorCode::Unauthorized => Some("unauthorized"),
            ErrorCode::Forbidden => Some("forbidden"),
            ErrorCode::PayloadTooLarge => Some("payload_too_large"),
            ErrorCode::InvalidField | ErrorCode::MalformedJson | ErrorCode::Unprocessable => Some("invalid"),
            ErrorCode::RequestTimeout => Some("request_timeout"),
            _ => None,
        }
    }
}

/// A dependency (session database, vector store) failed while doing `what`. Converting it into an `AppError`
/// logs the source with that context, so the client gets a stable 503 and the operator still sees the cause.
#[derive(Debug, thiserror::Error)]
#[error("{what}: {source}")]
pub struct DependencyError {
    what: &'static str,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl From<DependencyError> for AppError {
    fn from(e: DependencyError) -> AppError {
        tracing::error!(dependency = e.what, error = %e.source, "dependency failed");
        AppError::unavailable(e.what)
    }
}

/// `result.dependency("chat history")?` in a handler: the error keeps its source until it is logged.
pub trait DependencyContext<T> {
    fn dependency(self, what: &'static str) -> Result<T, DependencyError>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> DependencyContext<T> for Result<T, E> {
    fn dependency(self, what: &'static str) -> Result<T, DependencyError> {
        self.map_err(|e| DependencyError { what, source: Box::new(e) })
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(reason) = self.refusal_reason() {
            metrics::counter!("http_requests_refused_total", "reason" => reason).increment(1);
        }
        if matches!(self.code, ErrorCode::Unauthorized | ErrorCode::Forbidden | ErrorCode::RateLimited) {
            tracing::warn!(audit = true, code = ?self.code, status = self.status.as_u16(), "request refused");
        }
        let body = ApiError { error: ErrorBody { code: self.code, message: self.message, field: self.field } };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(s) = self.retry_after_secs
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Collects what the fmt subscriber writes, to see what an operator would see in the log.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_dependency_failure_is_logged_with_its_source_and_answers_503() {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
        let failed: Result<(), std::io::Error> = Err(std::io::Error::other("database is locked"));
        let err: AppError =
            tracing::subscriber::with_default(subscriber, || failed.dependency("chat history").unwrap_err().into());
        assert_eq!(err.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(err.code, ErrorCode::DependencyUnavailable);
        assert!(err.message.starts_with("chat history is unavailable"), "{}", err.message);
        let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert!(logged.contains("ERROR"), "{logged}");
        assert!(logged.contains("database is locked") && logged.contains("chat history"), "{logged}");
    }
}
