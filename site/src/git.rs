//! "Last updated" dates from git, gathered with one `git log` call for the whole content tree.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// Repo-relative path -> date (`YYYY-MM-DD`) of the last commit touching it. Empty when `root` is
/// not a git checkout or git is missing: the date is then simply not shown.
pub fn last_updated(root: &Path, content_dir: &Path) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Ok(out) = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "--format=%x00%cs", "--name-only", "--relative", "--"])
        .arg(content_dir)
        .output()
    else {
        return map;
    };
    if !out.status.success() {
        return map;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut date = String::new();
    for line in text.lines() {
        if let Some(d) = line.strip_prefix('\0') {
            date = d.trim().to_string();
        } else if !line.trim().is_empty() {
            // Newest commits come first, so the first date seen for a file is its latest.
            map.entry(line.trim().to_string()).or_insert_with(|| date.clone());
        }
    }
    map
}
