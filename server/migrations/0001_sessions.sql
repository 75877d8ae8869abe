-- Chat sessions, messages and feedback. Portable SQL: the same migration runs on SQLite and PostgreSQL.
-- Times are milliseconds since the Unix epoch (BIGINT) so both engines store and compare them alike.
CREATE TABLE IF NOT EXISTS chat_sessions (
    id TEXT PRIMARY KEY,
    locale TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS chat_messages (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    selected_text TEXT,
    sources_json TEXT NOT NULL,
    mode TEXT,
    grounded BIGINT,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS chat_messages_by_session ON chat_messages (session_id, seq);
CREATE INDEX IF NOT EXISTS chat_sessions_by_update ON chat_sessions (updated_at);

CREATE TABLE IF NOT EXISTS feedback (
    message_id TEXT PRIMARY KEY REFERENCES chat_messages (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    rating TEXT NOT NULL,
    comment TEXT,
    created_at BIGINT NOT NULL
);
