// `site serve` end to end in headless Chromium: append a paragraph to a page's Markdown and time until the new text
// is on screen (rebuild, reload event, page load, layout), N times; prints one JSON line with the times.
//   node bench/serve_visible.mjs SITE_BIN ROOT [EDITS]
// ROOT is a copy of the book (the page file is edited). Uses playwright-core from widget/e2e (`npm ci` there) and
// /usr/bin/chromium (or $CHROMIUM).
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const [site, root, edits = "7"] = process.argv.slice(2);
const repo = path.resolve(import.meta.dirname, "..");
const { chromium } = createRequire(path.join(repo, "widget/e2e/package.json"))("playwright-core");
const file = path.join(root, "content/en/03-kinematics/index.md");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const port = await new Promise((resolve, reject) => {
  const s = net.createServer();
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.on("error", reject);
});
const base = `http://127.0.0.1:${port}`;
const server = spawn(site, ["serve", "--root", root, "--port", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
let log = "";
server.stderr.on("data", (d) => { log += d; });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  for (let i = 0; i < 600 && !log.includes("serving on"); i++) await sleep(100);
  const page = await browser.newPage();
  let navs = 0;
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) navs++; });
  await page.goto(base + "/kinematics/");
  await sleep(1000);
  const times = [];
  for (let n = 0; n < Number(edits); n++) {
    const marker = `visible-edit-${n}-${Date.now()}`;
    const t0 = performance.now();
    fs.appendFileSync(file, `\n${marker}\n`);
    // Polled from here rather than waited for in the page: a full reload (the fallback when more than the content
    // changed) would replace the page's JavaScript context.
    for (;;) {
      const seen = await page.evaluate((m) => document.body?.innerText.includes(m), marker).catch(() => false);
      if (seen) break;
      if (performance.now() - t0 > 10000) {
        const html = await page.content().catch(() => "");
        throw new Error(`edit ${n} not visible after 10 s (navigations ${navs}, in DOM html: ${html.includes(marker)}, url ${page.url()})\n${log}`);
      }
      await sleep(2);
    }
    times.push(Math.round(performance.now() - t0));
    await sleep(1500); // the search index follows; let it finish before the next edit
  }
  const sorted = [...times].sort((a, b) => a - b);
  const search = [...log.matchAll(/search index ready in (\d+) ms/g)].map((m) => Number(m[1])).slice(-times.length);
  console.log(JSON.stringify({ median_ms: sorted[Math.floor(sorted.length / 2)], all_ms: times, search_ms: search }));
} finally {
  await browser.close();
  server.kill();
}
