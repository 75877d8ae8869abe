"""Section 1 of bench/REPORT.md (site build) from bench/results/site.json; used by run.py."""


def mark(ok):
    return "met" if ok else "**MISSED**"


def site_section(s):
    """Section 1 of the report from bench/results/site.json."""
    t, e = s["textbook"], s["serve_one_page_edit"]
    L = ["## 1. Site build\n"]
    if s.get("regenerated"):
        L.append(f"This section was regenerated on {s['regenerated']}; the rest of the report is from the run above.\n")
    L += [f"Median of {s['runs']} runs after a warm-up; release build; peak RSS of the process. "
         "Repeated builds into one output folder (the usual rows) reuse what `site build` keeps beside it: the output "
         "they replace (`.public.previous`, staged into) and the cache of Markdown renders and per-language search "
         "bundles (`.public.cache`), so they render and index only what changed; the 'empty output folder' rows "
         "build each run into a new folder with neither beside it (a CI checkout: every page rendered and "
         "indexed).\n"]
    L += ["| corpus | tool | median | pages/s | peak RSS | ratio to `site` | target |", "|---|---|---|---|---|---|---|",
         f"| textbook ({t['pages']} pages, en+ur) | site | {t['median_s'] * 1000:.0f} ms | {t['pages_per_s']} | "
         f"{t['peak_rss_mb']} MB | 1.00 | < 150 ms: {mark(t['median_s'] < 0.15)} |",
         f"| textbook, empty output folder each run | site | {s['textbook_fresh']['median_s'] * 1000:.0f} ms | | | | "
         f"< 150 ms: {mark(s['textbook_fresh']['median_s'] < 0.15)} |"]
    for name in ("generated", "generated-code"):
        g, c = s.get(name), s.get(f"{name}_fresh")
        if g:
            L.append(f"| {name} ({g['pages']} pages) | site | {g['median_s'] * 1000:.0f} ms | {g['pages_per_s']} | "
                     f"{g['peak_rss_mb']} MB | 1.00 | < 300 MB: {mark(g['peak_rss_mb'] < 300)} |")
        if c:
            L.append(f"| {name}, empty output folder and no cache each run | site | {c['median_s'] * 1000:.0f} ms | | "
                     f"{c['peak_rss_mb']} MB | | |")
    for peer, by in s["peers"].items():
        for name, p in by.items():
            base = name.removesuffix("_fresh")
            label = f"{base}, empty output folder each run" if name.endswith("_fresh") else name
            # Warm rows against `site`'s repeated build, cold rows (empty folder) against its cold build.
            target = ""
            if peer == "hugo + pagefind" and base != "textbook":
                target = f">= 3x: {mark(p['ratio_to_site'] >= 3)}"
            elif peer == "hugo" and base != "textbook":
                target = f">= 1x: {mark(p['ratio_to_site'] >= 1)}"
            L.append(f"| {label} | {peer} | {p['median_s'] * 1000:.0f} ms | | {p['peak_rss_mb']} MB | "
                     f"{p['ratio_to_site']} | {target} |")
    mem = s.get("cold_in_memory")
    if mem:
        L += ["\nCold builds with the output on tmpfs (`/dev/shm`), each into an empty folder: the same work without "
              "this machine's disk (where creating files soon after many were deleted can cost as much as a build; "
              "see below).\n",
              "| corpus | site | hugo | hugo + pagefind | site peak RSS | hugo peak RSS | targets |", "|---|---|---|---|---|---|---|"]
        for name, row in mem.items():
            ms = {t: x["median_s"] for t, x in row.items()}
            site_s = ms["site"]
            targets = []
            if "hugo + pagefind" in ms:
                targets.append(f">= 3x Hugo + Pagefind: {ms['hugo + pagefind'] / site_s:.1f}x, "
                               f"{mark(ms['hugo + pagefind'] / site_s >= 3)}")
            if "hugo" in ms:
                targets.append(f"no slower than Hugo: {ms['hugo'] / site_s:.1f}x, {mark(ms['hugo'] >= site_s)}")
                targets.append(f"memory below Hugo's: {mark(row['site']['peak_rss_mb'] < row['hugo']['peak_rss_mb'])}")
            def cell(t, ms=ms):
                return f"{ms[t] * 1000:.0f} ms" if t in ms else ""
            L.append(f"| {name} | {cell('site')} | {cell('hugo')} | {cell('hugo + pagefind')} | "
                     f"{row['site']['peak_rss_mb']} MB | {row.get('hugo', {}).get('peak_rss_mb', '')} MB | "
                     f"{'; '.join(targets)} |")
    notes = [f"{peer}: {p['note']}" for peer, by in s["peers"].items() for p in by.values() if p.get("note")]
    if notes:
        L.append("\nPeers: " + "; ".join(dict.fromkeys(notes)) + ".")
    # Remarks written into site.json by hand for one regeneration (what changed in the method, what was not run).
    L += [f"\n{n}" for n in s.get("notes", [])]
    if s.get("scaling"):
        L += ["\nScaling, generated corpus (both locales): a cold build (empty output folder, no cache) and a rebuild "
              "of the unchanged book, with the time per page; Hugo + Pagefind into an empty folder, as the cold build.\n",
              "| pages per locale | pages | site cold | ms per page | peak RSS | site rebuild | ms per page | output | "
              "hugo + pagefind | its peak RSS |", "|---|---|---|---|---|---|---|---|---|---|"]
        for x in s["scaling"]:
            hp = (f"{x['hugo_pagefind_s'] * 1000:.0f} ms | {x['hugo_pagefind_rss_mb']} MB" if "hugo_pagefind_s" in x
                  else " | ")
            L.append(f"| {x['pages_per_locale']} | {x['pages']} | {x['cold_s'] * 1000:.0f} ms | {x['cold_ms_per_page']} | "
                     f"{x['cold_rss_mb']} MB | {x['median_s'] * 1000:.0f} ms | {x['ms_per_page']} | {x['output_mb']} MB | "
                     f"{hp} |")
    L.append(f"\n`site serve`, one-page edit: median rebuild {e['median_ms']} ms over {e['runs']} edits "
             f"(target < 20 ms: {mark(e['median_ms'] < 20)}); the search index follows after the reload.")
    v = s.get("serve_visible")
    if v:
        search = sorted(v["search_ms"])[len(v["search_ms"]) // 2] if v["search_ms"] else 0
        L.append(f"From the file write to the new text on screen in headless Chromium (bench/serve_visible.mjs): "
                 f"median {v['median_ms']} ms over {len(v['all_ms'])} edits (target < 150 ms: "
                 f"{mark(v['median_ms'] < 150)}); that page's search index updated in a median {search} ms after "
                 f"the rebuild (target < 200 ms: {mark(search < 200)}).")
    L.append("")
    return L
