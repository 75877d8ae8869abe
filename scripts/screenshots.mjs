// Takes the screens a reader sees first, so a change can be looked at before it is called done:
// home, a chapter with math and with code, its Urdu twin, search open, the widget open with an answer, the phone
// Menu, the phone widget, dark mode, and an answer quoting a display formula (desktop en, phone ur). Run through scripts/screenshots.sh (it builds nothing; it serves public/
// with the server binary). Output: PNGs in SCREENSHOT_DIR (default screenshots/, gitignored).
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(path.join(root, "widget/e2e/package.json"));
const { chromium } = require("playwright-core");
const SERVER = path.resolve(root, process.env.SERVER_BIN || "target/debug/server");
const SITE = path.resolve(root, process.env.SITE_DIR || "public");
const OUT = path.resolve(root, process.env.SCREENSHOT_DIR || "screenshots");
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const freePort = () => new Promise((res) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); }); });

const port = await freePort();
const data = fs.mkdtempSync("/tmp/screens-");
const server = spawn(SERVER, ["serve", "--site", SITE], {
  env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: data, CORPUS_SOURCE: path.join(SITE, "rag"), LOG_LEVEL: "warn" },
  stdio: "ignore",
});
const base = `http://127.0.0.1:${port}`;
let ready = false;
for (let i = 0; i < 300 && !ready; i++) {
  try { ready = (await fetch(`${base}/ready`)).ok; } catch { await new Promise((r) => setTimeout(r, 100)); }
}
if (!ready) { server.kill(); throw new Error(`server did not start (${SERVER} serving ${SITE})`); }
fs.mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const problems = [];
const taken = [];

async function shot(name, url, viewport, act = async () => {}, options = {}) {
  const ctx = await browser.newContext({ viewport, colorScheme: options.dark ? "dark" : "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => problems.push(`${name}: ${e}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`${name}: console: ${m.text()}`); });
  await page.goto(base + url);
  await page.evaluate(() => document.fonts.ready);
  await act(page);
  await page.waitForTimeout(300);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: !!options.full });
  taken.push(file);
  await ctx.close();
}

async function ask(page, q) {
  await page.locator("#pai-chat .launch").click();
  await page.locator("#pai-chat textarea").waitFor({ state: "visible" });
  await page.locator("#pai-chat textarea").fill(q);
  await page.keyboard.press("Enter");
  await page.locator("#pai-chat .turn .actions").last().waitFor({ timeout: 20000 }).catch(() => problems.push(`no answer to ${q}`));
}
const jump = (id) => async (page) => {
  await page.evaluate((i) => { location.hash = i; }, id);
  await page.waitForTimeout(200);
};

try {
  await shot("01-home-en", "/", DESKTOP);
  await shot("02-chapter-en-math", "/kinematics/#frames-and-transforms", DESKTOP);
  await shot("03-chapter-en-code", "/kinematics/#dh-example", DESKTOP, async (p) => { await p.locator(".code-block").first().scrollIntoViewIfNeeded(); });
  await shot("04-chapter-ur-math", "/ur/kinematics/#frames-and-transforms", DESKTOP);
  await shot("05-chapter-ur-code", "/ur/kinematics/#dh-example", DESKTOP, async (p) => { await p.locator(".code-block").first().scrollIntoViewIfNeeded(); });
  await shot("06-search-en", "/kinematics/", DESKTOP, async (p) => {
    await p.locator("#search-input").fill("quaternion");
    await p.locator("#search-results a").first().waitFor({ timeout: 15000 });
  });
  await shot("07-search-ur", "/ur/kinematics/", DESKTOP, async (p) => {
    await p.locator("#search-input").fill("جیکوبین");
    await p.locator("#search-results a").first().waitFor({ timeout: 15000 });
  });
  await shot("08-widget-answer-en", "/kinematics/", DESKTOP, (p) => ask(p, "What is a Jacobian?"));
  await shot("09-phone-chapter-en", "/kinematics/", PHONE);
  await shot("10-phone-menu-en", "/kinematics/#jacobians", PHONE, async (p) => { await p.locator(".menu-toggle").click(); });
  await shot("11-phone-toc-ur", "/ur/kinematics/", PHONE, async (p) => { await p.locator(".toc-inline > summary").click(); });
  await shot("12-phone-math-ur", "/ur/kinematics/#frames-and-transforms", PHONE);
  await shot("13-phone-search-ur", "/ur/kinematics/", PHONE, async (p) => {
    await p.locator(".search-toggle").click();
    await p.locator("#search-input").fill("جیکوبین");
    await p.locator("#search-results a").first().waitFor({ timeout: 15000 });
  });
  await shot("14-phone-widget-ur", "/ur/kinematics/", PHONE, (p) => ask(p, "جیکوبین کیا ہے؟"));
  await shot("15-dark-en-math", "/kinematics/#frames-and-transforms", DESKTOP, jump("frames-and-transforms"), { dark: true });
  await shot("16-dark-ur-figure", "/ur/kinematics/", PHONE, async (p) => { await p.locator("article img").first().scrollIntoViewIfNeeded(); }, { dark: true });
  await shot("17-dark-widget-en", "/kinematics/", DESKTOP, (p) => ask(p, "What is gimbal lock?"), { dark: true });
  // Extractive answers quote the display formula a sentence leads into: it must render as MathML in the bubble.
  await shot("18-widget-formula-en", "/dynamics-control/", DESKTOP,
    (p) => ask(p, "How much torque does it take to hold a pendulum at an angle, and how is that equation derived?"));
  await shot("19-phone-widget-formula-ur", "/ur/dynamics-control/", PHONE,
    (p) => ask(p, "پنڈولم کو کسی زاویے پر روکے رکھنے کے لیے کتنا ٹارک چاہیے اور اس کی مساوات کیسے نکلتی ہے؟"));
} finally {
  await browser.close();
  const exited = new Promise((r) => server.once("exit", r));
  server.kill();
  await exited;
  fs.rmSync(data, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
for (const f of taken) console.log(path.relative(root, f));
if (problems.length) {
  console.error("problems seen while taking the screens:\n  " + problems.join("\n  "));
  process.exit(1);
}
