//! `server smoke`: a post-deploy and synthetic probe of a running deployment. Checks liveness and readiness, both
//! locale home pages, and one chat round trip per locale whose cited sections exist on the site (page fetched,
//! anchor present), all within the latency SLO. Prints a short report; the caller exits non-zero on failure.

use protocol::{ChatResponse, Locale};
use std::time::{Duration, Instant};

pub struct SmokeOptions {
    pub api: String,
    pub site: String,
    pub locales: Vec<Locale>,
    pub site_key: Option<String>,
    /// Sent as `Origin` so keys bound to the site's origin are accepted.
    pub origin: Option<String>,
    pub slo: Duration,
    /// The commit the deployment must be running (`GET /version`); the probe fails when another build answers.
    pub expect_sha: Option<String>,
}

pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
    pub elapsed: Duration,
}

fn question(l: Locale) -> &'static str {
    match l {
        Locale::En => "What is the zero moment point and why does it matter for balance?",
        Locale::Ur => "زیرو مومنٹ پوائنٹ کیا ہے اور توازن کے لیے کیوں اہم ہے؟",
    }
}

fn join(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

pub async fn run(opts: &SmokeOptions) -> Vec<Check> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap_or_default();
    let mut checks = Vec::new();
    let mut record = |name: String, started: Instant, result: Result<String, String>| {
        let elapsed = started.elapsed();
        let (ok, detail) = match result {
            Ok(d) if elapsed <= opts.slo => (true, d),
            Ok(d) => (false, format!("{d}; took {} ms, over the {} ms SLO", elapsed.as_millis(), opts.slo.as_millis())),
            Err(e) => (false, e),
        };
        checks.push(Check { name, ok, detail, elapsed });
    };

    let t = Instant::now();
    let health = async {
        let r = http.get(join(&opts.api, "/health")).send().await.map_err(|e| e.to_string())?;
        let body: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
        if body["status"] == "healthy" { Ok("healthy".to_string()) } else { Err(format!("body {body}")) }
    };
    record("api /health".into(), t, health.await);

    if let Some(expected) = &opts.expect_sha {
        let t = Instant::now();
        let version = async {
            let r = http.get(join(&opts.api, "/version")).send().await.map_err(|e| e.to_string())?;
            if !r.status().is_success() {
                return Err(format!("HTTP {} (a build before /version existed?)", r.status()));
            }
            let b: crate::build_info::BuildInfo = r.json().await.map_err(|e| e.to_string())?;
            if crate::build_info::same_commit(&b.git_sha, expected) {
                Ok(format!("{} {} on {}", b.version, b.git_sha, b.instance))
            } else {
                Err(format!("instance {} runs {} {}, expected {expected}", b.instance, b.version, b.git_sha))
            }
        };
        record("api /version".into(), t, version.await);
    }

    let t = Instant::now();
    let ready = async {
        let r = http.get(join(&opts.api, "/ready")).send().await.map_err(|e| e.to_string())?;
        if r.status().is_success() { Ok("ready".to_string()) } else { Err(format!("HTTP {}", r.status())) }
    };
    record("api /ready".into(), t, ready.await);

    for &locale in &opts.locales {
        let t = Instant::now();
        let home = if locale == Locale::En { "/".to_string() } else { format!("/{locale}/") };
        let page = async {
            let r = http.get(join(&opts.site, &home)).send().await.map_err(|e| e.to_string())?;
            let status = r.status();
            let html = r.text().await.map_err(|e| e.to_string())?;
            if !status.is_success() {
                return Err(format!("HTTP {status}"));
            }
            if !html.contains(&format!("lang=\"{locale}\"")) {
                return Err(format!("page is not marked lang=\"{locale}\""));
            }
            Ok(format!("{} bytes", html.len()))
        };
        record(format!("site home ({locale})"), t, page.await);

        let t = Instant::now();
        let chat = async {
            let mut req = http
                .post(join(&opts.api, "/api/chat"))
                .json(&serde_json::json!({"query": question(locale), "locale": locale}));
            if let Some(k) = &opts.site_key {
                req = req.header("x-site-key", k);
            }
            if let Some(o) = &opts.origin {
                req = req.header("origin", o);
            }
            let r = req.send().await.map_err(|e| e.to_string())?;
            if !r.status().is_success() {
                return Err(format!("HTTP {}: {}", r.status(), r.text().await.unwrap_or_default()));
            }
            let answer: ChatResponse = r.json().await.map_err(|e| e.to_string())?;
            if answer.sources.is_empty() || answer.answer.trim().is_empty() {
                return Err("answer without sources".into());
            }
            for s in answer.sources.iter().take(2) {
                let (path, anchor) = s.url.split_once('#').unwrap_or((s.url.as_str(), ""));
                let page = http.get(join(&opts.site, path)).send().await.map_err(|e| e.to_string())?;
                if !page.status().is_success() {
                    return Err(format!("cited page {} answered HTTP {}", s.url, page.status()));
                }
                let html = page.text().await.map_err(|e| e.to_string())?;
                if !anchor.is_empty() && !html.contains(&format!("id=\"{anchor}\"")) {
                    return Err(format!("cited section {} has no anchor #{anchor} on the page", s.url));
                }
            }
            Ok(format!("{:?} answer, {} sources, first {}", answer.mode, answer.sources.len(), answer.sources[0].url))
        };
        record(format!("chat round trip ({locale})"), t, chat.await);
    }
    checks
}

pub fn report(checks: &[Check]) -> String {
    let mut out = String::new();
    for c in checks {
        out.push_str(&format!(
            "{} {:<24} {:>6} ms  {}\n",
            if c.ok { "PASS" } else { "FAIL" },
            c.name,
            c.elapsed.as_millis(),
            c.detail
        ));
    }
    let failed = checks.iter().filter(|c| !c.ok).count();
    out.push_str(&format!("smoke: {} passed, {} failed\n", checks.len() - failed, failed));
    out
}
