//! `bench load`: a closed-loop HTTP load generator for the server's endpoints, bounded in time and concurrency,
//! loopback only. Prints requests/s, latency percentiles (from an HDR histogram) and errors, as text and JSON.
//! Written here rather than using oha/wrk so the questions can cycle through the eval set and the figures come
//! out as JSON for bench/REPORT.md.

use anyhow::{Context, bail};
use clap::Parser;
use hdrhistogram::Histogram;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Closed-loop load against a local server")]
struct Args {
    /// Base URL; must be on the loopback interface.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// chat | search | health
    #[arg(long, default_value = "chat")]
    endpoint: String,
    #[arg(long, default_value_t = 50)]
    concurrency: usize,
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// JSON lines with a "question" field (the eval set); a built-in list is used otherwise.
    #[arg(long)]
    questions: Option<String>,
    #[arg(long, default_value = "en")]
    locale: String,
    /// Instead of sending load, serve a bare axum "hello" on 127.0.0.1:<port> for the given seconds: the machine's
    /// ceiling that the server's figures are compared with (same runtime, no middleware, no work).
    #[arg(long)]
    serve_hello: Option<u16>,
}

async fn serve_hello(port: u16, seconds: f64) -> anyhow::Result<()> {
    let app = axum::Router::new().route("/health", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.context("binding the hello server")?;
    let limit = tokio::time::sleep(Duration::from_secs_f64(seconds.min(3600.0)));
    tokio::select! {
        r = axum::serve(listener, app) => r.context("hello server")?,
        _ = limit => {}
    }
    Ok(())
}

#[derive(Serialize)]
struct Report {
    endpoint: String,
    concurrency: usize,
    seconds: f64,
    requests: u64,
    errors: u64,
    rps: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

fn questions(path: Option<&str>) -> anyhow::Result<Vec<String>> {
    let Some(p) = path else {
        return Ok([
            "What is the zero moment point?",
            "How does forward kinematics work?",
            "What is a ROS 2 topic?",
            "Explain the Kalman filter",
            "What is domain randomization?",
        ]
        .map(String::from)
        .to_vec());
    };
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {p}"))?;
    let qs: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("question").and_then(|q| q.as_str()).map(String::from))
        .collect();
    if qs.is_empty() {
        bail!("{p}: no questions");
    }
    Ok(qs)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(port) = args.serve_hello {
        return serve_hello(port, args.seconds).await;
    }
    let host = reqwest::Url::parse(&args.url)?.host_str().unwrap_or("").to_string();
    if !matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]" | "::1") {
        bail!("load is only ever sent to the loopback interface, not {host}");
    }
    if args.seconds > 900.0 || args.concurrency > 1000 {
        bail!("bounded: at most 900 s and 1000 clients");
    }
    let qs = Arc::new(questions(args.questions.as_deref())?);
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).build()?;
    let deadline = Instant::now() + Duration::from_secs_f64(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..args.concurrency {
        let (client, qs, args_url, endpoint, locale) =
            (client.clone(), qs.clone(), args.url.clone(), args.endpoint.clone(), args.locale.clone());
        tasks.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3).expect("histogram bounds");
            let (mut n, mut errors) = (0u64, 0u64);
            let mut i = worker;
            while Instant::now() < deadline {
                let q = &qs[i % qs.len()];
                i += 1;
                let t = Instant::now();
                let req = match endpoint.as_str() {
                    "chat" => client
                        .post(format!("{args_url}/api/chat"))
                        .json(&serde_json::json!({"query": q, "locale": locale})),
                    "search" => {
                        client.get(format!("{args_url}/api/search")).query(&[("q", q.as_str()), ("locale", &locale)])
                    }
                    _ => client.get(format!("{args_url}/health")),
                };
                let ok = match req.send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                let _ = hist.record(t.elapsed().as_micros().max(1) as u64);
                n += 1;
                if !ok {
                    errors += 1;
                }
            }
            (hist, n, errors)
        }));
    }
    let mut hist = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3)?;
    let (mut n, mut errors) = (0, 0);
    for t in tasks {
        let (h, a, e) = t.await?;
        hist.add(h)?;
        n += a;
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    let ms = |q: f64| hist.value_at_quantile(q) as f64 / 1000.0;
    let r = Report {
        endpoint: args.endpoint,
        concurrency: args.concurrency,
        seconds: secs,
        requests: n,
        errors,
        rps: n as f64 / secs,
        p50_ms: ms(0.5),
        p95_ms: ms(0.95),
        p99_ms: ms(0.99),
        max_ms: hist.max() as f64 / 1000.0,
    };
    eprintln!(
        "{} x{}: {} requests in {:.1}s = {:.0} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, errors {}",
        r.endpoint, r.concurrency, r.requests, r.seconds, r.rps, r.p50_ms, r.p95_ms, r.p99_ms, r.errors
    );
    println!("{}", serde_json::to_string(&r)?);
    Ok(())
}
