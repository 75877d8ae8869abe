// A stand-in for the chat API until the real server exists: serves static pages and widget/dist, implements the
// SSE chat stream, sessions and feedback, and misbehaves on request (POST /__control {"mode": ...}).
// Usage: node fake-server.mjs [port]   (0 = any free port; prints "listening <url>")
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const roots = { "/widget/": path.join(here, "..", "dist"), "/": path.join(here, "pages") };
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

let mode = "normal"; // normal | slow | error | 429 | xss | math
const sessions = new Map();
const feedback = [];

const SOURCES = [
  { title: "Kinematics", heading: "Forward kinematics", url: "/kinematics/#forward-kinematics", locale: "en", snippet: "Forward kinematics maps joint angles to a pose.", score: 0.91 },
  { title: "Balance", heading: "Zero moment point", url: "/balance/#zero-moment-point", locale: "en", snippet: "The ZMP is…", score: 0.74 },
];
const ANSWER = ["Forward kinematics computes ", "the **end-effector pose** ", "from joint angles.\n\n", "- uses `DH` parameters\n", "- see [the chapter](/kinematics/#forward-kinematics)\n"];
// Math, numbered citations and a display equation, as the LLM or the extractive mode may send them.
const MATH = ["The ZMP $p = c - \\frac{z_c}{g}\\ddot{c}$ must stay inside the support polygon [1]. ",
  "Joint torques follow from $\\tau = J^\\top F$ [1, 2].\n\n", "$$\nM(q)\\ddot q + C(q,\\dot q)\\dot q + g(q) = \\tau\n$$\n"];
const XSS = ["<img src=x onerror=\"window.__xss=1\"> ", "[click](javascript:window.__xss=1) ", "<script>window.__xss=1</script>"];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
};
const readBody = (req) => new Promise((resolve) => {
  let b = "";
  req.on("data", (c) => { b += c; });
  req.on("end", () => { try { resolve(JSON.parse(b || "{}")); } catch { resolve(null); } });
});

async function chat(req, res) {
  const body = await readBody(req);
  if (!body || typeof body.query !== "string") return json(res, 400, { error: { code: "malformed_json", message: "bad body" } });
  if (req.headers["x-site-key"] !== "pk_local_dev") return json(res, 401, { error: { code: "unauthorized", message: "key" } });
  if (mode === "error") return json(res, 500, { error: { code: "internal", message: "boom" } });
  if (mode === "429") return json(res, 429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "30" });
  const sid = body.session_id && sessions.has(body.session_id) ? body.session_id : "s" + Math.random().toString(36).slice(2);
  const mid = "m" + Math.random().toString(36).slice(2);
  const parts = mode === "xss" ? XSS : mode === "math" ? MATH : ANSWER;
  // Math mode cites the test page itself, so a followed citation stays on a page that exists.
  const page = body.locale === "ur" ? "/ur.html" : "/en.html";
  const sources = mode === "math" ? SOURCES.map((s, i) => ({ ...s, url: i === 0 ? page + "#para" : page + "#top" })) : SOURCES;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let closed = false;
  res.on("close", () => { closed = true; });
  const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send("sources", { sources, session_id: sid, message_id: mid, mode: "extractive", grounded: true });
  for (const text of parts) {
    if (closed) return;
    await sleep(mode === "slow" ? 700 : 40);
    send("delta", { text });
  }
  const now = new Date().toISOString();
  const list = sessions.get(sid) || [];
  list.push({ id: "u" + mid, role: "user", content: body.query, selected_text: body.selected_text, created_at: now });
  list.push({ id: mid, role: "assistant", content: parts.join(""), sources: SOURCES, mode: "extractive", created_at: now });
  sessions.set(sid, list);
  send("done", { usage: { prompt_tokens: 0, completion_tokens: 0 }, session_id: sid, message_id: mid, mode: "extractive", saved: true });
  res.end();
}

function serveStatic(req, res) {
  const url = new URL(req.url, "http://x");
  const prefix = url.pathname.startsWith("/widget/") ? "/widget/" : "/";
  let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || "index.html";
  if (rel.endsWith("/")) rel += "index.html";
  const file = path.join(roots[prefix], path.normalize(rel));
  if (!file.startsWith(roots[prefix])) return json(res, 403, {});
  fs.readFile(file, (err, data) => {
    if (err) return json(res, 404, { error: { code: "not_found", message: "no file" } });
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    res.end(data);
  });
}

const clientErrors = [];
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  if (req.method === "POST" && url.pathname === "/api/client-errors") {
    clientErrors.push(await readBody(req));
    res.writeHead(204);
    return res.end();
  }
  const m = url.pathname.match(/^\/api\/sessions\/([^/]+)$/);
  if (req.method === "POST" && url.pathname === "/__control") {
    const b = await readBody(req);
    mode = (b && b.mode) || "normal";
    return json(res, 200, { mode, feedback: feedback.length });
  }
  if (req.method === "GET" && url.pathname === "/__state") return json(res, 200, { mode, feedback, clientErrors, sessions: [...sessions.keys()] });
  if (req.method === "POST" && url.pathname === "/api/chat/stream") return chat(req, res);
  if (m && req.method === "GET") {
    const list = sessions.get(m[1]);
    return list ? json(res, 200, { session_id: m[1], messages: list }) : json(res, 404, { error: { code: "not_found", message: "unknown" } });
  }
  if (m && req.method === "DELETE") {
    sessions.delete(m[1]);
    res.writeHead(204);
    return res.end();
  }
  if (req.method === "POST" && url.pathname === "/api/feedback") {
    feedback.push(await readBody(req));
    res.writeHead(204);
    return res.end();
  }
  if (req.method === "GET") return serveStatic(req, res);
  json(res, 405, {});
});

server.listen(Number(process.argv[2] || 0), "127.0.0.1", () => {
  console.log(`listening http://127.0.0.1:${server.address().port}`);
});
