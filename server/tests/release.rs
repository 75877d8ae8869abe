//! Release safety and error reporting: `/version` and `/health` name the build, `server smoke --expect-sha` fails
//! on another build, `POST /api/client-errors` counts and limits widget reports, panics and 5xx are counted, and
//! logs reach an OTLP log endpoint when one is configured.

mod common;

use common::start;
use serde_json::{Value, json};
use server::build_info;
use server::smoke::{SmokeOptions, run};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn version_and_health_name_the_running_build() {
    let s = start(&[]).await;
    let r = s.client.get(s.url("/version")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["git_sha"], option_env!("GIT_SHA").unwrap_or("unknown"));
    assert!(v["instance"].as_str().is_some_and(|i| !i.is_empty()), "{v}");
    let h: Value = s.get_json("/health").await;
    assert_eq!(h["status"], "healthy");
    assert_eq!(h["git_sha"], v["git_sha"]);
    assert_eq!(h["version"], v["version"]);
}

async fn fake_deployment(sha: &str) -> MockServer {
    let m = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "healthy"})))
        .mount(&m)
        .await;
    Mock::given(method("GET"))
        .and(path("/ready"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ready"})))
        .mount(&m)
        .await;
    Mock::given(method("GET"))
        .and(path("/version"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"version": "0.1.0", "git_sha": sha, "instance": "srv-a"})),
        )
        .mount(&m)
        .await;
    m
}

fn opts(api: &str, expect: Option<&str>) -> SmokeOptions {
    SmokeOptions {
        api: api.into(),
        site: api.into(),
        locales: vec![],
        site_key: None,
        origin: None,
        slo: Duration::from_secs(6),
        expect_sha: expect.map(str::to_string),
    }
}

#[tokio::test]
async fn smoke_expect_sha_passes_on_the_new_build_and_fails_on_the_old_one() {
    let new = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d";
    let m = fake_deployment(new).await;
    let checks = run(&opts(&m.uri(), Some(new))).await;
    let version = checks.iter().find(|c| c.name == "api /version").expect("a version check");
    assert!(version.ok, "{}", version.detail);
    assert!(checks.iter().all(|c| c.ok), "{}", server::smoke::report(&checks));
    assert!(run(&opts(&m.uri(), Some("9c1d2e3"))).await.iter().all(|c| c.ok), "a short SHA matches too");

    let old = "0123456789abcdef0123456789abcdef01234567";
    let checks = run(&opts(&m.uri(), Some(old))).await;
    let version = checks.iter().find(|c| c.name == "api /version").unwrap();
    assert!(!version.ok);
    assert!(version.detail.contains("srv-a") && version.detail.contains(new), "{}", version.detail);
    assert!(server::smoke::report(&checks).contains("1 failed"));

    // Without --expect-sha the probe does not ask (older deployments have no /version).
    assert!(run(&opts(&m.uri(), None)).await.iter().all(|c| c.name != "api /version"));
}

#[tokio::test]
async fn smoke_expect_sha_fails_against_a_build_without_a_commit() {
    let s = start(&[]).await;
    if build_info::git_sha() != "unknown" {
        return; // built with GIT_SHA: the mismatch case is covered by the fake deployment above
    }
    let checks = run(&opts(&s.base, Some("9c1d2e3f"))).await;
    let version = checks.iter().find(|c| c.name == "api /version").unwrap();
    assert!(!version.ok && version.detail.contains("unknown"), "{}", version.detail);
}

async fn metrics_text(s: &common::TestServer) -> String {
    s.client.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap()
}

fn counter(text: &str, name_and_labels: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name_and_labels))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

async fn report(s: &common::TestServer, ip: &str, body: Value) -> reqwest::Response {
    s.client.post(s.url("/api/client-errors")).header("x-forwarded-for", ip).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn client_errors_are_counted_by_kind_and_rate_limited_per_client() {
    let s = start(&[("TRUSTED_PROXIES", "127.0.0.1/32")]).await;
    let before = metrics_text(&s).await;
    let r = report(&s, "203.0.113.7", json!({"kind": "panic", "message": "index out of bounds at view.rs:12"})).await;
    assert_eq!(r.status(), 204);
    let r = report(&s, "203.0.113.7", json!({"kind": "made-up", "message": "x"})).await;
    assert_eq!(r.status(), 204, "unknown kinds are counted as other, not refused");
    let after = metrics_text(&s).await;
    let panic = r#"rag_client_errors_total{kind="panic"}"#;
    let other = r#"rag_client_errors_total{kind="other"}"#;
    assert_eq!(counter(&after, panic) - counter(&before, panic), 1.0, "{after}");
    assert_eq!(counter(&after, other) - counter(&before, other), 1.0);
    assert!(!after.contains("made-up"), "a free-form kind must never become a label");

    // Four more from the same client fill its 6 per minute; the seventh is refused and counted as dropped.
    for _ in 0..4 {
        assert_eq!(report(&s, "203.0.113.7", json!({"kind": "network", "message": "offline"})).await.status(), 204);
    }
    let refused = report(&s, "203.0.113.7", json!({"kind": "network", "message": "offline"})).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().get("retry-after").is_some());
    // Another client is not affected.
    assert_eq!(report(&s, "198.51.100.9", json!({"kind": "http", "message": "HTTP 502"})).await.status(), 204);
    assert!(counter(&metrics_text(&s).await, "rag_client_errors_dropped_total") >= 1.0);
}

#[tokio::test]
async fn client_error_reports_are_validated_and_origin_checked() {
    let s = start(&[("TRUSTED_PROXIES", "127.0.0.1/32"), ("CORS_ALLOWED_ORIGINS", "https://book.example.org")]).await;
    let big = "x".repeat(5000);
    assert_eq!(report(&s, "192.0.2.10", json!({"kind": "panic", "message": big})).await.status(), 400);
    let r = s
        .client
        .post(s.url("/api/client-errors"))
        .header("x-forwarded-for", "192.0.2.11")
        .header("content-type", "application/json")
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = s
        .client
        .post(s.url("/api/client-errors"))
        .header("x-forwarded-for", "192.0.2.12")
        .header("origin", "https://evil.example.net")
        .json(&json!({"kind": "panic", "message": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = s
        .client
        .post(s.url("/api/client-errors"))
        .header("x-forwarded-for", "192.0.2.13")
        .header("origin", "https://book.example.org")
        .json(&json!({"kind": "render", "message": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

#[tokio::test]
async fn server_5xx_and_panics_are_counted() {
    let s = start(&[]).await;
    let before = metrics_text(&s).await;
    s.state.faults.set(&server::faults::FaultSettings { vector_store_down: true, ..Default::default() });
    let r = s.client.post(s.url("/api/chat")).json(&json!({"query": "What is the zero moment point?"})).send().await;
    assert_eq!(r.unwrap().status(), 503);
    s.state.faults.set(&server::faults::FaultSettings::default());

    server::http::error_tracking::install_panic_hook();
    let joined = std::thread::spawn(|| panic!("deliberate panic for the error-tracking test")).join();
    assert!(joined.is_err());

    let after = metrics_text(&s).await;
    let five = r#"rag_server_errors_total{kind="5xx"}"#;
    let panic = r#"rag_server_errors_total{kind="panic"}"#;
    assert!(counter(&after, five) - counter(&before, five) >= 1.0, "{after}");
    assert!(counter(&after, panic) - counter(&before, panic) >= 1.0, "{after}");
}

#[tokio::test]
async fn logs_are_shipped_to_the_otlp_log_endpoint() {
    let sink = MockServer::start().await;
    Mock::given(method("POST")).and(path("/otlp/v1/logs")).respond_with(ResponseTemplate::new(200)).mount(&sink).await;
    let dir = tempfile::tempdir().unwrap();
    common::write_corpus(&dir.path().join("rag"), &common::fixture_records());
    let port = common::process::free_port();
    let endpoint = format!("{}/otlp/v1/logs", sink.uri());
    let mut child =
        common::process::spawn(dir.path(), port, &[("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", endpoint.as_str())]);
    let base = format!("http://127.0.0.1:{port}");
    common::process::wait_ready(&base).await;
    reqwest::get(format!("{base}/api/search?q=zero+moment+point")).await.unwrap();
    // SIGTERM: the graceful shutdown flushes the batch of log records still buffered.
    assert!(std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let received = sink.received_requests().await.unwrap();
    let posts: Vec<_> = received.iter().filter(|r| r.url.path() == "/otlp/v1/logs").collect();
    assert!(!posts.is_empty(), "no OTLP log export arrived");
    assert_eq!(posts[0].headers["content-type"], "application/x-protobuf");
    let body = posts.iter().flat_map(|r| r.body.clone()).collect::<Vec<u8>>();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("textbook-rag-server"), "resource lacks the service name");
    assert!(text.contains("request"), "the request log line is missing");
}

#[tokio::test]
async fn error_counters_exist_before_the_first_error() {
    let s = start(&[]).await;
    let text = metrics_text(&s).await;
    for series in [
        r#"rag_server_errors_total{kind="panic"}"#,
        r#"rag_server_errors_total{kind="5xx"}"#,
        r#"rag_client_errors_total{kind="render"}"#,
        "rag_client_errors_dropped_total",
    ] {
        assert!(text.contains(series), "{series} missing: rate() would miss the first error\n{text}");
    }
}
