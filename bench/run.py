#!/usr/bin/env python3
"""One command for every benchmark; writes bench/REPORT.md (+ bench/results/*.json and machine info).

  python3 bench/run.py            # quick mode (a few minutes once binaries are built)
  python3 bench/run.py --full     # 5 runs, 1,000-page corpora, Docusaurus peer, 30 s per load level, Lighthouse
  python3 bench/run.py --site-only [bench/site.py arguments]   # section 1 only, e.g. --site-only --scale 500,2000

Sections: site build vs mdBook, Hugo and Hugo + Pagefind (and its scaling with --site-only --scale); server (embedded mode) at 1/10/50/200 clients next to a bare axum hello;
retrieval quality on the eval set; page weight and Lighthouse; cost per query. Loopback only, bounded in time.
Every figure comes from this run; targets from the issues are printed next to them and misses are marked.
"""
import argparse
import gzip
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from site_report import mark, site_section

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def sh(cmd, **kw):
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": mem, "os": platform.platform(), "rustc": rustc,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


# The figures before the current round of answer-quality work (the eval test at the start of it, same eval set of
# 111 answerable questions per locale; unanswerable recall and refused answerable on the held-out split): shown
# next to the current ones.
PREVIOUS_EVAL = {
    "en": {"recall_at_1": 0.76, "recall_at_5": 0.97, "mrr": 0.85, "unanswerable_recall": 0.87,
           "answerable_refused_share": 0.016, "answer_terms": 0.51},
    "ur": {"recall_at_1": 0.73, "recall_at_5": 0.92, "mrr": 0.80, "unanswerable_recall": 0.97,
           "answerable_refused_share": 0.049, "answer_terms": 0.55},
}


def retrieval():
    out = sh(["cargo", "test", "-q", "-p", "server", "--test", "eval_retrieval", "--", "--nocapture"],
             capture_output=True, text=True).stdout
    res = {}
    pat = (r"questions\.(\w+)\.jsonl: recall@1 ([\d.]+), recall@5 ([\d.]+), MRR ([\d.]+) over (\d+) answerable; "
           r"held-out unanswerable recognised (\d+)/(\d+) \(recall ([\d.]+), precision ([\d.]+)\), answerable "
           r"refused (\d+)/(\d+) \(([\d.]+)\); dev unanswerable recognised (\d+)/(\d+), answerable refused "
           r"(\d+)/(\d+); answer terms ([\d.]+); cross-lingual hits@5 (\d+)/(\d+)")
    for m in re.finditer(pat, out):
        g = m.groups()
        res[g[0]] = {"recall_at_1": float(g[1]), "recall_at_5": float(g[2]), "mrr": float(g[3]),
                     "answerable": int(g[4]), "unanswerable_recognised": int(g[5]), "unanswerable": int(g[6]),
                     "unanswerable_recall": float(g[7]), "unanswerable_precision": float(g[8]),
                     "answerable_refused": int(g[9]), "answerable_heldout": int(g[10]),
                     "answerable_refused_share": float(g[11]), "dev_recognised": int(g[12]),
                     "dev_unanswerable": int(g[13]), "dev_refused": int(g[14]), "dev_answerable": int(g[15]),
                     "answer_terms": float(g[16]), "cross_lingual_hits5": int(g[17]), "cross_lingual": int(g[18]),
                     "samples": []}
    held = (r"questions\.(\w+)\.jsonl held-out: recall@1 ([\d.]+), recall@5 ([\d.]+), MRR ([\d.]+), answer terms "
            r"([\d.]+) over (\d+) answerable")
    for m in re.finditer(held, out):
        g = m.groups()
        if g[0] in res:
            res[g[0]]["held_out"] = {"recall_at_1": float(g[1]), "recall_at_5": float(g[2]), "mrr": float(g[3]),
                                     "answer_terms": float(g[4]), "answerable": int(g[5])}
    for m in re.finditer(r"^SAMPLE (\w+)\t(.*)$", out, re.M):
        if m.group(1) in res:
            res[m.group(1)]["samples"].append(json.loads(m.group(2)))
    res["mode"] = "BM25 (qdrant-edge sparse; Urdu normalised, suffix-folded and respelled) re-ranked by heading, " \
                  "enclosing-heading and page fields, section kind, phrase pairs and glossary pointers; hybrid needs " \
                  "EMBEDDINGS_* configured"
    res["previous"] = PREVIOUS_EVAL
    return res


class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") in ("stylesheet", "icon"):
            self.refs.append(("css" if a["rel"] == "stylesheet" else "icon", a["href"]))
        if tag == "script" and a.get("src"):
            self.refs.append(("js", a["src"]))


def page_weight():
    pub = ROOT / "public"

    def size(rel):
        p = pub / rel.split("?")[0].lstrip("/")
        data = p.read_bytes()
        return len(data), len(gzip.compress(data, 9))

    out = {}
    for name, page in [("en", "kinematics/index.html"), ("ur", "ur/kinematics/index.html")]:
        html = (pub / page).read_text()
        parser = Refs()
        parser.feed(html)
        kinds = {"html": size(page)}
        for kind, ref in parser.refs:
            raw, gz = size(ref)
            r0, g0 = kinds.get(kind, (0, 0))
            kinds[kind] = (r0 + raw, g0 + gz)
        # The faces static/css/site.css makes this page download: Nastaliq for Urdu text (unicode-range), the math
        # operators' face where there is MathML. WOFF2 is compressed already: counted as it is.
        fonts = (["fonts/noto-nastaliq-urdu-subset.woff2"] if name == "ur" else []) + \
            (["fonts/latin-modern-math-subset.woff2"] if "<math" in html else [])
        fonts = [f for f in fonts if (pub / f).exists()]
        if fonts:
            kinds["fonts"] = (sum((pub / f).stat().st_size for f in fonts),) * 2
        before = sum(g for _, g in kinds.values())
        widget = [size("widget/widget.js"), size("widget/widget_bg.wasm")]
        out[name] = {"by_kind_raw_gz": kinds, "fonts_files": len(fonts), "before_open_gz": before,
                     "widget_on_open_gz": sum(g for _, g in widget), "after_open_gz": before + sum(g for _, g in widget)}
    return out


def serve(env_extra, log):
    port = free_port()
    data = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{port}"
    env = {"PATH": os.environ["PATH"], "PORT": str(port), "DATA_DIR": str(data), "CORPUS_SOURCE": "public/rag",
           "RATE_LIMIT_PER_IP_PER_MINUTE": "100000", "LOG_LEVEL": "warn", **env_extra}
    proc = subprocess.Popen([TARGET / "release" / "server", "serve", "--site", "public"], cwd=ROOT, env=env,
                            stdout=log, stderr=log)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1)
            return proc, port, data
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not become ready")


def stop(proc, data):
    proc.terminate()
    proc.wait(timeout=20)
    shutil.rmtree(data, ignore_errors=True)


def cost(questions=20):
    llm_port = free_port()
    fake = subprocess.Popen([sys.executable, ROOT / "bench" / "fake_llm.py", str(llm_port)])
    prices = {"prompt": float(os.environ.get("LLM_PRICE_PROMPT_PER_1M", "0.15")),
              "completion": float(os.environ.get("LLM_PRICE_COMPLETION_PER_1M", "0.60"))}
    with open(RESULTS / "cost-server.log", "w") as log:
        proc, port, data = serve({"LLM_BASE_URL": f"http://127.0.0.1:{llm_port}/v1", "LLM_API_KEY": "bench",
                                  "LLM_MODEL": "fake", "LLM_PRICE_PROMPT_PER_1M": str(prices["prompt"]),
                                  "LLM_PRICE_COMPLETION_PER_1M": str(prices["completion"])}, log)
    try:
        qs = [json.loads(line) for line in open(ROOT / "eval" / "questions.en.jsonl")]
        qs = [q for q in qs if q["expected"]][:questions]
        usage = []
        for q in qs:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/chat", method="POST",
                                         data=json.dumps({"query": q["question"], "locale": "en"}).encode(),
                                         headers={"content-type": "application/json"})
            r = json.load(urllib.request.urlopen(req, timeout=30))
            if r.get("mode") == "llm":
                usage.append(r["usage"])
    finally:
        stop(proc, data)
        fake.terminate()
    n = max(1, len(usage))
    p = sum(u["prompt_tokens"] for u in usage) / n
    c = sum(u["completion_tokens"] for u in usage) / n
    return {"answers": len(usage), "prompt_tokens_mean": round(p), "completion_tokens_mean": round(c),
            "price_per_1m_usd": prices, "usd_per_answer": (p * prices["prompt"] + c * prices["completion"]) / 1e6,
            "note": "fake LLM counts tokens as characters/4; the prompt is the server's real prompt"}


def lighthouse():
    lh = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
    if not lh.exists():
        sh(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", "bench/lighthouse", "lighthouse@12"])
    out = {}
    with open(RESULTS / "lighthouse-server.log", "w") as log:
        proc, port, data = serve({}, log)
    try:
        for name, page in [("en", "/kinematics/"), ("ur", "/ur/kinematics/")]:
            dest = RESULTS / f"lighthouse-{name}.json"
            subprocess.run([lh, f"http://127.0.0.1:{port}{page}", "--quiet", "--only-categories=performance",
                            "--form-factor=mobile", "--output=json", f"--output-path={dest}",
                            "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking"],
                           cwd=ROOT, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
            r = json.load(open(dest))
            a = r["audits"]
            out[name] = {"performance": round(r["categories"]["performance"]["score"] * 100),
                         "fcp_ms": round(a["first-contentful-paint"]["numericValue"]),
                         "lcp_ms": round(a["largest-contentful-paint"]["numericValue"]),
                         "tbt_ms": round(a["total-blocking-time"]["numericValue"])}
            dest.unlink()
    finally:
        stop(proc, data)
    return out


def eval_section(q):
    """Section 3 of the report: the eval figures per locale next to the previous ones, and sample answers."""
    L = ["## 3. Answer quality (eval/questions.{en,ur}.jsonl)\n", f"Mode: {q['mode']}; extractive answers.\n",
          "Retrieval over the answerable questions; unanswerable questions (half near the subject, half off-topic) "
          "and wrongly refused answerable ones on the held-out split (the grounding model was fitted on the "
          "development split); answer terms: share of each answer's key facts (`answer_terms`) the extractive "
          "answer contains. Recall, MRR and answer terms over all answerable questions (dev and held-out; the "
          "ranking weights were chosen on dev), the held-out figures below the table. Previous: the same eval set "
          "at the start of the current round of answer-quality work.\n",
          "| locale | answerable | recall@1 (prev) | recall@5 (prev) | MRR (prev) | unanswerable recall (prev) | "
          "unanswerable precision | answerable refused | answer terms | cross-lingual hits@5 |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for loc in ("en", "ur"):
        x, pv = q[loc], q["previous"][loc]
        L.append(f"| {loc} | {x['answerable']} | {x['recall_at_1']:.3f} ({pv['recall_at_1']:.2f}) "
                 f"{mark(x['recall_at_1'] >= 0.85)} >= 0.85 | {x['recall_at_5']:.2f} ({pv['recall_at_5']:.2f}) "
                 f"{mark(x['recall_at_5'] >= 0.95)} >= 0.95 | {x['mrr']:.3f} ({pv['mrr']:.2f}) "
                 f"{mark(x['mrr'] >= 0.9)} >= 0.9 | {x['unanswerable_recognised']}/{x['unanswerable']} = "
                 f"{x['unanswerable_recall']:.2f} ({pv['unanswerable_recall']:.2f}) "
                 f"{mark(x['unanswerable_recall'] >= 0.95)} >= 0.95 | {x['unanswerable_precision']:.2f} | "
                 f"{x['answerable_refused']}/{x['answerable_heldout']} = {x['answerable_refused_share']:.3f} "
                 f"({pv['answerable_refused_share']:.3f}) {mark(x['answerable_refused_share'] <= 0.03)} <= 0.03 | "
                 f"{x['answer_terms']:.3f} ({pv['answer_terms']:.2f}) {mark(x['answer_terms'] >= 0.8)} >= 0.8 | "
                 f"{x['cross_lingual_hits5']}/{x['cross_lingual']} |")
    for loc in ("en", "ur"):
        h = q[loc].get("held_out")
        if h:
            L.append(f"\nHeld-out split only ({loc}, {h['answerable']} answerable): recall@1 {h['recall_at_1']:.3f}, "
                     f"recall@5 {h['recall_at_5']:.3f}, MRR {h['mrr']:.3f}, answer terms {h['answer_terms']:.3f}.")
    for loc in ("en", "ur"):
        L.append(f"\nSample extractive answers ({loc}), ten spread over the set:\n")
        for smp in q[loc]["samples"]:
            answer = smp["answer"].replace("\n\n", " ").replace("\n", " ")
            L.append(f"- **{smp['question']}** ({smp['id']})  \n  {answer}")
    L.append("")
    return L


def report(r):
    L = [f"# Benchmark report\n\nGenerated by `python3 bench/run.py{' --full' if r['full'] else ''}` on "
         f"{r['machine']['date']}. Raw figures: `bench/results/*.json`.\n",
         f"Machine: {r['machine']['cpu']}, {r['machine']['cores']} cores, {r['machine']['memory_mb']} MB, "
         f"{r['machine']['os']}, {r['machine']['rustc']}.\n"]
    L += site_section(r["site"])
    v = r["server"]
    L += ["## 2. Server (embedded mode, extractive answers)\n",
          f"{v['seconds_per_level']} s per level, closed loop, loopback. Start to ready with an existing index: "
          f"{v['start_to_ready_s']} s (target < 2 s: {mark(v['start_to_ready_s'] < 2)}); RSS after load "
          f"{v['rss_mb']} MB (target < 200 MB: {mark(v['rss_mb'] < 200)}); retrieval p95 <= "
          f"{v['retrieval_p95_ms_upper_bucket']} ms (bucket bound).\n",
          "| endpoint | clients | req/s | p50 ms | p95 ms | p99 ms | errors | share of hello req/s |",
          "|---|---|---|---|---|---|---|---|"]
    hello = {x["concurrency"]: x["rps"] for x in v["hello"]}
    for name in ("chat", "search", "hello"):
        for x in v[name]:
            share = x["rps"] / hello[x["concurrency"]] if hello.get(x["concurrency"]) else 0
            L.append(f"| {name} | {x['concurrency']} | {x['rps']:.0f} | {x['p50_ms']:.1f} | {x['p95_ms']:.1f} | "
                     f"{x['p99_ms']:.1f} | {x['errors']} | {share:.2f} |")
    chat50 = next(x for x in v["chat"] if x["concurrency"] == 50)
    L.append(f"\nTargets at 50 clients: `/api/chat` p95 < 50 ms: {mark(chat50['p95_ms'] < 50)}; >= 500 req/s: "
             f"{mark(chat50['rps'] >= 500)}. Latency SLO (p95 <= 6 s end to end): "
             f"{mark(all(x['p95_ms'] < 6000 for x in v['chat']))}.\n")
    L += eval_section(r["retrieval"])
    p = r["pages"]
    L += ["\n## 4. Page weight and user-perceived speed\n",
          "| page | HTML gz | CSS gz | JS gz | fonts | before opening the widget | widget on open | after | "
          "budget widget <= 150 KB |", "|---|---|---|---|---|---|---|---|---|"]
    for loc in ("en", "ur"):
        x = p[loc]
        k = x["by_kind_raw_gz"]
        L.append(f"| /{'ur/' if loc == 'ur' else ''}kinematics/ | {k['html'][1]} B | {k.get('css', (0, 0))[1]} B | "
                 f"{k.get('js', (0, 0))[1]} B | {k.get('fonts', (0, 0))[1]} B | {x['before_open_gz']} B | {x['widget_on_open_gz']} B | "
                 f"{x['after_open_gz']} B | {mark(x['widget_on_open_gz'] <= 150 * 1024)} |")
    L.append("\nFonts: self-hosted WOFF2 subsets (static/fonts, made by scripts/fonts.py): Noto Nastaliq Urdu on Urdu "
             "pages, Latin Modern Math for the operators of pages with formulas. Lighthouse with accessibility and the "
             "browser-measured weight, served gzipped like GitHub Pages: `node bench/lighthouse/reader.mjs`.\n")
    if r.get("lighthouse"):
        L += ["| Lighthouse (mobile) | performance | FCP | LCP | TBT |", "|---|---|---|---|---|"]
        for loc, x in r["lighthouse"].items():
            L.append(f"| {loc} | {x['performance']} | {x['fcp_ms']} ms | {x['lcp_ms']} ms | {x['tbt_ms']} ms |")
    else:
        L.append("Lighthouse: run with `--full` (or `--lighthouse`) to include it.")
    c = r["cost"]
    L += ["\n## 5. Cost per query\n",
          f"{c['answers']} eval questions answered through a local fake LLM ({c['note']}): mean "
          f"{c['prompt_tokens_mean']} prompt + {c['completion_tokens_mean']} completion tokens; at "
          f"${c['price_per_1m_usd']['prompt']}/${c['price_per_1m_usd']['completion']} per million tokens "
          f"(LLM_PRICE_PROMPT_PER_1M / LLM_PRICE_COMPLETION_PER_1M) that is **${c['usd_per_answer']:.6f} per answer** "
          f"(${c['usd_per_answer'] * 1000:.3f} per 1,000). Extractive answers cost nothing.\n"]
    L.append(DESIGN_NOTES)
    return "\n".join(L) + "\n"


# Static: figures measured once when a design choice was made (see the section text).
DESIGN_NOTES = """## 6. Measurements behind design choices

One-off measurements that decided how code is written; the code comments name the choice and point here, since
figures in comments go stale. Re-measure before reversing a choice.

- Site output, hard links (`site/src/output.rs`): on the test machine (ext4) creating a file right after deleting
  the previous build's took up to 1.4 ms, a hard link 0.02 ms, so unchanged files are linked from the last build.
- Site output, staging into the replaced generation (`site/src/output.rs`): on the same machine with other jobs
  writing to the disk, deleting a 2,002-page output (159 MB, hard links included) took 6.5 s wall at 0.2 s system
  time (journal waits) and was most of a repeated build (write step 6.8-6.9 s); staging into the output the last
  build replaced brought that step to 0.09-0.20 s.
- Sidebar per page (`site/src/sidebar.rs`): formatting the whole tree for every page was 17 % of a 2,002-page
  build's CPU (perf); rendered once and spliced, the output is byte-identical and layout+write fell from about 1 s
  to 0.4-0.6 s. Listing every page on every page made that book's output 159 MB; one link per other chapter above
  300 listed pages made it 61 MB.
- Render cache in one pack file (`site/src/pipeline/renders.rs`): one JSON file per page made a cold build of the
  2,002-page corpus spend 0.5-1.8 s in its Markdown step (creating 2,000 files on the busy disk) against 0.13 s
  without the cache; one pack file: 0.10 s cold, 0.05 s warm (was 0.09 s).
- Tera slots, tried and dropped: splicing the page HTML and the sidebar into the rendered template instead of
  passing them through Tera's context changed nothing measurable (0.47-0.48 s CPU either way on that book).
- Search index written by `site` in Pagefind's format (`site/src/search/`), both languages at once: the textbook
  into an empty folder 190 -> 170 ms against one language after the other; the 2,002-page corpus peaked at 213 MB
  that way with 32-byte word positions, 194 MB with 12-byte ones (one after the other: 175 MB; Hugo: 235-256 MB).
  Its gzip is libdeflate at level 6: 28 ms for the textbook's 2.2 MB of index against 43 ms for zlib-rs at level 6,
  and 938 KB against 951 KB (zlib-rs at level 9: 939 KB in 82 ms). Level 4 would save about 5 ms of a build for
  1.9 % more bytes: not taken. Tried and dropped, no measurable change: a word memo kept per thread for the whole
  build, merging the pages' word entries in parallel shards, reading each page's words on the render threads right
  after rendering it (the Markdown step 70 -> 129 ms, search 140 -> 94 ms: slower in all).
- Python highlighting (`site/src/highlight/python.rs`): the textbook's 56 Python blocks (68 KB) took 75-80 ms of
  CPU with syntect's TextMate grammar, 17 ms with tree-sitter's highlight query (plus 7.5 ms to compile the query
  in every build), 11 ms parsed with tree-sitter and read in one walk over the tree. A block is highlighted once
  even when both locales' copies are rendered at the same moment (highlighting 190 -> 95 ms of CPU before).
- Allocator of the `site` binary: jemalloc. Textbook into an empty folder on tmpfs 169 -> 152 ms, 2,002 pages
  0.42 -> 0.40 s with the peak 213 -> 194 MB; mimalloc was as fast (0.35 s) but peaked at 245-270 MB.
- Histogram upkeep (`server/src/metrics.rs`): without folding buffered samples every few seconds, a 10-minute soak
  at about 2,500 answers/s grew the process by about 90 MB when nothing scraped `/metrics`."""


def splice_section(title, next_title, lines):
    """Replaces one section of the existing report (from `title` up to `next_title`) and prints it."""
    path = ROOT / "bench" / "REPORT.md"
    text = path.read_text()
    start = text.index(title)
    end = text.index(next_title, start)
    path.write_text(text[:start] + "\n".join(lines) + text[end:])
    print("\n".join(lines))


def eval_only():
    """Reruns the eval on the built site's corpus and splices its section into the existing report."""
    sh(["cargo", "run", "-q", "-p", "site", "--", "build"])
    q = retrieval()
    json.dump(q, open(RESULTS / "eval.json", "w"), indent=1)
    splice_section("## 3. Answer quality", "\n## 4.", eval_section(q))


def site_only(extra):
    """Reruns bench/site.py and splices its section into the existing report (no server build needed)."""
    sh([sys.executable, "bench/site.py"] + extra)
    s = json.load(open(RESULTS / "site.json"))
    s["regenerated"] = (f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python3 bench/run.py --site-only"
                        f"{''.join(' ' + x for x in extra)}`")
    json.dump(s, open(RESULTS / "site.json", "w"), indent=2)
    splice_section("## 1. Site build", "\n## 2.", site_section(s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--lighthouse", action="store_true", help="include Lighthouse in quick mode")
    ap.add_argument("--eval-only", action="store_true",
                    help="rerun only the answer-quality eval (debug build) and replace section 3 of REPORT.md")
    ap.add_argument("--site-only", nargs=argparse.REMAINDER,
                    help="rerun only bench/site.py (with these arguments) and replace section 1 of REPORT.md")
    a = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if a.site_only is not None:
        site_only(a.site_only)
        return
    if a.eval_only:
        eval_only()
        return
    # One package per invocation: building them together unifies features differently from `cargo build -p X`
    # (used by the scripts below) and would recompile qdrant-edge in release (~11 min on 2 cores) a second time.
    sh(["cargo", "build", "-q", "--release", "-p", "server", "-p", "bench"])  # as bench/server.sh builds them
    sh(["cargo", "build", "-q", "--release", "-p", "site"])  # as bench/site.py builds it
    if not (ROOT / "widget" / "dist" / "widget_bg.wasm").exists():
        sh(["trunk", "build", "--release", "--offline"])
    sh([TARGET / "release" / "site", "build"])
    r = {"full": a.full, "machine": machine()}
    sh([sys.executable, "bench/site.py"] + (["--docusaurus"] if a.full else ["--quick"]))
    r["site"] = json.load(open(RESULTS / "site.json"))
    sh(["bench/server.sh", "--seconds", "30" if a.full else "5"])
    r["server"] = json.load(open(RESULTS / "server.json"))
    r["retrieval"] = retrieval()
    r["pages"] = page_weight()
    r["lighthouse"] = lighthouse() if (a.full or a.lighthouse) else None
    r["cost"] = cost()
    json.dump(r, open(RESULTS / "all.json", "w"), indent=2)
    (ROOT / "bench" / "REPORT.md").write_text(report(r))
    print((ROOT / "bench" / "REPORT.md").read_text())


if __name__ == "__main__":
    main()
