//! The session store's group commit (`sessions::writer`): turns batched into one transaction keep each session's
//! order, concurrent answers are all stored, and one refused turn does not cost the others of its batch. The same
//! suite runs on SQLite and on a real PostgreSQL (ignored under a plain `cargo test`; scripts/test.sh starts one
//! and sets TEST_DATABASE_URL).

use protocol::{AnswerMode, Locale, Role};
use server::sessions::{SessionStore, StoredMessage, Turn, TurnWriter};

fn message(id: &str, role: Role, content: &str) -> StoredMessage {
    StoredMessage {
        id: id.to_string(),
        role,
        content: content.to_string(),
        selected_text: None,
        sources: Vec::new(),
        mode: (role == Role::Assistant).then_some(AnswerMode::Extractive),
        grounded: (role == Role::Assistant).then_some(true),
        prompt_tokens: 0,
        completion_tokens: 0,
        created_at: server::sessions::now_ms(),
    }
}

fn turn(session: &str, new_session: bool, n: &str) -> Turn {
    Turn {
        session_id: session.to_string(),
        locale: Locale::En,
        new_session,
        question: message(&uuid::Uuid::now_v7().to_string(), Role::User, &format!("question {n}")),
        answer: message(&uuid::Uuid::now_v7().to_string(), Role::Assistant, &format!("answer {n}")),
    }
}

async fn contents(store: &SessionStore, session: &str) -> Vec<String> {
    let h = store.history(session).await.unwrap().expect("session stored");
    h.messages.into_iter().map(|m| m.content).collect()
}

async fn suite(url: &str) {
    let store = SessionStore::connect(url, 4).await.unwrap();
    store.migrate().await.unwrap();
    let id = |_: ()| uuid::Uuid::new_v4().to_string();
    let (s1, s2) = (id(()), id(()));

    // One batch: a new session's first turn, then two follow-ups of one session that already holds a turn.
    store.record_turns(&[turn(&s1, true, "1")]).await.unwrap();
    store.record_turns(&[turn(&s1, false, "2"), turn(&s2, true, "x"), turn(&s1, false, "3")]).await.unwrap();
    assert_eq!(
        contents(&store, &s1).await,
        ["question 1", "answer 1", "question 2", "answer 2", "question 3", "answer 3"]
    );
    assert_eq!(contents(&store, &s2).await, ["question x", "answer x"]);

    // Many answers at once through the writer: every one stored, and each follow-up session keeps question and
    // answer side by side with no position taken twice.
    let writer = TurnWriter::spawn(store.clone());
    let before = store.counts().await.unwrap();
    let follow = id(());
    writer.record(turn(&follow, true, "f0")).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (w, s) = (writer.clone(), id(()));
        tasks.push(tokio::spawn(async move { w.record(turn(&s, true, &i.to_string())).await }));
    }
    for i in 1..=10 {
        let (w, s) = (writer.clone(), follow.clone());
        tasks.push(tokio::spawn(async move { w.record(turn(&s, false, &format!("f{i}"))).await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let after = store.counts().await.unwrap();
    assert_eq!(after.sessions - before.sessions, 41);
    assert_eq!(after.messages - before.messages, 2 * 51);
    let msgs = contents(&store, &follow).await;
    assert_eq!(msgs.len(), 22);
    for pair in msgs.chunks(2) {
        let q = pair[0].strip_prefix("question ").expect("a question first");
        assert_eq!(pair[1], format!("answer {q}"), "{msgs:?}");
    }
    let mut seen: Vec<&String> = msgs.iter().collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 22, "each turn stored once");

    // A turn the database refuses (its message id is taken) fails alone; its batch neighbours are stored.
    let (a, b) = (id(()), id(()));
    let mut bad = turn(&id(()), true, "bad");
    bad.answer.id = store.history(&s2).await.unwrap().unwrap().messages[1].id.clone();
    let (ra, rbad, rb) =
        tokio::join!(writer.record(turn(&a, true, "a")), writer.record(bad), writer.record(turn(&b, true, "b")));
    ra.unwrap();
    rb.unwrap();
    assert!(rbad.is_err(), "a duplicate message id is refused");
    assert_eq!(contents(&store, &a).await, ["question a", "answer a"]);
    assert_eq!(contents(&store, &b).await, ["question b", "answer b"]);
}

#[tokio::test]
async fn batched_turns_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    suite(&format!("sqlite://{}?mode=rwc", dir.path().join("sessions.db").display())).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run scripts/test.sh (it starts one) or set TEST_DATABASE_URL"]
async fn batched_turns_on_postgres() {
    let url = std::env::var("TEST_DATABASE_URL")
        .expect("TEST_DATABASE_URL must point at a PostgreSQL database (scripts/test.sh sets it)");
    suite(&url).await;
}
