//! `server rollout-wait`: after a deploy hook, polls `GET /version` through the load balancer until the new build
//! answers everywhere. Render keeps old instances serving until new ones pass their health check, so `/ready`
//! alone cannot tell the builds apart. The rule: at least `min_instances` distinct instances have answered with the
//! expected commit, and the last `consecutive` answers in a row all came from it (any old answer or failed request
//! restarts the run). With 4 instances of which one is still old, 30 new answers in a row by chance has a
//! probability of 0.75^30 ≈ 2e-4.

use crate::build_info::{BuildInfo, same_commit};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

pub struct RolloutOptions {
    pub api: String,
    pub expect_sha: String,
    pub min_instances: usize,
    pub consecutive: usize,
    pub timeout: Duration,
    pub interval: Duration,
}

/// The decision rule, kept apart from the HTTP polling so it is unit-tested.
#[derive(Debug, Default)]
pub struct Rollout {
    expect: String,
    min_instances: usize,
    consecutive: usize,
    run: usize,
    new_instances: BTreeSet<String>,
    old_instances: BTreeMap<String, String>,
}

impl Rollout {
    pub fn new(expect: &str, min_instances: usize, consecutive: usize) -> Rollout {
        Rollout { expect: expect.into(), min_instances, consecutive: consecutive.max(1), ..Rollout::default() }
    }

    /// Records one answer; true once the rollout is complete.
    pub fn observe(&mut self, info: &BuildInfo) -> bool {
        if same_commit(&info.git_sha, &self.expect) {
            self.run += 1;
            self.old_instances.remove(&info.instance);
            self.new_instances.insert(info.instance.clone());
        } else {
            self.run = 0;
            self.old_instances.insert(info.instance.clone(), info.git_sha.clone());
        }
        self.done()
    }

    /// A failed request says nothing about the build, but a rollout is not complete while requests fail.
    pub fn observe_failure(&mut self) {
        self.run = 0;
    }

    pub fn done(&self) -> bool {
        self.run >= self.consecutive && self.new_instances.len() >= self.min_instances
    }

    pub fn summary(&self) -> String {
        let old: Vec<String> = self.old_instances.iter().map(|(i, s)| format!("{i}={s}")).collect();
        format!(
            "{} instance(s) on {} ({}), {} new answers in a row; still old: [{}]",
            self.new_instances.len(),
            self.expect,
            self.new_instances.iter().cloned().collect::<Vec<_>>().join(", "),
            self.run,
            old.join(", ")
        )
    }
}

/// Polls until the rule holds (Ok with a summary) or the timeout passes (Err with what was seen).
pub async fn wait(opts: &RolloutOptions) -> Result<String, String> {
    // No pooled connections: a kept-alive one would stay pinned to one instance behind the balancer.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(0)
        .build()
        .map_err(|e| e.to_string())?;
    let url = format!("{}/version", opts.api.trim_end_matches('/'));
    let mut rollout = Rollout::new(&opts.expect_sha, opts.min_instances, opts.consecutive);
    let started = Instant::now();
    let mut last_report = Instant::now();
    loop {
        match http.get(&url).send().await {
            Ok(r) if r.status().is_success() => match r.json::<BuildInfo>().await {
                Ok(info) => {
                    if rollout.observe(&info) {
                        return Ok(rollout.summary());
                    }
                }
                Err(_) => rollout.observe_failure(),
            },
            _ => rollout.observe_failure(),
        }
        if started.elapsed() >= opts.timeout {
            return Err(format!("not rolled out after {} s: {}", opts.timeout.as_secs(), rollout.summary()));
        }
        if last_report.elapsed() >= Duration::from_secs(15) {
            eprintln!("rollout-wait: {}", rollout.summary());
            last_report = Instant::now();
        }
        tokio::time::sleep(opts.interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(instance: &str, sha: &str) -> BuildInfo {
        BuildInfo { version: "0.1.0".into(), git_sha: sha.into(), instance: instance.into() }
    }

    #[test]
    fn complete_only_after_enough_instances_and_a_clean_run() {
        let mut r = Rollout::new("newsha1", 2, 3);
        assert!(!r.observe(&info("a", "newsha1")));
        assert!(!r.observe(&info("a", "newsha1")));
        assert!(!r.observe(&info("a", "newsha1")), "three in a row, but only one instance seen");
        assert!(r.observe(&info("b", "newsha1")));
    }

    #[test]
    fn an_old_answer_or_a_failure_restarts_the_run() {
        let mut r = Rollout::new("newsha1", 2, 3);
        r.observe(&info("a", "newsha1"));
        r.observe(&info("b", "newsha1"));
        assert!(!r.observe(&info("c", "oldsha0")));
        assert!(r.summary().contains("c=oldsha0"), "{}", r.summary());
        r.observe(&info("a", "newsha1"));
        r.observe(&info("b", "newsha1"));
        r.observe_failure();
        r.observe(&info("a", "newsha1"));
        r.observe(&info("b", "newsha1"));
        assert!(r.observe(&info("a", "newsha1")));
    }

    #[test]
    fn a_build_without_a_commit_never_completes() {
        let mut r = Rollout::new("unknown", 1, 1);
        assert!(!r.observe(&info("a", "unknown")));
    }
}
