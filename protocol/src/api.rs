//! The chat HTTP API: requests, responses, SSE events and errors.

use crate::Locale;
use serde::{Deserialize, Serialize};

/// Field limits enforced by the server and shown by the widget.
pub const MAX_QUERY_CHARS: usize = 2_000;
pub const MAX_SELECTED_TEXT_CHARS: usize = 4_000;
pub const MAX_COMMENT_CHARS: usize = 2_000;
pub const MAX_BODY_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChatRequest {
    pub query: String,
    #[serde(default)]
    pub locale: Locale,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
}

/// A cited textbook section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    pub title: String,
    pub heading: String,
    /// Page URL with `#anchor`, relative to the site root.
    pub url: String,
    pub locale: Locale,
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AnswerMode {
    Llm,
    Extractive,
}

/// A stored or received name that is not one of an enum's wire names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    pub kind: &'static str,
    pub name: String,
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} `{}`", self.kind, self.name)
    }
}

impl std::error::Error for UnknownName {}

/// `as_str`, `FromStr` and `Display` from one table of wire names: the names serde uses, which the server also
/// stores in its database and uses as metric labels (a test checks the two agree).
macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<$ty, UnknownName> {
                match s {
                    $($name => Ok($ty::$variant),)+
                    _ => Err(UnknownName { kind: stringify!($ty), name: s.to_string() }),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_names!(AnswerMode { Llm => "llm", Extractive => "extractive" });
wire_names!(Role { User => "user", Assistant => "assistant" });
wire_names!(Rating { Up => "up", Down => "down" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatResponse {
    pub answer: String,
    pub sources: Vec<Source>,
    pub session_id: String,
    pub message_id: String,
    pub mode: AnswerMode,
    pub grounded: bool,
    pub usage: Usage,
    /// Set when the reader's locale had nothing relevant and the other locale was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_locale: Option<Locale>,
    /// False when the answer could not be saved to history (session store down).
    #[serde(default = "yes")]
    pub saved: bool,
}

fn yes() -> bool {
    true
}

/// Server-Sent Events of `POST /api/chat/stream`, in order: one `sources`, any number of `delta`, then `done` or
/// `error`. The SSE `event:` field carries the variant name ([`EventPayload::NAME`]); `data:` the JSON of its
/// payload struct, so the server writes and the widget reads each payload directly, without this enum's tagging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "event", content = "data", rename_all = "lowercase")]
pub enum StreamEvent {
    Sources(SourcesEvent),
    Delta(DeltaEvent),
    Done(DoneEvent),
    Error(ErrorEvent),
}

/// The `data:` of one SSE event, named by `NAME` in its `event:` line.
pub trait EventPayload: Serialize {
    const NAME: &'static str;
}

/// First event: what the answer will cite, and the ids it is stored under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourcesEvent {
    pub sources: Vec<Source>,
    pub session_id: String,
    pub message_id: String,
    pub mode: AnswerMode,
    pub grounded: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_locale: Option<Locale>,
}

/// A piece of the answer text, appended to what came before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeltaEvent {
    pub text: String,
}

/// The answer is complete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoneEvent {
    pub usage: Usage,
    pub session_id: String,
    pub message_id: String,
    pub mode: AnswerMode,
    pub saved: bool,
}

/// The answer failed part way; `code` is one of the API's error codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEvent {
    pub code: ErrorCode,
    pub message: String,
}

impl EventPayload for SourcesEvent {
    const NAME: &'static str = "sources";
}
impl EventPayload for DeltaEvent {
    const NAME: &'static str = "delta";
}
impl EventPayload for DoneEvent {
    const NAME: &'static str = "done";
}
impl EventPayload for ErrorEvent {
    const NAME: &'static str = "error";
}

impl StreamEvent {
    pub fn name(&self) -> &'static str {
        match self {
            StreamEvent::Sources(_) => SourcesEvent::NAME,
            StreamEvent::Delta(_) => DeltaEvent::NAME,
            StreamEvent::Done(_) => DoneEvent::NAME,
            StreamEvent::Error(_) => ErrorEvent::NAME,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Up,
    Down,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    pub session_id: String,
    pub message_id: String,
    pub rating: Rating,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryMessage {
    pub id: String,
    pub role: Role,
    pub content: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<AnswerMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_text: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionHistory {
    pub session_id: String,
    pub messages: Vec<HistoryMessage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    pub results: Vec<Source>,
}

/// Stable error codes; the widget maps each to a translated message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidField,
    MalformedJson,
    Unauthorized,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unprocessable,
    RateLimited,
    DependencyUnavailable,
    Timeout,
    Internal,
    /// 408: the client did not send its request body in time (its fault, not counted against the SLO).
    RequestTimeout,
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// The request field at fault, for `invalid_field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Every error response: `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub error: ErrorBody,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_request_defaults_locale_and_rejects_unknown_fields() {
        let r: ChatRequest = serde_json::from_str(r#"{"query":"What is ZMP?"}"#).unwrap();
        assert_eq!(r.locale, Locale::En);
        assert!(r.session_id.is_none());
        let err = serde_json::from_str::<ChatRequest>(r#"{"query":"x","qurey":"y"}"#).unwrap_err();
        assert!(err.to_string().contains("qurey"), "{err}");
    }

    #[test]
    fn stream_event_is_tagged_by_name() {
        let ev = StreamEvent::Delta(DeltaEvent { text: "hi".into() });
        let v = serde_json::to_value(&ev).unwrap();
        assert_eq!(v["event"], "delta");
        assert_eq!(v["data"]["text"], "hi");
        assert_eq!(ev.name(), "delta");
    }

    #[test]
    fn wire_names_match_serde_and_parse_back() {
        fn check<T>(all: &[T])
        where
            T: Copy + PartialEq + std::fmt::Debug + Serialize + std::str::FromStr<Err = UnknownName>,
            T: std::fmt::Display,
        {
            for &v in all {
                let name = v.to_string();
                assert_eq!(serde_json::to_value(v).unwrap(), serde_json::Value::String(name.clone()));
                assert_eq!(name.parse::<T>(), Ok(v));
            }
        }
        check(&[AnswerMode::Llm, AnswerMode::Extractive]);
        check(&[Role::User, Role::Assistant]);
        check(&[Rating::Up, Rating::Down]);
        let err = "sideways".parse::<Rating>().unwrap_err();
        assert_eq!(err.to_string(), "unknown Rating `sideways`");
    }

    #[test]
    fn error_codes_are_snake_case() {
        let e =
            ApiError { error: ErrorBody { code: ErrorCode::RateLimited, message: "slow down".into(), field: None } };
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"error":{"code":"rate_limited","message":"slow down"}}"#);
    }
}
