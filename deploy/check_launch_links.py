#!/usr/bin/env python3
"""docs/launch-checklist.md names dashboards as $GRAFANA/d/<uid> and scripts as paths: every uid must be a
provisioned dashboard (ops/grafana/dashboards/*.json) and every repository path it runs must exist."""
import json
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
text = (root / "docs/launch-checklist.md").read_text()
uids = {json.loads(p.read_text())["uid"] for p in (root / "ops/grafana/dashboards").glob("*.json")}
problems = []
links = re.findall(r"\$GRAFANA/d/([a-z0-9-]+)", text)
for uid in links:
    if uid not in uids:
        problems.append(f"docs/launch-checklist.md: dashboard uid {uid!r} is not provisioned (have {sorted(uids)})")
paths = set(re.findall(r"`(?:python3 )?((?:scripts|ops|deploy)/[\w./-]+\.(?:sh|py))", text))
for p in sorted(paths):
    if not (root / p).exists():
        problems.append(f"docs/launch-checklist.md: {p} does not exist")
for p in problems:
    print("FAIL " + p, file=sys.stderr)
print(f"launch checklist: {len(links)} dashboard links, {len(paths)} commands checked, {len(problems)} problem(s)")
sys.exit(1 if problems or not links or not paths else 0)
