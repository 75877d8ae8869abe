#!/usr/bin/env python3
"""Static checks for ops/: Grafana dashboards, alert rule metadata, docker-compose.

* every dashboard is valid JSON with schemaVersion >= 39, uid, title, panels with targets[].expr;
* every PromQL expression (dashboard panels, recording rules, alerts) uses only metric names the
  server exports, recording rules defined in recording.yml, or Prometheus built-ins (up);
* if promtool is installed, every dashboard expression also parses (checked as a throwaway rule file);
* every alert has labels severity (page|ticket) + service, annotations summary, description (using
  $value), runbook_url (https://github.com/<GITHUB_OWNER>/<GITHUB_REPO>/blob/main/ops/runbooks/<f>.md#<a>, the
  names from deploy/project.env) and its runbook file#anchor is listed in ops/runbooks/INDEX.txt; only the
  Watchdog heartbeat has severity heartbeat;
* ops/docker-compose.yml parses as YAML and has the expected services, the 40-day retention, and a server
  environment that overrides what ../.env must not decide (HOST, CORPUS_SOURCE, the OTLP/HTTP endpoints).
Exits 1 with one line per problem naming the file and panel/alert.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

OPS = pathlib.Path(__file__).resolve().parents[1]

EXPORTED = {
    "rag_query_duration_seconds": "histogram",
    "rag_query_errors_total": "counter",
    "rag_tokens_used_total": "counter",
    "rag_vector_search_latency_ms": "histogram",
    "rag_llm_generation_latency_ms": "histogram",
    "rag_active_sessions": "gauge",
    "http_requests_total": "counter",
    "http_request_duration_seconds": "histogram",
    "http_requests_refused_total": "counter",
    "rag_feedback_total": "counter",
    "rag_answers_total": "counter",
    "rag_cost_usd_total": "counter",
    "rag_build_info": "gauge",
    "rag_db_pool_connections": "gauge",
    "rag_db_pool_max_connections": "gauge",
    "rag_disk_used_bytes": "gauge",
    "rag_disk_total_bytes": "gauge",
    "rag_memory_limit_bytes": "gauge",
    "rag_cpu_cores": "gauge",
    "process_cpu_seconds_total": "counter",
    "process_resident_memory_bytes": "gauge",
    "process_start_time_seconds": "gauge",
    "process_open_fds": "gauge",
    "rag_server_errors_total": "counter",
    "rag_client_errors_total": "counter",
    "rag_client_errors_dropped_total": "counter",
    # Not from the server: the blackbox exporter (job rag-probe) and the backup job through the Pushgateway.
    "probe_success": "gauge",
    "probe_duration_seconds": "gauge",
    "probe_http_status_code": "gauge",
    "rag_backup_last_success_timestamp_seconds": "gauge",
    "rag_backup_last_run_success": "gauge",
    "rag_backup_last_run_timestamp_seconds": "gauge",
    "rag_backup_duration_seconds": "gauge",
    "rag_backup_size_bytes": "gauge",
}
BUILTIN = {"up"}

# PromQL keywords/functions that look like identifiers.
KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
    "inf", "nan", "Inf", "NaN",
}


def project_names():
    env = {}
    for line in (OPS.parent / "deploy/project.env").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.startswith("#"):
            env[key.strip()] = value.strip()
    return env["GITHUB_OWNER"], env["GITHUB_REPO"]


RUNBOOK_RE = re.compile(
    r"^https://github\.com/{}/{}/blob/main/ops/runbooks/([a-z0-9-]+\.md)#([a-z0-9-]+)$".format(
        *map(re.escape, project_names())))

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def load_yaml(path):
    try:
        return yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as e:
        err(path.relative_to(OPS.parent), f"cannot parse YAML: {e}")
        return None


def metric_names(expr):
    """Metric-name identifiers in a PromQL expression (best effort, no full parser)."""
    s = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)  # strings
    s = re.sub(r"#.*", "", s)  # comments
    s = re.sub(r"\{[^}]*\}", " ", s)  # label matchers
    s = re.sub(r"\[[^\]]*\]", " ", s)  # range / subquery selectors
    s = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", s)  # label lists
    names = set()
    for m in re.finditer(r"(?<![\w.$])([A-Za-z_:][A-Za-z0-9_:]*)", s):
        name = m.group(1)
        rest = s[m.end():].lstrip()
        if rest.startswith("("):
            continue  # function call
        if name in KEYWORDS or re.fullmatch(r"\d+[smhdwy]", name):
            continue
        names.add(name)
    return names


def known(name, recorded):
    if name in BUILTIN or name in recorded or name in EXPORTED:
        return True
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and EXPORTED.get(name[: -len(suffix)]) == "histogram":
            return True
    return False


def check_expr(where, expr, recorded):
    for name in sorted(metric_names(expr)):
        if not known(name, recorded):
            err(where, f"unknown metric {name!r} in expr {expr.strip()!r}")


def main():
    rec_path = OPS / "prometheus/rules/recording.yml"
    alerts_path = OPS / "prometheus/rules/alerts.yml"
    rec = load_yaml(rec_path) or {}
    recorded = set()
    for g in rec.get("groups", []):
        for r in g.get("rules", []):
            if "record" in r:
                recorded.add(r["record"])
    if not recorded:
        err(rec_path.name, "no recording rules found")
    for g in rec.get("groups", []):
        for r in g.get("rules", []):
            check_expr(f"{rec_path.relative_to(OPS.parent)} record {r.get('record')}", r.get("expr", ""), recorded)

    # ---- alerts
    index_path = OPS / "runbooks/INDEX.txt"
    index = set(index_path.read_text().split()) if index_path.exists() else set()
    if not index:
        err(index_path.relative_to(OPS.parent), "missing or empty")
    al = load_yaml(alerts_path) or {}
    n_alerts = 0
    for g in al.get("groups", []):
        for r in g.get("rules", []):
            if "alert" not in r:
                continue
            n_alerts += 1
            where = f"{alerts_path.relative_to(OPS.parent)} alert {r['alert']} (group {g.get('name')})"
            check_expr(where, r.get("expr", ""), recorded)
            labels = r.get("labels") or {}
            ann = r.get("annotations") or {}
            allowed = ("heartbeat",) if r["alert"] == "Watchdog" else ("page", "ticket")
            if labels.get("severity") not in allowed:
                err(where, f"label severity must be {'|'.join(allowed)}, got {labels.get('severity')!r}")
            if not labels.get("service"):
                err(where, "missing label service")
            for key in ("summary", "description", "runbook_url"):
                if not ann.get(key):
                    err(where, f"missing annotation {key}")
            if ann.get("description") and "$value" not in ann["description"]:
                err(where, "description does not mention $value")
            m = RUNBOOK_RE.match(ann.get("runbook_url", ""))
            if ann.get("runbook_url") and not m:
                err(where, f"runbook_url has the wrong form: {ann['runbook_url']}")
            elif m and f"{m.group(1)}#{m.group(2)}" not in index:
                err(where, f"runbook {m.group(1)}#{m.group(2)} not listed in ops/runbooks/INDEX.txt")
            if not r.get("for"):
                err(where, "no for: duration")
    if n_alerts == 0:
        err(alerts_path.relative_to(OPS.parent), "no alerts found")

    # ---- dashboards
    dash_exprs = []
    for name in ("service-overview", "rag", "runtime"):
        path = OPS / f"grafana/dashboards/{name}.json"
        rel = path.relative_to(OPS.parent)
        try:
            d = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as e:
            err(rel, f"invalid JSON: {e}")
            continue
        for key in ("uid", "title", "panels"):
            if not d.get(key):
                err(rel, f"missing {key}")
        if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 39:
            err(rel, f"schemaVersion must be >= 39, got {d.get('schemaVersion')!r}")
        ids = set()
        for p in d.get("panels", []):
            where = f"{rel} panel {p.get('id')} {p.get('title')!r}"
            if p.get("id") in ids:
                err(where, "duplicate panel id")
            ids.add(p.get("id"))
            if not p.get("title") or not p.get("type") or "gridPos" not in p:
                err(where, "panel needs title, type and gridPos")
            targets = p.get("targets") or []
            if not targets:
                err(where, "panel has no targets")
            for t in targets:
                expr = t.get("expr")
                if not expr:
                    err(where, f"target {t.get('refId')} has no expr")
                    continue
                check_expr(where, expr, recorded)
                dash_exprs.append((where, expr))
    uids = [json.loads((OPS / f"grafana/dashboards/{n}.json").read_text()).get("uid")
            for n in ("service-overview", "rag", "runtime") if (OPS / f"grafana/dashboards/{n}.json").exists()]
    if len(set(uids)) != len(uids):
        err("ops/grafana/dashboards", f"dashboard uids not unique: {uids}")

    # Syntax of dashboard expressions through promtool (Grafana variables replaced by a fixed range).
    if shutil.which("promtool") and dash_exprs:
        rules = {"groups": [{"name": "dashboards", "rules": [
            {"record": f"dashboard:check:{i}", "expr": e.replace("$__rate_interval", "5m")}
            for i, (_, e) in enumerate(dash_exprs)]}]}
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
            yaml.safe_dump(rules, f)
        res = subprocess.run(["promtool", "check", "rules", f.name], capture_output=True, text=True)
        pathlib.Path(f.name).unlink()
        if res.returncode != 0:
            out = res.stdout + res.stderr
            err("ops/grafana/dashboards", "a panel expression does not parse (promtool check rules):\n" + out)

    # ---- docker-compose
    cpath = OPS / "docker-compose.yml"
    compose = load_yaml(cpath)
    if compose is not None:
        services = (compose or {}).get("services") or {}
        for svc in ("server", "prometheus", "alertmanager", "grafana", "jaeger", "qdrant", "postgres", "loki",
                    "pushgateway", "blackbox"):
            if svc not in services:
                err("ops/docker-compose.yml", f"missing service {svc}")
        prom_cmd = " ".join(map(str, (services.get("prometheus") or {}).get("command") or []))
        if "--storage.tsdb.retention.time=40d" not in prom_cmd:
            err("ops/docker-compose.yml", "prometheus command lacks --storage.tsdb.retention.time=40d (30-day SLO rules)")
        env = (services.get("server") or {}).get("environment") or {}
        env = env if isinstance(env, dict) else dict(e.split("=", 1) for e in env)
        for key in ("QDRANT_URL", "DATABASE_URL", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
                    "HOST", "CORPUS_SOURCE"):
            if key not in env:
                err("ops/docker-compose.yml", f"server environment lacks {key}")
        # `environment:` wins over env_file, so these hold even when ../.env was copied from .env.example.
        expect = {"HOST": "0.0.0.0", "CORPUS_SOURCE": "/app/rag", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://jaeger:4318",
                  "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://loki:3100/otlp/v1/logs"}
        for key, want in expect.items():
            if key in env and str(env[key]) != want:
                err("ops/docker-compose.yml", f"server {key}={env[key]!r}, expected {want!r}")

    # ---- every incident playbook has a log-store (LogQL) query
    play = (OPS / "runbooks/playbooks.md").read_text()
    sections = re.split(r"^## ", play, flags=re.M)[1:]
    for sec in sections:
        title = sec.splitlines()[0]
        if "### Diagnosis" in sec and '{service_name="textbook-rag-server"}' not in sec:
            err("ops/runbooks/playbooks.md", f"playbook {title!r} has no LogQL query for the log store")

    if errors:
        for e in errors:
            print(f"check_ops: FAIL {e}", file=sys.stderr)
        print(f"check_ops: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_ops: OK ({len(recorded)} recording rules, {n_alerts} alerts, {len(dash_exprs)} dashboard expressions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
