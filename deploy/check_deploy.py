#!/usr/bin/env python3
"""Checks render.yaml and the Dockerfile for what the deployment issue requires. Prints 'N passed, N failed'."""
import re
import sys
from pathlib import Path

import yaml  # PyYAML

root = Path(__file__).resolve().parent.parent
results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


blueprint = yaml.safe_load((root / "render.yaml").read_text())
services = {s["name"]: s for s in blueprint["services"]}
web = next(s for s in blueprint["services"] if s["type"] == "web")
cron = next((s for s in blueprint["services"] if s["type"] == "cron"), None)
check("web service runs the GHCR image", web.get("runtime") == "image" and web["image"]["url"].startswith("ghcr.io/"))
check("health check path is /health", web.get("healthCheckPath") == "/health")
check("migrations run before deploy", "migrate" in web.get("preDeployCommand", ""))
scaling = web.get("scaling", {})
check("autoscaling 2-4 instances", scaling.get("minInstances") == 2 and scaling.get("maxInstances") == 4)
check("CPU and memory targets", "targetCPUPercent" in scaling and "targetMemoryPercent" in scaling)
grace = next((int(e["value"]) for e in web["envVars"] if e["key"] == "SHUTDOWN_GRACE_SECS"), None)
check("shutdown delay covers the drain", grace is not None and web.get("maxShutdownDelaySeconds", 0) >= grace,
      f"maxShutdownDelaySeconds={web.get('maxShutdownDelaySeconds')} grace={grace}")
secret = re.compile(r"(API_KEY|KEY_ID|SECRET|TOKEN|PASSWORD|^DATABASE_URL$|^SITE_KEYS$|^ADMIN_KEY_SHA256$|^QDRANT_URL$"
                    r"|^BACKUP_REMOTE$|^OTEL_EXPORTER_OTLP_ENDPOINT$)")
for svc in blueprint["services"]:
    for e in svc.get("envVars", []):
        if secret.search(e["key"]):
            check(f"{svc['name']}: {e['key']} is sync: false", e.get("sync") is False and "value" not in e)
check("daily backup cron job", cron is not None and re.fullmatch(r"\d+ \d+ \* \* \*", cron.get("schedule", "")))

docker = (root / "Dockerfile").read_text()
check("multi-stage Dockerfile", docker.count("FROM ") >= 3)
check("non-root runtime", "USER nonroot" in docker)
check("HEALTHCHECK on /health", "HEALTHCHECK" in docker and "healthcheck" in docker)
check("PORT honoured", "PORT=" in docker)
check(".dockerignore excludes target/", "target/" in (root / ".dockerignore").read_text())

# ---- monitoring in production (render.yaml + ops/render/*.Dockerfile)
for svc in ("prometheus", "alertmanager", "grafana", "loki", "pushgateway", "blackbox"):
    check(f"monitoring service textbook-rag-{svc}", f"textbook-rag-{svc}" in services)
for svc in blueprint["services"]:
    if svc.get("runtime") != "docker":
        continue
    dockerfile = root / svc["dockerfilePath"]
    context = root / svc.get("dockerContext", ".")
    check(f"{svc['name']}: {svc['dockerfilePath']} exists", dockerfile.exists())
    if dockerfile.exists():
        for src in re.findall(r"^COPY (?!--from)(\S+) ", dockerfile.read_text(), re.M):
            check(f"{svc['name']}: COPY {src} exists in {svc.get('dockerContext')}", (context / src).exists())
        base = re.search(r"^FROM (\S+)", dockerfile.read_text(), re.M).group(1)
        compose_text = (root / "ops/docker-compose.yml").read_text()
        check(f"{svc['name']}: the local stack runs the same image ({base})", f"image: {base}" in compose_text)
# Every private hostname the configs use names a service of the blueprint.
configs = (root / "render.yaml").read_text() + (root / "ops/prometheus/prometheus.render.yml").read_text()
for host in sorted(set(re.findall(r"\b(textbook-rag-[a-z]+?)(?:-discovery)?:\d+", configs))):
    check(f"hostname {host} is a service in render.yaml", host in services)
prom_docker = (root / "ops/render/prometheus.Dockerfile").read_text()
days = re.search(r"retention\.time=(\d+)d", prom_docker)
check("production Prometheus keeps >= 35 days (30-day SLO rules)", days and int(days.group(1)) >= 35)
check("production Prometheus has a persistent disk", "disk" in services.get("textbook-rag-prometheus", {}))
loki = yaml.safe_load((root / "ops/loki/loki.yml").read_text())
check("Loki keeps logs 30 days", loki["limits_config"]["retention_period"] in ("720h", "30d"))
check("Loki's compactor enforces the retention", loki["compactor"].get("retention_enabled") is True)
api_env = {e["key"]: e for e in web["envVars"]}
check("the API ships its logs to Loki", api_env.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", {}).get("value", "")
      .startswith("http://textbook-rag-loki:3100/otlp"))
cron_env = {e["key"]: e for e in cron.get("envVars", [])} if cron else {}
check("the backup job reports to the Pushgateway", "PUSHGATEWAY_URL" in cron_env)

# ---- release gating (workflows)
ci = yaml.safe_load((root / ".github/workflows/ci.yml").read_text())
release = yaml.safe_load((root / ".github/workflows/release.yml").read_text())
rel_job = ci["jobs"].get("release", {})
check("release runs from CI after test and deny", rel_job.get("uses", "").endswith("/release.yml")
      and set(rel_job.get("needs", [])) >= {"test", "deny"})
triggers = release.get(True, release.get("on"))  # PyYAML reads the key `on` as True
check("release.yml cannot start on its own (workflow_call only)", set(triggers) == {"workflow_call"}, str(triggers))
check("CI installs python3-venv for setup.sh --test", "python3-venv" in (root / ".github/workflows/ci.yml").read_text())
deploy_steps = " ".join(st.get("run", "") for st in release["jobs"]["deploy"]["steps"])
check("deploy runs deploy/release.sh", "deploy/release.sh" in deploy_steps)
rel_sh = (root / "deploy/release.sh").read_text()
check("release waits for the new commit on every instance", "rollout-wait" in rel_sh and "--expect-sha" in rel_sh)
syn = yaml.safe_load((root / ".github/workflows/synthetic.yml").read_text())
syn_job = syn["jobs"]["probe"]
check("synthetic probe may read a private image", syn_job.get("permissions", {}).get("packages") == "read"
      and any("docker/login-action" in st.get("uses", "") for st in syn_job["steps"]))
check("synthetic probe pages through PagerDuty", "events.pagerduty.com" in (root / ".github/workflows/synthetic.yml").read_text())

failed = [r for r in results if not r[1]]
for name, ok, detail in results:
    print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail and not ok else ""))
print(f"deploy: {len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
