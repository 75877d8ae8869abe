//! Response security headers on everything the server sends: the built site's pages and files, the API (success and
//! error responses alike), health and metrics. Also ties the CSP's script hash to the site's one inline script, so
//! editing that script without updating the policy fails here rather than in a reader's browser.

mod common;

use reqwest::header::HeaderMap;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

/// Starts the real router serving `site` next to the API (as `server serve --site DIR` does).
async fn start_with_site(site: &std::path::Path) -> (common::TestServer, String) {
    let srv = common::start(&[]).await;
    let app = server::http::router(srv.state.clone(), Some(site.to_path_buf()))
        .into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (srv, format!("http://{addr}"))
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("missing {name}: {h:?}"))
}

/// The directives of a CSP as (name, sources).
fn csp_directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .filter_map(|d| {
            let mut parts = d.split_whitespace();
            let name = parts.next()?.to_ascii_lowercase();
            Some((name, parts.map(str::to_string).collect()))
        })
        .collect()
}

fn directive(csp: &str, name: &str) -> Vec<String> {
    csp_directives(csp)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("CSP has no {name}: {csp}"))
}

/// Headers every response carries, whatever it is.
fn assert_common(h: &HeaderMap, what: &str) {
    assert_eq!(header(h, "x-content-type-options"), "nosniff", "{what}");
    let referrer = header(h, "referrer-policy");
    assert!(
        ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"].contains(&referrer),
        "{what}: referrer-policy {referrer} may leak page URLs"
    );
}

/// What an HTML page needs on top: clickjacking protection, HSTS and a CSP that runs no injected script.
fn assert_page(h: &HeaderMap, what: &str) {
    assert_common(h, what);
    let hsts = header(h, "strict-transport-security");
    let max_age: u64 = hsts
        .split(';')
        .find_map(|p| p.trim().strip_prefix("max-age="))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{what}: HSTS without max-age: {hsts}"));
    assert!(max_age >= 15_552_000, "{what}: HSTS max-age {max_age} < 180 days");

    let csp = header(h, "content-security-policy");
    assert_eq!(directive(csp, "frame-ancestors"), ["'none'"], "{what}: {csp}");
    assert_eq!(header(h, "x-frame-options"), "DENY", "{what}");
    assert_eq!(directive(csp, "object-src"), ["'none'"], "{what}: {csp}");
    assert!(!directive(csp, "base-uri").iter().any(|s| s == "*"), "{what}: {csp}");
    let scripts = directive(csp, "script-src");
    for banned in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"] {
        assert!(!scripts.iter().any(|s| s == banned), "{what}: script-src allows {banned}: {csp}");
    }
    // The widget's WebAssembly needs this (it allows compiling wasm, not JS eval).
    assert!(scripts.iter().any(|s| s == "'wasm-unsafe-eval'"), "{what}: {csp}");
    assert!(!directive(csp, "default-src").iter().any(|s| s == "*"), "{what}: {csp}");
}

#[tokio::test]
async fn pages_api_and_errors_carry_the_security_headers() {
    let root = tempfile::tempdir().unwrap();
    let site = root.path();
    std::fs::create_dir_all(site.join("kinematics")).unwrap();
    std::fs::write(site.join("index.html"), "<!doctype html><h1>Book</h1>").unwrap();
    std::fs::write(site.join("kinematics/index.html"), "<!doctype html><h1>Kinematics</h1>").unwrap();
    std::fs::write(site.join("404.html"), "<!doctype html><h1>Not found</h1>").unwrap();
    std::fs::create_dir_all(site.join("css")).unwrap();
    std::fs::write(site.join("css/site.css"), "body{margin:0}").unwrap();
    let (srv, base) = start_with_site(site).await;
    let c = &srv.client;

    for (path, status) in [("/", 200), ("/kinematics/", 200), ("/no-such-page/", 404)] {
        let r = c.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{path}");
        assert!(header(r.headers(), "content-type").starts_with("text/html"), "{path}");
        assert_page(r.headers(), path);
    }
    let r = c.get(format!("{base}/css/site.css")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_common(r.headers(), "/css/site.css");

    // The API: answers, client errors (validation, unknown route, wrong method, oversized body) and probes.
    let chat = c
        .post(format!("{base}/api/chat"))
        .json(&serde_json::json!({"query": "What is the zero moment point?", "locale": "en"}))
        .send()
        .await
        .unwrap();
    assert_eq!(chat.status(), 200);
    assert!(header(chat.headers(), "content-type").starts_with("application/json"));
    assert_common(chat.headers(), "POST /api/chat");
    let requests = [
        c.post(format!("{base}/api/chat")).json(&serde_json::json!({"query": ""})),
        c.post(format!("{base}/api/chat")).body("{").header("content-type", "application/json"),
        c.post(format!("{base}/api/chat")).body(vec![b'x'; protocol::MAX_BODY_BYTES + 1]),
        c.get(format!("{base}/api/sessions/does-not-exist")),
        c.delete(format!("{base}/api/search")),
        c.post(format!("{base}/api/admin/reindex")),
        c.get(format!("{base}/health")),
        c.get(format!("{base}/ready")),
        c.get(format!("{base}/openapi.json")),
        c.get(format!("{base}/metrics")),
    ];
    for req in requests {
        let r = req.send().await.unwrap();
        let what = format!("{} -> {}", r.url().path(), r.status());
        assert_common(r.headers(), &what);
        // JSON and text bodies are never rendered as HTML, so a reflected value cannot become markup.
        let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(!ct.starts_with("text/html"), "{what}: {ct}");
    }

    // An unknown path under /api/ falls through to the site's 404 page: a page like any other.
    let r = c.get(format!("{base}/api/nope")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_page(r.headers(), "/api/nope with a site");

    // The API server alone (no site) sends the same headers.
    let r = srv.client.get(srv.url("/api/nope")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_page(r.headers(), "API-only 404");
}

/// Standard base64 (with padding), for CSP hash sources.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Bodies of `<script>` elements without `src` in an HTML template.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag_end = start + rest[start..].find('>').unwrap();
        let tag = &rest[start..tag_end];
        let body_end = tag_end + rest[tag_end..].find("</script>").unwrap();
        if !tag.contains(" src=") {
            out.push(&rest[tag_end + 1..body_end]);
        }
        rest = &rest[body_end..];
    }
    out
}

#[tokio::test]
async fn every_inline_script_of_the_site_templates_is_allowed_by_hash() {
    assert_eq!(base64(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw==");
    assert_eq!(base64(b"any carnal pleasu"), "YW55IGNhcm5hbCBwbGVhc3U=");
    let scripts = directive(server::http::CONTENT_SECURITY_POLICY, "script-src");
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../site/templates");
    let mut hashed = 0;
    for entry in std::fs::read_dir(&templates).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).unwrap();
        for body in inline_scripts(&html) {
            assert!(!body.contains("{{") && !body.contains("{%"), "{}: templated inline script", path.display());
            let source = format!("'sha256-{}'", base64(&Sha256::digest(body.as_bytes())));
            assert!(
                scripts.contains(&source),
                "{}: inline script not allowed by the CSP; add {source} to CONTENT_SECURITY_POLICY \
                 (server/src/http/mod.rs) in place of the old hash",
                path.display()
            );
            hashed += 1;
        }
    }
    assert!(hashed >= 1, "the theme script in base.html was expected");
    // No stale hashes: each one allows exactly one script of the templates.
    assert_eq!(scripts.iter().filter(|s| s.starts_with("'sha256-")).count(), hashed);
}
