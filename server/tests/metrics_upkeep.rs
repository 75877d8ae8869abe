//! Histogram samples must not pile up in memory when nobody scrapes `/metrics`.
//!
//! The Prometheus exporter buffers every recorded sample until it is folded into its buckets. A 10-minute soak
//! without a scraper grew by ~90 MB this way. This binary counts live heap bytes with an instrumented global
//! allocator (stats_alloc), records enough samples to be visible, and waits for the server's upkeep thread to
//! release them.

use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};
use std::alloc::System;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOC: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes currently allocated by the whole process.
fn live() -> isize {
    let s = INSTRUMENTED_SYSTEM.stats();
    s.bytes_allocated as isize - s.bytes_deallocated as isize + s.bytes_reallocated
}

#[test]
fn buffered_histogram_samples_are_released_without_a_scrape() {
    let handle = server::metrics::install();
    // Let the first fold of the empty recorder pass so the baseline is steady.
    std::thread::sleep(Duration::from_millis(50));
    let before = live();

    const SAMPLES: usize = 500_000;
    for i in 0..SAMPLES {
        metrics::histogram!("rag_vector_search_latency_ms").record((i % 40) as f64);
    }
    let buffered = live() - before;
    // The samples really are held (8 bytes each), so the check below can fail.
    assert!(buffered >= (SAMPLES * 8 / 2) as isize, "only {buffered} bytes buffered for {SAMPLES} samples");

    // Traffic goes on meanwhile (a trickle of 2,000 samples a second): the exporter frees drained sample blocks
    // through crossbeam's epoch collector, which only makes progress while threads keep touching the metrics.
    let deadline = Instant::now() + server::metrics::UPKEEP_INTERVAL * 4;
    let mut recorded = SAMPLES;
    let mut held = buffered;
    while held > buffered / 10 {
        assert!(
            Instant::now() < deadline,
            "{held} of {buffered} buffered bytes still held after four upkeep intervals without a scrape"
        );
        for i in 0..200 {
            metrics::histogram!("rag_vector_search_latency_ms").record(i as f64);
        }
        recorded += 200;
        std::thread::sleep(Duration::from_millis(100));
        held = live() - before;
    }

    // Folding keeps the observations: every sample is counted in the rendered histogram.
    handle.run_upkeep();
    let text = handle.render();
    let count = text
        .lines()
        .find(|l| l.starts_with("rag_vector_search_latency_ms_count"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse::<usize>().ok());
    assert_eq!(count, Some(recorded), "rendered metrics:\n{text}");
}
