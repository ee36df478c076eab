// vigil dashboard, roads and sites: the corridor layer coloured by status
// (open / disrupted / blockaded, with the reason and the evidence in its
// tooltip), the route planner (two towns in, the least-risk route and its
// alternatives drawn, each with km, expected incidents and P(at least one),
// the worst segment and why), the site layer and the "my sites" page (each
// site's exposure; analysts add and remove sites). Every text from the
// server goes through esc() or textContent.
(function () {
  "use strict";
  const V = window.vigil;
  const $ = (sel) => document.querySelector(sel);
  const t = (k) => V.t(k);
  const esc = (s) => V.esc(s);
  const STATUS_STYLE = {
    open: { color: "#2e7d32", weight: 2, opacity: 0.55 },
    disrupted: { color: "#e67e22", weight: 4, opacity: 0.9 },
    blockaded: { color: "#b00020", weight: 6, opacity: 0.95 },
  };
  const ROUTE_COLORS = ["#1565c0", "#6a1b9a", "#00838f", "#5d4037", "#455a64", "#ad1457"];
  let corridorLayer = null, corridorLegend = null, siteLayer = null, routeLayer = null;
  let sites = null;  // the last /api/v1/sites answer
  const pct = (p) => (100 * p).toFixed(p < 0.1 ? 1 : 0) + "%";
  const statusWord = (s) => t("st_" + s);
  const trendWord = (s) => t({ rising: "up", falling: "down", steady: "flat" }[s] || s);

  // ---- corridor layer
  function corridorTip(p) {
    let html = `<strong>${esc(p.corridor)}</strong> ${esc(p.name)}<br>${esc(statusWord(p.status))}` +
      ` (${esc(t("confidence"))} ${Number(p.confidence).toFixed(2)})<br>${esc(p.reason)}`;
    for (const e of (p.evidence || []).slice(0, 3))
      html += `<br><small>${esc(e.date)} ${esc(e.location)}: ${esc(e.sub_event_type)} (${esc(e.why)})</small>`;
    return html;
  }
  async function drawCorridors(map, on) {
    if (corridorLayer) { map.removeLayer(corridorLayer); corridorLayer = null; }
    if (corridorLegend) { corridorLegend.remove(); corridorLegend = null; }
    if (!on) return;
    const fc = await V.api(`/api/v1/corridors?lang=${V.lang()}`);
    // Routes first, named corridors last, and the worst status on top.
    const order = { open: 0, disrupted: 1, blockaded: 2 };
    fc.features.sort((a, b) => order[a.properties.status] - order[b.properties.status]);
    corridorLayer = L.geoJSON(fc, {
      style: (f) => Object.assign({ className: "vigil-corridor status-" + f.properties.status }, STATUS_STYLE[f.properties.status]),
      onEachFeature: (f, layer) => layer.bindTooltip(corridorTip(f.properties), { sticky: true }),
    }).addTo(map);
    corridorLegend = L.control({ position: "bottomright" });
    corridorLegend.onAdd = () => {
      const div = L.DomUtil.create("div", "fc-legend");
      div.dataset.testid = "corridor-legend";
      div.innerHTML = `${esc(t("corridors_asof"))} ${esc(fc.as_of)}<br>` + Object.keys(STATUS_STYLE).map((s) =>
        `<span class="line" style="border-color:${STATUS_STYLE[s].color};border-width:${STATUS_STYLE[s].weight / 2}px"></span>` +
        `${esc(statusWord(s))} (${fc.features.filter((f) => f.properties.status === s).length})`).join("<br>");
      return div;
    };
    corridorLegend.addTo(map);
  }

  // ---- sites: layer and page
  function siteHtml(p) {
    let html = `<dl class="popup"><dt>${esc(p.name)}</dt><dd>${esc(t("site_" + p.type))}${p.owner ? ", " + esc(p.owner) : ""}` +
      `, ${esc(t("radius"))} ${esc(p.radius_km)} km</dd>`;
    if (p.events_90d !== undefined) {
      html += `<dt>${esc(t("site_events"))}</dt><dd>${esc(p.events_30d)} / ${esc(p.events_90d)} (${esc(trendWord(p.trend))})</dd>`;
      html += `<dt>${esc(t("p_any"))}</dt><dd>` + (p.forecast && p.forecast.length
        ? p.forecast.map((f) => `${esc(f.horizon_days)} ${esc(t("days"))}: ${pct(f.p_any)}`).join(", ")
        : esc(t("no_site_forecast"))) + "</dd>";
      if (p.threats && p.threats.length) {
        const th = p.threats[0];
        html += `<dt>${esc(t("nearest_threat"))}</dt><dd>${esc(th.date)} ${esc(th.location || th.sub_event_type)},` +
          ` ${Number(th.distance_km).toFixed(0)} km ${esc(th.direction)}</dd>`;
      }
      if (p.corridors && p.corridors.length)
        html += `<dt>${esc(t("serving_corridors"))}</dt><dd>` +
          p.corridors.map((c) => `${esc(c.corridor)}: ${esc(statusWord(c.status))}`).join("<br>") + "</dd>";
    }
    return html + "</dl>";
  }
  function siteLevel(p) {
    const p30 = p.forecast && p.forecast.length ? p.forecast[p.forecast.length - 1].p_any : 0;
    const blocked = (p.corridors || []).some((c) => c.status === "blockaded");
    return blocked || p30 >= 0.5 ? "high" : p30 >= 0.1 || (p.corridors || []).some((c) => c.status === "disrupted") ? "mid" : "low";
  }
  async function loadSites() {
    sites = await V.api(`/api/v1/sites?lang=${V.lang()}`);
    return sites;
  }
  async function drawSites(map, on) {
    if (siteLayer) { map.removeLayer(siteLayer); siteLayer = null; }
    if (!on) return;
    const fc = await loadSites();
    siteLayer = L.geoJSON(fc, {
      pointToLayer: (f, latlng) => L.marker(latlng, {
        icon: L.divIcon({ className: "", html: `<div class="site-pin lvl-${siteLevel(f.properties)}" data-testid="site-pin">&#9632;</div>`, iconSize: [18, 18] }),
        title: f.properties.name,
      }),
      onEachFeature: (f, layer) => layer.bindPopup(() => siteHtml(f.properties), { maxWidth: 320 }),
    }).addTo(map);
    for (const f of fc.features)  // the radius, faintly
      L.circle([f.geometry.coordinates[1], f.geometry.coordinates[0]], { radius: f.properties.radius_km * 1000, color: "#37474f", weight: 1, fill: false, dashArray: "3 4", interactive: false }).addTo(siteLayer);
  }
  async function showSitesPage() {
    const box = $("#sites-table");
    box.textContent = t("loading");
    let fc;
    try { fc = await loadSites(); } catch (e) { box.textContent = t("load_error") + e.message; return; }
    $("#sites-asof").textContent = fc.as_of ? `${t("forecast_asof")} ${fc.as_of}` : "";
    if (!fc.features.length) { box.textContent = t("no_sites"); return; }
    const rows = fc.features.map((f) => {
      const p = f.properties;
      const fcast = (h) => { const x = (p.forecast || []).find((r) => r.horizon_days === h); return x ? pct(x.p_any) : "–"; };
      // The cut corridors by name; the open ones counted.
      const cut = (p.corridors || []).filter((c) => c.status !== "open");
      const open = (p.corridors || []).length - cut.length;
      const cor = cut.map((c) => `<span class="st-${esc(c.status)}">${esc(c.corridor)} ${esc(statusWord(c.status))}</span>`)
        .concat(open ? [`${open} ${esc(statusWord("open"))}`] : []).join(", ");
      return `<tr data-id="${esc(f.id)}" class="lvl-${siteLevel(p)}"><td><a href="#" data-zoom="${esc(f.id)}">${esc(p.name)}</a></td>` +
        `<td>${esc(t("site_" + p.type))}</td><td>${esc(p.events_30d)}</td><td>${esc(p.events_90d)}</td><td>${esc(trendWord(p.trend))}</td>` +
        `<td>${fcast(7)}</td><td>${fcast(30)}</td><td>${cor || "–"}</td>` +
        (V.canWrite() ? `<td><button type="button" data-remove="${esc(f.id)}">${esc(t("remove"))}</button></td>` : "<td></td>") + "</tr>";
    });
    box.innerHTML = `<table class="sites"><thead><tr><th>${esc(t("site"))}</th><th>${esc(t("site_type"))}</th><th>30 ${esc(t("days"))}</th>` +
      `<th>90 ${esc(t("days"))}</th><th>${esc(t("trend"))}</th><th>P 7 ${esc(t("days"))}</th><th>P 30 ${esc(t("days"))}</th>` +
      `<th>${esc(t("serving_corridors"))}</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>` +
      (fc.features[0].properties.forecast_note ? `<p class="note">${esc(fc.features[0].properties.forecast_note)}</p>` : "");
  }
  async function addSite(ev) {
    ev.preventDefault();
    const f = ev.target;
    const lat = Number(f.elements.lat.value), lon = Number(f.elements.lon.value);
    const body = { type: "Feature", geometry: { type: "Point", coordinates: [lon, lat] },
      properties: { name: f.elements.name.value, type: f.elements.type.value, owner: f.elements.owner.value, radius_km: Number(f.elements.radius.value || 10) } };
    try {
      await V.api("/api/v1/sites", { method: "POST", headers: { "Content-Type": "application/geo+json" }, body: JSON.stringify(body) });
      $("#site-result").textContent = t("site_added");
      f.reset();
      await showSitesPage();
    } catch (e) {
      $("#site-result").textContent = t("site_refused") + " " + e.message;
    }
  }

  // ---- route planner
  async function loadTowns() {
    const fc = await V.api("/api/v1/roads");
    const towns = new Set();
    for (const f of fc.features) { towns.add(f.properties.from); towns.add(f.properties.to); }
    $("#towns").innerHTML = [...towns].sort((a, b) => a.localeCompare(b)).map((n) => `<option value="${esc(n)}">`).join("");
  }
  async function planRoute(ev) {
    ev.preventDefault();
    const map = V.map();
    const f = ev.target;
    if (routeLayer) { map.removeLayer(routeLayer); routeLayer = null; }
    const out = $("#route-result");
    out.textContent = t("loading");
    const q = new URLSearchParams({ from: f.elements.from.value, to: f.elements.to.value, alternatives: "2",
      horizon: f.elements.horizon.value });
    let fc;
    try { fc = await V.api("/api/v1/route?" + q); } catch (e) {
      out.textContent = e.status === 404 && /fit/.test(e.message) ? t("no_forecast_route") : t("route_error") + " " + e.message;
      return;
    }
    routeLayer = L.featureGroup().addTo(map);
    // Alternatives under the best route.
    [...fc.features].reverse().forEach((feat) => {
      const i = feat.properties.rank - 1;
      L.geoJSON(feat, { style: { className: "vigil-route", color: ROUTE_COLORS[i % ROUTE_COLORS.length], weight: i === 0 ? 7 : 4, opacity: 0.85, dashArray: i === 0 ? null : "8 6" } })
        .bindTooltip(`${esc(t("route"))} ${feat.properties.rank}: ${Number(feat.properties.km).toFixed(0)} km, ${pct(feat.properties.p_any)}`, { sticky: true })
        .addTo(routeLayer);
    });
    map.fitBounds(routeLayer.getBounds().pad(0.15), { animate: false });
    out.innerHTML = `<p class="note">${esc(t("route_risk"))} ${esc(fc.horizon_days)} ${esc(t("days"))}, ${esc(t("forecast_asof"))} ${esc(fc.as_of)}</p>` +
      "<ol class=\"routes\">" + fc.features.map((feat, i) => {
        const p = feat.properties;
        const worst = (p.worst_segments || [])[0];
        return `<li data-testid="route-option" style="border-color:${ROUTE_COLORS[i % ROUTE_COLORS.length]}">` +
          `<strong>${Number(p.km).toFixed(0)} km</strong>, ${esc(t("p_any"))} ${pct(p.p_any)}, ` +
          `${Number(p.expected_incidents).toFixed(2)} ${esc(t("expected_incidents"))}<br><small>${esc((p.towns || []).join(" › "))}</small>` +
          (worst ? `<br><small>${esc(t("worst"))}: ${esc(worst.label || "")} (${pct(worst.p_any)}) ${esc(worst.why || "")}</small>` : "") + "</li>";
      }).join("") + "</ol>";
  }

  // Called by app.js on every refresh with the layers' choices.
  V.drawRoads = async (map, corridorsOn, sitesOn) => {
    try {
      await drawCorridors(map, corridorsOn);
      await drawSites(map, sitesOn);
    } catch (e) {
      $("#note").textContent = t("load_error") + e.message;
    }
  };
  V.onSitesTab = showSitesPage;
  V.zoomToSite = (id) => {
    const f = sites && sites.features.find((x) => String(x.id) === String(id));
    if (!f) return;
    V.showTab("map");
    const el = $("#filters").elements.st;
    if (!el.value) { el.value = "1"; el.dispatchEvent(new Event("change", { bubbles: true })); }
    V.map().setView([f.geometry.coordinates[1], f.geometry.coordinates[0]], 9, { animate: false });
  };
  $("#route-form").addEventListener("submit", planRoute);
  $("#site-form").addEventListener("submit", addSite);
  $("#sites-table").addEventListener("click", async (ev) => {
    const z = ev.target.closest("[data-zoom]");
    if (z) { ev.preventDefault(); V.zoomToSite(z.dataset.zoom); return; }
    const r = ev.target.closest("[data-remove]");
    if (r) {
      try { await V.api(`/api/v1/sites/${encodeURIComponent(r.dataset.remove)}`, { method: "DELETE" }); } catch (e) { $("#site-result").textContent = e.message; }
      await showSitesPage();
    }
  });
  V.loadTowns = () => loadTowns().catch(() => { /* the planner still takes typed names */ });
})();
