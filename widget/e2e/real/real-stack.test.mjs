// Browser tests against the REAL stack: the built textbook (public/) served by the real server binary in embedded
// mode. The test owns the server processes so it can stop and restart the backend and run a rate-limited one.
//   SERVER_BIN=target/debug/server SITE_DIR=public node --test widget/e2e/real/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "../../..");
const SERVER = path.resolve(root, process.env.SERVER_BIN || "target/debug/server");
const SITE = path.resolve(root, process.env.SITE_DIR || "public");
const EN = process.env.REAL_EN_PAGE || "/kinematics/";
const UR = process.env.REAL_UR_PAGE || "/ur/kinematics/";
const shots = path.resolve(root, process.env.SCREENSHOT_DIR || "target/widget-screenshots");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const dataDir = fs.mkdtempSync("/tmp/widget-real-");

const freePort = () => new Promise((res) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); }); });

async function startServer(port, extraEnv = {}) {
  const child = spawn(SERVER, ["serve", "--site", SITE], {
    env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: path.join(dataDir, String(port)),
      CORPUS_SOURCE: path.join(SITE, "rag"), RATE_LIMIT_PER_IP_PER_MINUTE: "1000", LOG_LEVEL: "warn", ...extraEnv },
    stdio: "ignore",
  });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/ready`)).ok) return child; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("server did not become ready");
}

let browser, port, server;
const base = () => `http://127.0.0.1:${port}`;
before(async () => {
  port = await freePort();
  server = await startServer(port);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  fs.mkdirSync(shots, { recursive: true });
});
// The server may still be flushing its index when killed; wait for it to exit before removing its data,
// otherwise rmSync races with the last segment write (ENOTEMPTY).
after(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill();
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

async function openPage(url, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => { errors.push("dialog: " + d.message()); d.dismiss(); });
  // The server's CSP allows no inline script but the theme one (by hash): anything it blocks is a failure too.
  page.on("console", (m) => { if (/Content Security Policy/.test(m.text())) errors.push("csp: " + m.text()); });
  const resp = await page.goto(url);
  assert.equal(resp.status(), 200, url);
  return { ctx, page, errors };
}

async function openByKeyboard(page) {
  const launcher = page.locator("#pai-chat .launch");
  await launcher.waitFor();
  await launcher.focus();
  await page.keyboard.press("Enter");
  await page.locator("#pai-chat textarea").waitFor({ state: "visible" });
  await page.waitForFunction(() => document.querySelector("#pai-chat").shadowRoot.activeElement?.id === "pai-q");
}

async function ask(page, q) {
  await page.locator("#pai-chat textarea").fill(q);
  await page.keyboard.press("Enter");
  await page.locator("#pai-chat .turn .actions").last().waitFor({ timeout: 20000 }).catch(() => {});
}

async function sourcesLandOnHeadings(page, prefix) {
  const hrefs = await page.locator("#pai-chat .turn").last().locator(".sources a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.length > 0, "answer has sources");
  for (const href of hrefs) {
    assert.ok(href.startsWith(prefix), `${href} is in the reader's locale (${prefix})`);
    const [p, anchor] = href.split("#");
    const resp = await fetch(base() + p);
    assert.equal(resp.status, 200, `${href}: the cited page exists`);
    const html = await resp.text();
    // Text before a page's first heading is cited by the page URL alone; every other source names its heading.
    if (anchor) assert.ok(html.includes(`id="${anchor}"`), `${href}: the cited heading exists on the page`);
  }
  return hrefs;
}

test("English page: keyboard, streamed answer citing existing headings, history after reload", async () => {
  const { ctx, page, errors } = await openPage(base() + EN);
  await openByKeyboard(page);
  await ask(page, "What is forward kinematics?");
  assert.ok((await page.locator("#pai-chat .turn .answer").last().innerText()).length > 40);
  assert.match(await page.locator("#pai-chat .badge").last().innerText(), /no AI model/);
  await sourcesLandOnHeadings(page, "/");
  await page.screenshot({ path: path.join(shots, "real-en-light.png") });
  await page.reload();
  await openByKeyboard(page);
  await page.locator("#pai-chat .turn .user", { hasText: "forward kinematics" }).first().waitFor();
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("Urdu page: RTL panel, Urdu question, Urdu sources; dark screenshot", async () => {
  const { ctx, page } = await openPage(base() + UR, { colorScheme: "dark" });
  await openByKeyboard(page);
  assert.equal(await page.locator("#pai-chat .panel").getAttribute("dir"), "rtl");
  assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
  await ask(page, "فارورڈ کائنیمیٹکس کیا ہے؟");
  await sourcesLandOnHeadings(page, "/ur/");
  await page.screenshot({ path: path.join(shots, "real-ur-dark.png") });
  await ctx.close();
});

// Site search (Pagefind) on the real built site: the runtime loads on focus, results link to section anchors in
// the reader's locale, the section named for the query comes first, a page shows at most three sections, and
// following the first link lands on an existing heading.
for (const [url, query, prefix] of [[EN, "jacobian singularity", "/"], [UR, "جیکوبین", "/ur/"]]) {
  test(`site search finds sections (${prefix === "/" ? "en" : "ur"})`, async () => {
    const { ctx, page, errors } = await openPage(base() + url);
    await page.locator("#search-input").click();
    await page.locator("#search-input").fill(query);
    const first = page.locator("#search-results a").first();
    await first.waitFor({ timeout: 15000 });
    const hrefs = await page.locator("#search-results a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.length > 0 && hrefs.length <= 10, `${hrefs.length} results`);
    for (const h of hrefs) assert.ok(h.startsWith(prefix) && (prefix === "/" ? !h.startsWith("/ur/") : true), `${h} in ${prefix}`);
    assert.equal(hrefs[0], `${prefix}kinematics/#jacobians`, hrefs.join(" "));
    const perPage = {};
    for (const h of hrefs) perPage[h.split("#")[0]] = (perPage[h.split("#")[0]] || 0) + 1;
    assert.ok(Object.values(perPage).every((n) => n <= 3), JSON.stringify(perPage));
    const href = hrefs[0];
    await first.click();
    await page.waitForURL((u) => u.pathname === href.split("#")[0]);
    const anchor = href.split("#")[1];
    if (anchor) assert.equal(await page.locator(`[id="${decodeURIComponent(anchor)}"]`).count(), 1, `${href} lands on a heading`);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test("select text on the page -> Ask about this -> answered with the selection quoted", async () => {
  const { ctx, page } = await openPage(base() + EN);
  await page.locator("#pai-chat .launch").waitFor();
  const para = page.locator("main p, article p").nth(1);
  await para.selectText();
  await para.dispatchEvent("mouseup");
  await page.locator("#pai-chat .pick").click();
  await page.locator("#pai-chat .attached blockquote").waitFor();
  await ask(page, "Can you explain this?");
  await page.locator("#pai-chat .turn .user blockquote").last().waitFor();
  await sourcesLandOnHeadings(page, "/");
  await ctx.close();
});

test("XSS payload in the question never executes", async () => {
  const { ctx, page, errors } = await openPage(base() + EN);
  await openByKeyboard(page);
  await ask(page, "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=1</script> kinematics");
  const flag = await page.evaluate(() => window.__xss);
  assert.equal(flag, undefined);
  assert.equal(await page.evaluate(() => document.querySelector("#pai-chat").shadowRoot.querySelectorAll(".turn img, .turn script").length), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("backend stopped -> friendly error; backend back -> Retry answers", async () => {
  const { ctx, page } = await openPage(base() + EN);
  await openByKeyboard(page);
  server.kill();
  await new Promise((r) => server.once("exit", r));
  await page.locator("#pai-chat textarea").fill("What is a Jacobian?");
  await page.keyboard.press("Enter");
  const err = page.locator("#pai-chat .error").last();
  await err.waitFor();
  assert.ok((await err.innerText()).length > 10);
  server = await startServer(port);
  await err.locator("button", { hasText: "Retry" }).click();
  await page.locator("#pai-chat .turn .actions").last().waitFor();
  assert.equal(await page.locator("#pai-chat .error").count(), 0);
  await ctx.close();
});

test("rate limited backend -> the wait time is shown", async () => {
  const limitedPort = await freePort();
  const limited = await startServer(limitedPort, { RATE_LIMIT_PER_IP_PER_MINUTE: "1" });
  try {
    const { ctx, page } = await openPage(`http://127.0.0.1:${limitedPort}${EN}`);
    await openByKeyboard(page);
    await ask(page, "What is forward kinematics?");
    await page.locator("#pai-chat textarea").fill("And inverse kinematics?");
    await page.keyboard.press("Enter");
    await page.locator("#pai-chat .error", { hasText: /\d+ second/ }).waitFor();
    await ctx.close();
  } finally {
    limited.kill();
  }
});

for (const [name, url, scheme] of [["en light", EN, "light"], ["en dark", EN, "dark"], ["ur light", UR, "light"], ["ur dark", UR, "dark"]]) {
  test(`axe: no WCAG 2.1 A/AA violations on a textbook page with the widget open (${name})`, async () => {
    const { ctx, page } = await openPage(base() + url, { colorScheme: scheme });
    await openByKeyboard(page);
    await ask(page, url.startsWith("/ur/") ? "فارورڈ کائنیمیٹکس کیا ہے؟" : "What is forward kinematics?");
    // Evaluated through the DevTools protocol: a <script> tag would be (rightly) blocked by the page's CSP.
    await page.evaluate(axeSource);
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    const v = result.violations.map((x) => `${x.id}: ${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(v, []);
    await ctx.close();
  });
}

// Every page of the book (the widget closed): the content itself (tables, figures, code, math, admonitions) must
// meet WCAG 2.1 A/AA too, not just the page the widget tests use. Light: every page in both locales; dark: the
// English pages (the dark palette does not depend on the language; Urdu dark is covered above).
test("axe: every page in the sitemap, light (en + ur) and dark (en)", async () => {
  const xml = await (await fetch(base() + "/sitemap.xml")).text();
  const paths = [...new Set([...xml.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1], base()).pathname))];
  assert.ok(paths.length >= 28, `sitemap lists ${paths.length} pages`);
  const failures = [];
  for (const scheme of ["light", "dark"]) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
    const page = await ctx.newPage();
    for (const p of paths.filter((x) => scheme === "light" || !x.startsWith("/ur/"))) {
      const resp = await page.goto(base() + p);
      assert.equal(resp.status(), 200, p);
      await page.evaluate(axeSource);
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const x of result.violations) {
        failures.push(`${scheme} ${p} ${x.id}: ${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
    await ctx.close();
  }
  assert.deepEqual(failures, []);
});
