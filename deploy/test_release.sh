#!/usr/bin/env bash
# Tests deploy/release.sh with stand-ins for docker, curl and the server binary (no registry, no Render): a good
# release is promoted; a failing smoke test or an incomplete rollout redeploys the last good image; the first
# release, with no good image, pages and says so instead of failing on the missing tag.
#   deploy/test_release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
log="$tmp/calls"

cat >"$tmp/bin/docker" <<'SH'
#!/usr/bin/env bash
echo "docker $*" >>"$CALLS"
if [[ "$1 $2 $3" == "buildx imagetools inspect" ]]; then
  [[ -n "${FAKE_GOOD_DIGEST:-}" ]] || { echo "ERROR: not found" >&2; exit 1; }
  case "$*" in
    *Manifest.Digest*) echo "\"$FAKE_GOOD_DIGEST\"" ;;
    *revision*) echo "$FAKE_GOOD_SHA" ;;
  esac
fi
SH
cat >"$tmp/bin/curl" <<'SH'
#!/usr/bin/env bash
echo "curl $*" >>"$CALLS"
[[ "$*" == *pagerduty* ]] && cat >>"$CALLS.pages"
exit 0
SH
# The server: rollout-wait and smoke succeed for the commits listed in FAKE_GOOD_FOR.
cat >"$tmp/bin/fake-server" <<'SH'
#!/usr/bin/env bash
echo "server $*" >>"$CALLS"
sha=""
while [[ $# -gt 0 ]]; do [[ "$1" == --expect-sha ]] && sha=$2; shift; done
[[ " ${FAKE_GOOD_FOR:-} " == *" $sha "* ]]
SH
chmod +x "$tmp/bin/"*

passed=0
failed=0
run_case() {
  local name=$1
  shift
  : >"$log"
  : >"$log.pages"
  local status=0
  env PATH="$tmp/bin:$PATH" CALLS="$log" SERVER_CMD="$tmp/bin/fake-server" IMAGE=ghcr.io/o/r DIGEST=sha256:new \
    SHA=newsha1 API_URL=https://api.example.org SITE_URL=https://o.github.io/r SITE_KEY=pk \
    RENDER_DEPLOY_HOOK='https://api.render.com/deploy/srv-x?key=k' PAGERDUTY_ROUTING_KEY=rk "$@" \
    deploy/release.sh >"$tmp/out" 2>&1 || status=$?
  echo "$status" >"$tmp/status"
  CASE=$name
}
expect() {
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $CASE: $what"
    sed 's/^/     /' "$tmp/out" "$log"
  fi
}
hooks() { grep -c 'curl -fsS -X POST https://api.render.com' "$log" || true; }

run_case "good release" FAKE_GOOD_DIGEST=sha256:old FAKE_GOOD_SHA=oldsha0 FAKE_GOOD_FOR="newsha1 oldsha0"
expect "exit 0" test "$(cat "$tmp/status")" = 0
expect "one deploy, of the new digest" test "$(hooks)" = 1
expect "deploy by digest" grep -q 'imgURL=ghcr.io/o/r@sha256:new' "$log"
expect "waits for the new commit on every instance" grep -q 'server rollout-wait .*--expect-sha newsha1 --min-instances 2' "$log"
expect "smoke requires the new commit" grep -q 'server smoke .*--expect-sha newsha1' "$log"
expect "promoted" grep -q 'imagetools create --tag ghcr.io/o/r:production ghcr.io/o/r@sha256:new' "$log"
expect "no page" test ! -s "$log.pages"

run_case "new build fails (rollout or smoke): roll back" FAKE_GOOD_DIGEST=sha256:old FAKE_GOOD_SHA=oldsha0 FAKE_GOOD_FOR="oldsha0"
expect "exit 1" test "$(cat "$tmp/status")" = 1
expect "second deploy is the last good digest" grep -q 'imgURL=ghcr.io/o/r@sha256:old' "$log"
expect "waits for the old commit after the rollback" grep -q 'server rollout-wait .*--expect-sha oldsha0' "$log"
expect "not promoted" bash -c "! grep -q 'imagetools create' '$log'"
expect "paged with the outcome" grep -q 'rolled back to oldsha0, which passes' "$log.pages"

run_case "first release fails: nothing to roll back to" FAKE_GOOD_FOR=""
expect "exit 1" test "$(cat "$tmp/status")" = 1
expect "says it is the first release" grep -q 'this is the first release' "$tmp/out"
expect "no second deploy" test "$(hooks)" = 1
expect "paged: nothing to roll back to" grep -q 'nothing to roll back to' "$log.pages"
expect "not promoted" bash -c "! grep -q 'imagetools create' '$log'"

run_case "first release passes: becomes the first good image" FAKE_GOOD_FOR="newsha1"
expect "exit 0" test "$(cat "$tmp/status")" = 0
expect "promoted" grep -q 'imagetools create --tag ghcr.io/o/r:production' "$log"

echo "release: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
