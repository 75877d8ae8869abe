# What to watch in each incident-lab scenario: sourced by incident-lab.sh, which defines the helpers used here
# (prom_alive, prom_url, api). Kept apart so the lab script stays readable; not meant to be run on its own.
# shellcheck shell=bash
watch_common() {
  if prom_alive; then
    echo "  Prometheus: $(prom_url)/alerts (rules and their state), $(prom_url)/graph (paste the queries above)"
  else
    echo "  (no Prometheus running: read $(api)/metrics directly, e.g. curl -s $(api)/metrics | grep rag_query_errors)"
  fi
  echo "  Alerts need traffic: keep '$0 load' running (or repeat traffic-spike). '$0 status' lists active alerts."
  echo "  Undo with '$0 clear'."
}

watch_llm_down() {
  cat <<EOF
What happens: grounded questions try the model, the connection is refused, and the answer falls back to the
extractive one. Students still get HTTP 200 with cited sections, just no generated prose; /ready stays 200
(readiness does not probe the model).
Watch:
  sum by (reason) (rate(rag_query_errors_total{reason=~"llm_.*"}[1m]))     -> llm_upstream rises
  sum by (mode) (rate(rag_answers_total[1m]))                            -> mode="extractive" replaces "llm"
  rag_llm_generation_latency_ms_count                                    -> stops growing (no generation)
  Dashboards: RAG / "Answers by mode", Service overview / "Query errors by reason".
Alerts: none. No 5xx means no error-rate or burn alert, and RagGenerationSlow cannot fire without generations.
  An LLM outage is a quality incident that only the dashboards show.
Runbook: ops/runbooks/latency.md#generation-slow and #p95-above-8s (running on extractive answers on purpose).
EOF
}

watch_llm_slow() {
  cat <<EOF
What happens: every chat request sleeps $1 ms before retrieval (fault "latency_ms"). From the student's side this
looks like a slow model, but it is NOT recorded in rag_llm_generation_latency_ms: it lands in the end-to-end
figures only.
Watch:
  rag:query_duration_seconds:p95_5m                                      -> end-to-end p95 (alert above 8 s)
  slo:sli_latency_error:ratio_rate5m                                     -> share of chat requests over 6 s (SLO: <= 5 %)
  histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route=~"/api/chat|/api/chat/stream"}[1m])))
  Dashboards: Service overview / "Chat latency p50 / p95 / p99" and "Chat requests slower than 6 s".
Alerts: RagHighLatencyP95 (page) goes pending once the 5-minute p95 passes 8 s and fires after 10 minutes of it.
  RagGenerationSlow stays silent (see above). Try 'llm-slow 7000': the 6 s objective is broken but nothing pages.
  Above 30000 ms requests hit REQUEST_TIMEOUT_SECS (30 s) and turn into 504s, i.e. errors.
Runbook: ops/runbooks/latency.md#p95-above-8s
EOF
}

watch_vector_store() {
  cat <<EOF
What happens: retrieval fails for every chat request -> 503 "the textbook search is unavailable"; /ready answers
503 with checks.vector_store.ok = false ("injected outage"). (The fault covers chat and /ready only; a real
outage would also break GET /api/search.)
Watch:
  sum by (reason) (rate(rag_query_errors_total[1m]))                     -> reason="retrieval"
  slo:sli_error:ratio_rate5m                                             -> towards 100 %
  curl -s $(api)/ready
  Dashboards: Service overview / "5xx error ratio", "Query errors by reason", "Burn rate", "Error budget remaining".
Alerts: RagErrorBudgetBurn{window="1h"} (page) fires after 2 min, RagHighErrorRate (page) after 5 min,
  RagErrorBudgetBurn{window="6h"} after 15 min; the 3d ticket and RagAvailabilityBelowSLO after 1 h.
Runbook: ops/runbooks/errors.md#high-error-rate ("Vector store down") and ops/runbooks/slo.md#fast-burn
EOF
}

watch_db_down() {
  cat <<EOF
What happens: the server needs its session database at start (it connects and runs migrations), so with
DATABASE_URL on a closed port it gives up after the pool's 5 s acquire timeout and exits: "connecting to
DATABASE_URL" in $(get workdir)/server.log. In production this is what a Neon outage does to a deploy or an
instance restart. (An outage while instances are already running is milder: answers are still served with
"saved": false and rag_query_errors_total{reason="session_store"} rises. This lab cannot show that case.)
Watch:
  up{job="rag-server"}                                                   -> 0 (the target stays configured)
  tail $(get workdir)/server.log
  Dashboards: Service overview / "Instances up / version".
Alerts: RagServiceDown (page) pending at once, firing after 2 min. RagTargetsMissing does not fire here: the
  target is still listed; it only goes absent when service discovery loses every instance.
Runbook: ops/runbooks/service-down.md#target-down, then ops/runbooks/errors.md#high-error-rate ("Database down")
EOF
}

watch_error_burst() {
  cat <<EOF
What happens: exactly $1 of chat requests (spread evenly) are answered 503 "injected fault";
rag_query_errors_total{reason="internal"} counts them.
Burn rate: $1 / 0.005 = $(awk -v r="$1" 'BEGIN { printf "%.0f", r / 0.005 }')x; at that rate the whole 216-minute monthly budget lasts $(awk -v r="$1" 'BEGIN { if (r > 0) printf "%.1f", 720 * 0.005 / r; else print "forever" }') hours.
Watch:
  slo:sli_error:ratio_rate5m and slo:sli_error:ratio_rate1h             -> about $1
  slo:sli_error:ratio_rate1h / 0.005                                     -> the burn rate
  slo:error_budget_remaining:ratio_30d                                   -> falls (the lab's 30 d is only minutes long)
  Dashboards: Service overview / "5xx error ratio", "Burn rate (1h / 6h / 3d)", "Error budget remaining".
Alerts: above 7.2 %: RagErrorBudgetBurn{window="1h"} fires after 2 min; above 1 %: RagHighErrorRate after 5 min;
  above 3 %: RagErrorBudgetBurn{window="6h"} after 15 min.
Runbook: ops/runbooks/errors.md#high-error-rate, ops/runbooks/slo.md#fast-burn
EOF
}

watch_spike() {
  cat <<EOF
Watch while it runs:
  sum by (route) (rate(http_requests_total{route=~"/api/.*"}[1m]))       -> requests per second
  rag:query_duration_seconds:p95_5m, instance:rag_cpu_utilisation:ratio_rate5m, rag_active_sessions
  sum by (reason) (rate(http_requests_refused_total[1m]))                -> rate_limited, if LAB_RATE_LIMIT is low
  Dashboards: Service overview / "Requests per second by route", "Chat latency", "Refused requests by reason";
  Runtime / "CPU used / cores available".
Alerts: normally none in 60 s. RagHighCPU needs 15 min above 80 %; the point is to see the headroom.
Runbook: ops/runbooks/resources.md#high-cpu
EOF
}
