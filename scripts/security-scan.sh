#!/usr/bin/env bash
# Security scans, all offline (scripts/test.sh runs this; SECURITY.md "Security scans" says how to audit a finding):
#   1. detect-secrets: a fresh scan of every file git would commit (tracked + untracked, not ignored), merged with
#      the audited baseline .secrets.baseline; fails on any finding not audited there, or audited as a real secret.
#   2. semgrep: the rule cases in .semgrep/tests must pass (`--test`), then the local rules in .semgrep/ over the
#      repository (paths in .semgrepignore skipped); fails on any ERROR finding.
#   3. cargo deny: licenses, bans and sources of the whole dependency graph (deny.toml), without the network.
#
#   scripts/security-scan.sh                    run the three checks
#   scripts/security-scan.sh --update-baseline  rescan into .secrets.baseline, keeping earlier audit decisions; then
#                                               label the new findings with `detect-secrets audit .secrets.baseline`
set -euo pipefail
cd "$(dirname "$0")/.."

# scripts/setup.sh --test installs detect-secrets and semgrep in their own virtualenv (their pinned dependencies
# would fight other Python tools), and cargo-deny with cargo.
venv="${SECURITY_TOOLS_VENV:-$HOME/.cache/textbook-tools/venv}"
if [[ -x "$venv/bin/semgrep" ]]; then export PATH="$venv/bin:$PATH"; fi
for tool in detect-secrets semgrep cargo-deny; do
  command -v "$tool" >/dev/null || { echo "security-scan: $tool is missing; run scripts/setup.sh --test" >&2; exit 1; }
done
export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off

say() { printf '\033[1m[security]\033[0m %s\n' "$*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every file that a commit would carry: tracked and untracked-but-not-ignored, minus deleted ones and generated or
# vendored trees. The same regex is stored in the baseline, so detect-secrets itself skips these paths too.
skip='(^|/)(target|node_modules|public|dist|\.git)/|(^|/)(Cargo\.lock|package-lock\.json)$|^bench/(results|lighthouse)/|^eval/results|^fuzz/(corpus|artifacts)/|^\.secrets\.baseline$'
files=()
while IFS= read -r -d '' f; do
  [[ -f "$f" && ! "$f" =~ $skip ]] && files+=("$f")
done < <(git ls-files -z --cached --others --exclude-standard)

if [[ "${1:-}" == "--update-baseline" ]]; then
  detect-secrets scan --baseline .secrets.baseline "${files[@]}"
  say "updated .secrets.baseline; label new findings with: detect-secrets audit .secrets.baseline"
  exit 0
fi

say "detect-secrets: scanning ${#files[@]} files against .secrets.baseline"
cp .secrets.baseline "$tmp/baseline"
detect-secrets scan --baseline "$tmp/baseline" "${files[@]}"
python3 - "$tmp/baseline" <<'EOF'
import json, sys

results = json.load(open(sys.argv[1]))["results"]
found = [(path, r) for path, rs in sorted(results.items()) for r in rs]
bad = [(path, r) for path, r in found if r.get("is_secret") is not False]
for path, r in bad:
    state = "REAL SECRET" if r.get("is_secret") else "not audited"
    print(f"  {path}:{r['line_number']}: {r['type']} ({state})")
if bad:
    print(f"detect-secrets: {len(bad)} finding(s) need attention. Remove a real secret (and rotate it); for a false "
          "positive run `scripts/security-scan.sh --update-baseline`, then `detect-secrets audit .secrets.baseline`"
          " and commit the baseline (SECURITY.md, Security scans).")
    sys.exit(1)
print(f"detect-secrets: {len(found)} finding(s), all audited as false positives")
EOF

say "semgrep: rule cases (.semgrep/tests), then the rules over the repository"
semgrep --test --metrics=off --config .semgrep/rust.yml .semgrep/tests/rust.rs
semgrep scan --config .semgrep --metrics=off --disable-version-check --error --severity ERROR --quiet .
echo "semgrep: no ERROR findings"

say "cargo deny: licenses, bans, sources (offline)"
cargo deny --log-level error --offline --locked check --disable-fetch --show-stats licenses bans sources
