//! A JSON body extractor whose rejections use the API's error body and name the problem (field, line, column).

use crate::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use protocol::ErrorCode;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(map_rejection(rejection)),
        }
    }
}

fn map_rejection(r: JsonRejection) -> AppError {
    match r {
        JsonRejection::JsonDataError(e) => {
            // serde's message names the field ("missing field `query`", "unknown variant `fr`").
            let detail = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_else(|| e.body_text());
            let field = detail.split('`').nth(1).map(str::to_string);
            AppError { field, ..AppError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Unprocessable, detail) }
        }
        JsonRejection::JsonSyntaxError(e) => {
            let detail = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_else(|| e.body_text());
            AppError::new(StatusCode::BAD_REQUEST, ErrorCode::MalformedJson, format!("malformed JSON: {detail}"))
        }
        JsonRejection::MissingJsonContentType(_) => AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::MalformedJson,
            "expected Content-Type: application/json",
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("request body is larger than {} bytes", protocol::MAX_BODY_BYTES),
        ),
        other => AppError::new(other.status(), ErrorCode::MalformedJson, other.body_text()),
    }
}
