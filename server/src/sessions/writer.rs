//! Group commit for chat turns. Every answered question is one turn (the session row, the question and the
//! answer); one writer task takes whatever turns are waiting and stores them in a single transaction with one
//! multi-row statement per table. An answer is acknowledged only after its transaction committed, so nothing
//! acknowledged is lost on a crash, while the commits and statement round trips per answer fall with load.
//!
//! Why: with one autocommit statement per row, four statements per answer competed for SQLite's single write lock
//! (and cost four network round trips on PostgreSQL); at 50 concurrent students that serialised the chat path.

use super::{DbError, SessionStore, now_ms};
use protocol::{AnswerMode, Locale, Role, Source};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tracing::Instrument;

/// Turns stored in one transaction at most: 64 turns x 2 messages x 11 values stays far below both engines'
/// bound-parameter limits (SQLite 32,766; PostgreSQL 65,535).
const MAX_BATCH: usize = 64;
/// Turns waiting for the writer before `record` itself waits (back-pressure instead of unbounded memory).
const QUEUE: usize = 1024;

/// One message as stored.
#[derive(Debug, Clone)]
pub struct StoredMessage {
    pub id: String,
    pub role: Role,
    pub content: String,
    pub selected_text: Option<String>,
    pub sources: Vec<Source>,
    pub mode: Option<AnswerMode>,
    pub grounded: Option<bool>,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    /// Milliseconds since the Unix epoch: when the question arrived or the answer was finished.
    pub created_at: i64,
}

/// A question and its answer in one session.
#[derive(Debug, Clone)]
pub struct Turn {
    pub session_id: String,
    pub locale: Locale,
    /// The server issued this session id for this very request: no earlier messages to number after.
    pub new_session: bool,
    pub question: StoredMessage,
    pub answer: StoredMessage,
}

type Reply = oneshot::Sender<Result<(), DbError>>;
/// A turn, where to send its outcome, and the request span it belongs to (for the trace links).
type Job = (Turn, Reply, tracing::Span);

/// Handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct TurnWriter {
    tx: mpsc::Sender<Job>,
}

impl TurnWriter {
    /// Starts the writer task on the current tokio runtime. It ends when the last handle is dropped.
    pub fn spawn(store: SessionStore) -> TurnWriter {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(store, rx));
        TurnWriter { tx }
    }

    /// Stores the turn; returns once it is committed (or failed).
    pub async fn record(&self, turn: Turn) -> Result<(), DbError> {
        let (reply, done) = oneshot::channel();
        self.tx.send((turn, reply, tracing::Span::current())).await.map_err(|_| DbError::WriterStopped)?;
        done.await.map_err(|_| DbError::WriterStopped)?
    }
}

async fn run(store: SessionStore, mut rx: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // No timer: a batch is whatever arrived while the previous one was being written, so a lone request is
    // written at once and busy periods batch by themselves.
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut turns = Vec::with_capacity(batch.len());
        let mut replies = Vec::with_capacity(batch.len());
        // The batch's span follows from every request it serves, so a request's trace leads to its write.
        let span = tracing::info_span!("db.write_batch", turns = batch.len());
        for (turn, reply, from) in batch.drain(..) {
            span.follows_from(&from);
            turns.push(turn);
            replies.push(reply);
        }
        metrics::histogram!("rag_session_write_batch_turns").record(turns.len() as f64);
        match store.record_turns(&turns).instrument(span.clone()).await {
            Ok(()) => replies.into_iter().for_each(|r| drop(r.send(Ok(())))),
            // A row the database refused (not a dead connection): store the others one by one so a single bad
            // turn cannot cost its neighbours their history.
            Err(DbError::Sql(sqlx::Error::Database(e))) if turns.len() > 1 => {
                tracing::warn!(error = %e, turns = turns.len(), "batched session write refused; retrying one by one");
                for (turn, reply) in turns.into_iter().zip(replies) {
                    let _ = reply.send(store.record_turns(std::slice::from_ref(&turn)).instrument(span.clone()).await);
                }
            }
            Err(e) => {
                let shared = Arc::new(e.to_string());
                for r in replies {
                    let _ = r.send(Err(DbError::Batch(shared.clone())));
                }
            }
        }
    }
}

impl SessionStore {
    /// The statements are not kept prepared (`persistent(false)`): their text changes with the batch size, so
    /// sqlx's per-connection statement cache would hold up to a hundred large prepared inserts per connection, which
    /// showed as resident memory climbing under sustained load.
    ///
    /// Stores the turns in one transaction: the sessions (created or touched), then every message, numbered after
    /// what each session already holds.
    #[tracing::instrument(name = "db.record_turns", skip_all, fields(turns = turns.len()))]
    pub async fn record_turns(&self, turns: &[Turn]) -> Result<(), DbError> {
        if turns.is_empty() {
            return Ok(());
        }
        let now = now_ms();
        let mut tx = self.pool.begin().await?;

        // One row per session: PostgreSQL refuses an upsert that touches the same row twice in one statement.
        let mut sessions: Vec<(&str, Locale)> = Vec::new();
        for t in turns {
            if !sessions.iter().any(|(id, _)| *id == t.session_id) {
                sessions.push((&t.session_id, t.locale));
            }
        }
        let sql = statement(
            "INSERT INTO chat_sessions (id, locale, created_at, updated_at) VALUES ",
            (self.is_postgres, sessions.len(), 4),
            " ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at",
        );
        let mut q = sqlx::query(&sql).persistent(false);
        for (id, locale) in &sessions {
            q = q.bind(*id).bind(locale.as_str()).bind(now).bind(now);
        }
        q.execute(&mut *tx).await?;

        // The last stored position of each session that may already have messages.
        let mut next_seq: HashMap<&str, i64> = HashMap::new();
        let existing: Vec<&str> = sessions
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| turns.iter().any(|t| t.session_id == *id && !t.new_session))
            .collect();
        if !existing.is_empty() {
            let sql = statement(
                "SELECT session_id, MAX(seq) AS last FROM chat_messages WHERE session_id IN ",
                (self.is_postgres, 1, existing.len()),
                " GROUP BY session_id",
            );
            let mut q = sqlx::query(&sql).persistent(false);
            for id in &existing {
                q = q.bind(*id);
            }
            for row in q.fetch_all(&mut *tx).await? {
                let id: String = row.try_get("session_id")?;
                let last: i64 = row.try_get("last")?;
                if let Some(key) = existing.iter().find(|e| **e == id) {
                    next_seq.insert(key, last);
                }
            }
        }

        let sql = statement(
            "INSERT INTO chat_messages (id, session_id, seq, role, content, selected_text, sources_json, mode, \
             grounded, prompt_tokens, completion_tokens, created_at) VALUES ",
            (self.is_postgres, turns.len() * 2, 12),
            "",
        );
        let mut q = sqlx::query(&sql).persistent(false);
        for t in turns {
            let seq = next_seq.entry(&t.session_id).or_insert(0);
            for m in [&t.question, &t.answer] {
                *seq += 1;
                let sources = serde_json::to_string(&m.sources).unwrap_or_else(|_| "[]".into());
                let mode = m.mode.map(AnswerMode::as_str);
                q = q
                    .bind(m.id.as_str())
                    .bind(t.session_id.as_str())
                    .bind(*seq)
                    .bind(m.role.as_str())
                    .bind(m.content.as_str())
                    .bind(m.selected_text.as_deref())
                    .bind(sources)
                    .bind(mode)
                    .bind(m.grounded.map(i64::from))
                    .bind(i64::from(m.prompt_tokens))
                    .bind(i64::from(m.completion_tokens))
                    .bind(m.created_at);
            }
        }
        q.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A statement's text: `head`, the placeholders of `(postgres, rows, cols)`, then `tail`. The SQL pieces are
/// `&'static str` written in this file and the rest are placeholders, so no value can reach the SQL text; values
/// are bound (`.bind`). This is why the statement text may vary at all (the project's semgrep rule refuses SQL
/// assembled with `format!`).
fn statement(head: &'static str, (postgres, rows, cols): (bool, usize, usize), tail: &'static str) -> String {
    let mut sql = String::from(head);
    sql.push_str(&placeholders(postgres, rows, cols));
    sql.push_str(tail);
    sql
}

/// `($1, $2), ($3, $4)` on PostgreSQL, `(?, ?), (?, ?)` on SQLite, for `rows` rows of `cols` values. sqlx's `Any`
/// driver passes SQL through unchanged, so each engine gets its own style: numbered parameters work on SQLite
/// too, but sqlx then resolves every one by name, which a profile showed costing quadratic string comparisons on
/// a batch of a thousand values.
fn placeholders(postgres: bool, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            if postgres {
                out.push_str(&format!("${}", r * cols + c + 1));
            } else {
                out.push('?');
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_value_once() {
        assert_eq!(super::placeholders(true, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::placeholders(true, 1, 1), "($1)");
        assert_eq!(super::placeholders(false, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(
            super::statement("SELECT 1 WHERE x IN ", (true, 1, 2), " LIMIT 1"),
            "SELECT 1 WHERE x IN ($1, $2) LIMIT 1"
        );
    }
}
