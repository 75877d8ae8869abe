// A student's first minute on the REAL stack (built textbook + real server, embedded mode): each suggested question
// in both locales at desktop and phone widths, the numbered citations checked against the numbered sources, and a
// followed citation landing on its heading below the sticky header. Fails on any console error or WASM panic.
//   SERVER_BIN=target/debug/server SITE_DIR=public node --test widget/e2e/real/student.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";

const root = path.resolve(import.meta.dirname, "../../..");
const SERVER = path.resolve(root, process.env.SERVER_BIN || "target/debug/server");
const SITE = path.resolve(root, process.env.SITE_DIR || "public");
const shots = path.resolve(root, process.env.SCREENSHOT_DIR || "target/widget-screenshots");
const dataDir = fs.mkdtempSync("/tmp/widget-student-");
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const PAGES = { en: "/kinematics/", ur: "/ur/kinematics/" };

const freePort = () => new Promise((res) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); }); });
let browser, server, base;

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(SERVER, ["serve", "--site", SITE], {
    env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: dataDir, CORPUS_SOURCE: path.join(SITE, "rag"),
      RATE_LIMIT_PER_IP_PER_MINUTE: "1000", LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(base + "/ready")).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  fs.mkdirSync(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill();
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

const W = (page) => page.locator("#pai-chat");

async function openPage(url, viewport) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push("pageerror: " + e));
  page.on("console", (m) => { if (m.type() === "error") errors.push("console: " + m.text()); });
  const resp = await page.goto(base + url);
  assert.equal(resp.status(), 200, url);
  return { ctx, page, errors };
}

// The heading an anchor names is inside the viewport and not under the sticky header.
async function headingInView(page, anchor) {
  await page.waitForFunction((id) => {
    const h = document.getElementById(id);
    if (!h) return false;
    const top = h.getBoundingClientRect().top;
    const header = document.querySelector(".site-header");
    const below = header ? header.getBoundingClientRect().bottom : 0;
    return top >= below - 1 && top < innerHeight;
  }, decodeURIComponent(anchor), { timeout: 5000 });
}

async function checkAnswer(page, label) {
  const turn = W(page).locator(".turn").last();
  const text = await turn.locator(".answer").innerText();
  assert.ok(text.length > 30, `${label}: an answer (${text})`);
  assert.doesNotMatch(text, /\\[a-zA-Z]{2,}|\$\$/, `${label}: no raw LaTeX in: ${text}`);
  const sources = await turn.locator(".sources ol li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const cites = await turn.locator(".answer a.cite").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
  if (sources.length === 0) return []; // "not in the book" answers cite nothing
  assert.ok(cites.length > 0, `${label}: the answer cites its sources: ${text}`);
  for (const [n, href] of cites) assert.equal(href, sources[Number(n) - 1], `${label}: [${n}] is source ${n}`);
  return cites;
}

for (const [loc, url] of Object.entries(PAGES)) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`${loc} ${size}: each suggested question gets a cited answer; a citation lands on its heading`, async () => {
      const { ctx, page, errors } = await openPage(url, viewport);
      await W(page).locator(".launch").click();
      await W(page).locator("textarea").waitFor({ state: "visible" });
      const n = await W(page).locator(".starters button").count();
      assert.equal(n, 4);
      let cites = [];
      for (let i = 0; i < n; i++) {
        if (i > 0) {
          await W(page).locator(".bar button.tool").first().click(); // New conversation
          await W(page).locator(".starters button").first().waitFor();
        }
        await W(page).locator(".starters button").nth(i).click();
        await W(page).locator(".turn .actions").last().waitFor({ timeout: 20000 });
        const c = await checkAnswer(page, `${loc} ${size} starter ${i + 1}`);
        if (c.length) cites = c;
      }
      await page.screenshot({ path: path.join(shots, `real-student-${loc}-${size}.png`) });
      assert.ok(cites.length > 0, "at least one starter answer cites a section");
      const [, href] = cites[0];
      await W(page).locator(".turn .answer a.cite").first().click();
      await page.waitForURL((u) => u.pathname + u.hash === href || u.href.endsWith(href));
      const anchor = href.split("#")[1];
      if (anchor) await headingInView(page, anchor);
      if (size === "phone") {
        assert.equal(await W(page).locator(".panel").isVisible(), false, "the panel stepped aside");
      } else {
        // Desktop: the panel comes back open on the cited page, with the conversation.
        await W(page).locator(".turn").first().waitFor({ timeout: 10000 });
      }
      await page.screenshot({ path: path.join(shots, `real-student-cited-${loc}-${size}.png`) });
      assert.deepEqual(errors, []);
      await ctx.close();
    });
  }
}
