//! The real `server` binary as a child process, for tests about signals, crashes and outages.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn spawn(dir: &std::path::Path, port: u16, extra: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.arg("serve")
        .env_clear()
        .env("PORT", port.to_string())
        .env("DATA_DIR", dir.join("data"))
        .env("CORPUS_SOURCE", dir.join("rag"))
        .env("LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

pub async fn wait_ready(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::get(format!("{base}/ready")).await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server at {base} never became ready");
}

/// A fake LLM that streams 30 tokens over ~1.5 s.
pub async fn slow_llm() -> String {
    use axum::response::sse::{Event, Sse};
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(|| async {
            Sse::new(async_stream::stream! {
                for i in 0..30 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    yield Ok::<_, std::convert::Infallible>(Event::default().data(
                        serde_json::json!({"choices": [{"delta": {"content": format!("w{i} ")}}]}).to_string()));
                }
                yield Ok(Event::default().data("[DONE]"));
            })
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/v1")
}
