#!/usr/bin/env python3
"""Writes ops/grafana/dashboards/{service-overview,rag,runtime}.json. Edit here, re-run, commit the JSON."""
import json
import pathlib

DS = {"type": "prometheus", "uid": "prometheus"}
OUT = pathlib.Path(__file__).resolve().parent / "dashboards"


def panel(pid, title, exprs, unit="short", kind="timeseries", x=0, y=0, w=12, h=8, legends=None, thresholds=None):
    legends = legends or [""] * len(exprs)
    p = {
        "id": pid, "type": kind, "title": title, "datasource": DS,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {},
        "targets": [
            {"refId": chr(65 + i), "datasource": DS, "expr": e, "legendFormat": legends[i]}
            for i, e in enumerate(exprs)
        ],
    }
    if thresholds:
        p["fieldConfig"]["defaults"]["thresholds"] = {
            "mode": "absolute",
            "steps": [{"color": c, "value": v} for v, c in thresholds],
        }
    return p


def dashboard(uid, title, panels, tags):
    return {
        "uid": uid, "title": title, "tags": ["rag-chatbot"] + tags, "timezone": "utc",
        "schemaVersion": 39, "version": 1, "editable": False, "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": []}, "annotations": {"list": []},
        "panels": panels,
    }


API = 'job="rag-server",route=~"/api/.*"'
overview = dashboard("rag-service-overview", "RAG chatbot / Service overview", [
    panel(1, "Requests per second by route", [f'sum by (route) (rate(http_requests_total{{{API}}}[$__rate_interval]))'], "reqps", legends=["{{route}}"]),
    panel(2, "5xx error ratio (/api/*)", ["slo:sli_error:ratio_rate5m", "slo:sli_error:ratio_rate1h"], "percentunit", x=12, legends=["5m", "1h"]),
    panel(3, "Chat latency p50 / p95 / p99", ["rag:query_duration_seconds:p50_5m", "rag:query_duration_seconds:p95_5m", "rag:query_duration_seconds:p99_5m"], "s", y=8, legends=["p50", "p95", "p99"]),
    panel(4, "Chat requests slower than 6 s (latency SLI, target < 5 %)", ["slo:sli_latency_error:ratio_rate5m"], "percentunit", x=12, y=8),
    panel(5, "Error budget remaining (30 d, 216 min)", ["slo:error_budget_remaining:ratio_30d"], "percentunit", "stat", y=16, w=6,
          thresholds=[(None, "red"), (0.25, "orange"), (0.5, "green")]),
    panel(6, "30-day availability (SLO 99.5 %)", ["slo:availability:ratio_30d"], "percentunit", "stat", x=6, y=16, w=6,
          thresholds=[(None, "red"), (0.995, "green")]),
    panel(7, "Burn rate (1h / 6h / 3d)", ["slo:sli_error:ratio_rate1h / 0.005", "slo:sli_error:ratio_rate6h / 0.005", "slo:sli_error:ratio_rate3d / 0.005"], "x", x=12, y=16, legends=["1h", "6h", "3d"]),
    panel(8, "Refused requests by reason", ['sum by (reason) (rate(http_requests_refused_total{job="rag-server"}[$__rate_interval]))'], "reqps", y=24, legends=["{{reason}}"]),
    panel(9, "Query errors by reason", ['sum by (reason) (rate(rag_query_errors_total{job="rag-server"}[$__rate_interval]))'], "reqps", x=12, y=24, legends=["{{reason}}"]),
    panel(10, "Instances up / version", ['sum(up{job="rag-server"})', 'count by (version, git_sha) (rag_build_info{job="rag-server"})'], "short", "stat", y=32, w=24, legends=["up", "{{version}} {{git_sha}}"]),
    panel(11, "Synthetic probe of the public /ready (5 m / 1 h)", ["slo:probe_availability:ratio_rate5m", "slo:probe_availability:ratio_rate1h"], "percentunit", y=40, legends=["5m", "1h"]),
    panel(12, "30-day availability seen by the probe (counts total outages)", ["slo:probe_availability:ratio_30d"], "percentunit", "stat", x=12, y=40, w=6,
          thresholds=[(None, "red"), (0.995, "green")]),
    panel(13, "Hours since the last good backup", ["rag:backup_age_seconds / 3600"], "h", "stat", x=18, y=40, w=6,
          thresholds=[(None, "green"), (26, "red")]),
    panel(14, "Server errors by kind (5xx, panic)", ['sum by (kind) (rate(rag_server_errors_total{job="rag-server"}[$__rate_interval]))'], "reqps", y=48, legends=["{{kind}}"]),
    panel(15, "Widget errors reported by readers' browsers", ['sum by (kind) (rate(rag_client_errors_total{job="rag-server"}[$__rate_interval])) * 60'], "short", x=12, y=48, legends=["{{kind}} /min"]),
], ["slo"])

rag = dashboard("rag-quality", "RAG chatbot / Retrieval and generation", [
    panel(1, "Vector search latency p50 / p95 / p99", ["rag:vector_search_latency_ms:p50_5m", "rag:vector_search_latency_ms:p95_5m", "rag:vector_search_latency_ms:p99_5m"], "ms", legends=["p50", "p95", "p99"]),
    panel(2, "LLM generation latency p50 / p95 / p99", ["rag:llm_generation_latency_ms:p50_5m", "rag:llm_generation_latency_ms:p95_5m", "rag:llm_generation_latency_ms:p99_5m"], "ms", x=12, legends=["p50", "p95", "p99"]),
    panel(3, "Grounded answer ratio", ["rag:grounded_answers:ratio_rate1h"], "percentunit", y=8),
    panel(4, "Answers by mode", ['sum by (mode) (rate(rag_answers_total{job="rag-server"}[$__rate_interval]))'], "ops", x=12, y=8, legends=["{{mode}}"]),
    panel(5, "Tokens per second by kind and model", ['sum by (kind, model) (rate(rag_tokens_used_total{job="rag-server"}[$__rate_interval]))'], "short", y=16, legends=["{{kind}} {{model}}"]),
    panel(6, "Cost per query (USD) and tokens per query", ["rag:cost_usd_per_query:ratio_rate1h", "rag:tokens_per_query:ratio_rate1h"], "short", x=12, y=16, legends=["USD/query", "tokens/query"]),
    panel(7, "Spend per day by model (USD)", ['sum by (model) (increase(rag_cost_usd_total{job="rag-server"}[1d]))'], "currencyUSD", y=24, legends=["{{model}}"]),
    panel(8, "Positive feedback ratio (1 d)", ["rag:feedback_positive:ratio_rate1d"], "percentunit", "stat", x=12, y=24, w=6),
    panel(9, "Active sessions (30 min)", ['sum(rag_active_sessions{job="rag-server"})'], "short", "stat", x=18, y=24, w=6),
    panel(10, "Chat latency p95 by mode and locale", ['histogram_quantile(0.95, sum by (le, mode, locale) (rate(rag_query_duration_seconds_bucket{job="rag-server"}[$__rate_interval])))'], "s", y=32, w=24, legends=["{{mode}} {{locale}}"]),
], ["rag"])

runtime = dashboard("rag-runtime", "RAG chatbot / Runtime", [
    panel(1, "CPU used / cores available", ["instance:rag_cpu_utilisation:ratio_rate5m"], "percentunit", legends=["{{instance}}"], thresholds=[(None, "green"), (0.8, "red")]),
    panel(2, "Resident memory / limit", ["instance:rag_memory_utilisation:ratio"], "percentunit", x=12, legends=["{{instance}}"], thresholds=[(None, "green"), (0.85, "red")]),
    panel(3, "DB pool connections", ['rag_db_pool_connections{job="rag-server"}', 'rag_db_pool_max_connections{job="rag-server"}'], "short", y=8, legends=["{{instance}} {{state}}", "{{instance}} max"]),
    panel(4, "Disk used (data dir)", ["instance:rag_disk_utilisation:ratio"], "percentunit", x=12, y=8, legends=["{{instance}}"], thresholds=[(None, "green"), (0.9, "red")]),
    panel(5, "Open file descriptors", ['process_open_fds{job="rag-server"}'], "short", y=16, legends=["{{instance}}"]),
    panel(6, "Uptime", ['time() - process_start_time_seconds{job="rag-server"}'], "s", x=12, y=16, legends=["{{instance}}"]),
], ["runtime"])

for name, d in [("service-overview", overview), ("rag", rag), ("runtime", runtime)]:
    (OUT / f"{name}.json").write_text(json.dumps(d, indent=2) + "\n")
