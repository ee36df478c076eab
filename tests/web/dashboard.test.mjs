// Browser test of the dashboard: Debian's chromium driven by playwright-core.
// Usage: node dashboard.test.mjs VIGIL_BINARY SOURCE_DIR ARTIFACT_DIR
// Builds a database from the bundled events, starts `vigil serve` on a free
// port of 127.0.0.1, and checks: sign-in, the map with the bundled events, a
// region filter changing the count, an event popup showing its source, the
// French toggle (remembered), the briefs page, the scenarios page, and
// sign-out.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const [vigil, srcDir, artifacts] = process.argv.slice(2);
if (!vigil || !srcDir || !artifacts) {
  console.error("usage: node dashboard.test.mjs VIGIL_BINARY SOURCE_DIR ARTIFACT_DIR");
  process.exit(2);
}
const require = createRequire(path.join(srcDir, "web", "package.json"));
const { chromium } = require("playwright-core");
mkdirSync(artifacts, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), "vigil-web-"));
const db = path.join(work, "vigil.db");
const PASSWORD = "correct horse battery";

function run(args, input) {
  const r = spawnSync(vigil, ["--db", db, "-q", ...args], { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vigil ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

run(["init"]);
run(["ingest", "jsonl", path.join(srcDir, "data/events/seed_events.jsonl")]);
run(["user", "add", "analyst1", "--role", "analyst", "--password-stdin"], PASSWORD + "\n");
// A model snapshot, so the forecast layer has something to draw (too few
// events for a meaningful forecast: this tests the drawing, not the model).
run(["fit", "--as-of", "2025-10-01", "--window", "2y", "--format", "json"]);
// Two watched sites for the site layer and the "my sites" page.
const sitesCsv = path.join(work, "sites.csv");
writeFileSync(sitesCsv, "name,type,lat,lon,radius_km\nDiamou plant,plant,14.08,-11.28,15\nBamako office,office,12.64,-8.0,5\n");
run(["site", "import", sitesCsv]);
// Last week's briefs, as the server writes them on its schedule (the server
// below is started with that schedule off, so it adds no work of its own).
run(["sitrep", "--weekly"]);
// A scenario run on that model: a wave on three towns of Kayes.
const waveToml = path.join(work, "wave.toml");
writeFileSync(waveToml, 'title = "Wave on Kayes"\nweeks = 4\nruns = 60\n[[inject]]\nday = 1\n' +
  'towns = ["Kayes", "Nioro du Sahel", "Diboli"]\nclass = "battles"\nevents = 3\n');
run(["scenario", "run", waveToml, "--format", "json"]);

const server = spawn(vigil, ["--db", db, "serve", "--port", "0", "--briefs-every", "0", "--web-dir", path.join(srcDir, "web")], {
  stdio: ["ignore", "pipe", "inherit"],
});
const base = await new Promise((resolve, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error("vigil serve did not start: " + out)), 15000);
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  server.on("exit", (code) => reject(new Error("vigil serve exited with " + code + ": " + out)));
});

let browser;
let failed = false;
const step = async (name, fn) => {
  const t0 = Date.now();
  try { await fn(); console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
  catch (e) { failed = true; console.log(`FAIL ${name}: ${e.message}`); throw e; }
};

try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
  const page = await context.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) external.push(r.url()); });
  page.on("pageerror", (e) => { failed = true; console.log("FAIL page error: " + e.message); });

  await step("sign-in form shown without a session", async () => {
    await page.goto(base + "/");
    await page.locator("#login").waitFor({ state: "visible", timeout: 30000 });
  });

  await step("wrong password is refused", async () => {
    await page.fill("#login-form input[name=name]", "analyst1");
    await page.fill("#login-form input[name=password]", "not the password");
    await page.click("#login-form button[type=submit]");
    await page.locator("#login-error").filter({ hasText: /wrong/i }).waitFor({ timeout: 30000 });
  });

  await step("sign in; the map shows the bundled events", async () => {
    await page.fill("#login-form input[name=password]", PASSWORD);
    await page.click("#login-form button[type=submit]");
    await page.locator("#who").filter({ hasText: "analyst1" }).waitFor({ timeout: 30000 });
    await page.waitForFunction(() => /^\d+$/.test(document.querySelector("#count").textContent), null, { timeout: 30000 });
    const count = Number(await page.textContent("#count"));
    const total = (await (await page.request.get(base + "/api/v1/stats")).json()).total;
    const expected = total.events;
    assert.equal(count, expected, "count shown equals the events in the database");
    // Unknown fatality counts are not zeros: the panel says how many are known.
    assert.ok(total.fatalities_known < total.events, "the bundled events include unknown counts");
    assert.equal(await page.textContent("#fatalities"), total.fatalities == null ? "?" : String(total.fatalities));
    assert.equal(await page.textContent("[data-testid=fat-known]"), `(known for ${total.fatalities_known} of ${total.events} events)`);
    assert.ok(count >= 10, `the bundled events are shown (${count})`);
    const drawn = await page.locator(".vigil-event, .cluster").count();
    assert.ok(drawn > 0, "markers or clusters are drawn");
    const regions = await page.locator("path.leaflet-interactive").count();
    assert.ok(regions >= 9, "region outlines are drawn");
    await page.screenshot({ path: path.join(artifacts, "01-map.png") });
  });

  let regionName;
  await step("a region filter changes the count and opens the region page", async () => {
    const all = Number(await page.textContent("#count"));
    const stats = await (await page.request.get(base + "/api/v1/stats?by=admin1")).json();
    const per = new Map();
    for (const r of stats.rows) if (r.admin1) per.set(r.admin1, (per.get(r.admin1) || 0) + r.events);
    // The region with the fewest events: its markers stand alone, not clustered.
    [regionName] = [...per.entries()].sort((a, b) => a[1] - b[1])[0];
    await page.selectOption("select[name=admin1]", regionName);
    await page.waitForFunction((n) => document.querySelector("#count").textContent === String(n), per.get(regionName), { timeout: 30000 });
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    assert.notEqual(Number(await page.textContent("#count")), all);
    await page.locator("#region-page").waitFor({ state: "visible" });
    assert.equal(await page.textContent("#region-title"), regionName);
    // The page's numbers are the server's, over every event to today.
    const reg = await (await page.request.get(base + "/api/v1/regions/" + encodeURIComponent(regionName))).json();
    assert.equal(await page.textContent("#r-recent"), String(reg.events));
    assert.equal(await page.textContent("#r-prev"), String(reg.events_before));
    assert.ok((await page.textContent("[data-testid=region-asof]")).includes(reg.to));
    assert.ok(page.url().includes("admin1="), "the URL keeps the filter");
    await page.screenshot({ path: path.join(artifacts, "02-region.png") });
  });

  await step("region labels at the default zoom; a click on a region opens its page", async () => {
    await page.selectOption("select[name=admin1]", "");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    const labels = page.locator(".leaflet-tooltip.region-label");
    assert.ok(await labels.count() >= 8, "a label per region");
    assert.ok(await labels.filter({ hasText: "Kayes" }).isVisible(), "Kayes is labelled at the default zoom");
    await page.locator(".leaflet-tooltip.region-label", { hasText: "Kayes" }).click({ force: true });
    await page.waitForFunction(() => document.querySelector("select[name=admin1]").value === "Kayes", null, { timeout: 30000 });
    await page.locator("#region-page").waitFor({ state: "visible", timeout: 30000 });
    assert.equal(await page.textContent("#region-title"), "Kayes");
    assert.ok(await page.locator(".leaflet-control-scale").isVisible(), "a scale bar");
    await page.screenshot({ path: path.join(artifacts, "02b-region-click.png") });
    await page.selectOption("select[name=admin1]", regionName);
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  });

  await step("an event popup shows its source", async () => {
    const marker = page.locator("path.vigil-event").first();
    await marker.waitFor({ timeout: 30000 });
    await marker.click();
    const sources = page.locator("[data-testid=popup-sources]");
    await sources.waitFor({ timeout: 30000 });
    const events = await (await page.request.get(base + "/api/v1/events?format=json&admin1=" + encodeURIComponent(regionName))).json();
    const text = await sources.textContent();
    assert.ok(events.events.some((e) => text.includes(e.source_id)), `popup names a source id (${text})`);
    // The source's own title (from the notes), not a server path.
    const shown = events.events.find((e) => text.includes(e.source_id));
    const notes = shown.notes || "";
    assert.ok(notes.includes("Source: "), "the bundled events name their source: " + notes);
    assert.equal(await page.textContent(".popup .src-title"), notes.slice(notes.lastIndexOf("Source: ") + 8).trim());
    assert.ok(!text.includes(srcDir), `no server path in the popup (${text})`);
    await page.screenshot({ path: path.join(artifacts, "03-popup.png") });
  });

  await step("the export links download the current filter, row for row as the API gives it", async () => {
    const href = await page.locator("[data-testid=export-csv]").getAttribute("href");
    assert.ok(href.includes("admin1=") && href.includes("format=csv"), `the link follows the filter (${href})`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-csv]")]);
    const file = path.join(work, "export.csv");
    await download.saveAs(file);
    const csv = (await import("node:fs")).readFileSync(file, "utf8").trim().split("\n");
    const api = await (await page.request.get(base + "/api/v1/events?format=json&limit=10000&admin1=" + encodeURIComponent(regionName))).json();
    assert.equal(csv.length - 1, api.events.length, "one CSV row per event of the filter");
    const ids = new Set(api.events.map((e) => String(e.id)));
    const idCol = csv[0].split(",").indexOf("id");
    assert.ok(idCol >= 0, "the CSV has an id column: " + csv[0]);
    for (const line of csv.slice(1)) assert.ok(ids.has(line.split(",")[idCol]), "a row the API has: " + line);
    const hxl = await page.locator("[data-testid=export-hxl]").getAttribute("href");
    assert.ok(hxl.includes("format=hxl"));
  });

  await step("the shared link restores the view", async () => {
    const url = page.url();
    const other = await context.newPage();
    await other.goto(url);
    await other.waitForFunction(() => /^\d+$/.test(document.querySelector("#count").textContent), null, { timeout: 30000 });
    assert.equal(await other.inputValue("select[name=admin1]"), regionName);
    assert.equal(await other.textContent("#count"), await page.textContent("#count"));
    await other.close();
  });

  await step("the forecast layer draws a choropleth of the regions", async () => {
    await page.selectOption("select[name=admin1]", "");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    const before = await page.locator("path.leaflet-interactive").count();
    // Switching a layer draws that layer; the events are not fetched again.
    const eventFetches = [];
    const onRequest = (r) => { if (r.url().includes("/api/v1/events?")) eventFetches.push(r.url()); };
    page.on("request", onRequest);
    await page.selectOption("select[name=fc]", "admin1");
    // The banner says what the forecast rests on, and warns: 25 events are too few.
    const note = page.locator("#note").filter({ hasText: "model snapshot" });
    await note.waitFor({ timeout: 15000 });
    const api1 = await (await page.request.get(base + "/api/v1/forecast?level=admin1&horizon=30")).json();
    assert.ok((await note.textContent()).includes(`fitted on ${api1.fit.events} events`), await note.textContent());
    assert.ok((await note.textContent()).includes("too few events"), "the thin-data warning is shown");
    const after = await page.locator("path.leaflet-interactive").count();
    assert.ok(after >= before + 9, `forecast polygons drawn (${before} -> ${after})`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    page.off("request", onRequest);
    assert.deepEqual(eventFetches, [], "the forecast layer re-fetched the events");
    // Outside the model's coverage: hatched "no forecast", in no class of
    // the scale, and the legend says what the hatching means.
    assert.deepEqual(api1.coverage.countries, ["Mali"]);
    const hatched = page.locator("path.no-forecast");
    assert.ok(await hatched.count() >= 3, "the neighbouring countries are hatched");
    assert.equal(await page.locator("path.no-forecast[class*='fc-class-']").count(), 0);
    assert.ok((await page.textContent(".fc-legend")).includes("no forecast"));
    assert.ok(api1.features.every((f) => Number.isInteger(f.properties.observed_30d)), "each unit says what was observed");
    assert.ok(page.url().includes("fc=admin1"), "the URL keeps the layer");
    // Every unit is drawn in the class of its own probability (fixed breaks,
    // not relative to the layer's maximum): 3% is never the top class.
    const fcClass = (p) => { const b = [5, 10, 25, 50, 75]; let k = 0; while (k < b.length && 100 * p >= b[k]) k++; return k; };
    assert.equal(await page.evaluate(() => window.vigil.fcClass(0.03)), 0);
    const drawnClasses = async () => (await page.$$eval("path[class*='fc-class-']", (els) =>
      els.map((e) => [...e.classList].find((c) => c.startsWith("fc-class-"))))).sort();
    const want1 = api1.features.map((f) => `fc-class-${fcClass(f.properties.p_any)}`).sort();
    assert.deepEqual(await drawnClasses(), want1);
    const legend1 = await page.textContent(".fc-legend");
    assert.ok(legend1.includes("0–5%") && legend1.includes("75–100%"), legend1);
    await page.screenshot({ path: path.join(artifacts, "03b-forecast.png") });
    // The same legend on another level.
    await page.selectOption("select[name=fc]", "cell");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    await page.locator(".fc-legend").waitFor({ timeout: 15000 });
    assert.equal(await page.textContent(".fc-legend"), legend1, "one legend on every level");
    await page.selectOption("select[name=fc]", "");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    await page.selectOption("select[name=admin1]", regionName);
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  });

  await step("town names by zoom; the brush on the timeline sets the dates and the URL", async () => {
    await page.selectOption("select[name=admin1]", "");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    assert.ok(await page.locator(".leaflet-tooltip.town-label", { hasText: "Bamako" }).isVisible(), "Bamako is labelled");
    const small = page.locator(".leaflet-tooltip.town-label.town-tier-2").first();
    if (await small.count()) assert.ok(!(await small.isVisible()), "small towns wait for a closer zoom");
    // Cercle names and borders from zoom 7 in, not before.
    assert.equal(await page.locator(".leaflet-tooltip.cercle-label:visible").count(), 0, "no cercle names at the country's zoom");
    await page.evaluate(() => window.vigil.map().setView([14.35, -11.4], 8, { animate: false }));
    await page.locator(".leaflet-tooltip.cercle-label", { hasText: "Kayes" }).first().waitFor({ state: "visible", timeout: 30000 });
    assert.ok(await page.locator("path.cercle-line").count() > 0, "cercle borders drawn");
    await page.screenshot({ path: path.join(artifacts, "03d-cercles.png") });
    await page.evaluate(() => window.vigil.map().setView([15.5, -4], 5, { animate: false }));
    const over = page.locator("#timeline .u-over");
    const box = await over.boundingBox();
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector("#filters input[name=from]").value !== "", null, { timeout: 30000 });
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    const from = await page.inputValue("#filters input[name=from]"), to = await page.inputValue("#filters input[name=to]");
    assert.ok(from < to, `a date range (${from} – ${to})`);
    assert.ok(page.url().includes("from=" + from) && page.url().includes("to=" + to), page.url());
    const stats = await (await page.request.get(base + `/api/v1/stats?from=${from}&to=${to}`)).json();
    await page.waitForFunction((n) => document.querySelector("#count").textContent === String(n), stats.total.events, { timeout: 30000 });
    await page.screenshot({ path: path.join(artifacts, "03c-brush.png") });
    // The map and the chart of this view as a PNG, drawn by the server.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-png]")]);
    const file = path.join(work, "map.png");
    await download.saveAs(file);
    const png = (await import("node:fs")).readFileSync(file);
    assert.equal(png.subarray(1, 4).toString(), "PNG", "a PNG image");
    assert.ok(png.readUInt32BE(16) >= 800 && png.readUInt32BE(20) >= 800, "large enough for a slide");
    await page.fill("#filters input[name=from]", "");
    await page.fill("#filters input[name=to]", "");
    await page.dispatchEvent("#filters input[name=to]", "change");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    await page.selectOption("select[name=admin1]", regionName);
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  });

  await step("the corridor layer colours every corridor by its status", async () => {
    const api = await (await page.request.get(base + "/api/v1/corridors")).json();
    const want = (s) => api.features.filter((f) => f.properties.status === s).length;
    assert.ok(want("blockaded") + want("disrupted") > 0, "the bundled events cut some corridors");
    await page.selectOption("select[name=admin1]", "");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    await page.selectOption("select[name=cr]", "1");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    await page.locator("[data-testid=corridor-legend]").waitFor({ timeout: 15000 });
    for (const s of ["open", "disrupted", "blockaded"])
      assert.equal(await page.locator(`path.vigil-corridor.status-${s}`).count(), want(s), `${s} corridors drawn`);
    assert.ok(page.url().includes("cr=1"), "the URL keeps the layer");
    await page.screenshot({ path: path.join(artifacts, "03c-corridors.png") });
  });

  await step("the territorial control layer shades the cercles the signals read as held or contested", async () => {
    const api = await (await page.request.get(base + "/api/v1/signals/control")).json();
    const held = api.control.filter((u) => u.status === "held").length;
    assert.ok(held > 0, "the bundled events make at least one cercle held (Farabougou's)");
    await page.selectOption("#filters select[name=tc]", "1");
    await page.locator("[data-testid=control-legend]").waitFor({ timeout: 30000 });
    await page.waitForFunction(() => document.querySelectorAll("path.control-held").length > 0, null, { timeout: 30000 });
    assert.equal(await page.locator("path.control-held").count(), held, "one shape per held cercle");
    assert.ok(page.url().includes("tc=1"), "the URL keeps the layer");
    await page.screenshot({ path: path.join(artifacts, "03c2-control.png") });
    await page.selectOption("#filters select[name=tc]", "");
    await page.waitForFunction(() => document.querySelectorAll("path.control-held").length === 0, null, { timeout: 30000 });
  });

  await step("the route planner draws the least-risk route and its alternatives", async () => {
    const api = await (await page.request.get(base + "/api/v1/route?from=Bamako&to=Kayes&alternatives=2&horizon=7")).json();
    await page.click("#route-planner summary");
    await page.fill("#route-form input[name=from]", "Bamako");
    await page.fill("#route-form input[name=to]", "Kayes");
    await page.click("#route-form button[type=submit]");
    await page.locator("[data-testid=route-option]").first().waitFor({ timeout: 30000 });
    assert.equal(await page.locator("[data-testid=route-option]").count(), api.features.length, "one entry per option");
    assert.equal(await page.locator("path.vigil-route").count(), api.features.length, "one line per option");
    const first = await page.locator("[data-testid=route-option]").first().textContent();
    assert.ok(first.includes(Math.round(api.features[0].properties.km) + " km"), `best route's km shown (${first})`);
    await page.screenshot({ path: path.join(artifacts, "03d-route.png") });
  });

  await step("briefs: the weekly briefs are listed and one is written on demand as PDF", async () => {
    const api = await (await page.request.get(base + "/api/v1/sitreps?limit=200")).json();
    assert.ok(api.sitreps.length > 0, "last week's briefs are kept");
    await page.click("[data-testid=tab-briefs]");
    await page.locator("[data-testid=brief-row]").first().waitFor({ timeout: 30000 });
    assert.equal(await page.locator("[data-testid=brief-row]").count(), api.sitreps.length, "one row per kept brief");
    await page.fill("[data-testid=brief-area]", "Kayes");
    await page.fill("#brief-form input[name=from]", "2025-07-01");
    await page.fill("#brief-form input[name=to]", "2025-09-30");
    const href = await page.locator("#brief-pdf").getAttribute("href");
    assert.ok(href.includes("area=Kayes") && href.includes("from=2025-07-01") && href.includes("format=pdf"), href);
    const r = await page.request.get(base + href);
    assert.equal(r.status(), 200, "the brief is written");
    assert.equal(r.headers()["content-type"], "application/pdf");
    assert.ok((await r.body()).subarray(0, 5).toString() === "%PDF-", "a PDF");
    await page.screenshot({ path: path.join(artifacts, "03f-briefs.png") });
  });

  await step("scenarios: a stored run drawn as baseline and scenario maps in the forecast classes", async () => {
    const list = await (await page.request.get(base + "/api/v1/scenarios")).json();
    assert.equal(list.scenarios.length, 1, "the run made above");
    const id = list.scenarios[0].id;
    const j = await (await page.request.get(base + "/api/v1/scenarios/" + id)).json();
    await page.click("[data-testid=tab-scenarios]");
    await page.locator("[data-testid=scenario-row] a").first().click();
    await page.waitForFunction((id) => document.body.dataset.scenario === String(id), id, { timeout: 30000 });
    // Every cercle in each map, in the class its own P(any) gives (the
    // dashboard's fixed classes: 0, 5, 10, 25, 50, 75, 100 %).
    const cls = (p) => { const b = [0, 5, 10, 25, 50, 75, 100]; let k = 0; while (k < 5 && 100 * p >= b[k + 1]) k++; return k; };
    const drawn = await page.evaluate(() => {
      const out = {};
      for (const [arm, sel] of [["baseline", "#scenario-map-base"], ["scenario", "#scenario-map-scen"]]) {
        out[arm] = {};
        for (const p of document.querySelectorAll(sel + " path.sc-cercle")) {
          const m = p.getAttribute("class").match(/sc-(ML\d+) sc-k(\d)/);
          if (m) out[arm][m[1]] = Number(m[2]);
        }
      }
      return out;
    });
    assert.equal(j.cercles.length, 50, "every cercle in the result");
    for (const c of j.cercles) {
      assert.equal(drawn.baseline[c.code], cls(c.p_any.baseline), `baseline class of ${c.cercle}`);
      assert.equal(drawn.scenario[c.code], cls(c.p_any.scenario), `scenario class of ${c.cercle}`);
    }
    // The wave shows where it struck: the cercle that changes most is no
    // lower in the scenario than in the baseline, and its count rose.
    const top = j.places[0];
    assert.ok(top.cercle.startsWith("Kayes /"), `the largest change is in Kayes (${top.cercle})`);
    assert.ok(top.events.change > 0 && drawn.scenario[top.code] >= drawn.baseline[top.code], JSON.stringify(top));
    assert.equal(await page.locator("[data-testid=scenario-region]").count(), j.regions.length, "one row per region");
    const html = await page.locator("#scenario-html").getAttribute("href");
    const r = await page.request.get(base + html);
    assert.equal(r.status(), 200);
    assert.ok((await r.text()).includes("Wave on Kayes"), "the report names the scenario");
    await page.screenshot({ path: path.join(artifacts, "03g-scenarios.png") });
  });

  await step("my sites: exposure per site, an analyst adds one, a click shows it on the map", async () => {
    await page.click("[data-testid=tab-sites]");
    await page.locator("table.sites tbody tr").first().waitFor({ timeout: 30000 });
    assert.equal(await page.locator("table.sites tbody tr").count(), 2);
    const diamou = await page.locator("table.sites tbody tr", { hasText: "Diamou plant" }).textContent();
    assert.ok(/RN22/.test(diamou), `the RN22 serves the Diamou plant (${diamou})`);
    await page.fill("#site-form input[name=name]", "Kayes warehouse");
    await page.selectOption("#site-form select[name=type]", "warehouse");
    await page.fill("#site-form input[name=lat]", "14.45");
    await page.fill("#site-form input[name=lon]", "-11.43");
    await page.click("#site-form button[type=submit]");
    await page.locator("[data-testid=site-result]").filter({ hasText: /added/i }).waitFor({ timeout: 30000 });
    await page.waitForFunction(() => document.querySelectorAll("table.sites tbody tr").length === 3, null, { timeout: 30000 });
    await page.fill("#site-form input[name=name]", "kayes WAREHOUSE");
    await page.fill("#site-form input[name=lat]", "14.4");
    await page.fill("#site-form input[name=lon]", "-11.4");
    await page.click("#site-form button[type=submit]");
    await page.locator("[data-testid=site-result]").filter({ hasText: /refused/i }).waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(artifacts, "03e-sites.png") });
    await page.click("table.sites a[data-zoom]");
    await page.locator("#map").waitFor({ state: "visible" });
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=site-pin]").length === 3, null, { timeout: 30000 });
    await page.selectOption("select[name=st]", "");
    await page.selectOption("select[name=cr]", "");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  });

  await step("French toggle, remembered after reload", async () => {
    await page.click("#lang");
    await page.locator("text=Type d'événement").first().waitFor({ timeout: 5000 });
    await page.reload();
    await page.locator("text=Type d'événement").first().waitFor({ timeout: 30000 });
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    // No English string of the interface is left on the French page (the
    // strings that are the same in both languages aside).
    const english = await page.evaluate(() => Object.entries(window.VIGIL_I18N.en)
      .filter(([k, v]) => window.VIGIL_I18N.fr[k] !== v && v.length >= 4 && /[A-Za-z]{4}/.test(v)));
    const shown = await page.evaluate(() => document.body.innerText);
    const left = english.filter(([, v]) => shown.includes(v));
    assert.deepEqual(left, [], "English strings left on the French page: " + JSON.stringify(left));
    // Every key of the English table has its French (a new string cannot
    // ship untranslated), and a popup's sub-event type is French.
    const untranslated = await page.evaluate(() => Object.keys(window.VIGIL_I18N.en)
      .filter((k) => !window.VIGIL_I18N.fr[k]));
    assert.deepEqual(untranslated, [], "keys without French: " + untranslated.join(", "));
    const marker = page.locator("path.vigil-event").first();
    await marker.waitFor({ timeout: 30000 });
    await marker.click();
    await page.locator("[data-testid=popup-sources]").waitFor({ timeout: 30000 });
    const popup = await page.textContent(".leaflet-popup-content");
    const subs = await page.evaluate(() => Object.keys(window.VIGIL_I18N.en).filter((k) => k.startsWith("sub:"))
      .map((k) => [window.VIGIL_I18N.en[k], window.VIGIL_I18N.fr[k]]));
    const leftSub = subs.filter(([en, fr]) => en !== fr && popup.includes(" / " + en));
    assert.deepEqual(leftSub, [], "sub-event type left in English: " + popup);
    assert.ok(subs.some(([, fr]) => popup.includes(" / " + fr)), "a French sub-event type: " + popup);
    await page.keyboard.press("Escape");
    await page.screenshot({ path: path.join(artifacts, "04-french.png") });
    await page.click("#lang");
    await page.locator("text=Event type").first().waitFor({ timeout: 5000 });
  });

  await step("phone-sized screen: map and panel both visible", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await p.goto(base + "/");
    await p.locator("#login").waitFor({ state: "visible", timeout: 30000 });
    const box = await p.locator("#map").boundingBox();
    assert.ok(box && box.width <= 390 && box.height > 200, "the map fits the phone's width");
    await p.screenshot({ path: path.join(artifacts, "05-phone.png") });
    await phone.close();
  });

  // Bytes are a property of what is sent; time to interactive depends on how
  // busy the machine is, so it is printed here and measured in bench/.
  await step("first load under 1 MB; no request leaves the machine", async () => {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const cookies = await context.cookies();
    await fresh.addCookies(cookies);
    const p = await fresh.newPage();
    const cdp = await fresh.newCDPSession(p);
    await cdp.send("Network.enable");
    let bytes = 0;
    cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
    const t0 = Date.now();
    await p.goto(base + "/");
    await p.waitForFunction(() => /^\d+$/.test(document.querySelector("#count").textContent), null, { timeout: 60000 });
    const ms = Date.now() - t0;
    console.log(`     first load: ${bytes} bytes transferred, interactive in ${ms} ms`);
    assert.ok(bytes < 1024 * 1024, `first load ${bytes} bytes`);
    await fresh.close();
    assert.deepEqual(external, [], "no request leaves 127.0.0.1");
  });

  await step("a SIMULATED banner whenever the database holds simulated events", async () => {
    assert.equal(await page.isVisible("[data-testid=sim-banner]"), false, "real events: no banner");
    await page.evaluate(() => window.vigil.api("/api/v1/events", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ source: "simulated", source_id: "sim-1", date_start: "2025-07-03", date_end: "2025-07-03",
        date_precision: "day", latitude: 14.45, longitude: -11.44, geo_precision: 1, location: "Kayes",
        event_type: "Battles", sub_event_type: "Armed clash", actor1: "JNIM", fatalities: null })
    }));
    await page.reload();
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    const banner = page.locator("[data-testid=sim-banner]");
    await banner.waitFor({ state: "visible", timeout: 15000 });
    assert.match(await banner.textContent(), /SIMULATED/);
    await page.screenshot({ path: path.join(artifacts, "05b-simulated.png") });
  });

  await step("sign out shows the sign-in form again", async () => {
    await page.click("#signout");
    await page.locator("#login").waitFor({ state: "visible", timeout: 30000 });
    const me = await page.request.get(base + "/api/v1/me");
    assert.equal(me.status(), 401, "the session cookie no longer works");
    await page.screenshot({ path: path.join(artifacts, "06-signed-out.png") });
  });
} catch (e) {
  failed = true;
  if (e && !String(e.message).startsWith("FAIL")) console.log(e.stack || String(e));
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
