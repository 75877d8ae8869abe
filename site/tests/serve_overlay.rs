//! `site serve`: a broken link written while editing shows as an overlay naming file:line:col (and in
//! `/__site_errors`), over the last good page; fixing the file clears it.

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The overlay element (the page's live-update script names its id too, so the id alone proves nothing).
const OVERLAY: &str = "<div id=\"site-error-overlay\"";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = vec![];
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()))
}

/// Polls `path` until `ok` holds for the body (a rebuild takes a moment), or fails after 60 s.
fn wait_for(port: u16, path: &str, ok: impl Fn(&str) -> bool) -> String {
    let t0 = Instant::now();
    loop {
        if let Some((_, body)) = get(port, path)
            && ok(&body)
        {
            return body;
        }
        assert!(t0.elapsed() < Duration::from_secs(60), "timed out waiting on {path}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn broken_link_while_serving_shows_an_overlay_with_its_position() {
    let page = format!("{FM}\n## A {{#a}}\n\nText.\n");
    let dir = temp_site(&[("content/en/index.md", &page)]);
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port");
    let child = Command::new(env!("CARGO_BIN_EXE_site"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .env_remove("SITE_BASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start site serve");
    let _server = Server(child);
    wait_for(port, "/", |b| b.contains("<h1>T</h1>"));
    assert_eq!(wait_for(port, "/__site_errors", |_| true), "{\"errors\":[]}");

    std::fs::write(dir.path().join("content/en/index.md"), format!("{page}\nSee [x](missing.md).\n")).expect("edit");
    let json = wait_for(port, "/__site_errors", |b| b.contains("missing.md"));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["errors"][0]["location"], "content/en/index.md:10:5", "{json}");
    let html = wait_for(port, "/", |b| b.contains(OVERLAY));
    assert!(html.contains(">content/en/index.md:10:5</code>"), "{html}");
    assert!(html.contains("<h1>T</h1>"), "the last good page stays under the overlay");

    std::fs::write(dir.path().join("content/en/index.md"), &page).expect("fix");
    wait_for(port, "/__site_errors", |b| b == "{\"errors\":[]}");
    assert!(!wait_for(port, "/", |_| true).contains(OVERLAY));
}
