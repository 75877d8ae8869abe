//! Sessions on a real PostgreSQL. `scripts/test.sh` starts a local PostgreSQL (Debian package) and sets
//! TEST_DATABASE_URL; these tests are ignored under a plain `cargo test` and run with `--include-ignored` there.

mod common;

use serde_json::{Value, json};

fn pg_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .expect("TEST_DATABASE_URL must point at a PostgreSQL database (scripts/test.sh sets it)")
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run scripts/test.sh (it starts one) or set TEST_DATABASE_URL"]
async fn chat_history_feedback_and_erasure_on_postgres() {
    let url = pg_url();
    let s = common::start(&[("DATABASE_URL", url.as_str())]).await;
    assert!(s.state.sessions.is_postgres);
    let ready: Value = s.get_json("/ready").await;
    assert_eq!(ready["checks"]["session_db"]["backend"], "postgres");

    let r: Value = s.chat(json!({"query": "What is the zero moment point?"})).await;
    let session = r["session_id"].as_str().unwrap().to_string();
    let r2: Value = s.chat(json!({"query": "and the capture point?", "session_id": session})).await;
    let h: Value = s.get_json(&format!("/api/sessions/{session}")).await;
    let msgs = h["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 4);
    assert_eq!(msgs[3]["id"], r2["message_id"]);
    assert_eq!(msgs[1]["sources"][0]["url"], "/locomotion/#zmp");

    for rating in ["down", "up"] {
        let fb = s
            .client
            .post(s.url("/api/feedback"))
            .json(&json!({"session_id": session, "message_id": r2["message_id"], "rating": rating, "comment": "ok"}))
            .send()
            .await
            .unwrap();
        assert_eq!(fb.status(), 204, "re-rating replaces the earlier rating");
    }
    let counts = s.state.sessions.counts().await.unwrap();
    assert!(counts.feedback >= 1);

    assert_eq!(s.client.delete(s.url(&format!("/api/sessions/{session}"))).send().await.unwrap().status(), 204);
    assert_eq!(s.client.get(s.url(&format!("/api/sessions/{session}"))).send().await.unwrap().status(), 404);
    assert_eq!(s.state.sessions.purge_older_than(1).await.unwrap(), 0, "fresh sessions are kept");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run scripts/test.sh (it starts one) or set TEST_DATABASE_URL"]
async fn nul_characters_are_refused_on_postgres_as_on_sqlite() {
    let url = pg_url();
    let s = common::start(&[("DATABASE_URL", url.as_str())]).await;
    common::nul::nul_is_refused_naming_the_field(&s).await;
}
