//! Connections that never finish a request must not exhaust the server's file descriptors. The real binary runs
//! under `ulimit -n 128` (as in the probe that found the problem); 150 silent sockets and a trickling one are
//! opened; `/health` must still answer and the server must close those sockets itself. Kept-alive connections are
//! closed once idle, never while requests keep coming.

mod common;

use common::process::free_port;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The server binary under a lowered open-files limit (`ulimit -n` in a shell that then `exec`s it).
fn spawn_with_fd_limit(dir: &std::path::Path, port: u16, limit: u32, header_secs: &str) -> std::process::Child {
    Command::new("sh")
        .arg("-c")
        // The limit and the binary travel as positional arguments ($1, $0), never spliced into the script.
        .arg("ulimit -n \"$1\" && exec \"$0\" serve")
        .arg(env!("CARGO_BIN_EXE_server"))
        .arg(limit.to_string())
        .env_clear()
        .env("PORT", port.to_string())
        .env("DATA_DIR", dir.join("data"))
        .env("CORPUS_SOURCE", dir.join("rag"))
        .env("LOG_FORMAT", "json")
        .env("LOG_LEVEL", "warn")
        .env("HEADER_READ_TIMEOUT_SECS", header_secs)
        .env("IDLE_TIMEOUT_SECS", "2")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// True once the peer has closed the connection (EOF or reset) within `within`.
fn closed_by_server(sock: &mut TcpStream, within: Duration) -> bool {
    sock.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 64];
    match sock.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_trickling_connections_cannot_exhaust_file_descriptors() {
    let dir = tempfile::tempdir().unwrap();
    common::write_corpus(&dir.path().join("rag"), &common::fixture_records());
    let port = free_port();
    let mut child = spawn_with_fd_limit(dir.path(), port, 128, "2");
    let base = format!("http://127.0.0.1:{port}");
    common::process::wait_ready(&base).await;

    let addr = format!("127.0.0.1:{port}");
    let mut silent: Vec<TcpStream> = (0..150).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    let mut trickle = TcpStream::connect(&addr).unwrap();
    trickle.write_all(b"GET /health HTTP/1.1\r\n").unwrap();
    let trickler = std::thread::spawn(move || {
        // A header byte every 300 ms: never idle for long, never finished. Stops once the server hangs up.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if trickle.write_all(b"X").is_err() {
                return started.elapsed();
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        started.elapsed()
    });
    tokio::time::sleep(Duration::from_millis(500)).await;

    // The probe's check: `curl -m5 /health` while the silent sockets are open.
    let health = reqwest::Client::new().get(format!("{base}/health")).timeout(Duration::from_secs(5)).send().await;
    assert!(health.as_ref().is_ok_and(|r| r.status() == 200), "/health under 150 silent sockets: {health:?}");

    // Every silent socket is closed by the server within a few header-read timeouts (they are accepted in turns
    // at the connection cap), not left open indefinitely.
    let deadline = Instant::now() + Duration::from_secs(20);
    for (i, sock) in silent.iter_mut().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(10));
        assert!(closed_by_server(sock, left), "silent socket {i} still open after 20 s");
    }
    let trickled_for = trickler.join().unwrap();
    assert!(trickled_for < Duration::from_secs(15), "trickling connection kept for {trickled_for:?}");

    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(!logs.contains("Too many open files"), "descriptor exhaustion: {logs}");
}

/// Sends one keep-alive request on `sock` and reads its whole response (headers and the Content-Length body).
fn request_health(sock: &mut TcpStream) -> String {
    sock.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = sock.read(&mut buf).expect("response within 5 s");
        assert!(n > 0, "server closed a kept-alive connection mid-use: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                .and_then(|v| v.parse::<usize>().ok())
                .expect("content-length");
            if body.len() >= len {
                return text;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_alive_connections_close_when_idle_but_not_while_used() {
    let dir = tempfile::tempdir().unwrap();
    common::write_corpus(&dir.path().join("rag"), &common::fixture_records());
    let port = free_port();
    // The header-read timeout is set well above the idle timeout so that only the idle timer can close the
    // connection within the test's window.
    let mut child = spawn_with_fd_limit(dir.path(), port, 1024, "30");
    common::process::wait_ready(&format!("http://127.0.0.1:{port}")).await;
    let addr = format!("127.0.0.1:{port}");

    // In use: a request every second for 5 s on one connection (IDLE_TIMEOUT_SECS=2) is never cut.
    let mut busy = TcpStream::connect(&addr).unwrap();
    for _ in 0..5 {
        assert!(request_health(&mut busy).starts_with("HTTP/1.1 200"));
        std::thread::sleep(Duration::from_secs(1));
    }

    // Idle after a complete request: the server closes it about IDLE_TIMEOUT_SECS later, not at once, not never.
    let mut idle = TcpStream::connect(&addr).unwrap();
    assert!(request_health(&mut idle).starts_with("HTTP/1.1 200"));
    let answered = Instant::now();
    assert!(closed_by_server(&mut idle, Duration::from_secs(8)), "idle keep-alive connection still open after 8 s");
    let after = answered.elapsed();
    assert!(after >= Duration::from_millis(1500), "closed after {after:?}, before the 2 s idle timeout");

    let metrics = reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await.unwrap().text().await.unwrap();
    let closed: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("http_connections_idle_closed_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("idle-closed counter exported");
    assert!(closed >= 1.0, "idle closes counted: {closed}");

    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let status = child.wait().unwrap();
    assert!(status.success(), "clean shutdown with the connection loop's drain: {status:?}");
}
