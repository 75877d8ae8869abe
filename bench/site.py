#!/usr/bin/env python3
"""Site builder figures (issues 3 and 23 targets; issue 11 peers), release build, loopback only, bounded.

  python3 bench/site.py [--quick] [--runs N] [--pages N] [--scale 500,2000,8000 [--scale-runs N]]

Measures, each as the median of N runs after one warm-up:
  * the real textbook (both locales): full `site build` wall time, peak RSS, pages/second;
  * two generated corpora (1,000 pages x 2 locales by default): "generated" (prose, one code block, math, a table,
    an admonition a page) and "generated-code" (four sections a page, each with a code block and a table);
  * `site serve`: the rebuild time after a one-page edit (from the server's own "built ... in X ms" line), and
    with node, Chromium and widget/e2e's playwright-core, the time from the file write to the new text on screen
    (bench/serve_visible.mjs) with the search index time that follows;
  * the same Markdown built by mdBook and Hugo when they are installed (ratios to ours), and Hugo followed by the
    Pagefind CLI when `pagefind` is installed (`npm i -g pagefind`): Hugo's way to the search `site` builds in;
  * with --docusaurus (what run.py --full passes), the textbook built by Docusaurus 3 from bench/docusaurus
    (`npm ci` there on first use): its first, cold-cache build, then the usual median with its build cache warm;
  * with --scale, `site build` and Hugo + Pagefind on the "generated" corpus at each size (pages per locale), with
    the time per page (no warm-up above 2,000 pages per locale).
Writes bench/results/site.json and prints a table. Targets (issue 23): textbook < 150 ms; at least 3x faster than
Hugo + Pagefind and no slower than Hugo alone on the generated corpora; one-page rebuild < 20 ms.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
SITE = TARGET / "release" / "site"
DOCUSAURUS = ROOT / "bench" / "docusaurus"
DOCUSAURUS_CONFIG = """module.exports = {
  title: "Bench", url: "http://127.0.0.1", baseUrl: "/",
  onBrokenLinks: "ignore", onBrokenAnchors: "ignore",
  i18n: { defaultLocale: "en", locales: ["en", "ur"], localeConfigs: { ur: { direction: "rtl" } } },
  markdown: { format: "md", hooks: { onBrokenMarkdownLinks: "ignore" } },
  presets: [["classic", { docs: { routeBasePath: "/" }, blog: false, pages: false }]],
};
"""

# Peak RSS of one child: run it under a tiny Python parent and read RUSAGE_CHILDREN there, so every
# measurement is isolated from the others (ru_maxrss of this process's children would be a running maximum).
MEASURE = (
    "import resource,subprocess,sys,time;t=time.perf_counter();"
    "r=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.STDOUT,text=True);"
    "d=time.perf_counter()-t;"
    "print(f'@@{r.returncode} {d} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}');"
    "print(r.stdout[-4000:])"
)


def run_measured(cmd, cwd=None):
    out = subprocess.run([sys.executable, "-c", MEASURE, *map(str, cmd)], cwd=cwd, capture_output=True, text=True)
    m = re.search(r"@@(-?\d+) ([\d.]+) (\d+)", out.stdout)
    if not m or m.group(1) != "0":
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{out.stdout}{out.stderr}")
    return float(m.group(2)), int(m.group(3)) * 1024, out.stdout


def series(cmd, runs, cwd=None, warm_up=True):
    if warm_up:
        run_measured(cmd, cwd)  # warm-up: page cache, lazy statics
    times, peaks, last = [], [], ""
    for _ in range(runs):
        t, rss, last = run_measured(cmd, cwd)
        times.append(t)
        peaks.append(rss)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "runs": runs, "peak_rss_mb": round(max(peaks) / 2**20, 1)}, last


def series_fresh(cmd, out: Path, runs, keep=True):
    """Like series, but every run builds into a new, empty output folder with no cache beside it (a CI checkout),
    so nothing of a previous build can be reused. Each run gets a folder name of its own, and on disk (`keep`) the
    folders stay until the benchmark ends: ext4 passes over the inodes of files deleted in the last minutes when it
    creates new ones, so deleting a run's thousands of files just before the next run made that run's file
    creation cost up to twice the build (a generated cold build 0.5-1.3 s with deletions between runs, 0.51-0.54 s
    without), a cost a fresh checkout never pays. On tmpfs (`keep=False`) deleting costs nothing later and the
    folders go at once."""
    times, peaks = [], []
    for i in range(runs + 1):
        run_out = out.with_name(f"{out.name}-run{i}")
        run_cmd = [type(x)(str(x).replace(str(out), str(run_out))) if isinstance(x, (str, Path)) else x for x in cmd]
        t, rss, _ = run_measured(run_cmd)
        times.append(t)
        peaks.append(rss)
        if not keep:
            # The output, the earlier generation `site build` stages into, and its cache (renders, search bundles).
            for suffix in ["", ".previous", ".cache", ".building"]:
                d = run_out if not suffix else run_out.with_name(f".{run_out.name}{suffix}")
                shutil.rmtree(d, ignore_errors=True)
    times, peaks = times[1:], peaks[1:]  # the first is the warm-up
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "runs": runs,
            "peak_rss_mb": round(max(peaks) / 2**20, 1)}


def copy_project(dest: Path):
    for d in ["content", "locales", "static"]:
        shutil.copytree(ROOT / d, dest / d)
    shutil.copytree(ROOT / "site" / "templates", dest / "site" / "templates")
    shutil.copy(ROOT / "site.toml", dest / "site.toml")


UR_WORDS = "روبوٹ توازن حرکت جوڑ سینسر کنٹرول ماڈل قوت رفتار زاویہ فریم نظام ڈیٹا پالیسی سیکھنا".split()
EN_WORDS = ("robot balance motion joint sensor control model force velocity angle frame system data policy "
            "learning torque contact gait trajectory estimate").split()


def paragraph(words, n, seed):
    return " ".join(words[(seed * 7 + i * 3) % len(words)] for i in range(n)) + "."


def generate(dest: Path, pages: int, kind: str = "mixed"):
    """A synthetic book: `pages` pages per locale in folders of 50.

    kind "mixed": ~600 words a page with headings, one code block, math, a table and an admonition, so every
    renderer step is exercised. kind "code": four sections a page, each with a code block (Python, Rust, C++ or
    YAML, so each highlighter runs) and a five-row table: the reference-manual shape that loads highlighting and
    table layout rather than prose."""
    for d in ["locales", "static"]:
        shutil.copytree(ROOT / d, dest / d)
    shutil.copytree(ROOT / "site" / "templates", dest / "site" / "templates")
    shutil.copy(ROOT / "site.toml", dest / "site.toml")
    for loc, words in [("en", EN_WORDS), ("ur", UR_WORDS)]:
        base = dest / "content" / loc
        base.mkdir(parents=True)
        (base / "index.md").write_text(f"---\ntitle: Home {loc}\ndescription: Generated book.\n---\n\n{paragraph(words, 80, 1)}\n")
        for i in range(pages):
            folder = base / f"{i // 50 + 1:02d}-part{i // 50 + 1}"
            if not folder.exists():
                folder.mkdir()
                (folder / "_category_.toml").write_text(f'label = "Part {i // 50 + 1}"\nposition = {i // 50 + 1}\n')
            body = [f"---\ntitle: Page {i}\ndescription: Generated page {i}.\nsidebar_position: {i % 50 + 1}\n---\n"]
            body.append(paragraph(words, 60, i))
            if kind == "code":
                body += code_sections(words, i)
            else:
                for s in range(4):
                    body.append(f"\n## Section {s} {{#section-{s}}}\n\n{paragraph(words, 110, i + s)}\n")
                body.append("\n```python\ndef step(x, v, dt=0.01):\n    return x + v * dt\n```\n")
                body.append("\n$$\nx_{k+1} = x_k + v_k \\, \\Delta t\n$$\n")
                body.append("\n| a | b |\n|---|---|\n| 1 | 2 |\n")
                body.append(f"\n:::tip Key idea\n{paragraph(words, 30, i + 9)}\n:::\n")
            (folder / f"page-{i:04d}.md").write_text("\n".join(body))


CODE = [
    ("python", "def step(x, v, dt={n}):\n    \"\"\"One Euler step.\"\"\"\n    for _ in range(10):\n        x = x + v * dt\n    return x"),
    ("rust", "fn step(x: f64, v: f64) -> f64 {{\n    let dt = {n}.0 / 1000.0; // ms\n    x + v * dt\n}}"),
    ("cpp", "double step(double x, double v) {{\n  const double dt = {n} / 1000.0;\n  return x + v * dt;  // Euler\n}}"),
    ("yaml", "controller:\n  rate_hz: {n}\n  joints: [hip, knee, ankle]\n  gains: {{p: 40.0, d: 2.5}}"),
]


def code_sections(words, i):
    out = []
    for s in range(4):
        lang, code = CODE[(i + s) % len(CODE)]
        rows = "".join(f"| {words[(i + s + r) % len(words)]} | {r * 10 + s} | {i % 7}.{r} |\n" for r in range(5))
        out.append(f"\n## Section {s} {{#section-{s}}}\n\n{paragraph(words, 50, i + s)}\n\n```{lang}\n"
                   f"{code.format(n=i % 97 + s)}\n```\n\n| name | value | gain |\n|---|---:|---:|\n{rows}")
    return out


def serve_rebuild(work: Path, edits: int):
    """Median rebuild time of `site serve` after a one-page edit, from its own log line."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([SITE, "serve", "--root", work, "--port", str(port)], stderr=subprocess.PIPE, text=True)
    times = []
    try:
        page = work / "content" / "en" / "03-kinematics" / "index.md"
        lines = proc.stderr
        deadline = time.time() + 60
        for line in lines:  # initial build, then "serving on ..."
            if "serving on" in line or time.time() > deadline:
                break
        for n in range(edits):
            time.sleep(0.4)
            with page.open("a") as f:
                f.write(f"\nAn edit for the benchmark, number {n}.\n")
            for line in lines:
                m = re.search(r"built (\d+) pages \((\d+) re-rendered\) in (\d+) ms", line)
                if m:
                    times.append(int(m.group(3)))
                    break
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {"median_ms": statistics.median(times), "runs": len(times), "all_ms": times}


def serve_visible(book: Path, edits: int):
    """From a one-page edit to its text on screen in headless Chromium (bench/serve_visible.mjs), when node,
    Chromium and widget/e2e's playwright-core are there; None otherwise."""
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (shutil.which("node") and Path(chromium).exists()
            and (ROOT / "widget" / "e2e" / "node_modules" / "playwright-core").exists()):
        return None
    out = subprocess.run(["node", ROOT / "bench" / "serve_visible.mjs", SITE, book, str(edits)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"serve_visible failed: {out.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def mdbook_project(src: Path, dest: Path, loc: str):
    (dest / "src").mkdir(parents=True)
    (dest / "book.toml").write_text(f'[book]\ntitle = "Bench {loc}"\nlanguage = "{loc}"\n[output.html]\n')
    summary = ["# Summary\n"]
    for md in sorted((src / "content" / loc).rglob("*.md")):
        rel = md.relative_to(src / "content" / loc)
        text = md.read_text()
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 4) + 5:]
        out = dest / "src" / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        summary.append(f"- [{rel}]({rel})")
    (dest / "src" / "SUMMARY.md").write_text("\n".join(summary) + "\n")


def hugo_project(src: Path, dest: Path):
    shutil.copytree(src / "content", dest / "content")
    for p in (dest / "content").rglob("_category_.toml"):
        p.unlink()
    # In Hugo an `index.md` is a leaf bundle: every file below it becomes a resource of that one page, not a page.
    # The root `index.md` made Hugo render only the two home pages (earlier reports timed that); `_index.md` is a
    # folder's own page with the pages below it rendered too, which is what `index.md` means to `site`.
    for p in list((dest / "content").rglob("index.md")):
        p.rename(p.with_name("_index.md"))
    (dest / "hugo.toml").write_text(
        'baseURL = "/"\ndefaultContentLanguage = "en"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
        '[languages.en]\ncontentDir = "content/en"\nweight = 1\n[languages.ur]\ncontentDir = "content/ur"\nweight = 2\n'
        'languageDirection = "rtl"\n[markup.goldmark.renderer]\nunsafe = false\n')
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = "<!doctype html><html lang=\"{{ .Lang }}\"><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n"
    (layouts / "single.html").write_text(page)
    (layouts / "list.html").write_text(page)


def docusaurus_project(src: Path, dest: Path):
    """The textbook as a Docusaurus site: English docs, Urdu as its second locale (right to left), the same images.
    Plain CommonMark (`format: md`), as mdBook and Hugo get; links are not checked (ours are, by `site check`).
    node_modules is a link to bench/docusaurus's, so its build cache lives there between runs."""
    shutil.copytree(src / "content" / "en", dest / "docs")
    shutil.copytree(src / "content" / "ur", dest / "i18n" / "ur" / "docusaurus-plugin-content-docs" / "current")
    shutil.copytree(src / "static" / "img", dest / "static" / "img")
    for p in dest.rglob("_category_.toml"):
        p.unlink()  # Docusaurus reads _category_.json/.yml; its default sidebar order is the folder order anyway
    (dest / "docusaurus.config.js").write_text(DOCUSAURUS_CONFIG)
    (dest / "node_modules").symlink_to(DOCUSAURUS / "node_modules")


def docusaurus_bin():
    """bench/docusaurus's `docusaurus`, installed from its lockfile on first use; None when npm cannot."""
    bin_ = DOCUSAURUS / "node_modules" / ".bin" / "docusaurus"
    if not bin_.exists() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", DOCUSAURUS], check=False)
    return bin_ if bin_.exists() else None


def docusaurus_series(book: Path, tmp: Path, runs):
    bin_ = docusaurus_bin()
    if bin_ is None:
        return None
    proj = tmp / "docusaurus-textbook"
    docusaurus_project(book, proj)
    cmd = [bin_, "build", "--out-dir", tmp / "docusaurus-out"]
    shutil.rmtree(DOCUSAURUS / "node_modules" / ".cache", ignore_errors=True)
    cold, _, _ = run_measured(cmd, cwd=proj)  # also the warm-up: it fills the build cache
    s, _ = series(cmd, runs, cwd=proj, warm_up=False)
    s["note"] = (f"textbook only, both locales in one build; build cache warm (the first, cold build took "
                 f"{cold:.1f} s); the generated corpus is not built with it, to keep the run within reason")
    return s


def built_pages(stats, out):
    n = int(re.search(r"built (\d+) pages", out).group(1))
    stats.update(pages=n, pages_per_s=round(n / stats["median_s"], 1))
    return stats


def hugo_pagefind(proj: Path, out: Path):
    """Hugo, then the Pagefind CLI over its output: what a Hugo site does to get the search `site build` makes."""
    return ["sh", "-c", f"hugo --quiet --source '{proj}' --destination '{out}' && pagefind --site '{out}' --silent"]


def peers(res, tmp: Path, corpora, runs):
    for name, corpus in corpora:
        if shutil.which("mdbook"):
            t_all, rss = [], []
            for loc in ["en", "ur"]:
                proj = tmp / f"mdbook-{name}-{loc}"
                mdbook_project(corpus, proj, loc)
                s, _ = series(["mdbook", "build", proj], runs)
                t_all.append(s["median_s"])
                rss.append(s["peak_rss_mb"])
            res["peers"].setdefault("mdbook", {})[name] = {"median_s": sum(t_all), "peak_rss_mb": max(rss),
                                                           "note": "two books (en, ur), times added"}
        if shutil.which("hugo"):
            proj = tmp / f"hugo-{name}"
            hugo_project(corpus, proj)
            out = tmp / f"hugo-out-{name}"
            hugo = ["hugo", "--quiet", "--source", proj, "--destination", out]
            s, _ = series(hugo, runs)
            res["peers"].setdefault("hugo", {})[name] = s
            # Into an empty folder too, as `site`'s cold rows: on this disk creating files where many were just
            # deleted costs more than overwriting them, so cold is compared with cold.
            res["peers"]["hugo"][f"{name}_fresh"] = series_fresh(hugo, out, runs)
            if shutil.which("pagefind"):
                out = tmp / f"hugo-pf-out-{name}"
                s, _ = series(hugo_pagefind(proj, out), runs)
                s["note"] = "Hugo, then the Pagefind CLI over its output (both locales, one index each)"
                res["peers"].setdefault("hugo + pagefind", {})[name] = s
                res["peers"]["hugo + pagefind"][f"{name}_fresh"] = series_fresh(hugo_pagefind(proj, out), out, runs)


def cold_in_memory(res, tmp: Path, corpora, runs):
    """Cold builds (empty output folder) of `site`, Hugo and Hugo + Pagefind with their output on tmpfs: the same
    work without this machine's disk, where creating thousands of files just after thousands were deleted costs
    more system time than the builds themselves and varies by a factor of two between runs."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        return
    rows = {}
    with tempfile.TemporaryDirectory(prefix="site-bench-", dir=shm) as mem:
        mem = Path(mem)
        for name, corpus in corpora:
            if name == "textbook":
                continue
            row = {"site": series_fresh([SITE, "build", "--root", corpus, "--out", mem / "out"], mem / "out", runs,
                                        keep=False)}
            if shutil.which("hugo"):
                proj = tmp / f"hugo-{name}"
                hugo = ["hugo", "--quiet", "--source", proj, "--destination", mem / "hugo-out"]
                row["hugo"] = series_fresh(hugo, mem / "hugo-out", runs, keep=False)
                if shutil.which("pagefind"):
                    row["hugo + pagefind"] = series_fresh(hugo_pagefind(proj, mem / "hugo-out"), mem / "hugo-out", runs,
                                                          keep=False)
            rows[name] = row
            for tool, x in row.items():
                print(f"in memory, cold, {name}: {tool} {x['median_s'] * 1000:.0f} ms, peak {x['peak_rss_mb']} MB",
                      flush=True)
    res["cold_in_memory"] = rows


def scaling(tmp: Path, sizes, runs):
    """`site build` (and Hugo + Pagefind when installed) on the mixed corpus at each size in pages per locale: a cold
    build (empty output folder, no cache) and a rebuild of the unchanged book, each with its time per page, and
    peak memory, to show how the cost grows. Files stay until the benchmark ends (see `series_fresh`): about 8 GB at
    8,000 pages per locale."""
    rows = []
    for size in sizes:
        gen, out = tmp / f"scale-{size}", tmp / f"scale-out-{size}"
        generate(gen, size)
        cmd = [SITE, "build", "--root", gen, "--out", out]
        cold = series_fresh(cmd, out, runs)
        warm, last = series(cmd, runs)  # the warm-up run fills the cache the timed runs reuse
        row = built_pages(warm, last)
        row.update(pages_per_locale=size, cold_s=cold["median_s"], cold_rss_mb=cold["peak_rss_mb"],
                   cold_ms_per_page=round(cold["median_s"] * 1000 / row["pages"], 3),
                   ms_per_page=round(warm["median_s"] * 1000 / row["pages"], 3),
                   output_mb=round(sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 2**20, 1))
        if shutil.which("hugo") and shutil.which("pagefind"):
            proj = tmp / f"scale-hugo-{size}"
            hugo_project(gen, proj)
            # Into an empty folder each run, as the cold `site` figure beside it.
            h = series_fresh(hugo_pagefind(proj, tmp / f"scale-hugo-out-{size}"), tmp / f"scale-hugo-out-{size}", runs)
            row["hugo_pagefind_s"] = h["median_s"]
            row["hugo_pagefind_rss_mb"] = h["peak_rss_mb"]
        rows.append(row)
        print(f"scale {size}/locale: cold {row['cold_s'] * 1000:.0f} ms ({row['cold_ms_per_page']} ms/page), "
              f"rebuild {row['median_s'] * 1000:.0f} ms ({row['ms_per_page']} ms/page), peak {row['peak_rss_mb']} MB, "
              f"output {row['output_mb']} MB", flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="3 runs, 300-page generated corpora")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--pages", type=int)
    ap.add_argument("--docusaurus", action="store_true", help="also time Docusaurus on the textbook (minutes)")
    ap.add_argument("--scale", default="", help="pages per locale to report scaling at, e.g. 500,2000,8000")
    ap.add_argument("--scale-runs", type=int, default=1)
    a = ap.parse_args()
    runs = a.runs or (3 if a.quick else 5)
    pages = a.pages or (300 if a.quick else 1000)
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "site"], cwd=ROOT, check=True)
    res = {"runs": runs, "generated_pages_per_locale": pages, "peers": {}}
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        tmp = Path(tmp)
        book = tmp / "book"
        copy_project(book)
        res["textbook"] = built_pages(*series([SITE, "build", "--root", book, "--out", tmp / "out-book"], runs))
        res["textbook_fresh"] = series_fresh([SITE, "build", "--root", book, "--out", tmp / "out-fresh"],
                                             tmp / "out-fresh", runs)
        res["serve_one_page_edit"] = serve_rebuild(book, runs + 2)
        res["serve_visible"] = serve_visible(book, runs + 2)
        corpora = [("textbook", book)]
        for name, kind in [("generated", "mixed"), ("generated-code", "code")]:
            gen = tmp / name
            generate(gen, pages, kind)
            res[name] = built_pages(*series([SITE, "build", "--root", gen, "--out", tmp / f"out-{name}"], runs))
            res[f"{name}_fresh"] = series_fresh([SITE, "build", "--root", gen, "--out", tmp / f"fresh-{name}"],
                                                tmp / f"fresh-{name}", runs)
            corpora.append((name, gen))
        peers(res, tmp, corpora, runs)
        cold_in_memory(res, tmp, corpora, runs)
        if a.docusaurus:
            s = docusaurus_series(book, tmp, runs)
            if s:
                res["peers"]["docusaurus"] = {"textbook": s}
        if a.scale:
            res["scaling"] = scaling(tmp, [int(x) for x in a.scale.split(",")], a.scale_runs)
    for peer, by in res["peers"].items():
        for name, s in by.items():
            s["ratio_to_site"] = round(s["median_s"] / res[name]["median_s"], 2)
    out = ROOT / "bench" / "results" / "site.json"
    out.write_text(json.dumps(res, indent=2) + "\n")
    t, e = res["textbook"], res["serve_one_page_edit"]
    print(f"textbook ({t['pages']} pages, en+ur): median {t['median_s'] * 1000:.0f} ms (target < 150), "
          f"{t['pages_per_s']} pages/s, peak {t['peak_rss_mb']} MB")
    f = res["textbook_fresh"]
    print(f"textbook into an empty output folder: median {f['median_s'] * 1000:.0f} ms")
    for name in ("generated", "generated-code"):
        g, c = res[name], res[f"{name}_fresh"]
        print(f"{name} ({g['pages']} pages): median {g['median_s'] * 1000:.0f} ms, {g['pages_per_s']} pages/s, "
              f"peak {g['peak_rss_mb']} MB; empty folder, no cache: {c['median_s'] * 1000:.0f} ms, "
              f"peak {c['peak_rss_mb']} MB")
    print(f"site serve one-page edit: median rebuild {e['median_ms']} ms over {e['runs']} edits (target < 20)")
    if res.get("serve_visible"):
        v = res["serve_visible"]
        print(f"site serve edit visible in Chromium: median {v['median_ms']} ms {v['all_ms']} (target < 150); "
              f"search index after it {v['search_ms']} ms (target < 200)")
    for peer, by in res["peers"].items():
        for name, s in by.items():
            print(f"{peer} {name}: median {s['median_s'] * 1000:.0f} ms, peak {s['peak_rss_mb']} MB, "
                  f"{s['ratio_to_site']}x our time")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
