// Bytes the dashboard transfers and its time to interactive, for the first
// view and for a filter change, in Debian's chromium (playwright-core), with
// two versions of the dashboard served by the same `vigil serve` on the same
// database, one after the other in the same run: a ratio holds on a busy
// machine where an absolute time does not.
//
// usage: node bench/dashboard_transfer.mjs VIGIL DB REGION WEBDIR[=LABEL[@VIGIL2]] ...
//   REGION: the region chosen for the filter change (e.g. Mopti)
//   @VIGIL2: serve this version with another binary (e.g. an older build)
// Bytes are what the network carried (Chrome's encodedDataLength: headers and
// gzip-encoded bodies), split into the API's answers and the page's files
// (the vendor libraries included). Each view is loaded in a fresh browser
// context (an empty cache), then reloaded once to show what revalidation
// (ETag, 304) saves on a repeat visit; "next user" is a second fresh
// browser on the same server (what the server's own caches save).
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [vigil, db, region, ...webs] = process.argv.slice(2);
if (!vigil || !db || !region || !webs.length) {
  console.error("usage: node bench/dashboard_transfer.mjs VIGIL DB REGION WEBDIR[=LABEL] ...");
  process.exit(2);
}
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, "web", "package.json"));
const { chromium } = require("playwright-core");

function vigilRun(args, input) {
  const r = spawnSync(vigil, ["--db", db, "-q", ...args], { input, encoding: "utf8" });
  return r;
}
vigilRun(["user", "add", "bench-viewer", "--role", "viewer", "--password-stdin"], "bench-viewer-password\n");
const tok = (vigilRun(["token", "create", "bench-viewer"]).stdout.match(/vgl_[A-Za-z0-9_-]+/) || [])[0];
if (!tok) { console.error("could not make a token"); process.exit(1); }

async function serve(webDir, binary) {
  const server = spawn(binary, ["--db", db, "serve", "--port", "0", "--briefs-every", "0", "--web-dir", webDir],
    { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("vigil serve did not start: " + out)), 60000);
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return { server, base };
}

// Counts bytes per request class while `fn` runs.
async function measure(cdp, fn) {
  const urls = new Map();
  const bytes = { api: 0, files: 0, requests: 0 };
  const onResp = (e) => urls.set(e.requestId, e.response.url);
  const onDone = (e) => {
    const u = urls.get(e.requestId) || "";
    bytes[u.includes("/api/") ? "api" : "files"] += e.encodedDataLength;
    bytes.requests++;
  };
  cdp.on("Network.responseReceived", onResp);
  cdp.on("Network.loadingFinished", onDone);
  const t0 = Date.now();
  await fn();
  const ms = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 300));  // late loadingFinished events
  cdp.off("Network.responseReceived", onResp);
  cdp.off("Network.loadingFinished", onDone);
  return Object.assign(bytes, { ms });
}

const ready = (page) => page.waitForFunction(() => document.body.dataset.ready === "1" &&
  /^\d+$/.test(document.querySelector("#count").textContent), null, { timeout: 300000 });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"] });
const kb = (n) => (n / 1024).toFixed(0).padStart(6) + " KB";
console.log(`database ${db}; filter change: region ${region}`);
console.log("version        view            API        files      total  requests  time");
try {
  for (const spec of webs) {
    const [dir, rest = path.basename(spec)] = spec.split("=");
    const [label, binary = vigil] = rest.split("@");
    const { server, base } = await serve(dir, binary);
    try {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 },
        extraHTTPHeaders: { Authorization: "Bearer " + tok } });
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send("Network.enable");
      const row = (view, b) => console.log(`${label.padEnd(14)} ${view.padEnd(14)} ${kb(b.api)} ${kb(b.files)} ${kb(b.api + b.files)}  ${String(b.requests).padStart(8)}  ${(b.ms / 1000).toFixed(2)} s`);
      row("first view", await measure(cdp, async () => { await page.goto(base + "/"); await ready(page); }));
      row("filter change", await measure(cdp, async () => {
        await page.selectOption("select[name=admin1]", region);
        await page.waitForFunction(() => document.querySelector("#region-page") && !document.querySelector("#region-page").hidden, null, { timeout: 300000 });
        await ready(page);
      }));
      row("forecast on", await measure(cdp, async () => {
        await page.selectOption("select[name=fc]", "admin1");
        await ready(page);
      }));
      await page.goto("about:blank");
      row("repeat visit", await measure(cdp, async () => { await page.goto(base + "/"); await ready(page); }));
      await ctx.close();
      // Another user's first view: an empty browser cache, a warm server.
      const ctx2 = await browser.newContext({ viewport: { width: 1400, height: 900 },
        extraHTTPHeaders: { Authorization: "Bearer " + tok } });
      const page2 = await ctx2.newPage();
      const cdp2 = await ctx2.newCDPSession(page2);
      await cdp2.send("Network.enable");
      row("next user", await measure(cdp2, async () => { await page2.goto(base + "/"); await ready(page2); }));
      await ctx2.close();
    } finally {
      server.kill();
    }
  }
} finally {
  await browser.close();
}
