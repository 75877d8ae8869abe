//! Fault injection for the incident lab and the alerting end-to-end test: an error burst on chat requests, extra
//! latency, and a vector store outage. Off unless `ENABLE_FAULT_INJECTION=true`, and even then only reachable
//! through the admin-key-protected `POST /api/admin/faults`. Never enable it in production.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

#[derive(Default)]
pub struct Faults {
    /// Share of chat requests answered 503, in thousandths.
    error_per_mille: AtomicU32,
    extra_latency_ms: AtomicU64,
    vector_store_down: AtomicBool,
    counter: AtomicU64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultSettings {
    /// 0.0 to 1.0: share of chat requests that fail with 503.
    #[serde(default)]
    pub error_rate: f64,
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub vector_store_down: bool,
}

impl Faults {
    pub fn set(&self, s: &FaultSettings) {
        let per_mille = (s.error_rate.clamp(0.0, 1.0) * 1000.0).round() as u32;
        self.error_per_mille.store(per_mille, Ordering::Relaxed);
        self.extra_latency_ms.store(s.latency_ms.min(120_000), Ordering::Relaxed);
        self.vector_store_down.store(s.vector_store_down, Ordering::Relaxed);
    }

    pub fn get(&self) -> FaultSettings {
        FaultSettings {
            error_rate: self.error_per_mille.load(Ordering::Relaxed) as f64 / 1000.0,
            latency_ms: self.extra_latency_ms.load(Ordering::Relaxed),
            vector_store_down: self.vector_store_down.load(Ordering::Relaxed),
        }
    }

    /// Whether this request should fail: deterministic spreading (every n-th), so small bursts are exact.
    pub fn should_fail(&self) -> bool {
        let per_mille = self.error_per_mille.load(Ordering::Relaxed) as u64;
        if per_mille == 0 {
            return false;
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed) % 1000;
        (n * per_mille) % 1000 < per_mille
    }

    /// The faults of one chat request: the extra latency, then whether it fails.
    pub async fn chat_request_fails(&self) -> bool {
        let latency = self.latency();
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        self.should_fail()
    }

    pub fn latency(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.extra_latency_ms.load(Ordering::Relaxed))
    }

    pub fn vector_store_down(&self) -> bool {
        self.vector_store_down.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_rate_is_spread_exactly() {
        let f = Faults::default();
        f.set(&FaultSettings { error_rate: 0.25, ..Default::default() });
        let failed = (0..1000).filter(|_| f.should_fail()).count();
        assert_eq!(failed, 250);
        f.set(&FaultSettings::default());
        assert!(!(0..100).any(|_| f.should_fail()));
    }
}
