// Browser tests of the widget. BASE_URL points at the server to test (run.sh starts the fake one); the control
// endpoint used for failure modes only exists on the fake server, so those tests skip elsewhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const BASE = (process.env.BASE_URL || "http://127.0.0.1:8765").replace(/\/$/, "");
const FAKE = process.env.FAKE !== "0";
const EN = process.env.EN_PAGE || "/en.html";
const EN_DARK = process.env.EN_DARK_PAGE || "/en-dark.html";
const UR = process.env.UR_PAGE || "/ur.html";
const shots = path.resolve(process.env.SCREENSHOT_DIR || path.join(import.meta.dirname, "../../../target/widget-screenshots"));
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  fs.mkdirSync(shots, { recursive: true });
});
after(async () => { await browser?.close(); });

const control = (mode) => fetch(BASE + "/__control", { method: "POST", body: JSON.stringify({ mode }) });

async function openPage(p, ctxOptions = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 800 }, ...ctxOptions });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => { errors.push("dialog: " + d.message()); d.dismiss(); });
  await page.goto(BASE + p);
  return { ctx, page, errors };
}

async function openByKeyboard(page) {
  const launcher = page.locator("#pai-chat .launch");
  await launcher.waitFor();
  await launcher.focus();
  await page.keyboard.press("Enter");
  await page.locator("#pai-chat textarea").waitFor({ state: "visible" });
  // Focus moved into the panel.
  await page.waitForFunction(() => document.querySelector("#pai-chat").shadowRoot.activeElement?.id === "pai-q");
}

async function ask(page, q) {
  await page.locator("#pai-chat textarea").fill(q);
  await page.keyboard.press("Enter");
}

test("keyboard open, streamed answer with sources, Esc returns focus", async () => {
  if (FAKE) await control("normal");
  const { ctx, page, errors } = await openPage(EN);
  await openByKeyboard(page);
  assert.equal(await page.locator("#pai-chat .launch").getAttribute("aria-expanded"), "true");
  assert.equal((await page.locator("#pai-chat form button[type=submit]").innerText()).trim(), "Send");
  await ask(page, "What is forward kinematics?");
  const answer = page.locator("#pai-chat .turn .answer").last();
  await page.locator("#pai-chat .turn .actions").last().waitFor();
  assert.match(await answer.innerText(), /end-effector pose/);
  assert.equal(await answer.locator("strong").count(), 1);
  const links = await page.locator("#pai-chat .sources a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, ["/kinematics/#forward-kinematics", "/balance/#zero-moment-point"]);
  assert.match(await page.locator("#pai-chat .badge").last().innerText(), /no AI model/);
  assert.match(await page.locator("#pai-chat [aria-live=polite]").innerText(), /Answer ready/);
  await page.screenshot({ path: path.join(shots, "en-light.png") });
  await page.keyboard.press("Escape");
  await page.locator("#pai-chat .panel").waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.querySelector("#pai-chat").shadowRoot.activeElement?.className), "launch");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("reload restores the conversation; Stop aborts a stream", { skip: !FAKE }, async () => {
  await control("normal");
  const { ctx, page } = await openPage(EN);
  await openByKeyboard(page);
  await ask(page, "first question");
  await page.locator("#pai-chat .turn .actions").last().waitFor();
  await page.reload();
  await openByKeyboard(page);
  await page.locator("#pai-chat .turn").first().waitFor();
  assert.match(await page.locator("#pai-chat .turn .user").first().innerText(), /first question/);
  assert.match(await page.locator("#pai-chat .turn .answer").first().innerText(), /end-effector pose/);

  await control("slow");
  await ask(page, "a slow one");
  const stop = page.locator("#pai-chat button.primary", { hasText: "Stop" });
  await stop.waitFor();
  await stop.click();
  await page.locator("#pai-chat .turn .note", { hasText: "Stopped." }).waitFor();
  await control("normal");
  await ctx.close();
});

test("server error shows a friendly message and Retry works; 429 shows the wait", { skip: !FAKE }, async () => {
  await control("error");
  const { ctx, page } = await openPage(EN);
  await openByKeyboard(page);
  await ask(page, "will fail");
  const err = page.locator("#pai-chat .error").last();
  await err.waitFor();
  assert.match(await err.innerText(), /Something went wrong on our side/);
  await control("normal");
  await err.locator("button", { hasText: "Retry" }).click();
  await page.locator("#pai-chat .turn .actions").last().waitFor();
  assert.equal(await page.locator("#pai-chat .error").count(), 0);

  await control("429");
  await ask(page, "too many");
  await page.locator("#pai-chat .error", { hasText: "wait 30 seconds" }).waitFor();
  await control("normal");
  await ctx.close();
});

test("XSS in the question and in the answer never executes", { skip: !FAKE }, async () => {
  await control("xss");
  const { ctx, page, errors } = await openPage(EN);
  await openByKeyboard(page);
  await ask(page, "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=1</script>");
  await page.locator("#pai-chat .turn .actions").last().waitFor();
  const bad = await page.evaluate(() => {
    const r = document.querySelector("#pai-chat").shadowRoot;
    return { flag: window.__xss, imgs: r.querySelectorAll(".turn img, .turn script").length,
      js: [...r.querySelectorAll("a")].filter((a) => /^\s*javascript:/i.test(a.getAttribute("href") || "")).length };
  });
  assert.deepEqual(bad, { flag: undefined, imgs: 0, js: 0 });
  assert.match(await page.locator("#pai-chat .turn .user").last().innerText(), /<img src=x/);
  assert.deepEqual(errors, []);
  await control("normal");
  await ctx.close();
});

test("selected page text -> Ask about this -> sent as a quote", { skip: !FAKE }, async () => {
  await control("normal");
  const { ctx, page } = await openPage(EN);
  await page.locator("#pai-chat .launch").waitFor();
  await page.locator("#para").selectText();
  await page.locator("#para").dispatchEvent("mouseup");
  const pick = page.locator("#pai-chat .pick");
  await pick.waitFor();
  await pick.click();
  const quote = page.locator("#pai-chat .attached blockquote");
  await quote.waitFor();
  assert.match(await quote.innerText(), /Forward kinematics computes/);
  await ask(page, "explain this");
  await page.locator("#pai-chat .turn .user blockquote").waitFor();
  await ctx.close();
});

test("Urdu page: RTL panel in Urdu; dark screenshot", async () => {
  if (FAKE) await control("normal");
  const { ctx, page } = await openPage(UR);
  await openByKeyboard(page);
  const panel = page.locator("#pai-chat .panel");
  assert.equal(await panel.getAttribute("dir"), "rtl");
  assert.equal(await panel.getAttribute("lang"), "ur");
  assert.match(await page.locator("#pai-chat #pai-title").innerText(), /اسسٹنٹ/);
  await page.screenshot({ path: path.join(shots, "ur-dark.png") });
  await ctx.close();
});

for (const [name, p] of [["light", EN], ["dark", EN_DARK]]) {
  test(`axe: no WCAG 2.1 A/AA violations with the widget open (${name})`, async () => {
    if (FAKE) await control("normal");
    const { ctx, page } = await openPage(p);
    await openByKeyboard(page);
    await ask(page, "What is forward kinematics?");
    await page.locator("#pai-chat .turn .actions").last().waitFor();
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    const v = result.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(v, []);
    await ctx.close();
  });
}

test("usable at 360 px wide", async () => {
  const { ctx, page } = await openPage(EN, { viewport: { width: 360, height: 640 } });
  await openByKeyboard(page);
  const box = await page.locator("#pai-chat .panel").boundingBox();
  assert.ok(box && box.width <= 360 && box.x >= 0, JSON.stringify(box));
  await ctx.close();
});
