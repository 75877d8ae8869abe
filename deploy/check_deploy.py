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

failed = [r for r in results if not r[1]]
for name, ok, detail in results:
    print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail and not ok else ""))
print(f"deploy: {len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
