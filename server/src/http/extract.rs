//! Extractors whose rejections use the API's error body and name the field at fault by its name (never by the
//! value sent): JSON bodies read within `BODY_READ_TIMEOUT_SECS`, query strings and path segments.

use crate::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use protocol::ErrorCode;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);
pub struct ApiQuery<T>(pub T);
pub struct ApiPath<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        if !is_json(req.headers()) {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::MalformedJson,
                "expected Content-Type: application/json",
            ));
        }
        // The whole body, not each chunk, must arrive in time: a client trickling one byte a second would
        // otherwise hold the request until the handler deadline and be counted as a server timeout (5xx).
        let limit = state.config.limits.body_read_timeout;
        let bytes = match tokio::time::timeout(limit, Bytes::from_request(req, state)).await {
            Err(_) => return Err(AppError::request_timeout(limit)),
            Ok(Err(r)) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    format!("request body is larger than {} bytes", protocol::MAX_BODY_BYTES),
                ));
            }
            Ok(Err(r)) => {
                return Err(AppError::new(r.status(), ErrorCode::MalformedJson, "could not read the request body"));
            }
            Ok(Ok(b)) => b,
        };
        parse_json(&bytes).map(ApiJson)
    }
}

/// The field a serde error is about: the path to the value that failed (`query`, `history[0].text`), or, for an
/// error about the object itself (missing or unknown field), the name serde quotes in its message.
fn field_of(path: &serde_path_to_error::Path, message: &str) -> Option<String> {
    if path.iter().next().is_some() {
        return Some(path.to_string());
    }
    if message.starts_with("missing field") || message.starts_with("unknown field") {
        return message.split('`').nth(1).map(str::to_string);
    }
    None
}

/// Parses a JSON body: a syntax error is `400 malformed_json` with line and column; a well-formed document of the
/// wrong shape (wrong type, unknown variant, missing or unknown field) is `422 unprocessable` naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Syntax first, so that a value of the wrong type (`{"locale": 1}`) is never mistaken for broken JSON.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::new(StatusCode::BAD_REQUEST, ErrorCode::MalformedJson, format!("malformed JSON: {e}"))
    })?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = field_of(e.path(), &e.inner().to_string());
        let message = match &field {
            Some(f) => format!("{f}: {}", e.inner()),
            None => e.inner().to_string(),
        };
        AppError { field, ..AppError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Unprocessable, message) }
    })
}

/// Parses a query string; any problem is `400 invalid_field` naming the parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = field_of(e.path(), &e.inner().to_string()).unwrap_or_else(|| "query".into());
        let message = format!("query parameter {field}: {}", e.inner());
        AppError::invalid_field(&field, message)
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parse_query(parts.uri.query().unwrap_or("")).map(ApiQuery)
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            // The routes have one parameter each, `id`; the rejection (bad percent-encoding, wrong type) says why.
            Err(r) => Err(AppError::invalid_field("id", format!("path parameter id: {}", r.body_text()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::ChatRequest;

    fn json_err(body: &str) -> AppError {
        parse_json::<ChatRequest>(body.as_bytes()).err().unwrap_or_else(|| panic!("{body} parsed"))
    }

    #[test]
    fn json_errors_name_the_field_not_the_value() {
        for (body, status, field) in [
            (r#"{"query": 123}"#, 422, Some("query")),
            (r#"{"query": "x", "locale": 1}"#, 422, Some("locale")),
            (r#"{"query": "x", "locale": "fr"}"#, 422, Some("locale")),
            (r#"{"locale": "en"}"#, 422, Some("query")),
            (r#"{"query": "x", "qurey": "y"}"#, 422, Some("qurey")),
            (r#"{"query": "x", "session_id": ["a"]}"#, 422, Some("session_id")),
            (r#""just a string""#, 422, None),
            (r#"{"query": "#, 400, None),
            (r#"{"query": "x"} trailing"#, 400, None),
        ] {
            let e = json_err(body);
            assert_eq!(e.status.as_u16(), status, "{body}: {e:?}");
            assert_eq!(e.field.as_deref(), field, "{body}: {e:?}");
        }
        assert!(json_err(r#"{"query": "#).message.contains("line 1"), "syntax errors keep line and column");
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Search {
        q: String,
        limit: Option<usize>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        for (q, field) in [("q=x&limit=-1", "limit"), ("limit=2", "q"), ("q=x&limit=many", "limit")] {
            let e = parse_query::<Search>(q).unwrap_err();
            assert_eq!((e.status.as_u16(), e.field.as_deref()), (400, Some(field)), "{q}: {e:?}");
        }
        assert!(parse_query::<Search>("q=x&limit=3").is_ok());
    }
}
