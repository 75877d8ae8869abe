//! Field checks shared by the chat, session and feedback endpoints, so every backend stores the same thing.

use crate::error::AppError;

/// Text that will be stored must not contain U+0000: PostgreSQL's `text` cannot hold it (the insert fails and the
/// turn is lost) while SQLite keeps it, so it is refused up front, naming the field, on both.
pub fn storable_text(field: &str, value: &str) -> Result<(), AppError> {
    if value.contains('\0') {
        return Err(AppError::invalid_field(field, format!("{field} must not contain NUL (U+0000) characters")));
    }
    Ok(())
}

/// A session or message id in its one canonical spelling (lower-case hyphenated UUID). `urn:uuid:…`, `{…}`, upper-case and
/// unhyphenated forms of the same UUID name the same session (or message) instead of creating look-alike ones.
pub fn issued_id(field: &str, raw: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(raw)
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| AppError::invalid_field(field, format!("{field} must be an id issued by this server (a UUID)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_canonicalised() {
        let canonical = "0190b9a0-1234-7abc-8def-0123456789ab";
        for spelling in [
            canonical,
            "0190B9A0-1234-7ABC-8DEF-0123456789AB",
            "urn:uuid:0190b9a0-1234-7abc-8def-0123456789ab",
            "{0190b9a0-1234-7abc-8def-0123456789ab}",
            "0190b9a012347abc8def0123456789ab",
        ] {
            assert_eq!(issued_id("id", spelling).unwrap(), canonical, "{spelling}");
        }
        let e = issued_id("session_id", "not-a-uuid").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("session_id"));
    }

    #[test]
    fn nul_is_refused_naming_the_field() {
        assert!(storable_text("query", "zero moment point").is_ok());
        let e = storable_text("comment", "a\0b").unwrap_err();
        assert_eq!((e.status.as_u16(), e.field.as_deref()), (400, Some("comment")));
    }
}
