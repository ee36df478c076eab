// Browser test of the early-warning dashboard: Debian's chromium driven by
// playwright-core. Usage: node warnings.test.mjs VIGIL_BINARY SOURCE_DIR ARTIFACT_DIR
// A focal point sends a report from a phone (also while offline: it waits
// and goes once, with the same Idempotency-Key); a responder sees the alert
// in the inbox with its next escalation, acknowledges it with a
// disposition and reads its audit trail; a report's markup is shown as
// text; the French toggle changes the early-warning screens.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const [vigil, srcDir, artifacts] = process.argv.slice(2);
const require = createRequire(path.join(srcDir, "web", "package.json"));
const { chromium } = require("playwright-core");
mkdirSync(artifacts, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), "vigil-warn-"));
const db = path.join(work, "vigil.db");
const alerts = path.join(work, "alerts.toml");
const PASSWORD = "correct horse battery";

function run(args, input) {
  const r = spawnSync(vigil, ["--db", db, "-q", ...args], { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vigil ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

run(["init"]);
run(["keys", "init", "--dir", path.join(work, "keys")]);
writeFileSync(alerts, `keys_dir = "keys"
[[areas]]
id = "kayes"
name_en = "Kayes region"
name_fr = "Région de Kayes"
admin1 = ["Kayes"]
fallback = true
  [[areas.tiers]]
  name = "Kayes field office"
  users = ["resp"]
  [[areas.tiers]]
  name = "Bamako duty officer"
  users = ["resp"]
[[rules]]
id = "villagers"
kind = "report_cluster"
min_reporters = 2
severity = "Severe"
`);
run(["user", "add", "fp", "--role", "reporter", "--password-stdin"], PASSWORD + "\n");
run(["user", "add", "resp", "--role", "responder", "--password-stdin"], PASSWORD + "\n");
run(["report", "add", "--alerts", alerts, "--text", "Des hommes armés près de Diboli ce matin", "--contact", "+22376000001"]);
run(["report", "add", "--alerts", alerts, "--text", "hommes armés à moto vers Diboli", "--contact", "+22376000002"]);
run(["report", "add", "--alerts", alerts, "--text", '<img src=x onerror="window.__pwned=1"> hommes armés à Sandaré', "--contact", "+22376000003"]);

const server = spawn(vigil, ["--db", db, "serve", "--port", "0", "--alerts", alerts, "--web-dir", path.join(srcDir, "web")], {
  stdio: ["ignore", "pipe", "inherit"],
});
const base = await new Promise((resolve, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error("vigil serve did not start: " + out)), 30000);
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  server.on("exit", (code) => reject(new Error("vigil serve exited with " + code + ": " + out)));
});

let browser, failed = false;
const step = async (name, fn) => {
  try { await fn(); console.log(`ok   ${name}`); }
  catch (e) { failed = true; console.log(`FAIL ${name}: ${e.message}`); throw e; }
};
async function signIn(page, user) {
  await page.goto(base + "/");
  await page.locator("#login").waitFor({ state: "visible", timeout: 30000 });
  await page.fill('#login-form input[name="name"]', user);
  await page.fill('#login-form input[name="password"]', PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.locator("#who").filter({ hasText: user }).waitFor({ timeout: 30000 });
}
async function countReports(page, text) {
  return page.evaluate(async (t) => {
    const r = await fetch("/api/v1/reports?limit=1000", { credentials: "same-origin" });
    const j = await r.json();
    return j.reports.filter((x) => x.text === t).length;
  }, text);
}

try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "fr-FR", isMobile: true });
  const p = await phone.newPage();
  p.on("pageerror", (e) => { failed = true; console.log("FAIL page error: " + e.message); });
  const text = "Trois pick-up avec des hommes armés à Sandaré, ce soir";

  await step("a focal point's phone shows the report form only, in French", async () => {
    await signIn(p, "fp");
    await p.locator("#report-view").waitFor({ state: "visible", timeout: 30000 });
    assert.equal(await p.locator('#tabs [data-tab="map"]').isVisible(), false, "reporters have no map");
    assert.match(await p.locator("#report-view h2").textContent(), /Signalez/);
  });

  await step("a report sent offline waits, then goes once with its key", async () => {
    await phone.setOffline(true);
    await p.fill('#report-form textarea[name="text"]', text);
    await p.fill('#report-form input[name="place"]', "Sandaré");
    await p.click('#report-form button[type="submit"]');
    await p.locator("#report-result").filter({ hasText: /connexion/ }).waitFor({ timeout: 30000 });
    assert.match(await p.locator("#report-queue").textContent(), /1 signalement/);
    await phone.setOffline(false);
    await p.evaluate(() => window.dispatchEvent(new Event("online")));
    await p.locator("#report-result").filter({ hasText: /référence R-\d+/ }).waitFor({ timeout: 30000 });
    assert.equal(await p.locator("#report-queue").textContent(), "");
    await p.screenshot({ path: path.join(artifacts, "10-report-phone.png") });
  });

  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
  const d = await desk.newPage();
  d.on("pageerror", (e) => { failed = true; console.log("FAIL page error: " + e.message); });

  await step("the report was stored exactly once", async () => {
    await signIn(d, "resp");
    assert.equal(await countReports(d, text), 1);
  });

  await step("the responder's inbox shows the alert and when it escalates", async () => {
    await d.click('#tabs [data-tab="alerts"]');
    const card = d.locator("#inbox .alert-card").first();
    await card.waitFor({ timeout: 30000 });
    assert.match(await card.textContent(), /Diboli/);
    assert.match(await card.locator('[data-testid="deadline"]').textContent(), /UTC/);
    assert.match(await card.textContent(), /Bamako duty officer/, "names the next tier");
    await d.screenshot({ path: path.join(artifacts, "11-inbox.png") });
  });

  await step("acknowledging with a disposition moves it out of the open list", async () => {
    const card = d.locator("#inbox .alert-card").first();
    await card.locator('[data-testid="disposition"]').selectOption("some_impact");
    await card.locator('input[name="note"]').fill("patrol sent");
    await card.locator('[data-testid="ack"]').click();
    await d.locator("#inbox .alert-card").filter({ hasText: /acknowledged by resp/ }).first().waitFor({ timeout: 30000 });
    const details = d.locator("#history .alert-card details").first();
    await details.locator("summary").click();
    await details.locator("li").filter({ hasText: "alert.acknowledge" }).waitFor({ timeout: 30000 });
  });

  await step("markup in a report is shown as text on the map", async () => {
    await d.click('#tabs [data-tab="map"]');
    await d.goto(base + "/?rp=30");
    // Settled (a busy machine may take long); on a timeout, say what the page says.
    await d.waitForSelector("body[data-ready='1']", { timeout: 90000 }).catch(async (e) => {
      throw new Error(e.message + " — the page's note: " + (await d.textContent("#note")));
    });
    assert.ok(!(await d.textContent("#note")).includes("Could not load"), await d.textContent("#note"));
    const markers = d.locator("path.vigil-report");
    await markers.first().waitFor({ timeout: 30000 });
    const n = await markers.count();
    let found = false;
    for (let i = 0; i < n && !found; i++) {
      await markers.nth(i).click({ force: true });
      const popup = d.locator(".leaflet-popup-content");
      await popup.waitFor({ timeout: 10000 });
      if ((await popup.textContent()).includes("onerror")) {
        found = true;
        assert.equal(await popup.locator("img").count(), 0, "no element made from the text");
      }
    }
    assert.ok(found, "the report with markup is on the map");
    assert.equal(await d.evaluate(() => window.__pwned), undefined, "no script ran");
  });

  await step("the early-warning screens are in French after the toggle", async () => {
    await d.click("#lang");
    await d.click('#tabs [data-tab="alerts"]');
    await d.locator("#alerts-view h2").filter({ hasText: "Alertes à traiter" }).waitFor({ timeout: 30000 });
    assert.equal((await d.locator('#tabs [data-tab="alerts"]').textContent()).trim(), "Alertes");
    await d.locator("#inbox").filter({ hasText: /reçue par resp/ }).waitFor({ timeout: 30000 });
    await d.screenshot({ path: path.join(artifacts, "12-inbox-fr.png") });
  });
} catch (e) {
  failed = true;
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
}
process.exit(failed ? 1 : 0);
