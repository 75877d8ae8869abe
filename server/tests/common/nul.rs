//! U+0000 in stored text, run against SQLite (tests/hostile_clients.rs) and PostgreSQL (tests/postgres.rs): both
//! must refuse it the same way, naming the field, rather than PostgreSQL losing the turn.

use super::TestServer;
use serde_json::{Value, json};

pub async fn nul_is_refused_naming_the_field(s: &TestServer) {
    for (body, field) in [
        (json!({"query": "zero\u{0}moment point"}), "query"),
        (json!({"query": "What is the zero moment point?", "selected_text": "support\u{0}polygon"}), "selected_text"),
    ] {
        for path in ["/api/chat", "/api/chat/stream"] {
            let r = s.client.post(s.url(path)).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 400, "{path} {body}");
            let e: Value = r.json().await.unwrap();
            assert_eq!(
                (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
                (Some("invalid_field"), Some(field))
            );
        }
    }
    let v: Value = s.chat(json!({"query": "What is the zero moment point?"})).await;
    assert_eq!(v["saved"], true, "{v}");
    let (session, message) = (v["session_id"].as_str().unwrap(), v["message_id"].as_str().unwrap());
    let fb = json!({"session_id": session, "message_id": message, "rating": "down", "comment": "wrong\u{0}"});
    let r = s.client.post(s.url("/api/feedback")).json(&fb).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["field"], "comment");
    let ok = json!({"session_id": session, "message_id": message, "rating": "down", "comment": "wrong"});
    assert_eq!(s.client.post(s.url("/api/feedback")).json(&ok).send().await.unwrap().status(), 204);
    let h: Value = s.get_json(&format!("/api/sessions/{session}")).await;
    assert_eq!(h["messages"].as_array().map(Vec::len), Some(2), "only the clean turn was stored: {h}");
}
