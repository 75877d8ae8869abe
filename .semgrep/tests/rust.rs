// Cases for .semgrep/rust.yml: `ruleid:` lines must be reported, `ok:` lines must not.
// Checked by `semgrep --test --config .semgrep/rust.yml .semgrep/tests/rust.rs` (scripts/security-scan.sh).
// Not compiled: the crates never include this directory.
#![allow(dead_code)]

use std::process::Command;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

fn shell(user: &str, dir: &std::path::Path) {
    // ruleid: rust-shell-command-from-format
    Command::new("sh").arg("-c").arg(format!("ls {user}")).status().unwrap();
    // ruleid: rust-shell-command-from-format
    std::process::Command::new("bash").args(["-c", format!("tar -C {} -xf x.tar", dir.display())]).status().unwrap();
    // ruleid: rust-shell-command-from-format
    let _ = Command::new("sh").arg("-c").arg(&format!("rm -rf {user}")).output();
    // ok: rust-shell-command-from-format
    Command::new("ls").arg(user).status().unwrap();
    // ok: rust-shell-command-from-format
    Command::new("git").arg(format!("--git-dir={}", dir.display())).status().unwrap();
}

fn shell_variable(user: &str) {
    let mut cmd = Command::new("sh");
    cmd.arg("-c");
    // ruleid: rust-shell-command-from-format-variable
    cmd.arg(format!("echo {user}"));
    let mut git = Command::new("git");
    // ok: rust-shell-command-from-format-variable
    git.arg(format!("--work-tree={user}"));
}

fn raw(p: *const u8) -> u8 {
    // ruleid: rust-unsafe-code
    unsafe { *p }
}

// ruleid: rust-unsafe-code
unsafe fn also_raw(p: *const u8) -> u8 {
    *p
}

struct Wrapper(*mut u8);
// ruleid: rust-unsafe-code
unsafe impl Send for Wrapper {}

fn safe_code(v: &[u8]) -> u8 {
    // ok: rust-unsafe-code
    v.first().copied().unwrap_or(0)
}

fn clients() {
    // ruleid: rust-tls-verification-disabled
    let _ = reqwest::Client::builder().danger_accept_invalid_certs(true).build();
    // ruleid: rust-tls-verification-disabled
    let _ = reqwest::Client::builder().danger_accept_invalid_hostnames(true).build();
    // ok: rust-tls-verification-disabled
    let _ = reqwest::Client::builder().danger_accept_invalid_certs(false).build();
}

// ruleid: rust-hardcoded-secret
const OPENAI_API_KEY: &str = "sk-proj-9f8e7d6c5b4a39281706f5e4d3c2b1a0";

fn secrets() {
    // ruleid: rust-hardcoded-secret
    let api_key = "sk-live-0123456789abcdef";
    // ruleid: rust-hardcoded-secret
    let admin_token = String::from("hunter2-but-longer");
    // ruleid: rust-hardcoded-secret
    let password: &str = "correct horse battery staple";
    // ruleid: rust-hardcoded-secret
    let cfg = LlmConfig { model: "gpt-4o-mini".into(), api_key: Some(SecretString::from("sk-abc123def456")) };
    // ok: rust-hardcoded-secret
    let api_key = std::env::var("LLM_API_KEY").unwrap_or_default();
    // ok: rust-hardcoded-secret
    let token = "";
    // ok: rust-hardcoded-secret
    let api_key = "LLM_API_KEY";
    // ok: rust-hardcoded-secret
    let model = "gpt-4o-mini";
}

async fn sql(pool: &sqlx::PgPool, id: &str, table: &str) {
    // ruleid: rust-sql-built-with-format
    sqlx::query(&format!("SELECT * FROM chat_sessions WHERE id = '{id}'")).execute(pool).await.unwrap();
    // ruleid: rust-sql-built-with-format
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(pool).await.unwrap();
    let q = format!("DELETE FROM {table}");
    // ruleid: rust-sql-built-with-format
    sqlx::query(&q).execute(pool).await.unwrap();
    // ruleid: rust-sql-built-with-format
    pool.execute(&format!("DROP TABLE {table}")).await.unwrap();
    // ok: rust-sql-built-with-format
    sqlx::query("SELECT * FROM chat_sessions WHERE id = $1").bind(id).execute(pool).await.unwrap();
}

fn cors() {
    // ruleid: rust-cors-any-origin
    let _ = CorsLayer::new().allow_origin(Any);
    // ruleid: rust-cors-any-origin
    let _ = CorsLayer::permissive();
    // ruleid: rust-cors-any-origin
    let _ = CorsLayer::new().allow_origin(AllowOrigin::mirror_request());
    // ok: rust-cors-any-origin
    let _ = CorsLayer::new().allow_origin(AllowOrigin::list([HeaderValue::from_static("https://example.org")]));
}

fn logs(req: &axum::extract::Request, headers: &HeaderMap) {
    // ruleid: rust-log-authorization-header
    tracing::info!(auth = ?headers.get(header::AUTHORIZATION), "request");
    // ruleid: rust-log-authorization-header
    tracing::debug!("headers: {:?}", req.headers());
    // ruleid: rust-log-authorization-header
    println!("{:?}", headers.get("authorization"));
    // ok: rust-log-authorization-header
    tracing::info!(has_auth = headers.contains_key(header::CONTENT_TYPE), "request");
}

fn compare(presented: Option<&str>, token: &SecretString) -> bool {
    // ruleid: rust-secret-compared-with-eq
    if presented != Some(token.expose_secret()) {
        return false;
    }
    // ruleid: rust-secret-compared-with-eq
    let same = token.expose_secret() == "x";
    // ok: rust-secret-compared-with-eq
    let ok = bool::from(digest(presented).ct_eq(&digest(Some(token.expose_secret()))));
    same && ok
}

async fn handler(headers: HeaderMap, uri: axum::http::Uri) -> String {
    // ruleid: rust-unwrap-on-request-data
    let key = headers.get("x-site-key").unwrap();
    // ruleid: rust-unwrap-on-request-data
    let text = key.to_str().unwrap();
    // ruleid: rust-unwrap-on-request-data
    let n = uri.path().parse::<u32>().unwrap();
    // ok: rust-unwrap-on-request-data
    let lang = headers.get("accept-language").and_then(|v| v.to_str().ok()).unwrap_or("en");
    format!("{text}{n}{lang}")
}
