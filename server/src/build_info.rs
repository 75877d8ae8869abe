//! Which build is running: the crate version and the git commit baked in at compile time (`GIT_SHA`, a Docker
//! build argument in the release workflow; cargo rebuilds when it changes), plus the instance that answered, so a
//! deploy can tell the new build from the old one on every instance (`GET /version`, `server rollout-wait`).

use serde::{Deserialize, Serialize};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit this binary was built from, or `unknown` for a local build without `GIT_SHA`.
pub fn git_sha() -> &'static str {
    match option_env!("GIT_SHA") {
        Some(s) if !s.trim().is_empty() => s,
        _ => "unknown",
    }
}

/// Render sets `RENDER_INSTANCE_ID` per instance; elsewhere the container's hostname identifies it.
pub fn instance() -> String {
    ["RENDER_INSTANCE_ID", "HOSTNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "local".into())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildInfo {
    pub version: String,
    pub git_sha: String,
    pub instance: String,
}

impl BuildInfo {
    pub fn current() -> BuildInfo {
        BuildInfo { version: VERSION.into(), git_sha: git_sha().into(), instance: instance() }
    }
}

/// Whether a reported commit is the expected one: equal, or one an abbreviation (>= 7 hex digits) of the other,
/// so `--expect-sha` takes GitHub's full SHA or a short one.
pub fn same_commit(reported: &str, expected: &str) -> bool {
    let (r, e) = (reported.trim().to_ascii_lowercase(), expected.trim().to_ascii_lowercase());
    if r.is_empty() || e.is_empty() || r == "unknown" {
        return false;
    }
    r == e || (r.len().min(e.len()) >= 7 && (r.starts_with(&e) || e.starts_with(&r)))
}

#[cfg(test)]
mod tests {
    use super::same_commit;

    #[test]
    fn commits_match_in_full_or_abbreviated() {
        let full = "3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39";
        assert!(same_commit(full, full));
        assert!(same_commit(full, "3f2a9c1"));
        assert!(same_commit("3F2A9C1D", full));
        assert!(!same_commit(full, "3f2a9c"), "six digits are too short to trust");
        assert!(!same_commit(full, "4f2a9c1"));
        assert!(!same_commit("unknown", "unknown"), "a build without GIT_SHA never matches");
        assert!(!same_commit("", full));
    }
}
