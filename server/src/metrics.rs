//! Prometheus metrics. Latencies are real histograms (not summaries) so 2-4 instances aggregate into one p95;
//! the seed spec's `rag_vector_search_latency_ms` / `rag_llm_generation_latency_ms` "gauges" are histograms here
//! for that reason. Labels stay low-cardinality: no session ids, no query text.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

const SECONDS_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 6.0, 8.0, 10.0, 30.0];
const QUERY_BUCKETS: &[f64] = &[0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 6.0, 8.0, 10.0, 30.0];
const SEARCH_MS_BUCKETS: &[f64] = &[1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0];
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
const LLM_MS_BUCKETS: &[f64] = &[100.0, 250.0, 500.0, 1000.0, 2000.0, 3000.0, 5000.0, 8000.0, 10000.0, 30000.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// How often buffered histogram samples are folded into their buckets. The exporter keeps every sample recorded
/// since the last fold (8 bytes each, several per answer); without a fold they pile up until a scrape, which a
/// deployment without Prometheus never sends (the soak that showed it: bench/REPORT.md §6).
pub const UPKEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// Installs the process-wide recorder once (tests build many apps in one process), starts its upkeep thread and
/// returns its handle.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("rag_query_duration_seconds".into()), QUERY_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), SECONDS_BUCKETS)
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full("rag_vector_search_latency_ms".into()), SEARCH_MS_BUCKETS)
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full("rag_llm_generation_latency_ms".into()), LLM_MS_BUCKETS)
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full("rag_session_write_batch_turns".into()), BATCH_BUCKETS)
                });
            let recorder = match builder {
                Ok(b) => b.build_recorder(),
                // Bucket lists are constants; this branch only keeps the function panic-free.
                Err(_) => PrometheusBuilder::new().build_recorder(),
            };
            let handle = recorder.handle();
            let _ = metrics::set_global_recorder(recorder);
            describe();
            start_upkeep(handle.clone());
            handle
        })
        .clone()
}

/// A plain thread rather than a tokio task: the recorder is process-wide and may be installed outside a runtime
/// (CLI commands, tests), and the fold is a few microseconds of lock-free draining.
fn start_upkeep(handle: PrometheusHandle) {
    let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || {
        loop {
            std::thread::sleep(UPKEEP_INTERVAL);
            handle.run_upkeep();
        }
    });
    if let Err(e) = spawned {
        // Metrics still work; samples are then folded only when /metrics is scraped.
        tracing::warn!(error = %e, "could not start the metrics upkeep thread");
    }
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_histogram!("rag_query_duration_seconds", "End-to-end chat answer latency");
    describe_counter!("rag_query_errors_total", "Chat failures by reason");
    describe_counter!("rag_tokens_used_total", "LLM tokens by kind and model");
    describe_histogram!("rag_vector_search_latency_ms", "Retrieval latency in milliseconds");
    describe_histogram!("rag_llm_generation_latency_ms", "LLM generation latency in milliseconds");
    describe_gauge!("rag_active_sessions", "Sessions active in the last 30 minutes");
    describe_counter!("http_requests_total", "HTTP requests by route template, method and status class");
    describe_histogram!("http_request_duration_seconds", "HTTP request latency by route template and method");
    describe_counter!("http_requests_refused_total", "Requests refused: rate limited, bad key or origin, too large");
    describe_counter!("rag_feedback_total", "Answer ratings");
    describe_counter!("rag_answers_total", "Answers by mode and groundedness");
    describe_counter!("rag_cost_usd_total", "Estimated LLM cost in USD from the configured price table");
    describe_gauge!("rag_build_info", "Version and git commit of the running server");
    describe_histogram!("rag_session_write_batch_turns", "Chat turns stored per session-database transaction");
}

/// Gauges sampled at scrape time: process, host and pool figures.
pub fn sample_runtime(data_dir: &std::path::Path, pool: Option<(u32, u32, u32)>) {
    metrics_process::Collector::default().collect();
    if let (Ok(total), Ok(free)) = (fs4::total_space(data_dir), fs4::available_space(data_dir)) {
        metrics::gauge!("rag_disk_total_bytes").set(total as f64);
        metrics::gauge!("rag_disk_used_bytes").set(total.saturating_sub(free) as f64);
    }
    if let Some(limit) = memory_limit_bytes() {
        metrics::gauge!("rag_memory_limit_bytes").set(limit as f64);
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    metrics::gauge!("rag_cpu_cores").set(cores as f64);
    if let Some((in_use, idle, max)) = pool {
        metrics::gauge!("rag_db_pool_connections", "state" => "in_use").set(in_use as f64);
        metrics::gauge!("rag_db_pool_connections", "state" => "idle").set(idle as f64);
        metrics::gauge!("rag_db_pool_max_connections").set(max as f64);
    }
    metrics::gauge!(
        "rag_build_info",
        "version" => env!("CARGO_PKG_VERSION"),
        "git_sha" => option_env!("GIT_SHA").unwrap_or("unknown")
    )
    .set(1.0);
}

/// The container's memory limit (cgroup v2, then v1), else the host's memory.
fn memory_limit_bytes() -> Option<u64> {
    for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
        if let Ok(s) = std::fs::read_to_string(path)
            && let Ok(v) = s.trim().parse::<u64>()
            && v < (1 << 60)
        {
            return Some(v);
        }
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

pub fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The `method` label: request methods are client-chosen tokens, so only the standard ones become label values
/// and everything else is `other` (1,000 invented methods would otherwise be 1,000 series per metric).
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}
