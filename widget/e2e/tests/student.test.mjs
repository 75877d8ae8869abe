// What a student does in the first minute, control by control, against the fake backend (deterministic answers and
// failure modes): both locales, desktop (1280x900) and phone (390x844). Every test fails on a page error, a console
// error (a WebAssembly panic logs one) or a blocked resource.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const BASE = (process.env.BASE_URL || "http://127.0.0.1:8765").replace(/\/$/, "");
const FAKE = process.env.FAKE !== "0";
const shots = path.resolve(process.env.SCREENSHOT_DIR || path.join(import.meta.dirname, "../../../target/widget-screenshots"));
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const PAGES = { en: "/en.html", ur: "/ur.html" };

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  fs.mkdirSync(shots, { recursive: true });
});
after(async () => { await browser?.close(); });

const control = (mode) => fetch(BASE + "/__control", { method: "POST", body: JSON.stringify({ mode }) });
const W = (page) => page.locator("#pai-chat");

async function openPage(p, viewport) {
  const ctx = await browser.newContext({ viewport, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push("pageerror: " + e));
  page.on("console", (m) => { if (m.type() === "error") errors.push("console: " + m.text()); });
  page.on("dialog", (d) => { errors.push("dialog: " + d.message()); d.dismiss(); });
  await page.goto(BASE + p);
  await W(page).locator(".launch").waitFor();
  return { ctx, page, errors };
}

async function openByClick(page) {
  await W(page).locator(".launch").click();
  await W(page).locator("textarea").waitFor({ state: "visible" });
}

const answered = (page) => W(page).locator(".turn .actions").last().waitFor({ timeout: 15000 });

for (const [loc, url] of Object.entries(PAGES)) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`${loc} ${size}: every starter question answers, and the panel keeps working after each`, { skip: !FAKE }, async () => {
      await control("normal");
      const { ctx, page, errors } = await openPage(url, viewport);
      await openByClick(page);
      const count = await W(page).locator(".starters button").count();
      assert.equal(count, 4);
      for (let i = 0; i < count; i++) {
        const starter = W(page).locator(".starters button").nth(i);
        const q = (await starter.innerText()).trim();
        await starter.click();
        await answered(page);
        assert.equal((await W(page).locator(".turn .user").last().innerText()).includes(q), true, `starter ${i} asked`);
        assert.match(await W(page).locator(".turn .answer").last().innerText(), /end-effector pose/);
        // A typed follow-up still renders after the starter (the reported crash left the panel dead here).
        await W(page).locator("textarea").fill("and a typed follow-up?");
        await W(page).locator("form button[type=submit]").click();
        await page.waitForFunction(() => document.querySelector("#pai-chat").shadowRoot.querySelectorAll(".turn .actions").length === 2);
        // New conversation brings the starters back for the next one.
        await W(page).locator(".bar button.tool").first().click();
        await W(page).locator(".starters button").first().waitFor();
      }
      await page.screenshot({ path: path.join(shots, `student-${loc}-${size}.png`) });
      assert.deepEqual(errors, []);
      await ctx.close();
    });

    test(`${loc} ${size}: send, stop, copy, thumbs, delete (cancel, confirm), close`, { skip: !FAKE }, async () => {
      await control("normal");
      const { ctx, page, errors } = await openPage(url, viewport);
      await openByClick(page);
      await W(page).locator("textarea").fill("What is forward kinematics?");
      await W(page).locator("form button[type=submit]").click();
      await answered(page);

      const copy = W(page).locator(".actions button").first();
      const before = await copy.innerText();
      await copy.click();
      await page.waitForFunction((b) => document.querySelector("#pai-chat").shadowRoot.querySelector(".actions button").textContent !== b, before);
      assert.match(await page.evaluate(() => navigator.clipboard.readText()), /end-effector pose/);
      for (const i of [1, 2]) {
        const thumb = W(page).locator(".actions button.icon").nth(i - 1);
        await thumb.click();
        await page.waitForFunction((n) => document.querySelector("#pai-chat").shadowRoot
          .querySelectorAll(".actions button.icon")[n].getAttribute("aria-pressed") === "true", i - 1);
      }
      const state = await (await fetch(BASE + "/__state")).json();
      assert.ok(state.feedback.length >= 2, "both ratings reached the server");

      await control("slow");
      await W(page).locator("textarea").fill("a slow one");
      await W(page).locator("form button[type=submit]").click();
      await W(page).locator("form button.primary[type=button]").click(); // Stop replaces Send while streaming
      await W(page).locator(".turn .note").last().waitFor();
      assert.equal(await W(page).locator(".turn").count(), 2);
      await control("normal");

      // Delete asks first; Cancel keeps the conversation.
      await W(page).locator(".bar button.tool").nth(1).click();
      const confirm = W(page).locator(".confirm");
      await confirm.waitFor();
      await page.waitForFunction(() => document.querySelector("#pai-chat").shadowRoot.activeElement?.className === "danger");
      await confirm.locator("button").nth(1).click();
      await confirm.waitFor({ state: "hidden" });
      assert.equal(await W(page).locator(".turn").count(), 2);
      await W(page).locator(".bar button.tool").nth(1).click();
      await W(page).locator(".confirm button.danger").click();
      await W(page).locator(".starters").waitFor();
      assert.equal(await W(page).locator(".turn").count(), 0);

      // Header: one row, a 44 px close button on a phone.
      const bar = await W(page).locator(".bar").boundingBox();
      const close = await W(page).locator(".bar button.close").boundingBox();
      assert.ok(bar.height < 64, `header is one row (${bar.height}px)`);
      if (size === "phone") assert.ok(close.width >= 44 && close.height >= 44, JSON.stringify(close));
      await W(page).locator(".bar button.close").click();
      await W(page).locator(".panel").waitFor({ state: "hidden" });
      assert.deepEqual(errors, []);
      await ctx.close();
    });

    test(`${loc} ${size}: math renders as MathML, [n] markers link to the numbered sources`, { skip: !FAKE }, async () => {
      await control("math");
      const { ctx, page, errors } = await openPage(url, viewport);
      await openByClick(page);
      await W(page).locator("textarea").fill("What is the ZMP?");
      await W(page).locator("form button[type=submit]").click();
      await answered(page);
      const answer = W(page).locator(".turn .answer").last();
      assert.equal(await answer.locator("math").count(), 3, "two inline formulas and one display equation");
      assert.equal(await answer.locator("math[display=block]").count(), 1);
      const text = await answer.innerText();
      assert.doesNotMatch(text, /\\frac|\\ddot|\$|\\top/, `no raw LaTeX in: ${text}`);
      // Formulas stay left to right inside the Urdu panel.
      assert.equal(await answer.locator(".math").first().getAttribute("dir"), "ltr");
      const cites = await answer.locator("a.cite").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
      const sources = await W(page).locator(".sources ol li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.deepEqual(cites.map(([n]) => n), ["1", "1", "2"]);
      for (const [n, href] of cites) assert.equal(href, sources[Number(n) - 1], `[${n}] points at source ${n}`);
      await page.screenshot({ path: path.join(shots, `student-math-${loc}-${size}.png`) });
      // On a phone the panel covers the page: a tapped citation closes it so the cited section is visible.
      if (size === "phone") {
        await answer.locator("a.cite").first().click();
        await W(page).locator(".panel").waitFor({ state: "hidden" });
        assert.equal(new URL(page.url()).hash, "#para");
        const box = await page.locator("#para").boundingBox();
        assert.ok(box && box.y >= 0 && box.y < viewport.height, `cited paragraph in view: ${JSON.stringify(box)}`);
      }
      assert.deepEqual(errors, []);
      await control("normal");
      await ctx.close();
    });
  }
}

test("keyboard: the launcher is two Tab presses away, and Ctrl+/ opens the chat", { skip: !FAKE }, async () => {
  await control("normal");
  const { ctx, page, errors } = await openPage(PAGES.en, SIZES.desktop);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.querySelector("#pai-chat").shadowRoot.activeElement?.className);
  assert.equal(focused, "launch");
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+/");
  await W(page).locator("textarea").waitFor({ state: "visible" });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("slow network: the launcher shows it is opening at once", { skip: !FAKE }, async () => {
  const { ctx, page } = await openPage(PAGES.en, SIZES.desktop);
  // Hold the app's files back as a slow 4G link would, then click before they arrive.
  await page.route(/widget(_bg\.wasm|\.js)/, async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
  await page.reload();
  await W(page).locator(".launch").click();
  assert.equal(await W(page).locator(".launch").getAttribute("aria-busy"), "true");
  assert.match(await W(page).locator(".launch").innerText(), /Opening/);
  await W(page).locator("textarea").waitFor({ state: "visible" });
  assert.equal(await W(page).locator(".launch").getAttribute("aria-busy"), "false");
  await ctx.close();
});

test("an English conversation reopened on the Urdu page keeps its own direction", { skip: !FAKE }, async () => {
  await control("normal");
  const { ctx, page } = await openPage(PAGES.ur, SIZES.desktop);
  await openByClick(page);
  await W(page).locator("textarea").fill("What is forward kinematics?");
  await W(page).locator("form button[type=submit]").click();
  await answered(page);
  const dirs = await W(page).locator(".turn .user p, .turn .answer p").evaluateAll((ps) => ps.map((p) => getComputedStyle(p).direction));
  assert.ok(dirs.length >= 2 && dirs.every((d) => d === "ltr"), dirs.join(","));
  await ctx.close();
});

test("a trapped WebAssembly module shows a notice with Reload instead of a blank panel, and reports it", { skip: !FAKE }, async () => {
  const { ctx, page } = await openPage(PAGES.en, SIZES.desktop);
  await openByClick(page);
  await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError("unreachable"); }));
  const notice = W(page).locator(".crash[role=alert]");
  await notice.waitFor();
  assert.match(await notice.innerText(), /stopped working/);
  await page.waitForFunction(async () => (await (await fetch("/__state")).json()).clientErrors.length > 0);
  await notice.locator("button").click();
  await page.waitForLoadState("load");
  await W(page).locator(".launch").waitFor();
  await ctx.close();
});

test("landscape phone: the conversation keeps most of the height; the launcher steps aside while reading", { skip: !FAKE }, async () => {
  await control("normal");
  const { ctx, page, errors } = await openPage(PAGES.en, { width: 844, height: 390 });
  await openByClick(page);
  const log = await W(page).locator(".log").boundingBox();
  assert.ok(log.height >= 200, `conversation area ${log.height}px of 390`);
  await W(page).locator(".bar button.close").click();
  assert.deepEqual(errors, []);
  await ctx.close();

  // Portrait phone: a round launcher that moves away on scrolling down and returns on scrolling up.
  const { ctx: c2, page: p2 } = await openPage(PAGES.en, SIZES.phone);
  await p2.evaluate(() => { document.body.style.minHeight = "3000px"; });
  const box = await W(p2).locator(".launch").boundingBox();
  assert.ok(box.width <= 60 && box.height <= 60, `compact launcher ${JSON.stringify(box)}`);
  await p2.mouse.wheel(0, 600);
  await p2.waitForFunction(() => document.querySelector("#pai-chat").shadowRoot.querySelector(".launch").classList.contains("away"));
  await p2.mouse.wheel(0, -300);
  await p2.waitForFunction(() => !document.querySelector("#pai-chat").shadowRoot.querySelector(".launch").classList.contains("away"));
  await c2.close();
});
