// vigil dashboard, scenarios (docs/scenarios.md): the stored results
// (GET /api/v1/scenarios) and one of them as two maps side by side, the
// baseline and the scenario, each cercle shaded by P(at least one event) over
// the weeks simulated in the forecast layer's fixed classes (one legend for
// both), with the regions' figures and the change's Monte Carlo error, and
// links to the report. Every text from the server goes through esc().
(function () {
  "use strict";
  const V = window.vigil;
  const $ = (sel) => document.querySelector(sel);
  const t = (k) => V.t(k);
  const esc = (s) => V.esc(s);
  let adm2 = null;
  let maps = null;
  let shown = null;  // id of the scenario on the maps

  const num = (x, d) => (V.lang() === "fr" ? x.toFixed(d).replace(".", ",") : x.toFixed(d));
  const pct = (p) => num(100 * p, p < 0.1 ? 1 : 0) + (V.lang() === "fr" ? "\u00a0%" : "%");
  const signed = (x) => (x > 0 ? "+" : x < 0 ? "−" : "") + num(Math.abs(x), 1);

  // Two maps that move together.
  function ensureMaps() {
    if (maps) return maps;
    const make = (id) => L.map(id, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 }).setView([17.3, -4], 5);
    maps = { base: make("scenario-map-base"), scen: make("scenario-map-scen"), layers: [] };
    let syncing = false;
    const follow = (from, to) => from.on("move", () => {
      if (syncing) return;
      syncing = true;
      to.setView(from.getCenter(), from.getZoom(), { animate: false });
      syncing = false;
    });
    follow(maps.base, maps.scen);
    follow(maps.scen, maps.base);
    return maps;
  }

  function legend(weeks) {
    const B = V.fcBreaks, C = V.fcColors;
    $("#scenario-legend").innerHTML = `${esc(t("sc_legend").replace("{w}", weeks))} ` +
      B.slice(0, -1).map((b, i) => `<span class="sw" style="background:${C[i]}"></span>${b}–${B[i + 1]}%`).join(" ") +
      ` <span class="sw hatch"></span>${esc(t("no_forecast_legend"))}`;
  }

  function draw(j, g) {
    const m = ensureMaps();
    for (const l of m.layers) l.remove();
    m.layers = [];
    const by = new Map(j.cercles.map((c) => [c.code, c]));
    for (const [map, arm] of [[m.base, "baseline"], [m.scen, "scenario"]]) {
      const layer = L.geoJSON(g, {
        style: (f) => {
          const c = by.get(f.properties.adm2_pcode);
          if (!c) return { fillColor: "url(#vigil-hatch)", fillOpacity: 1, color: "#7f8c8d", weight: 0.5, className: "sc-cercle sc-none" };
          const k = V.fcClass(c.p_any[arm]);
          return { fillColor: V.fcColors[k], fillOpacity: 0.8, color: "#7f8c8d", weight: 0.5,
                   className: `sc-cercle sc-${f.properties.adm2_pcode} sc-k${k}` };
        },
        onEachFeature: (f, l) => {
          const c = by.get(f.properties.adm2_pcode);
          if (!c) return;
          const e = c.events;
          l.bindTooltip(`<b>${esc(c.cercle)}</b><br>${esc(t("p_any"))}: ${pct(c.p_any[arm])}<br>` +
            `${esc(t("sc_events"))}: ${num(e[arm].mean, 1)} (${num(e[arm].p10, 0)}–${num(e[arm].p90, 0)})` +
            (arm === "scenario" ? `<br>${esc(t("sc_change"))}: ${signed(e.change)} ± ${num(e.change_se, 1)}` : ""));
        },
      }).addTo(map);
      m.layers.push(layer);
    }
    setTimeout(() => { m.base.invalidateSize(); m.scen.invalidateSize(); }, 0);
  }

  function regions(j) {
    const k = j.regions.length && j.regions[0].at_least.length ? j.regions[0].at_least[0].k : null;
    $("#scenario-regions").innerHTML = `<table class="briefs"><thead><tr><th>${esc(t("region"))}</th>` +
      `<th>${esc(t("sc_baseline"))}</th><th>${esc(t("sc_scenario"))}</th><th>${esc(t("sc_change"))}</th>` +
      (k !== null ? `<th>P(≥${k}) ${esc(t("sc_baseline"))} → ${esc(t("sc_scenario"))}</th>` : "") +
      `<th>${esc(t("fatalities"))}</th></tr></thead><tbody>` +
      j.regions.map((r) => {
        const e = r.events, a = r.at_least[0];
        const name = r.region === "Mali" ? t("sc_mali") : r.region === "model area" ? t("sc_area") : r.region;
        return `<tr data-testid="scenario-region"><td>${esc(name)}</td><td>${num(e.baseline.mean, 1)}</td>` +
          `<td>${num(e.scenario.mean, 1)} <span class="note">(${num(e.scenario.p10, 0)}–${num(e.scenario.p90, 0)})</span></td>` +
          `<td>${signed(e.change)} ± ${num(e.change_se, 1)}</td>` +
          (a ? `<td>${pct(a.baseline)} → ${pct(a.scenario)}</td>` : "") +
          `<td>${num(r.fatalities.baseline.mean, 0)} → ${num(r.fatalities.scenario.mean, 0)}</td></tr>`;
      }).join("") + "</tbody></table>";
  }

  async function open(id) {
    const box = $("#scenario-detail");
    try {
      const [j, g] = await Promise.all([V.api("/api/v1/scenarios/" + id), adm2 || (adm2 = V.api("/api/v1/boundaries/admin2"))]);
      shown = id;
      box.hidden = false;
      $("#scenario-title").textContent = j.title;
      $("#scenario-meta").textContent = t("sc_meta").replace("{from}", j.as_of).replace("{to}", j.until)
        .replace("{w}", j.weeks).replace("{n}", j.runs).replace("{s}", j.seed);
      $("#scenario-changes").innerHTML = (j.changes.length ? j.changes : [t("sc_no_change")])
        .map((c) => `<li>${esc(c)}</li>`).join("");
      $("#scenario-html").href = `/api/v1/scenarios/${id}?format=html&lang=${V.lang()}`;
      $("#scenario-json").href = `/api/v1/scenarios/${id}`;
      legend(j.weeks);
      regions(j);
      draw(j, await adm2);
      document.body.dataset.scenario = String(id);
    } catch (e) {
      box.hidden = false;
      $("#scenario-meta").textContent = t("load_error") + e.message;
    }
  }

  async function showScenarios() {
    const box = $("#scenarios-table");
    box.textContent = t("loading");
    try {
      const j = await V.api("/api/v1/scenarios");
      if (!j.scenarios.length) { box.textContent = t("no_scenarios"); return; }
      box.innerHTML = `<table class="briefs"><thead><tr><th>${esc(t("sc_title"))}</th><th>${esc(t("sc_asof"))}</th>` +
        `<th>${esc(t("sc_runs"))}</th><th>${esc(t("sc_created"))}</th></tr></thead><tbody>` +
        j.scenarios.map((s) => `<tr data-testid="scenario-row"><td><a href="#" data-scenario="${esc(String(s.id))}">` +
          `${esc(s.title)}</a></td><td>${esc(s.as_of)}</td><td>${esc(String(s.runs))}</td><td>${esc(s.created_at)}</td></tr>`).join("") +
        "</tbody></table>";
      for (const a of box.querySelectorAll("a[data-scenario]"))
        a.addEventListener("click", (ev) => { ev.preventDefault(); open(a.dataset.scenario); });
      if (shown !== null) open(shown);
    } catch (e) {
      box.textContent = t("load_error") + e.message;
    }
  }

  V.onScenariosTab = showScenarios;
})();
