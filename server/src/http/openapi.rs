//! The OpenAPI document, generated from the handlers' annotations and the shared protocol types.

use super::handlers;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Physical AI & Humanoid Robotics — textbook chat API",
        description = "Answers cite textbook sections."
    ),
    paths(
        handlers::health,
        handlers::ready,
        handlers::metrics,
        handlers::chat,
        handlers::chat_stream,
        handlers::get_session,
        handlers::delete_session,
        handlers::feedback,
        handlers::search,
        handlers::reindex,
        handlers::faults
    ),
    components(schemas(
        protocol::ChatRequest,
        protocol::ChatResponse,
        protocol::Source,
        protocol::AnswerMode,
        protocol::Usage,
        protocol::StreamEvent,
        protocol::FeedbackRequest,
        protocol::Rating,
        protocol::SessionHistory,
        protocol::HistoryMessage,
        protocol::Role,
        protocol::SearchResponse,
        protocol::ApiError,
        protocol::ErrorBody,
        protocol::ErrorCode,
        protocol::Locale
    ))
)]
struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
