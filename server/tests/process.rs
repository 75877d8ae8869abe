//! The real `server` binary: graceful SIGTERM drain of an open stream, secrets kept out of logs, config errors
//! naming the variable.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::process::{free_port, slow_llm, spawn, wait_ready};

#[tokio::test]
async fn sigterm_lets_an_open_stream_finish_and_logs_hold_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    common::write_corpus(&dir.path().join("rag"), &common::fixture_records());
    let llm = slow_llm().await;
    let port = free_port();
    // nosemgrep: rust-hardcoded-secret -- a fake key: the test proves that it never reaches the logs.
    let secret = "sk-live-SECRET-do-not-log-42";
    let mut child = spawn(dir.path(), port, &[("LLM_BASE_URL", &llm), ("LLM_API_KEY", secret), ("LOG_LEVEL", "debug")]);
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base).await;

    let client = reqwest::Client::new();
    let stream = tokio::spawn({
        let url = format!("{base}/api/chat/stream");
        async move {
            let r = client
                .post(url)
                .json(&serde_json::json!({"query": "What is the zero moment point?"}))
                .send()
                .await
                .unwrap();
            r.text().await.unwrap()
        }
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let body = tokio::time::timeout(Duration::from_secs(20), stream).await.unwrap().unwrap();
    let events = common::parse_sse(&body);
    assert_eq!(events.last().map(|e| e.0.as_str()), Some("done"), "stream was cut by shutdown: {body}");
    let deltas = events.iter().filter(|e| e.0 == "delta").count();
    assert_eq!(deltas, 30, "every token delivered during the drain");

    let status = child.wait().unwrap();
    assert!(status.success(), "clean exit after drain: {status:?}");
    let mut logs = String::new();
    child.stdout.take().unwrap().read_to_string(&mut logs).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(logs.contains("shutdown requested"), "{logs}");
    assert!(!logs.contains(secret), "the LLM key leaked into logs");
    let answered = logs.lines().find(|l| l.contains("chat answered")).expect("a chat log line");
    let v: serde_json::Value = serde_json::from_str(answered).unwrap();
    assert_eq!(v["session"].as_str().map(str::len), Some(12), "hashed session id: {answered}");
    assert!(!answered.contains("zero moment"), "query text stays out of INFO lines");
    // JSON lines with a level and a message.
    let line = logs.lines().find(|l| l.contains("\"request\"") || l.contains("listening")).unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert!(v.get("level").is_some() && v.get("timestamp").is_some(), "{line}");
}

#[test]
fn invalid_configuration_fails_fast_naming_the_variable() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_server")).arg("serve").env_clear().env("PORT", "not-a-port").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PORT"), "{err}");
}

// Multi-threaded: the test blocks on the child's exit while the fake collector must keep accepting the final flush.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traces_are_exported_over_otlp_when_configured() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<u8>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(move |body: axum::body::Bytes| {
            let sink = sink.clone();
            async move {
                if let Ok(mut s) = sink.lock() {
                    s.extend_from_slice(&body);
                }
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let collector = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    common::write_corpus(&dir.path().join("rag"), &common::fixture_records());
    let port = free_port();
    let mut child = spawn(dir.path(), port, &[("OTEL_EXPORTER_OTLP_ENDPOINT", &collector)]);
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base).await;
    let r = reqwest::Client::new()
        .post(format!("{base}/api/chat"))
        .json(&serde_json::json!({"query": "What is the capture point?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    assert!(child.wait().unwrap().success());
    let bytes = received.lock().unwrap().clone();
    // OTLP protobuf carries span names as plain UTF-8 strings.
    let text = String::from_utf8_lossy(&bytes);
    for span in ["http", "retrieve", "db.record_turns"] {
        assert!(text.contains(span), "span {span} not exported ({} bytes)", bytes.len());
    }
    assert!(text.contains("textbook-rag-server"), "service name resource");
}

fn fake_site(root: &std::path::Path, with_zmp_anchor: bool) {
    let page = |path: &str, lang: &str, ids: &[&str]| {
        let dir = root.join(path);
        std::fs::create_dir_all(&dir).unwrap();
        let body: String = ids.iter().map(|i| format!("<h2 id=\"{i}\">{i}</h2>")).collect();
        std::fs::write(
            dir.join("index.html"),
            format!("<!doctype html><html lang=\"{lang}\"><body>{body}</body></html>"),
        )
        .unwrap();
    };
    page("", "en", &[]);
    page("ur", "ur", &[]);
    let zmp: &[&str] = if with_zmp_anchor { &["zmp", "capture-point"] } else { &["capture-point"] };
    page("locomotion", "en", zmp);
    page("ur/locomotion", "ur", &["zmp"]);
    page("kinematics", "en", &["forward-kinematics", "jacobians"]);
    page("ur/kinematics", "ur", &["forward-kinematics"]);
    std::fs::write(root.join("404.html"), "<html lang=\"en\">not found</html>").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smoke_probe_passes_on_a_good_stack_and_fails_on_a_missing_anchor() {
    let dir = tempfile::tempdir().unwrap();
    common::write_corpus(&dir.path().join("rag"), &common::fixture_records());
    let site = dir.path().join("site");
    fake_site(&site, true);
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.args(["serve", "--site"])
        .arg(&site)
        .env_clear()
        .env("PORT", port.to_string())
        .env("DATA_DIR", dir.path().join("data"))
        .env("CORPUS_SOURCE", dir.path().join("rag"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base).await;

    let smoke = |base: String| {
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_server"))
                .args(["smoke", "--api", &base, "--site", &base])
                .env_clear()
                .output()
                .unwrap()
        })
    };
    let out = smoke(base.clone()).await.unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("smoke: 6 passed, 0 failed"), "{report}");

    fake_site(&site, false);
    let out = smoke(base.clone()).await.unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{report}");
    assert!(report.contains("has no anchor #zmp"), "{report}");
    let _ = child.kill();
    let _ = child.wait();
}
