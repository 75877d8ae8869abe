#!/usr/bin/env python3
"""Measures when each paging alert first fires in the total-outage case of ops/prometheus/tests/slo_guard_test.yml
(10 req/s healthy for 10 minutes, then every request 5xx and the probe failing), by asking promtool at every 15 s
evaluation whether the alert is silent and reading the first time it is not. Prints one line per alert with the
delay after the outage began; docs/slo.md quotes these figures.
  python3 ops/tests/alert_timings.py
"""
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

OPS = pathlib.Path(__file__).resolve().parents[1]
# Alert -> latest acceptable delay (s); the measured figures are a 15 s evaluation or so below these.
ALERTS = {"RagErrorBudgetBurn": 240, "RagProbeFailing": 330, "RagHighErrorRate": 360}
OUTAGE_START = 600  # seconds


def main():
    spec = yaml.safe_load((OPS / "prometheus/tests/slo_guard_test.yml").read_text())
    case = next(t for t in spec["tests"] if t["name"].startswith("total outage"))
    steps = [OUTAGE_START + 15 * i for i in range(0, 41)]
    case = dict(case, alert_rule_test=[
        {"eval_time": f"{s}s", "alertname": a, "exp_alerts": []} for a in ALERTS for s in steps], promql_expr_test=[])
    spec["rule_files"] = [str(OPS / "prometheus/rules" / pathlib.Path(f).name) for f in spec["rule_files"]]
    spec["tests"] = [case]
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump(spec, f)
    res = subprocess.run(["promtool", "test", "rules", f.name], capture_output=True, text=True)
    out = res.stdout + res.stderr
    pathlib.Path(f.name).unlink()
    first = {}
    for m in re.finditer(r"alertname: (\w+), time: ([0-9hms]+)", out):
        name, t = m.group(1), m.group(2)
        secs = sum(int(v) * {"h": 3600, "m": 60, "s": 1}[u] for v, u in re.findall(r"(\d+)([hms])", t))
        first[name] = min(first.get(name, secs), secs)
    ok = True
    for a in ALERTS:
        if a in first:
            d = first[a] - OUTAGE_START
            late = d > ALERTS[a]
            ok = ok and not late
            print(f"{a:<20} fires {d // 60} min {d % 60:02d} s after a total outage at 10 req/s begins"
                  + (f"  LATE: over {ALERTS[a]} s" if late else ""))
        else:
            ok = False
            print(f"{a:<20} did not fire within 10 minutes", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
