#!/usr/bin/env python3
"""Every alert's runbook_url (and every INDEX.txt entry) must name an existing runbook file and heading anchor."""
import re
import sys
from pathlib import Path

import yaml

here = Path(__file__).resolve().parent
root = here.parent.parent
targets = set()
for rules in (root / "ops/prometheus/rules").glob("*.yml"):
    for group in yaml.safe_load(rules.read_text()).get("groups", []):
        for rule in group.get("rules", []):
            url = rule.get("annotations", {}).get("runbook_url")
            if url:
                targets.add(url.split("/ops/runbooks/", 1)[-1])
for line in (here / "INDEX.txt").read_text().splitlines():
    if line.strip():
        targets.add(line.strip())


def anchors(md: str) -> set:
    found = set()
    for line in md.splitlines():
        # GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
        m = re.match(r"#+\s+(.*?)\s*$", line)
        if m:
            found.add(re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-"))
    return found


passed = failed = 0
for t in sorted(targets):
    file, _, anchor = t.partition("#")
    path = here / file
    ok = path.exists() and (not anchor or anchor in anchors(path.read_text()))
    print(("ok   " if ok else "FAIL ") + t + ("" if ok else "  (missing file or heading)"))
    passed, failed = passed + ok, failed + (not ok)
print(f"runbooks: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
