//! Static site serving (`server serve --site DIR`): pages are served, and no request path escapes DIR, however it
//! is encoded. Raw HTTP over a TCP socket so the client cannot normalise the `..` away before it is sent.

mod common;

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn raw_get(addr: SocketAddr, path: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn pages_are_served_and_traversal_never_escapes_the_site_dir() {
    let root = tempfile::tempdir().unwrap();
    let site = root.path().join("site");
    std::fs::create_dir_all(site.join("kinematics")).unwrap();
    std::fs::write(site.join("kinematics/index.html"), "<h1>Kinematics</h1>").unwrap();
    std::fs::write(site.join("404.html"), "<h1>Not found</h1>").unwrap();
    // A file next to the site directory that a traversal would reach.
    std::fs::write(root.path().join("secret.txt"), "TOP-SECRET").unwrap();

    let srv = common::start(&[]).await;
    let app =
        server::http::router(srv.state.clone(), Some(site.clone())).into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let ok = raw_get(addr, "/kinematics/").await;
    assert!(ok.starts_with("HTTP/1.1 200") && ok.contains("<h1>Kinematics</h1>"), "{ok}");
    for path in [
        "/../secret.txt",
        "/kinematics/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/kinematics/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
    ] {
        let r = raw_get(addr, path).await;
        let status = r.split_whitespace().nth(1).unwrap_or("");
        assert!(!r.contains("TOP-SECRET") && !r.contains("root:x:0:0"), "{path} leaked: {r}");
        // `//etc/passwd` is first sent to `/etc/passwd` (308), which is then a 404.
        assert!(matches!(status, "400" | "404" | "308"), "{path} -> {status}");
    }

    // Protocol-relative redirects: a path with empty segments is collapsed before any directory redirect, so no
    // Location ever starts with `//` (a browser would read `//kinematics/` as the host `kinematics`).
    for (path, expected) in [
        ("//kinematics", "/kinematics"),
        ("//kinematics/", "/kinematics/"),
        ("///evil.example//x?q=1", "/evil.example/x?q=1"),
        ("/kinematics", "/kinematics/"),
    ] {
        let r = raw_get(addr, path).await;
        let location = r
            .lines()
            .find_map(|l| l.strip_prefix("location: ").or_else(|| l.strip_prefix("Location: ")))
            .unwrap_or_else(|| panic!("{path}: no redirect: {r}"));
        assert_eq!(location.trim(), expected, "{path}");
    }
    assert!(raw_get(addr, "/kinematics/").await.starts_with("HTTP/1.1 200"));
}
