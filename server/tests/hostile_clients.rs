//! Hostile clients at the protocol level, one test per finding of the black-box probe (issue 18): slow uploads,
//! invented methods, NUL characters, admin-key guessing, crafted request ids, one JSON error shape, session ids
//! the server never issued. Silent and trickling connections are in tests/connections.rs (a child process with a
//! lowered descriptor limit); the protocol-relative redirect is in tests/static_site.rs.

mod common;

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn addr_of(s: &common::TestServer) -> String {
    s.base.trim_start_matches("http://").to_string()
}

/// The value of every sample of `metric` whose labels contain all of `labels`, summed.
fn sample_sum(metrics: &str, metric: &str, labels: &[&str]) -> f64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(&format!("{metric}{{")) && labels.iter().all(|x| l.contains(x)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test]
async fn a_slow_upload_is_a_408_and_not_a_server_error() {
    let s = common::start(&[("BODY_READ_TIMEOUT_SECS", "1"), ("REQUEST_TIMEOUT_SECS", "5")]).await;
    let before = s.client.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let mut sock = tokio::net::TcpStream::connect(addr_of(&s)).await.unwrap();
    let head = "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{";
    sock.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    // One byte every 200 ms: each arrives well within any per-read timeout, the body as a whole never completes.
    loop {
        tokio::select! {
            n = sock.read(&mut buf) => {
                let n = n.unwrap_or(0);
                response.extend_from_slice(&buf[..n]);
                if n == 0 || response.windows(4).any(|w| w == b"\r\n\r\n") && response.ends_with(b"}}") {
                    break;
                }
            }
            () = tokio::time::sleep(Duration::from_millis(200)) => {
                let _ = sock.write_all(b" ").await;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(4), "no answer before the request deadline");
    }
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"code\":\"request_timeout\""), "{text}");
    let after = s.client.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let internal = |m: &str| sample_sum(m, "rag_query_errors_total", &["reason=\"internal\""]);
    let server_errors = |m: &str| sample_sum(m, "http_requests_total", &["status_class=\"5xx\""]);
    assert_eq!(internal(&after), internal(&before), "not an internal error");
    assert_eq!(server_errors(&after), server_errors(&before), "not a 5xx");
    assert!(sample_sum(&after, "http_requests_total", &["route=\"/api/chat\"", "status_class=\"4xx\""]) >= 1.0);
}

#[tokio::test]
async fn invented_methods_add_no_metric_series() {
    let s = common::start(&[]).await;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut methods = Vec::new();
    for _ in 0..1_000 {
        let name: String = (0..40)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                char::from(b'A' + (seed % 26) as u8)
            })
            .collect();
        let m = reqwest::Method::from_bytes(name.as_bytes()).unwrap();
        let r = s.client.request(m, s.url("/")).send().await.unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());
        methods.push(name);
    }
    let metrics = s.client.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let mut labels: Vec<&str> =
        metrics.lines().filter_map(|l| l.split("method=\"").nth(1)?.split('"').next()).collect();
    labels.sort_unstable();
    labels.dedup();
    let standard = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "other"];
    assert!(labels.iter().all(|l| standard.contains(l)), "unbounded method labels: {labels:?}");
    assert!(labels.contains(&"other"));
    assert!(!methods.iter().any(|m| metrics.contains(m.as_str())), "an invented method reached /metrics");
    // Unknown paths share one route value too.
    let r = s.client.get(s.url("/api/no-such-thing-7f3a")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let metrics = s.client.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(!metrics.contains("no-such-thing-7f3a") && metrics.contains("route=\"unmatched\""));
}

#[tokio::test]
async fn nul_characters_are_refused_on_sqlite() {
    let s = common::start(&[]).await;
    common::nul::nul_is_refused_naming_the_field(&s).await;
}

#[tokio::test]
async fn admin_key_guessing_is_rate_limited() {
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"the-real-admin-key"));
    let s = common::start(&[("ADMIN_KEY_SHA256", digest.as_str()), ("ADMIN_RATE_LIMIT_PER_MINUTE", "5")]).await;
    let mut statuses = Vec::new();
    for i in 0..30 {
        let r = s
            .client
            .post(s.url("/api/admin/reindex"))
            .header("x-admin-key", format!("guess-{i}"))
            .send()
            .await
            .unwrap();
        if r.status() == 429 {
            assert!(r.headers().contains_key("retry-after"));
        }
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses.iter().filter(|&&c| c == 403).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&c| c == 429).count(), 25, "{statuses:?}");
    // The limit holds for the right key too: it is checked before the key, so it reveals nothing.
    let r = s.client.post(s.url("/api/admin/reindex")).header("x-admin-key", "the-real-admin-key").send().await;
    assert_eq!(r.unwrap().status(), 429);
}

#[tokio::test]
async fn only_well_formed_request_ids_are_echoed() {
    let s = common::start(&[]).await;
    let echo = |id: String| {
        let req = s.client.get(s.url("/health")).header("x-request-id", id);
        async move {
            let r = req.send().await.unwrap();
            r.headers()["x-request-id"].to_str().unwrap().to_string()
        }
    };
    assert_eq!(echo("trace-42.abc_DEF".into()).await, "trace-42.abc_DEF");
    for bad in ["forged\" audit=true level=ERROR".to_string(), "x".repeat(300_000 / 4), "a b".into()] {
        let got = echo(bad.clone()).await;
        assert!(uuid::Uuid::parse_str(&got).is_ok(), "{} -> {got}", &bad[..bad.len().min(40)]);
    }
}

#[tokio::test]
async fn every_api_error_has_the_json_shape_with_the_field_name() {
    let s = common::start(&[]).await;
    let check = |r: reqwest::Response, status: u16, code: &'static str, field: Option<&'static str>| async move {
        assert_eq!(r.status().as_u16(), status, "{}", r.url());
        let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(ct.starts_with("application/json"), "{} answered {ct}", r.url());
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], code, "{e}");
        assert_eq!(e["error"]["field"].as_str(), field, "{e}");
        assert!(e["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
    };
    let post = |body: Value| s.client.post(s.url("/api/chat")).json(&body).send();
    check(post(json!({"query": 123})).await.unwrap(), 422, "unprocessable", Some("query")).await;
    check(post(json!({"query": "x", "locale": 1})).await.unwrap(), 422, "unprocessable", Some("locale")).await;
    check(post(json!({"query": "x", "locale": "fr"})).await.unwrap(), 422, "unprocessable", Some("locale")).await;
    check(post(json!({"query": "x", "qurey": "y"})).await.unwrap(), 422, "unprocessable", Some("qurey")).await;
    check(post(json!({"locale": "en"})).await.unwrap(), 422, "unprocessable", Some("query")).await;
    let get = |p: &str| s.client.get(s.url(p)).send();
    check(get("/api/search?q=x&limit=-1").await.unwrap(), 400, "invalid_field", Some("limit")).await;
    check(get("/api/search?limit=2").await.unwrap(), 400, "invalid_field", Some("q")).await;
    check(get("/api/search?q=x&limit=50").await.unwrap(), 400, "invalid_field", Some("limit")).await;
    check(get("/api/sessions/%FF%FE").await.unwrap(), 400, "invalid_field", Some("id")).await;
    check(get("/api/x").await.unwrap(), 404, "not_found", None).await;
    check(s.client.post(s.url("/api/x")).send().await.unwrap(), 404, "not_found", None).await;
    check(s.client.put(s.url("/api/search")).send().await.unwrap(), 405, "method_not_allowed", None).await;
    check(s.client.get(s.url("/api/chat")).send().await.unwrap(), 405, "method_not_allowed", None).await;
}

#[tokio::test]
async fn session_ids_the_server_did_not_issue_start_a_new_session() {
    let s = common::start(&[]).await;
    for made_up in [
        "00000000-0000-0000-0000-000000000001",
        "urn:uuid:00000000-0000-0000-0000-000000000002",
        "{00000000-0000-0000-0000-000000000003}",
    ] {
        let v = s.chat(json!({"query": "What is the zero moment point?", "session_id": made_up})).await;
        let issued = v["session_id"].as_str().unwrap_or_else(|| panic!("{v}"));
        assert!(!issued.starts_with("00000000"), "{made_up} was adopted: {v}");
        let r = s.client.get(s.url(&format!("/api/sessions/{}", issued))).send().await.unwrap();
        assert_eq!(r.status(), 200, "the issued id holds the turn");
    }
    for never in ["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"] {
        let r = s.client.get(s.url(&format!("/api/sessions/{never}"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{never} was stored");
    }
    // An issued id continues, in whichever UUID spelling it comes back.
    let first = s.chat(json!({"query": "What is the zero moment point?"})).await;
    let id = first["session_id"].as_str().unwrap().to_string();
    for spelling in [format!("urn:uuid:{id}"), format!("{{{id}}}"), id.to_uppercase()] {
        let next = s.chat(json!({"query": "and the capture point?", "session_id": spelling})).await;
        assert_eq!(next["session_id"], id.as_str(), "{spelling}: {next}");
    }
    let h: Value = s.get_json(&format!("/api/sessions/{}", id.to_uppercase())).await;
    assert_eq!(h["messages"].as_array().map(Vec::len), Some(8), "{h}");
}
