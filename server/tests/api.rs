//! Every endpoint and every error code, against the real router on a loopback port (embedded mode).

mod common;

use common::{parse_sse, start};
use serde_json::{Value, json};

async fn post(s: &common::TestServer, path: &str, body: Value) -> reqwest::Response {
    s.client.post(s.url(path)).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn health_ready_openapi_and_metrics() {
    let s = start(&[]).await;
    let r = s.client.get(s.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "healthy");
    assert_eq!(r_headers(&s, "/health").await.get("x-content-type-options").unwrap(), "nosniff");

    let ready: Value = s.get_json("/ready").await;
    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(ready["checks"]["vector_store"]["backend"], "qdrant-edge");
    assert_eq!(ready["checks"]["llm"]["configured"], false);

    let doc: Value = s.get_json("/openapi.json").await;
    for p in ["/api/chat", "/api/chat/stream", "/api/sessions/{id}", "/api/feedback", "/api/search", "/ready"] {
        assert!(doc["paths"].get(p).is_some(), "openapi lacks {p}");
    }
    post(&s, "/api/chat", json!({"query": "What is the zero moment point?"})).await;
    let text = s.client.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for m in [
        "rag_query_duration_seconds_bucket",
        "http_requests_total",
        "rag_vector_search_latency_ms_bucket",
        "rag_answers_total",
        "process_resident_memory_bytes",
        "rag_build_info",
        "rag_active_sessions",
    ] {
        assert!(text.contains(m), "metrics lack {m}");
    }
    assert!(text.contains("le=\"6\""), "query histogram has the 6 s SLO bucket");
    assert!(!text.contains("zero moment"), "no query text in metrics");
}

async fn r_headers(s: &common::TestServer, path: &str) -> reqwest::header::HeaderMap {
    s.client.get(s.url(path)).send().await.unwrap().headers().clone()
}

#[tokio::test]
async fn chat_answers_extractively_with_section_citations_in_both_locales() {
    let s = start(&[]).await;
    let r: Value = post(&s, "/api/chat", json!({"query": "What is the zero moment point?", "locale": "en"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["mode"], "extractive");
    assert_eq!(r["grounded"], true);
    assert_eq!(r["sources"][0]["url"], "/locomotion/#zmp", "{r}");
    assert!(r["answer"].as_str().unwrap().contains("[1]"), "{r}");
    assert!(r["answer"].as_str().unwrap().contains("support polygon"), "{r}");

    let r: Value = post(&s, "/api/chat", json!({"query": "زیرو مومنٹ پوائنٹ کیا ہے؟", "locale": "ur"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["sources"][0]["url"], "/ur/locomotion/#zmp", "{r}");
    assert_eq!(r["sources"][0]["locale"], "ur");
    assert!(r.get("fallback_locale").is_none());
}

#[tokio::test]
async fn cross_lingual_fallback_and_not_covered() {
    let s = start(&[]).await;
    // Only English has a ROS 2 topics section.
    let r: Value = post(&s, "/api/chat", json!({"query": "How do ROS 2 topics and subscribers work?", "locale": "ur"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["fallback_locale"], "en", "{r}");
    assert_eq!(r["sources"][0]["url"], "/ros2/#topics");
    assert!(r["answer"].as_str().unwrap().contains("انگریزی"), "the Urdu reader is told: {r}");

    let r: Value = post(&s, "/api/chat", json!({"query": "What is a good recipe for chocolate cake?"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["grounded"], false, "{r}");
    assert!(r["answer"].as_str().unwrap().contains("does not seem to cover"), "{r}");
}

#[tokio::test]
async fn selected_text_and_page_boost_steer_retrieval() {
    let s = start(&[]).await;
    let r: Value = post(
        &s,
        "/api/chat",
        json!({
            "query": "Explain this more simply",
            "selected_text": "The Jacobian matrix maps joint velocities",
            "page_url": "/kinematics/"
        }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["sources"][0]["url"], "/kinematics/#jacobians", "{r}");
}

#[tokio::test]
async fn stream_sends_sources_then_deltas_then_done_and_history_is_kept() {
    let s = start(&[]).await;
    let resp = post(&s, "/api/chat/stream", json!({"query": "How is the capture point computed?"})).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let events = parse_sse(&resp.text().await.unwrap());
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"sources"), "{names:?}");
    assert_eq!(names.last(), Some(&"done"), "{names:?}");
    assert!(names[1..names.len() - 1].iter().all(|n| *n == "delta") && names.len() > 3, "{names:?}");
    let text: String = events.iter().filter(|(n, _)| n == "delta").map(|(_, d)| d["text"].as_str().unwrap()).collect();
    assert!(text.contains("capture point"), "{text}");
    let session = events[0].1["session_id"].as_str().unwrap().to_string();
    let message = events[0].1["message_id"].as_str().unwrap().to_string();
    assert_eq!(events.last().unwrap().1["message_id"], message.as_str());

    // History, feedback, then erasure.
    let h: Value = s.get_json(&format!("/api/sessions/{session}")).await;
    assert_eq!(h["messages"].as_array().unwrap().len(), 2, "{h}");
    assert_eq!(h["messages"][1]["content"].as_str().unwrap(), text);
    assert_eq!(h["messages"][1]["sources"][0]["url"], "/locomotion/#capture-point");
    let fb = post(&s, "/api/feedback", json!({"session_id": session, "message_id": message, "rating": "up"})).await;
    assert_eq!(fb.status(), 204);
    let fb = post(
        &s,
        "/api/feedback",
        json!({"session_id": session, "message_id": uuid::Uuid::new_v4().to_string(), "rating": "up"}),
    )
    .await;
    assert_eq!(fb.status(), 404);
    let del = s.client.delete(s.url(&format!("/api/sessions/{session}"))).send().await.unwrap();
    assert_eq!(del.status(), 204);
    let gone = s.client.get(s.url(&format!("/api/sessions/{session}"))).send().await.unwrap();
    assert_eq!(gone.status(), 404);
    assert_eq!(gone.json::<Value>().await.unwrap()["error"]["code"], "not_found");
}

#[tokio::test]
async fn follow_up_questions_use_the_previous_turn() {
    let s = start(&[]).await;
    let first: Value =
        post(&s, "/api/chat", json!({"query": "What does the Jacobian matrix map?"})).await.json().await.unwrap();
    let session = first["session_id"].as_str().unwrap();
    let r: Value = post(&s, "/api/chat", json!({"query": "and what about singularities?", "session_id": session}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["sources"][0]["url"], "/kinematics/#jacobians", "{r}");
    assert_eq!(r["session_id"], session);
}

#[tokio::test]
async fn search_endpoint_returns_ranked_sections() {
    let s = start(&[]).await;
    let r: Value = s.get_json("/api/search?q=homogeneous%20transforms&locale=en&limit=2").await;
    assert_eq!(r["results"][0]["url"], "/kinematics/#forward-kinematics", "{r}");
    assert!(r["results"].as_array().unwrap().len() <= 2);
    let bad = s.client.get(s.url("/api/search?q=x&locale=fr")).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["field"], "locale");
}

#[tokio::test]
async fn invalid_input_gets_named_errors() {
    let s = start(&[]).await;
    let cases = [
        (json!({"query": ""}), 400, "invalid_field", Some("query")),
        (json!({"query": "x".repeat(2001)}), 400, "invalid_field", Some("query")),
        (json!({"query": "ok", "selected_text": "y".repeat(4001)}), 400, "invalid_field", Some("selected_text")),
        (json!({"query": "ok", "session_id": "not-a-uuid"}), 400, "invalid_field", Some("session_id")),
        (json!({"query": "ok", "locale": "fr"}), 422, "unprocessable", None),
        (json!({"qurey": "ok"}), 422, "unprocessable", None),
    ];
    for (body, status, code, field) in cases {
        let r = post(&s, "/api/chat", body.clone()).await;
        assert_eq!(r.status().as_u16(), status, "{body}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], code, "{body}: {e}");
        if let Some(f) = field {
            assert_eq!(e["error"]["field"], f, "{e}");
        }
    }
    let r = s
        .client
        .post(s.url("/api/chat"))
        .header("content-type", "application/json")
        .body("{\"query\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "malformed_json");
    assert!(e["error"]["message"].as_str().unwrap().contains("line 1"), "{e}");

    let huge = json!({"query": "a", "selected_text": "b".repeat(20_000)});
    let r = post(&s, "/api/chat", huge).await;
    assert_eq!(r.status(), 413);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "payload_too_large");

    let r = s.client.get(s.url("/api/nothing-here")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = s.client.get(s.url("/api/sessions/0190b9a0-0000-7000-8000-000000000000")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn site_keys_origins_and_admin_key() {
    // Two admin keys overlap during a rotation: the old and the new digest are both listed.
    let digest = |k: &[u8]| hex::encode(<sha2::Sha256 as sha2::Digest>::digest(k));
    let admin_hash = format!("{},{}", digest(b"admin-secret-1"), digest(b"admin-secret-2"));
    let s = start(&[
        ("SITE_KEYS", "pk_test_aaaa=https://book.example,pk_test_bbbb=https://book.example"),
        ("ADMIN_KEY_SHA256", admin_hash.as_str()),
    ])
    .await;
    let q = json!({"query": "What is forward kinematics?"});
    let send = |key: Option<&str>, origin: Option<&str>| {
        let mut r = s.client.post(s.url("/api/chat")).json(&q);
        if let Some(k) = key {
            r = r.header("x-site-key", k);
        }
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        r.send()
    };
    assert_eq!(send(None, Some("https://book.example")).await.unwrap().status(), 401);
    assert_eq!(send(Some("pk_wrong_key"), Some("https://book.example")).await.unwrap().status(), 401);
    let r = send(Some("pk_test_aaaa"), Some("https://evil.example")).await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "forbidden");
    // Both keys work during a rotation.
    assert_eq!(send(Some("pk_test_aaaa"), Some("https://book.example")).await.unwrap().status(), 200);
    let ok = send(Some("pk_test_bbbb"), Some("https://book.example")).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["access-control-allow-origin"], "https://book.example");

    let admin = |key: Option<&str>| {
        let mut r = s.client.post(s.url("/api/admin/reindex"));
        if let Some(k) = key {
            r = r.header("x-admin-key", k);
        }
        r.send()
    };
    assert_eq!(admin(None).await.unwrap().status(), 401);
    assert_eq!(admin(Some("wrong")).await.unwrap().status(), 403);
    assert_eq!(admin(Some("admin-secret-2")).await.unwrap().status(), 200, "the new key works during the overlap");
    let r = admin(Some("admin-secret-1")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["skipped"], true, "corpus unchanged -> nothing to do");
}

#[tokio::test]
async fn disallowed_origin_is_refused_without_keys_too() {
    let s = start(&[("CORS_ALLOWED_ORIGINS", "https://book.example")]).await;
    let r = s
        .client
        .post(s.url("/api/chat"))
        .header("origin", "https://evil.example")
        .json(&json!({"query": "zmp"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let s = start(&[("RATE_LIMIT_PER_IP_PER_MINUTE", "3")]).await;
    let mut last = None;
    for _ in 0..4 {
        last = Some(post(&s, "/api/chat", json!({"query": "What is the capture point?"})).await);
    }
    let r = last.unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "rate_limited");
    // Health stays reachable for probes.
    assert_eq!(s.client.get(s.url("/health")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn sql_injection_text_is_stored_and_returned_verbatim() {
    let s = start(&[]).await;
    let evil = "zmp'); DROP TABLE chat_messages; --";
    let r: Value = post(&s, "/api/chat", json!({"query": evil})).await.json().await.unwrap();
    let h: Value = s
        .client
        .get(s.url(&format!("/api/sessions/{}", r["session_id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["messages"][0]["content"], evil);
}

#[tokio::test]
async fn fault_injection_is_off_by_default_and_admin_only_when_enabled() {
    let s = start(&[]).await;
    let r = s.client.post(s.url("/api/admin/faults")).json(&json!({"error_rate": 1.0})).send().await.unwrap();
    assert_eq!(r.status(), 404, "disabled unless ENABLE_FAULT_INJECTION=true");

    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"lab-admin"));
    let s = start(&[("ENABLE_FAULT_INJECTION", "true"), ("ADMIN_KEY_SHA256", hash.as_str())]).await;
    let set = |body: Value, key: Option<&str>| {
        let mut r = s.client.post(s.url("/api/admin/faults")).json(&body);
        if let Some(k) = key {
            r = r.header("x-admin-key", k);
        }
        r.send()
    };
    assert_eq!(set(json!({"error_rate": 1.0}), None).await.unwrap().status(), 401);
    assert_eq!(set(json!({"vector_store_down": true}), Some("lab-admin")).await.unwrap().status(), 200);
    let r = post(&s, "/api/chat", json!({"query": "What is the zero moment point?"})).await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "dependency_unavailable");
    assert_eq!(s.client.get(s.url("/ready")).send().await.unwrap().status(), 503);
    // The outage is injected in the store itself, so every reader of it sees it, the search endpoint included.
    assert_eq!(s.client.get(s.url("/api/search?q=zero%20moment%20point")).send().await.unwrap().status(), 503);
    // Recovery without restart.
    set(json!({}), Some("lab-admin")).await.unwrap();
    assert_eq!(s.client.get(s.url("/ready")).send().await.unwrap().status(), 200);
    assert_eq!(post(&s, "/api/chat", json!({"query": "What is the zero moment point?"})).await.status(), 200);
    set(json!({"error_rate": 0.5}), Some("lab-admin")).await.unwrap();
    let mut failed = 0;
    for _ in 0..10 {
        if post(&s, "/api/chat", json!({"query": "capture point"})).await.status() == 503 {
            failed += 1;
        }
    }
    assert_eq!(failed, 5);
}

#[tokio::test]
async fn metrics_token_is_required_when_set() {
    let s = start(&[("METRICS_TOKEN", "metrics-test-token")]).await;
    let status = |auth: Option<&'static str>| {
        let mut req = s.client.get(s.url("/metrics"));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };
    // Missing, wrong, a prefix of the token, the token plus a byte, the wrong scheme: all refused alike.
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Bearer metrics-test-toke"),
        Some("Bearer metrics-test-token!"),
        Some("Basic metrics-test-token"),
        Some("Bearer "),
    ] {
        assert_eq!(status(auth).await, 401, "{auth:?}");
    }
    assert_eq!(status(Some("Bearer metrics-test-token")).await, 200);
}
