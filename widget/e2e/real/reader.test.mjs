// The reader's first minute on the REAL built site (public/) served by the real server binary, done as a person
// does it, in both locales and at a desktop (1280x900) and a phone (390x844) size: every sidebar and TOC link is
// visible with a box and lands its target below the sticky header; the language switch keeps the section;
// search results land on their heading and show no LaTeX; code blocks copy; the web fonts load. Any console
// error or page error fails the test.
//   SERVER_BIN=target/debug/server SITE_DIR=public node --test widget/e2e/real/reader.test.mjs
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
const dataDir = fs.mkdtempSync("/tmp/reader-real-");
const LOCALES = [["en", "/kinematics/"], ["ur", "/ur/kinematics/"]];
const TEX = /\\(theta|dot|ddot|frac|tfrac|begin|end|mathbf|mathcal|top|left|right|sum|alpha|omega|tau|cdot|times|sqrt|hat|quad|qquad|lVert|partial|text)\b|\$\$|\$\\/;
const SIZES = [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]];

const freePort = () => new Promise((res) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); }); });

let browser, server, port;
const base = () => `http://127.0.0.1:${port}`;
before(async () => {
  port = await freePort();
  server = spawn(SERVER, ["serve", "--site", SITE], {
    env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: dataDir, CORPUS_SOURCE: path.join(SITE, "rag"),
      RATE_LIMIT_PER_IP_PER_MINUTE: "1000", LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  let ready = false;
  for (let i = 0; i < 300 && !ready; i++) {
    try { ready = (await fetch(`${base()}/ready`)).ok; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  assert.ok(ready, "server did not become ready");
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
});
after(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill();
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

async function open(url, viewport, extra = {}) {
  const ctx = await browser.newContext({ viewport, ...extra });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push("pageerror: " + String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push("console: " + m.text()); });
  const resp = await page.goto(base() + url);
  assert.equal(resp.status(), 200, url);
  return { ctx, page, errors };
}

const headerBottom = (page) => page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().bottom);

// The element with this id is on screen, wholly below the sticky header, after a jump.
async function landedBelowHeader(page, id, what) {
  await page.waitForFunction((i) => {
    const el = document.getElementById(i);
    const hb = document.querySelector(".site-header").getBoundingClientRect().bottom;
    const r = el && el.getBoundingClientRect();
    return r && r.top >= hb - 1 && r.bottom <= innerHeight;
  }, id, { timeout: 3000 }).catch(() => {});
  const box = await page.evaluate((i) => { const r = document.getElementById(i)?.getBoundingClientRect(); return r && { top: r.top, bottom: r.bottom }; }, id);
  const hb = await headerBottom(page);
  const vh = page.viewportSize().height;
  assert.ok(box, `${what}: #${id} exists`);
  assert.ok(box.top >= hb - 1 && box.bottom <= vh, `${what}: #${id} at ${Math.round(box.top)}..${Math.round(box.bottom)} px, header ends at ${Math.round(hb)}, viewport ${vh}`);
}

async function assertBox(locator, what) {
  assert.ok(await locator.isVisible(), `${what} is visible`);
  const b = await locator.boundingBox();
  assert.ok(b && b.width > 4 && b.height > 4, `${what} has a box: ${JSON.stringify(b)}`);
}

async function openMenu(page) {
  const menu = page.locator(".menu-toggle");
  if (await menu.isVisible() && !(await page.locator("#sidebar.open").count())) {
    await menu.click();
    await page.locator("#sidebar.open").waitFor();
  }
}

for (const [lang, chapter] of LOCALES) {
  for (const [size, viewport] of SIZES) {
    test(`${lang} ${size}: every sidebar link is visible and opens its page; no empty tab stops`, async () => {
      const { ctx, page, errors } = await open(chapter, viewport);
      await openMenu(page);
      // A chapter with pages under it has a visible toggle; a person opens it to reach those pages.
      const closed = page.locator("#sidebar details:not([open]) > summary");
      while (await closed.count()) {
        await assertBox(closed.first(), "closed sidebar toggle");
        await closed.first().click();
      }
      const controls = page.locator("#sidebar a, #sidebar summary, #sidebar button");
      for (let i = 0; i < await controls.count(); i++) await assertBox(controls.nth(i), `sidebar control ${i}`);
      const hrefs = await page.locator("#sidebar a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.ok(hrefs.length >= 14, `${hrefs.length} sidebar links (home, 12 chapters, glossary)`);
      for (const href of hrefs) {
        await openMenu(page);
        const link = page.locator(`#sidebar a[href="${href}"]`);
        const toggle = page.locator("#sidebar details:not([open])", { has: link }).locator("> summary");
        if (await toggle.count()) await toggle.click();
        await assertBox(link, `sidebar link ${href}`);
        await link.click();
        await page.waitForURL((u) => u.pathname === href);
        assert.equal(await page.locator(`#sidebar a[href="${href}"]`).getAttribute("aria-current"), "page", href);
        await assertBox(page.locator("main h1"), `${href} h1`);
      }
      if (size === "phone") {
        const h = await headerBottom(page);
        assert.ok(h <= 64, `the phone header is ${h} px tall`);
      }
      assert.deepEqual(errors, []);
      await ctx.close();
    });

    test(`${lang} ${size}: every TOC link lands its heading below the header and marks it`, async () => {
      const { ctx, page, errors } = await open(chapter, viewport);
      const inline = size === "phone";
      if (inline) {
        assert.equal(await page.locator(".toc").isVisible(), false, "no side TOC on a phone");
        await page.locator(".toc-inline > summary").click();
      }
      const sel = inline ? ".toc-inline a" : ".toc a";
      const ids = await page.locator(sel).evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute("href").slice(1))));
      assert.ok(ids.length >= 10, `${ids.length} TOC links`);
      for (const id of ids) {
        const link = page.locator(`${sel}[href="#${encodeURIComponent(id)}"]`);
        await link.scrollIntoViewIfNeeded();
        await assertBox(link, `TOC link #${id}`);
        await link.click();
        await landedBelowHeader(page, id, `TOC ${lang} ${size}`);
        assert.equal(await page.evaluate(() => decodeURIComponent(location.hash.slice(1))), id);
        // The section jumped to is highlighted (:target) and, on a wide screen, marked in the side TOC.
        const bg = await page.evaluate((i) => getComputedStyle(document.getElementById(i)).backgroundColor, id);
        assert.notEqual(bg, "rgba(0, 0, 0, 0)", `#${id} is highlighted as the target`);
        if (!inline) {
          await page.waitForFunction((i) => document.querySelector(".toc a[aria-current='true']")?.getAttribute("href") === "#" + encodeURIComponent(i), id, { timeout: 2000 })
            .catch(() => {});
          assert.equal(await page.locator(".toc a[aria-current='true']").getAttribute("href"), `#${encodeURIComponent(id)}`, `TOC marks #${id}`);
        }
      }
      assert.deepEqual(errors, []);
      await ctx.close();
    });

    test(`${lang} ${size}: the language switch keeps the section`, async () => {
      const other = lang === "en" ? "/ur/kinematics/" : "/kinematics/";
      const { ctx, page, errors } = await open(`${chapter}#jacobians`, viewport);
      await landedBelowHeader(page, "jacobians", "deep link");
      await page.locator(".locale-switch").click();
      await page.waitForURL((u) => u.pathname === other);
      assert.equal(new URL(page.url()).hash, "#jacobians");
      await landedBelowHeader(page, "jacobians", "after the switch");
      // Scrolled by hand to a section (no hash in the URL): the switch still opens that section.
      await page.evaluate(() => { history.replaceState(null, "", location.pathname); document.getElementById("quaternions").scrollIntoView(); window.scrollBy(0, -80); });
      await page.waitForFunction(() => /#quaternions$/.test(document.querySelector(".locale-switch").getAttribute("href")), null, { timeout: 2000 }).catch(() => {});
      await page.locator(".locale-switch").click();
      await page.waitForURL((u) => u.pathname === chapter);
      assert.equal(new URL(page.url()).hash, "#quaternions");
      await landedBelowHeader(page, "quaternions", "switch after scrolling");
      assert.deepEqual(errors, []);
      await ctx.close();
    });

    test(`${lang} ${size}: search results show no LaTeX and land on their heading`, async () => {
      const { ctx, page, errors } = await open(chapter, viewport);
      const toggle = page.locator(".search-toggle");
      if (await toggle.isVisible()) await toggle.click();
      const input = page.locator("#search-input");
      await assertBox(input, "search box");
      for (const q of lang === "en" ? ["quaternion", "jacobian", "torque"] : ["کواٹرنین", "جیکوبین"]) {
        await input.fill(q);
        await page.locator("#search-results a").first().waitFor({ timeout: 15000 });
        const excerpts = await page.locator("#search-results small").allInnerTexts();
        // TeX commands and math delimiters; code excerpts may hold other backslashes (a "\n" in a string).
        for (const e of excerpts) assert.doesNotMatch(e, TEX, `excerpt for ${q} shows TeX: ${e}`);
      }
      const first = page.locator("#search-results a").first();
      const href = await first.getAttribute("href");
      await first.click();
      await page.waitForURL((u) => u.pathname === href.split("#")[0]);
      const anchor = href.split("#")[1];
      if (anchor) await landedBelowHeader(page, decodeURIComponent(anchor), `search result ${href}`);
      assert.deepEqual(errors, []);
      await ctx.close();
    });
  }

  test(`${lang}: fonts, breadcrumbs, code copy, wide equations`, async () => {
    const { ctx, page, errors } = await open(chapter, { width: 390, height: 844 }, { permissions: ["clipboard-read", "clipboard-write"] });
    await page.evaluate(() => document.fonts.ready);
    const faces = await page.evaluate(() => [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family.replace(/"/g, "")));
    assert.ok(faces.includes("Book Math"), `math font loaded: ${faces}`);
    if (lang === "ur") assert.ok(faces.includes("Book Nastaliq"), `Nastaliq loaded: ${faces}`);
    else assert.ok(!faces.includes("Book Nastaliq"), "an English page does not download the Urdu face");
    const crumbs = await page.locator(".breadcrumbs li").allInnerTexts();
    assert.ok(crumbs.length >= 2, `breadcrumbs: ${crumbs}`);
    const block = page.locator(".code-block").first();
    await block.scrollIntoViewIfNeeded();
    assert.ok((await block.locator(".code-lang").innerText()).length > 0, "language label");
    await block.locator(".code-copy").click();
    await page.waitForFunction(() => document.querySelector(".code-copy").textContent !== document.body.dataset.copy);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await block.locator("pre code").textContent());
    // A display equation wider than the phone scrolls inside its own box, and says so with a visible scrollbar.
    const wide = await page.evaluate(() => [...document.querySelectorAll(".math-display")].filter((m) => m.scrollWidth > m.clientWidth + 2).length);
    assert.ok(wide > 0, "some equation is wider than a phone");
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, "the page itself does not scroll sideways");
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

// Every page of the book on a phone: no long formula, link, code span or reference list makes the page itself
// scroll sideways (found after new chapters added worked examples and reference lists).
test("phone: no page in the sitemap scrolls sideways (en + ur)", async () => {
  const xml = await (await fetch(base() + "/sitemap.xml")).text();
  const paths = [...new Set([...xml.matchAll(/<loc>([^<]+)/g)].map((m) => new URL(m[1], base()).pathname))];
  assert.ok(paths.length >= 28, `${paths.length} pages`);
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  const wide = [];
  for (const p of paths) {
    await page.goto(base() + p);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 390) wide.push(`${p}: ${w}px`);
  }
  await ctx.close();
  assert.deepEqual(wide, []);
});
