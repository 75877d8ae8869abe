// Lighthouse (mobile) on an English and an Urdu chapter, the way GitHub Pages serves them (static files, gzip):
// performance and accessibility scores, and the page weight before the chat widget opens: every request the page
// makes until it is idle, fonts included, as gzipped bytes on the wire. Prints a Markdown section for
// bench/REPORT.md and writes bench/results/lighthouse-reader.json.
//   (cd bench/lighthouse && npm install) ; cargo run -p site -- build ; node bench/lighthouse/reader.mjs
// SITE_DIR (default public/), PAGES (default "/kinematics/,/ur/kinematics/").
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const root = path.resolve(import.meta.dirname, "../..");
const require = createRequire(path.join(import.meta.dirname, "package.json"));
const SITE = path.resolve(root, process.env.SITE_DIR || "public");
const PAGES = (process.env.PAGES || "/kinematics/,/ur/kinematics/").split(",");
const BUDGET = 120 * 1024;

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".mjs": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".woff2": "font/woff2",
  ".wasm": "application/wasm", ".png": "image/png", ".pf_meta": "application/octet-stream" };
// Like GitHub Pages: text types gzipped, fonts/images/wasm as they are.
const compressible = (t) => /^(text\/|application\/json|image\/svg|text\/javascript)/.test(t);
const server = http.createServer((req, res) => {
  let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (rel.endsWith("/")) rel += "index.html";
  const file = path.join(SITE, rel);
  if (!file.startsWith(SITE) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
  const type = types[path.extname(file)] || "application/octet-stream";
  let body = fs.readFileSync(file);
  const headers = { "content-type": type, "cache-control": "max-age=600" };
  if (compressible(type) && /gzip/.test(req.headers["accept-encoding"] || "")) {
    body = zlib.gzipSync(body, { level: 9 });
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = body.length;
  res.writeHead(200, headers);
  res.end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const { default: lighthouse } = await import(require.resolve("lighthouse"));
const chromeLauncher = await import(require.resolve("chrome-launcher"));
const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const results = {};
try {
  for (const page of PAGES) {
    const run = await lighthouse(base + page, { port: chrome.port, output: "json", logLevel: "error",
      onlyCategories: ["performance", "accessibility"], formFactor: "mobile" });
    const lhr = run.lhr;
    const reqs = lhr.audits["network-requests"].details.items;
    const kinds = {};
    for (const r of reqs) kinds[r.resourceType] = (kinds[r.resourceType] || 0) + r.transferSize;
    const failed = Object.values(lhr.categories.accessibility.auditRefs)
      .filter((a) => a.weight > 0 && lhr.audits[a.id].score !== null && lhr.audits[a.id].score < 1).map((a) => a.id);
    results[page] = {
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      accessibility_failed: failed,
      fcp_ms: Math.round(lhr.audits["first-contentful-paint"].numericValue),
      lcp_ms: Math.round(lhr.audits["largest-contentful-paint"].numericValue),
      tbt_ms: Math.round(lhr.audits["total-blocking-time"].numericValue),
      cls: Number(lhr.audits["cumulative-layout-shift"].numericValue.toFixed(3)),
      weight_bytes: reqs.reduce((t, r) => t + r.transferSize, 0),
      by_kind: kinds,
      requests: reqs.map((r) => ({ url: r.url.replace(base, ""), type: r.resourceType, bytes: r.transferSize })),
    };
  }
} finally {
  await chrome.kill();
  server.close();
}
fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
fs.writeFileSync(path.join(root, "bench/results/lighthouse-reader.json"), JSON.stringify(results, null, 2));
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const lines = [
  "| page | performance | accessibility | FCP | LCP | TBT | CLS | weight before the widget opens (gzip) | of it fonts | budget 120 KB |",
  "|---|---|---|---|---|---|---|---|---|---|",
];
for (const [page, x] of Object.entries(results)) {
  lines.push(`| ${page} | ${x.performance} | ${x.accessibility}${x.accessibility_failed.length ? ` (${x.accessibility_failed.join(", ")})` : ""} | ${x.fcp_ms} ms | ${x.lcp_ms} ms | ${x.tbt_ms} ms | ${x.cls} | ${kb(x.weight_bytes)} | ${kb(x.by_kind.Font || 0)} | ${x.weight_bytes <= BUDGET ? "met" : "**MISSED**"} |`);
}
console.log(lines.join("\n"));
