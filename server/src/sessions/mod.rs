//! Chat history in SQLite (default, a file in the data dir) or PostgreSQL (`DATABASE_URL=postgres://…`), through
//! sqlx's `Any` driver so both use one code path and one portable migration set.

use protocol::{AnswerMode, FeedbackRequest, HistoryMessage, Locale, Role, SessionHistory, Source};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub mod writer;
pub use writer::{StoredMessage, Turn, TurnWriter};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("session database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("session database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The batched write this turn was part of failed; every turn in it gets the same message.
    #[error("session database: {0}")]
    Batch(std::sync::Arc<String>),
    #[error("session writer stopped (the server is shutting down)")]
    WriterStopped,
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

pub struct NewMessage<'a> {
    pub id: &'a str,
    pub session_id: &'a str,
    pub role: Role,
    pub content: &'a str,
    pub selected_text: Option<&'a str>,
    pub sources: &'a [Source],
    pub mode: Option<AnswerMode>,
    pub grounded: Option<bool>,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableCounts {
    pub sessions: i64,
    pub messages: i64,
    pub feedback: i64,
}

#[derive(Clone)]
pub struct SessionStore {
    pool: AnyPool,
    pub is_postgres: bool,
    max_connections: u32,
}

/// A stored name (role, mode) that is not one of the protocol's wire names: the row was not written by this server.
fn decode(e: protocol::UnknownName) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

impl SessionStore {
    pub async fn connect(url: &str, max_connections: u32) -> Result<SessionStore, DbError> {
        install_default_drivers();
        let is_postgres = url.starts_with("postgres");
        if let Some(path) = url.strip_prefix("sqlite://").map(|p| p.split('?').next().unwrap_or(p))
            && let Some(dir) = std::path::Path::new(path).parent()
        {
            // sqlx creates the file (mode=rwc) but not its folder.
            let _ = std::fs::create_dir_all(dir);
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            // A chat answer waits at most this long on a dead database before it goes out unsaved (the latency SLO
            // is 6 s); a saturated pool normally frees a connection well within it.
            .acquire_timeout(Duration::from_secs(2))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if !is_postgres {
                        // In WAL mode NORMAL keeps every committed row across a process crash (kill -9); only an OS
                        // crash or power loss can drop the last commits. It saves an fsync per chat message.
                        sqlx::query("PRAGMA synchronous=NORMAL").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA busy_timeout=5000").execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        if !is_postgres {
            // WAL lets readers proceed during writes and keeps committed rows safe across a kill -9.
            sqlx::query("PRAGMA journal_mode=WAL").execute(&pool).await?;
        }
        Ok(SessionStore { pool, is_postgres, max_connections })
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        sqlx::migrate!("./migrations").run(&self.pool).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// (in use, idle, max) connections, for the pool-saturation metric.
    pub fn pool_stats(&self) -> (u32, u32, u32) {
        let size = self.pool.size();
        let idle = self.pool.num_idle() as u32;
        (size.saturating_sub(idle), idle, self.max_connections)
    }

    #[tracing::instrument(name = "db.ensure_session", skip_all)]
    pub async fn ensure_session(&self, id: &str, locale: Locale) -> Result<(), DbError> {
        let now = now_ms();
        let updated = sqlx::query("UPDATE chat_sessions SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO chat_sessions (id, locale, created_at, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(locale.as_str())
            .bind(now)
            .bind(now)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    #[tracing::instrument(name = "db.add_message", skip_all)]
    pub async fn add_message(&self, m: NewMessage<'_>) -> Result<(), DbError> {
        let sources = serde_json::to_string(m.sources).unwrap_or_else(|_| "[]".into());
        let mode = m.mode.map(AnswerMode::as_str);
        sqlx::query(
            "INSERT INTO chat_messages (id, session_id, seq, role, content, selected_text, sources_json, mode, \
             grounded, prompt_tokens, completion_tokens, created_at) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE session_id = $3), \
             $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(m.id)
        .bind(m.session_id)
        .bind(m.session_id)
        .bind(m.role.as_str())
        .bind(m.content)
        .bind(m.selected_text)
        .bind(sources)
        .bind(mode)
        .bind(m.grounded.map(i64::from))
        .bind(m.prompt_tokens as i64)
        .bind(m.completion_tokens as i64)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    #[tracing::instrument(name = "db.history", skip_all)]
    pub async fn history(&self, id: &str) -> Result<Option<SessionHistory>, DbError> {
        let exists =
            sqlx::query("SELECT id FROM chat_sessions WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        if exists.is_none() {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT id, role, content, selected_text, sources_json, mode, created_at FROM chat_messages \
             WHERE session_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut messages = Vec::with_capacity(rows.len());
        for r in rows {
            let role: String = r.try_get("role")?;
            let mode: Option<String> = r.try_get("mode")?;
            let sources: String = r.try_get("sources_json")?;
            messages.push(HistoryMessage {
                id: r.try_get("id")?,
                role: role.parse().map_err(decode)?,
                content: r.try_get("content")?,
                sources: serde_json::from_str(&sources).unwrap_or_default(),
                mode: mode.as_deref().map(str::parse).transpose().map_err(decode)?,
                selected_text: r.try_get("selected_text")?,
                created_at: rfc3339(r.try_get("created_at")?),
            });
        }
        Ok(Some(SessionHistory { session_id: id.to_string(), messages }))
    }

    /// The last `n` messages of a session, oldest first, for follow-up questions.
    #[tracing::instrument(name = "db.recent_turns", skip_all)]
    pub async fn recent_turns(&self, id: &str, n: i64) -> Result<Vec<(Role, String)>, DbError> {
        let rows =
            sqlx::query("SELECT role, content FROM chat_messages WHERE session_id = $1 ORDER BY seq DESC LIMIT $2")
                .bind(id)
                .bind(n)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows.into_iter().rev() {
            let role: String = r.try_get("role")?;
            out.push((role.parse().map_err(decode)?, r.try_get("content")?));
        }
        Ok(out)
    }

    /// Erases a session with its messages and feedback; false when there was no such session.
    #[tracing::instrument(name = "db.delete_session", skip_all)]
    pub async fn delete_session(&self, id: &str) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM feedback WHERE session_id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM chat_messages WHERE session_id = $1").bind(id).execute(&mut *tx).await?;
        let n = sqlx::query("DELETE FROM chat_sessions WHERE id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(n.rows_affected() > 0)
    }

    /// Records (or replaces) the rating of an assistant message; false when the message is not in that session.
    #[tracing::instrument(name = "db.feedback", skip_all)]
    pub async fn feedback(&self, f: &FeedbackRequest) -> Result<bool, DbError> {
        let found =
            sqlx::query("SELECT id FROM chat_messages WHERE id = $1 AND session_id = $2 AND role = 'assistant'")
                .bind(&f.message_id)
                .bind(&f.session_id)
                .fetch_optional(&self.pool)
                .await?;
        if found.is_none() {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO feedback (message_id, session_id, rating, comment, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (message_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, \
             created_at = excluded.created_at",
        )
        .bind(&f.message_id)
        .bind(&f.session_id)
        .bind(f.rating.as_str())
        .bind(f.comment.as_deref())
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(true)
    }

    /// Deletes sessions idle for longer than `days`; returns how many.
    #[tracing::instrument(name = "db.purge_older_than", skip_all)]
    pub async fn purge_older_than(&self, days: u32) -> Result<u64, DbError> {
        let cutoff = now_ms() - i64::from(days) * 86_400_000;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM feedback WHERE session_id IN (SELECT id FROM chat_sessions WHERE updated_at < $1)")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM chat_messages WHERE session_id IN (SELECT id FROM chat_sessions WHERE updated_at < $1)",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query("DELETE FROM chat_sessions WHERE updated_at < $1").bind(cutoff).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(n.rows_affected())
    }

    pub async fn active_sessions(&self, within: Duration) -> Result<i64, DbError> {
        let since = now_ms() - within.as_millis() as i64;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM chat_sessions WHERE updated_at >= $1")
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }

    /// A consistent online copy of a SQLite database (`VACUUM INTO`); not for PostgreSQL.
    pub async fn vacuum_into(&self, file: &std::path::Path) -> Result<(), DbError> {
        // The target file is an expression in SQLite's grammar, so it is bound like any value, never spliced in.
        sqlx::query("VACUUM INTO $1").bind(file.display().to_string()).execute(&self.pool).await?;
        Ok(())
    }

    /// SHA-256 over every stored row in a fixed order: equal before a backup and after its restore.
    pub async fn content_checksum(&self) -> Result<String, DbError> {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for r in sqlx::query("SELECT id, locale, created_at, updated_at FROM chat_sessions ORDER BY id")
            .fetch_all(&self.pool)
            .await?
        {
            h.update(format!(
                "s|{}|{}|{}|{}\n",
                r.try_get::<String, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<i64, _>(2)?,
                r.try_get::<i64, _>(3)?
            ));
        }
        let q = "SELECT id, session_id, seq, role, content, COALESCE(selected_text, ''), sources_json, COALESCE(mode, ''), \
                 prompt_tokens, completion_tokens, created_at FROM chat_messages ORDER BY id";
        for r in sqlx::query(q).fetch_all(&self.pool).await? {
            h.update(format!(
                "m|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n",
                r.try_get::<String, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<i64, _>(2)?,
                r.try_get::<String, _>(3)?,
                r.try_get::<String, _>(4)?,
                r.try_get::<String, _>(5)?,
                r.try_get::<String, _>(6)?,
                r.try_get::<String, _>(7)?,
                r.try_get::<i64, _>(8)?,
                r.try_get::<i64, _>(9)?,
                r.try_get::<i64, _>(10)?
            ));
        }
        for r in sqlx::query("SELECT message_id, rating, COALESCE(comment, '') FROM feedback ORDER BY message_id")
            .fetch_all(&self.pool)
            .await?
        {
            h.update(format!(
                "f|{}|{}|{}\n",
                r.try_get::<String, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<String, _>(2)?
            ));
        }
        Ok(hex::encode(h.finalize()))
    }

    pub async fn counts(&self) -> Result<TableCounts, DbError> {
        let count = |sql: &'static str| {
            let pool = self.pool.clone();
            async move { sqlx::query(sql).fetch_one(&pool).await?.try_get::<i64, _>("n") }
        };
        Ok(TableCounts {
            sessions: count("SELECT COUNT(*) AS n FROM chat_sessions").await?,
            messages: count("SELECT COUNT(*) AS n FROM chat_messages").await?,
            feedback: count("SELECT COUNT(*) AS n FROM feedback").await?,
        })
    }
}
