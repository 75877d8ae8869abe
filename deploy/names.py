#!/usr/bin/env python3
"""Keeps the repository and domain names in one place (deploy/project.env).

  deploy/names.py                      check every file that holds the names (and public/ when built); exit 1 on drift
  deploy/names.py --write              rewrite those files from deploy/project.env
  deploy/names.py --expect-repo O/R    also fail unless project.env names repository O/R (the release workflow passes
                                       $GITHUB_REPOSITORY, so a fork that forgot to rename cannot deploy)
Prints one line per problem naming file:line.
"""
import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SLUG = r"[A-Za-z0-9][A-Za-z0-9._-]*"


def load_env():
    env = {}
    path = ROOT / "deploy/project.env"
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            sys.exit(f"deploy/project.env:{n}: expected KEY=VALUE, got {line!r}")
        env[key.strip()] = value.strip()
    for key in ("GITHUB_OWNER", "GITHUB_REPO", "SITE_ORIGIN"):
        if not env.get(key):
            sys.exit(f"deploy/project.env: {key} is missing or empty")
    if not re.fullmatch(SLUG, env["GITHUB_OWNER"]) or not re.fullmatch(SLUG, env["GITHUB_REPO"]):
        sys.exit("deploy/project.env: GITHUB_OWNER and GITHUB_REPO must be GitHub names (letters, digits, . _ -)")
    if not re.fullmatch(r"https://[a-z0-9.-]+", env["SITE_ORIGIN"]):
        sys.exit("deploy/project.env: SITE_ORIGIN must be an origin like https://owner.github.io (no path)")
    return env


def rules(env):
    """(files, pattern, replacement): each pattern matches every occurrence, right or wrong, of one name."""
    owner, repo, origin = env["GITHUB_OWNER"], env["GITHUB_REPO"], env["SITE_ORIGIN"]
    gh = f"https://github.com/{owner}/{repo}"
    image = f"ghcr.io/{owner.lower()}/{repo.lower()}"
    runbook_files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ops/prometheus").rglob("*.yml"))
    return [
        (runbook_files, rf"https://github\.com/{SLUG}/{SLUG}/blob/main/ops/runbooks/", f"{gh}/blob/main/ops/runbooks/"),
        (["site.toml", "Cargo.toml"], rf'repository = "https://github\.com/{SLUG}/{SLUG}"', f'repository = "{gh}"'),
        (["render.yaml", "ops/docker-compose.yml", "ops/runbooks/playbooks.md", "ops/runbooks/procedures.md",
          "docs/deployment.md", "docs/launch-checklist.md"],
         rf"ghcr\.io/{SLUG}/{SLUG}(?=[:@\s`\"']|$)", image),
        (["render.yaml"], r"(?<=CORS_ALLOWED_ORIGINS\n        value: )https://[a-z0-9.-]+", origin),
        (["ops/runbooks/playbooks.md", "docs/launch-checklist.md"],
         rf"https://{SLUG}\.github\.io/{SLUG}(?=[\s`\"']|$)", f"{origin}/{repo}" if origin.endswith(".github.io") else origin),
    ]


def site_links(env):
    """Links to the repository in the built site (edit-this-page) must name the same repository."""
    public = ROOT / "public"
    problems = []
    if not public.is_dir():
        return problems
    want = f"https://github.com/{env['GITHUB_OWNER']}/{env['GITHUB_REPO']}/"
    link = re.compile(rf"https://github\.com/{SLUG}/{SLUG}/(?:edit|blob|tree)/")
    for page in sorted(public.rglob("*.html")):
        for n, line in enumerate(page.read_text(errors="replace").splitlines(), 1):
            for m in link.finditer(line):
                if not m.group(0).startswith(want):
                    problems.append(f"{page.relative_to(ROOT)}:{n}: link {m.group(0)} is not {want}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--expect-repo", metavar="OWNER/REPO")
    args = ap.parse_args()
    env = load_env()
    problems, changed, checked = [], [], 0
    if args.expect_repo:
        named = f"{env['GITHUB_OWNER']}/{env['GITHUB_REPO']}"
        if named.lower() != args.expect_repo.lower():
            problems.append(f"deploy/project.env names {named}, but this is {args.expect_repo}: edit it and run "
                            "deploy/names.py --write")
    for files, pattern, replacement in rules(env):
        rx = re.compile(pattern)
        for rel in files:
            path = ROOT / rel
            if not path.exists():
                continue
            text = path.read_text()
            for m in rx.finditer(text):
                checked += 1
                if m.group(0) != replacement:
                    line = text.count("\n", 0, m.start()) + 1
                    problems.append(f"{rel}:{line}: {m.group(0)!r} should be {replacement!r}")
            if args.write:
                new = rx.sub(replacement, text)
                if new != text:
                    path.write_text(new)
                    changed.append(rel)
    if args.write:
        print(f"names: rewrote {len(changed)} file(s): {', '.join(changed) or 'none'}")
        return 0
    problems += site_links(env)
    for p in problems:
        print(f"names: FAIL {p}", file=sys.stderr)
    if checked == 0:
        print("names: FAIL no occurrence found at all: the patterns no longer match the files", file=sys.stderr)
        return 1
    print(f"names: {checked} occurrences checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
