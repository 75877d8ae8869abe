#!/usr/bin/env bash
# The deploy half of the release (run by .github/workflows/release.yml after CI passed for the commit):
#   1. remember the last image that passed (tag `production`), if any;
#   2. deploy the new image by digest through Render's deploy hook;
#   3. wait until every instance answers GET /version with the new commit (`server rollout-wait`): the old
#      instances keep answering /ready during a deploy, so readiness alone cannot tell the builds apart;
#   4. smoke-test production, requiring the new commit (`server smoke --expect-sha`);
#   5. promote the digest to `production`.
# On a failure in 2-4 it redeploys the last good image and waits for it the same way; on the first release there
# is none, which it says plainly (the new build stays, nothing older ever passed) and pages either way.
# Environment: IMAGE, DIGEST, SHA, API_URL, SITE_URL, SITE_KEY, RENDER_DEPLOY_HOOK; optional MIN_INSTANCES (2),
# PAGERDUTY_ROUTING_KEY (page on failure), SERVER_CMD (how to run `server`; default: from the new image),
# ROLLOUT_TIMEOUT_SECS (900).
set -euo pipefail
: "${IMAGE:?}" "${DIGEST:?}" "${SHA:?}" "${API_URL:?}" "${SITE_URL:?}" "${RENDER_DEPLOY_HOOK:?}"
min_instances=${MIN_INSTANCES:-2}
timeout=${ROLLOUT_TIMEOUT_SECS:-900}

server() {
  if [[ -n "${SERVER_CMD:-}" ]]; then
    $SERVER_CMD "$@"
  else
    docker run --rm --entrypoint /app/server "${IMAGE}@${DIGEST}" "$@"
  fi
}

page() {
  local summary=$1
  echo "::error::$summary"
  [[ -n "${PAGERDUTY_ROUTING_KEY:-}" ]] || return 0
  python3 -c 'import json,sys; print(json.dumps({"routing_key": sys.argv[1], "event_action": "trigger",
    "dedup_key": "release-" + sys.argv[2], "payload": {"summary": sys.argv[3], "source": "release workflow",
    "severity": "critical"}}))' "$PAGERDUTY_ROUTING_KEY" "$SHA" "$summary" |
    curl -fsS --max-time 10 -H 'content-type: application/json' --data-binary @- \
      https://events.pagerduty.com/v2/enqueue >/dev/null || echo "warning: the PagerDuty event was not accepted" >&2
}

deploy_digest() {
  curl -fsS -X POST "${RENDER_DEPLOY_HOOK}&imgURL=${IMAGE}@$1" >/dev/null
}

good_digest=$(docker buildx imagetools inspect "${IMAGE}:production" --format '{{json .Manifest.Digest}}' 2>/dev/null \
  | tr -d '"' || true)
good_sha=""
if [[ -n "$good_digest" ]]; then
  good_sha=$(docker buildx imagetools inspect "${IMAGE}:production" \
    --format '{{index .Image.Config.Labels "org.opencontainers.image.revision"}}' 2>/dev/null || true)
  echo "last good image: ${good_digest} (commit ${good_sha:-unknown})"
else
  echo "no ${IMAGE}:production tag yet: this is the first release"
fi

rollback() {
  local why=$1
  if [[ -z "$good_digest" ]]; then
    page "release ${SHA} failed (${why}) and no image has ever passed: nothing to roll back to; production runs ${DIGEST}. Fix forward or suspend the service (docs/deployment.md#rollback)."
    return 1
  fi
  echo "rolling back to ${good_digest}"
  deploy_digest "$good_digest"
  if [[ -n "$good_sha" ]]; then
    server rollout-wait --api "$API_URL" --expect-sha "$good_sha" --min-instances "$min_instances" \
      --timeout-secs "$timeout" || { page "release ${SHA} failed (${why}); the rollback to ${good_sha} did not complete"; return 1; }
  fi
  if server smoke --api "$API_URL" --site "$SITE_URL" --locale en,ur --site-key "${SITE_KEY:-}" \
    ${good_sha:+--expect-sha "$good_sha"}; then
    page "release ${SHA} failed (${why}); rolled back to ${good_sha:-$good_digest}, which passes the smoke test"
  else
    page "release ${SHA} failed (${why}); rolled back to ${good_sha:-$good_digest}, which FAILS the smoke test too"
  fi
  return 1
}

echo "deploying ${IMAGE}@${DIGEST} (commit ${SHA})"
deploy_digest "$DIGEST" || { rollback "the deploy hook failed"; exit 1; }
server rollout-wait --api "$API_URL" --expect-sha "$SHA" --min-instances "$min_instances" --timeout-secs "$timeout" \
  || { rollback "not every instance reached ${SHA} within ${timeout} s"; exit 1; }
server smoke --api "$API_URL" --site "$SITE_URL" --locale en,ur --site-key "${SITE_KEY:-}" --expect-sha "$SHA" \
  || { rollback "the smoke test failed"; exit 1; }
docker buildx imagetools create --tag "${IMAGE}:production" "${IMAGE}@${DIGEST}"
echo "released ${SHA}: ${IMAGE}@${DIGEST} is now ${IMAGE}:production"
