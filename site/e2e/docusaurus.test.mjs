// A Docusaurus docs tree imported with `site import docusaurus`, served by `site serve` and looked at in headless
// Chromium: a migrated page (tabs, code title, highlighted lines, admonitions) renders and is screenshotted; a
// broken link written while serving shows the error overlay with its file:line:col, and fixing it clears it; an
// edit is swapped into the open page without a reload.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const root = path.resolve(import.meta.dirname, "../..");
// playwright-core is installed once, for the widget's browser tests.
const require = createRequire(path.join(root, "widget/e2e/package.json"));
const { chromium } = require("playwright-core");

const SITE = path.resolve(root, process.env.SITE_BIN || "target/debug/site");
const shots = path.resolve(root, process.env.SCREENSHOT_DIR || "target/site-screenshots");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "site-e2e-"));
let browser, server, base;

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on("error", reject);
  });

before(async () => {
  execFileSync(SITE, ["import", "docusaurus", path.join(root, "site/tests/fixtures/docusaurus"), "--out", work], { stdio: "inherit" });
  execFileSync(SITE, ["check", "--root", work], { stdio: "inherit" });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(SITE, ["serve", "--root", work, "--port", String(port)], { stdio: ["ignore", "inherit", "inherit"] });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(base + "/")).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
  fs.rmSync(work, { recursive: true, force: true });
});

test("a migrated Docusaurus page renders tabs, code titles, highlighted lines and admonitions", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 1100 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const resp = await page.goto(base + "/getting-started/install/");
  assert.equal(resp.status(), 200);
  assert.equal(await page.locator("h1").count(), 1);
  assert.equal(await page.locator("h1").textContent(), "Installing the tools");
  assert.deepEqual(await page.locator(".tab-label").allTextContents(), ["Linux", "macOS"]);
  assert.deepEqual(await page.locator(".code-title").allTextContents(), ["install.sh", "check.py"]);
  assert.equal(await page.locator(".code-line.highlighted").count(), 2);
  // The stylesheet applied: a highlighted line has a background, a tab a border.
  const bg = await page.locator(".code-line.highlighted").first().evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(bg, "rgba(0, 0, 0, 0)");
  assert.ok(await page.locator(".admonition-info .admonition-warning").isVisible(), "nested admonition");
  assert.ok(!(await page.content()).includes("import Tabs"));
  await page.screenshot({ path: path.join(shots, "docusaurus-migrated-page.png"), fullPage: true });
  const ur = await page.goto(base + "/ur/");
  assert.equal(ur.status(), 200);
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  await page.screenshot({ path: path.join(shots, "docusaurus-migrated-ur-home.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("a broken link written while serving shows an overlay naming file:line:col", async () => {
  const file = path.join(work, "content/en/intro.md");
  const good = fs.readFileSync(file, "utf8");
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(base + "/");
  await page.locator("h1").waitFor();
  const lines = good.split("\n").length;
  fs.writeFileSync(file, good + "See [the missing page](missing.md).\n");
  // The open page reloads itself after the rebuild and shows the overlay.
  const overlay = page.locator("#site-error-overlay");
  await overlay.waitFor({ timeout: 30000 });
  const text = await overlay.textContent();
  assert.match(text, new RegExp(`content/en/intro\\.md:${lines}:5`));
  assert.match(text, /broken link `missing\.md`/);
  assert.equal(await overlay.getAttribute("role"), "alertdialog");
  await page.screenshot({ path: path.join(shots, "site-serve-error-overlay.png") });
  fs.writeFileSync(file, good);
  await overlay.waitFor({ state: "detached", timeout: 30000 });
  await ctx.close();
});

/** The content file whose text contains `needle` (the import may rename files). */
function contentFile(needle) {
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
  const hit = walk(path.join(work, "content/en")).find((f) => fs.readFileSync(f, "utf8").includes(needle));
  assert.ok(hit, `no content file holds ${needle}`);
  return hit;
}

test("an edit while serving is swapped into the open page: no page load, scroll and code buttons kept", async () => {
  const file = contentFile("Installing the tools");
  const good = fs.readFileSync(file, "utf8");
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 500 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  let loads = 0;
  await page.goto(base + "/getting-started/install/");
  page.on("load", () => loads++);
  const buttons = await page.locator(".code-copy").count();
  const tocs = await page.locator(".toc").count();
  assert.ok(buttons > 0, "the page has code blocks with copy buttons");
  // A mark in the page's JavaScript context: a reload would lose it.
  await page.evaluate(() => { window.__beforeEdit = true; window.scrollTo(0, 150); });
  const scrolled = await page.evaluate(() => window.scrollY);
  assert.ok(scrolled > 0, "the page scrolls at this height");
  const added = `Added while serving ${Date.now()}.`;
  fs.writeFileSync(file, `${good}\n${added}\n`);
  await page.getByText(added).waitFor({ timeout: 30000 });
  assert.equal(await page.evaluate(() => window.__beforeEdit), true, "the page was updated in place, not reloaded");
  assert.equal(loads, 0);
  assert.equal(await page.evaluate(() => window.scrollY), scrolled);
  assert.equal(await page.locator(".code-copy").count(), buttons, "code blocks have their copy buttons again");
  assert.equal(await page.locator("#content").count(), 1);
  assert.equal(await page.locator(".toc").count(), tocs, "one side table of contents, as before");
  // Undoing the edit takes it away again, in place.
  fs.writeFileSync(file, good);
  await page.getByText(added).waitFor({ state: "detached", timeout: 30000 });
  assert.equal(await page.evaluate(() => window.__beforeEdit), true);
  assert.deepEqual(errors, []);
  await ctx.close();
});
