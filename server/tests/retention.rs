//! Retention: sessions idle longer than SESSION_RETENTION_DAYS are purged with their messages and feedback.

use protocol::{Locale, Role};
use server::sessions::{NewMessage, SessionStore};

#[tokio::test]
async fn old_sessions_are_purged_and_recent_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let store = SessionStore::connect(&url, 2).await.unwrap();
    store.migrate().await.unwrap();
    let (old, fresh) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    for sid in [&old, &fresh] {
        store.ensure_session(sid, Locale::En).await.unwrap();
        store
            .add_message(NewMessage {
                id: &uuid::Uuid::now_v7().to_string(),
                session_id: sid,
                role: Role::User,
                content: "q",
                selected_text: None,
                sources: &[],
                mode: None,
                grounded: None,
                prompt_tokens: 0,
                completion_tokens: 0,
            })
            .await
            .unwrap();
    }
    // Age one session by 40 days.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let forty_days_ago = server::sessions::now_ms() - 40 * 86_400_000;
    sqlx::query("UPDATE chat_sessions SET updated_at = $1 WHERE id = $2")
        .bind(forty_days_ago)
        .bind(&old)
        .execute(&pool)
        .await
        .unwrap();

    assert_eq!(store.purge_older_than(30).await.unwrap(), 1);
    assert!(store.history(&old).await.unwrap().is_none());
    assert_eq!(store.history(&fresh).await.unwrap().unwrap().messages.len(), 1);
    assert_eq!(store.counts().await.unwrap().messages, 1, "the old session's messages went with it");
}
