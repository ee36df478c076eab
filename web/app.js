// vigil dashboard: a Leaflet map drawn from the bundled boundaries (no tile
// server), events clustered and coloured by type, the forecast as a
// choropleth, filters kept in the URL, a weekly timeline and a region page.
(function () {
  "use strict";
  const I18N = window.VIGIL_I18N;
  // The map's events come as columns (GET /api/v1/events?format=columns),
  // a fifth of their GeoJSON; a popup reads its full event by id.
  const MAX_EVENTS = 5000;
  // Filters that change which events are shown; the other fields of the
  // form only switch a layer, and never re-fetch the events.
  const DATA_FILTERS = ["from", "to", "type", "actor", "admin1"];
  const MALI_BOUNDS = [[10.1, -12.3], [25.0, 4.3]];
  const COLORS = {
    "Battles": "#c0392b", "Explosions/Remote violence": "#e67e22", "Violence against civilians": "#8e44ad",
    "Protests": "#2e86c1", "Riots": "#b7950b", "Strategic developments": "#707b7c"
  };
  // Forecast classes: P(at least one event) in percent, and a sequential
  // ramp (ColorBrewer YlOrRd), one colour per class.
  const FC_BREAKS = [0, 5, 10, 25, 50, 75, 100];
  const FC_COLORS = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"];
  const fcClass = (p) => { let k = 0; while (k < FC_COLORS.length - 1 && 100 * p >= FC_BREAKS[k + 1]) k++; return k; };
  window.vigil = window.vigil || {};
  window.vigil.fcClass = fcClass;
  window.vigil.fcBreaks = FC_BREAKS;
  window.vigil.fcColors = FC_COLORS;
  const TYPE_KEYS = {
    "Battles": "t_battles", "Explosions/Remote violence": "t_explosions", "Violence against civilians": "t_vac",
    "Protests": "t_protests", "Riots": "t_riots", "Strategic developments": "t_strategic"
  };
  let lang = localStorage.getItem("vigil.lang") || ((navigator.language || "en").startsWith("fr") ? "fr" : "en");
  if (!I18N[lang]) lang = "en";
  let csrf = "";
  let map, clusters, forecastLayer, noForecastLayer, chart, countries = null;
  let loadSeq = 0;

  const $ = (sel) => document.querySelector(sel);
  const t = (k) => (I18N[lang] && I18N[lang][k]) || I18N.en[k] || k;
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function applyLang() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    $("#lang").textContent = lang === "en" ? "FR" : "EN";
    drawLegend();
  }

  // A read the server is too busy for (503, 429, a gateway's 502/504) or a
  // dropped connection is tried again, up to three times, after the
  // server's Retry-After or a growing pause: a field link or a busy server
  // should slow the view down, not break it. Writes are never repeated.
  async function fetchRetrying(path, init) {
    const read = !init.method || init.method === "GET";
    for (let attempt = 0; ; attempt++) {
      let res = null;
      try { res = await fetch(path, init); } catch (e) { if (!read || attempt >= 3) throw e; }
      if (res && (!read || attempt >= 3 || ![429, 502, 503, 504].includes(res.status))) return res;
      const after = res ? Number(res.headers.get("Retry-After")) : NaN;
      await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? Math.min(after, 5) * 1000 : 400 * 2 ** attempt));
    }
  }

  async function api(path, opts = {}) {
    const headers = Object.assign({}, opts.headers || {});
    if (opts.method && opts.method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
    const res = await fetchRetrying(path, Object.assign({ credentials: "same-origin" }, opts, { headers }));
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const err = new Error((body && body.message) || res.statusText);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  // ---- URL state: filters, forecast layer and the map view.
  function readState() {
    const q = new URLSearchParams(location.search);
    const f = $("#filters");
    for (const name of ["from", "to", "type", "actor", "admin1", "fc", "rp", "cr", "st", "tc"]) if (q.has(name)) f.elements[name].value = q.get(name);
    return q;
  }
  function writeState() {
    const q = new URLSearchParams();
    const f = $("#filters");
    for (const name of ["from", "to", "type", "actor", "admin1", "fc", "rp", "cr", "st", "tc"]) if (f.elements[name].value) q.set(name, f.elements[name].value);
    if (map) { const c = map.getCenter(); q.set("view", `${c.lat.toFixed(3)},${c.lng.toFixed(3)},${map.getZoom()}`); }
    history.replaceState(null, "", q.toString() ? "?" + q.toString() : location.pathname);
  }
  function filterQuery() {
    const q = new URLSearchParams();
    const f = $("#filters");
    for (const name of DATA_FILTERS) if (f.elements[name].value) q.set(name, f.elements[name].value);
    return q;
  }

  // ---- Map
  function initMap(view) {
    map = L.map("map", { zoomSnap: 0.5, minZoom: 3, maxZoom: 14, attributionControl: true });
    map.attributionControl.setPrefix(false);
    // Layer order: countries' fill, then the forecast, then outlines and events.
    map.createPane("base").style.zIndex = 250;
    map.createPane("cercles").style.zIndex = 260;  // above the fills, whenever they load
    map.createPane("forecast").style.zIndex = 350;
    map.attributionControl.addAttribution("Boundaries: OCHA (Mali), Natural Earth");
    const v = (view || "").split(",").map(Number);
    if (v.length === 3 && v.every(Number.isFinite)) map.setView([v[0], v[1]], v[2]);
    else map.fitBounds(MALI_BOUNDS);
    map.on("moveend", writeState);
    L.control.scale({ imperial: false, position: "bottomright" }).addTo(map);
    // Region names show from the country's zoom in; below it they would crowd.
    // Towns by population: the largest from the country's zoom, more as one
    // zooms in (tiers 0, 1, 2: CSS hides a tier below its zoom).
    const labels = () => {
      const z = map.getZoom(), cl = map.getContainer().classList;
      cl.toggle("labels-hidden", z < 4.5);
      cl.toggle("cercles-hidden", z < 7);
      if (z >= 7) loadCercles();
      cl.toggle("towns-hide-0", z < 5);
      cl.toggle("towns-hide-1", z < 6.5);
      cl.toggle("towns-hide-2", z < 8);
    };
    map.on("zoomend", labels);
    labels();
    clusters = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 40,
      // A cluster's ring has the colour of its most frequent event type.
      iconCreateFunction: (c) => {
        const n = c.getChildCount();
        const size = n < 10 ? 30 : n < 100 ? 36 : 44;
        const by = {};
        for (const m of c.getAllChildMarkers()) by[m.options.fillColor] = (by[m.options.fillColor] || 0) + 1;
        const ring = Object.keys(by).sort((a, b) => by[b] - by[a])[0] || "#555";
        return L.divIcon({ html: `<div class="cluster" style="width:${size}px;height:${size}px;line-height:${size - 6}px;border-color:${ring}">${n}</div>`, className: "", iconSize: [size, size] });
      }
    });
    map.addLayer(clusters);
  }

  async function loadBoundaries() {
    const [adm0, adm1, towns] = await Promise.all([api("/api/v1/boundaries/admin0"), api("/api/v1/boundaries/admin1"),
      api("/api/v1/boundaries/towns")]);
    countries = adm0;
    drawBase(adm0, adm1);
    // Each region labelled, and a click on it opens its page (the region
    // filter), matching the OCHA spelling to the stored one without accents.
    const fold = (s) => String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    L.geoJSON(adm1, {
      style: { color: "#5d6d7e", weight: 1.2, fill: true, fillOpacity: 0 },
      onEachFeature: (f, layer) => {
        layer.bindTooltip(esc(f.properties.adm1 || ""), { permanent: true, direction: "center", className: "region-label" });
        layer.on("click", () => {
          const sel = $("#filters").elements.admin1;
          const opt = [...sel.options].find((o) => o.value && fold(o.value) === fold(f.properties.adm1));
          if (!opt || sel.value === opt.value) return;
          sel.value = opt.value;
          sel.dispatchEvent(new Event("change", { bubbles: true }));
        });
      }
    }).addTo(map);
    drawTowns(towns);
  }

  // One border set: Mali is filled and outlined from OCHA's polygons (the
  // regions' outlines), the neighbours from Natural Earth's; a neighbour's
  // border is drawn except where it runs along Natural Earth's Mali (the two
  // sources differ by up to a few km there: two offset lines otherwise).
  function drawBase(adm0, adm1) {
    L.geoJSON(adm0, { pane: "base", style: { stroke: false, fillColor: "#e9e6df", fillOpacity: 1 }, interactive: false }).addTo(map);
    L.geoJSON(adm1, { pane: "base", style: { stroke: false, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false }).addTo(map);
    const rings = (g) => g.type === "Polygon" ? g.coordinates : g.type === "MultiPolygon" ? g.coordinates.flat() : [];
    const key = (p) => p[0] + "," + p[1];
    const mali = new Set();
    for (const f of adm0.features) if (f.properties.name === "Mali") for (const r of rings(f.geometry)) for (const p of r) mali.add(key(p));
    const lines = [];
    for (const f of adm0.features) {
      if (f.properties.name === "Mali") continue;
      for (const r of rings(f.geometry)) {
        let run = [];
        for (let i = 0; i + 1 < r.length; i++) {
          const shared = mali.has(key(r[i])) && mali.has(key(r[i + 1]));
          if (!shared) { if (!run.length) run.push(r[i]); run.push(r[i + 1]); }
          else if (run.length) { lines.push(run); run = []; }
        }
        if (run.length) lines.push(run);
      }
    }
    L.geoJSON({ type: "MultiLineString", coordinates: lines }, { pane: "base", style: { color: "#7f8c8d", weight: 1 }, interactive: false }).addTo(map);
  }

  // Cercles (OCHA admin2): thin outlines and their names, fetched the first
  // time the map is zoomed in far enough to read them (zoom 7).
  let cercles = null;
  function loadCercles() {
    if (cercles) return;
    cercles = api("/api/v1/boundaries/admin2").then((adm2) => {
      // Only the borders between two cercles of one region: a region's own
      // border is the regions' line (the two levels are simplified apart and
      // would otherwise run side by side). The levels' shared borders are
      // identical vertex for vertex within a level (geo/simplify.h).
      const rings = (g) => g.type === "Polygon" ? g.coordinates : g.type === "MultiPolygon" ? g.coordinates.flat() : [];
      const seg = (p, q) => { const a = p + "", b = q + ""; return a < b ? a + "|" + b : b + "|" + a; };
      const regionsOf = new Map();
      for (const f of adm2.features)
        for (const r of rings(f.geometry))
          for (let i = 0; i + 1 < r.length; i++) {
            const k = seg(r[i], r[i + 1]);
            regionsOf.set(k, (regionsOf.get(k) || []).concat(f.properties.adm1));
          }
      const lines = [];
      for (const f of adm2.features)
        for (const r of rings(f.geometry))
          for (let i = 0; i + 1 < r.length; i++) {
            const on = regionsOf.get(seg(r[i], r[i + 1]));
            if (on.length === 2 && on[0] === on[1] && r[i] + "" < r[i + 1] + "") lines.push([r[i], r[i + 1]]);
          }
      L.geoJSON({ type: "MultiLineString", coordinates: lines }, {
        pane: "cercles", interactive: false,
        style: { color: "#8c979c", weight: 0.8, dashArray: "4 3", className: "cercle-line" }
      }).addTo(map);
      L.geoJSON(adm2, {
        pane: "cercles", interactive: false, style: { stroke: false, fill: false },
        onEachFeature: (f, layer) => layer.bindTooltip(esc(f.properties.adm2 || ""), { permanent: true, direction: "center", className: "cercle-label" })
      }).addTo(map);
    }).catch(() => { cercles = null; });
  }

  // Towns as dots with their names; the tier (by population rank) sets the
  // zoom from which they show.
  function drawTowns(fc) {
    const group = L.layerGroup();
    for (const f of fc.features) {
      const [lon, lat] = f.geometry.coordinates;
      const tier = f.properties.rank < 12 ? 0 : f.properties.rank < 60 ? 1 : 2;
      L.circleMarker([lat, lon], { radius: 2.5, weight: 1, color: "#333", fillColor: "#fff", fillOpacity: 1, interactive: false, className: `town-dot town-tier-${tier}` })
        .bindTooltip(esc(f.properties.name), { permanent: true, direction: "right", offset: [3, 0], className: `town-label town-tier-${tier}` })
        .addTo(group);
    }
    group.addTo(map);
  }

  function radius(e) { const f = e.properties.fatalities || 0; return 5 + Math.min(18, Math.sqrt(f) * 2.2); }

  function popupHtml(p, prov) {
    const actors = [p.actor1, p.actor2].filter(Boolean).join(" — ");
    let html = `<dl class="popup"><dt>${esc(t("date"))}</dt><dd>${esc(p.date_start)}${p.date_end && p.date_end !== p.date_start ? " – " + esc(p.date_end) : ""}</dd>`;
    html += `<dt>${esc(t("location"))}</dt><dd>${esc(p.location || t("unknown_place"))}${p.admin1 ? ", " + esc(p.admin1) : ""}</dd>`;
    html += `<dt>${esc(t("type"))}</dt><dd>${esc(t(TYPE_KEYS[p.event_type] || p.event_type))}${p.sub_event_type ? " / " + esc(t("sub:" + p.sub_event_type)) : ""}</dd>`;
    html += `<dt>${esc(t("actors"))}</dt><dd>${esc(actors || t("none"))}</dd>`;
    html += `<dt>${esc(t("fatalities"))}</dt><dd>${p.fatalities == null ? "?" : esc(p.fatalities)}</dd>`;
    // Until the whole event is read, the sources say "loading".
    html += `<dt>${esc(t("sources"))}</dt><dd class="sources" data-testid="${prov ? "popup-sources" : "popup-pending"}">`;
    const srcs = (p.sources || []).map((s) => `${esc(s.source)} ${esc(s.source_id)}`);
    // The report's own title first ("Source: TITLE (publisher, date)" in
    // the notes), then the identifiers, small, for whoever traces a row.
    const notes = p.notes || "";
    const cut = notes.lastIndexOf("Source: ");
    const title = cut >= 0 ? notes.slice(cut + 8).trim() : "";
    if (title) html += `<strong class="src-title">${esc(title)}</strong><br>`;
    const ids = srcs.length ? srcs.join("<br>") : p.source ? esc(p.source + " " + p.source_id) : esc(t("loading"));
    html += `<span class="src-ids">${ids}`;
    const base = (f) => String(f).split("/").pop();
    if (prov && prov.length) html += "<br>" + prov.map((r) => esc(r.file ? `${base(r.file)}${r.line ? ":" + r.line : ""}` : r.source)).join("<br>");
    html += "</span>";
    const said = (cut >= 0 ? notes.slice(0, cut) : notes).trim();
    if (said) html += `<br><em>${esc(said.slice(0, 280))}</em>`;
    return html + "</dd></dl>";
  }

  // Markers from the columns form: the popup shows what the columns hold
  // at once, then the whole event (place, actors, sources) once read.
  function drawEvents(page) {
    clusters.clearLayers();
    const c = page.columns;
    const markers = c.id.map((id, i) => {
      const p = { date_start: c.date[i], event_type: page.types[c.type[i]] || "", fatalities: c.fatalities[i], source: "", source_id: "" };
      const m = L.circleMarker([c.lat[i], c.lon[i]], { className: "vigil-event", radius: radius({ properties: p }), color: "#222", weight: 1, fillColor: COLORS[p.event_type] || "#555", fillOpacity: 0.85 });
      m.eventId = id;
      m.bindPopup(() => popupHtml(p, null), { maxWidth: 320 });
      m.on("popupopen", async () => {
        try {
          const full = await api(`/api/v1/events/${id}`);
          m.setPopupContent(popupHtml(full.properties, full.properties.provenance));
        } catch (e) { /* keep the short popup */ }
      });
      return m;
    });
    clusters.addLayers(markers);
  }

  let forecastLegend = null;
  async function drawForecast() {
    if (forecastLayer) { map.removeLayer(forecastLayer); forecastLayer = null; }
    if (noForecastLayer) { map.removeLayer(noForecastLayer); noForecastLayer = null; }
    if (forecastLegend) { forecastLegend.remove(); forecastLegend = null; }
    const level = $("#filters").elements.fc.value;
    if (!level) return;
    try {
      const fc = await api(`/api/v1/forecast?level=${encodeURIComponent(level)}&horizon=30`);
      // Fixed probability classes, the same on every level and every day:
      // a colour means the same P(at least one event) everywhere.
      const style = (f) => { const k = fcClass(f.properties.p_any); return { pane: "forecast", weight: 0.5, color: "#7b241c", fillColor: FC_COLORS[k], fillOpacity: 0.2 + 0.1 * k, className: `fc-class-${k}` }; };
      forecastLayer = L.geoJSON(fc, {
        pane: "forecast",
        style,
        // Units outside Mali's OCHA outlines come as points: small discs.
        pointToLayer: (f, latlng) => L.circleMarker(latlng, Object.assign(style(f), { radius: 6 })),
        onEachFeature: (f, layer) => {
          const p = f.properties;
          const range = p.p10 >= 0 ? `<br>${esc(t("range80"))}: ${p.p10}–${p.p90}` : "";
          const seen = p.observed_30d >= 0 ? `<br>${esc(t("observed30").replace("{n}", p.observed_30d))}` : "";
          layer.bindTooltip(`${esc(p.unit)}<br>${t("p_any")}: ${(100 * p.p_any).toFixed(0)}%<br>${p.expected_count.toFixed(2)} ${esc(t("expected"))} (30 ${esc(t("days"))})${range}${seen}`);
        }
      }).addTo(map);
      drawNoForecast(fc.coverage);
      // A parameter on its bound is named (sigma_km, omega, ...), never "converged".
      const bound = (fc.fit.at_bound || []).length ? ` (${fc.fit.at_bound.join(", ")})` : "";
      const warn = (fc.fit.warnings || []).map((w) => t("fit_" + w.code) + (w.code === "at_bound" ? bound : "")).join(" ");
      $("#note").textContent = t("fit_banner").replace("{n}", fc.fit.events)
        .replace("{from}", fc.fit.window_start).replace("{to}", fc.as_of).replace("{k}", fc.snapshot_id) + (warn ? " " + warn : "");
      $("#note").classList.toggle("warn", !!warn);
      forecastLegend = L.control({ position: "bottomleft" });
      forecastLegend.onAdd = () => {
        const div = L.DomUtil.create("div", "fc-legend");
        div.dataset.testid = "fc-legend";
        const rows = FC_BREAKS.slice(0, -1).map((b, i) =>
          `<span class="sw" style="background:${FC_COLORS[i]}"></span>${b}–${FC_BREAKS[i + 1]}%`);
        rows.push(`<span class="sw hatch"></span>${esc(t("no_forecast_legend"))}`);
        div.innerHTML = `${esc(t("p_any"))}, 30 ${esc(t("days"))}<br>` + rows.join("<br>");
        return div;
      };
      forecastLegend.addTo(map);
    } catch (e) {
      $("#note").textContent = e.status === 404 ? t("no_forecast") : t("load_error") + e.message;
    }
  }

  // Countries outside the model's coverage are hatched "no forecast": a
  // blank there would read as "no risk".
  function drawNoForecast(coverage) {
    const covered = new Set((coverage && coverage.countries) || []);
    if (!countries || !covered.size) return;
    const outside = { type: "FeatureCollection", features: countries.features.filter((f) => !covered.has(f.properties.name)) };
    const note = t("no_forecast_area").replace("{c}", [...covered].join(", "));
    noForecastLayer = L.geoJSON(outside, {
      pane: "forecast",
      style: { className: "no-forecast", weight: 0, fillOpacity: 1 },
      onEachFeature: (f, layer) => layer.bindTooltip(`${esc(f.properties.name)}<br>${esc(note)}`, { sticky: true })
    }).addTo(map);
  }

  function drawLegend() {
    $("#legend").innerHTML = Object.keys(COLORS).map((k) => `<span class="sw" style="background:${COLORS[k]}"></span>${esc(t(TYPE_KEYS[k]))}`).join(" ");
  }

  // ---- Timeline (uPlot) from weekly stats.
  // Every week from the first to the last: a quiet week is a zero, not a
  // line drawn across it; a week whose fatality counts are all unknown is a
  // gap in the fatalities series, not a zero.
  function drawTimeline(stats) {
    const byWeek = new Map();
    for (const r of stats.rows) {
      const w = byWeek.get(r.week) || [0, 0, 0];
      w[0] += r.events; w[1] += r.fatalities || 0; w[2] += r.fatalities_known;
      byWeek.set(r.week, w);
    }
    const seen = [...byWeek.keys()].sort();
    const weeks = [];
    if (seen.length) {
      const end = Date.parse(seen[seen.length - 1] + "T00:00:00Z");
      for (let d = Date.parse(seen[0] + "T00:00:00Z"); d <= end; d += 7 * 86400000) {
        const w = new Date(d).toISOString().slice(0, 10);
        if (!byWeek.has(w)) byWeek.set(w, [0, 0, 0]);
        weeks.push(w);
      }
    }
    const xs = weeks.map((w) => Date.parse(w + "T00:00:00Z") / 1000);
    const fat = (w) => { const v = byWeek.get(w); return v[0] && !v[2] ? null : v[1]; };
    const counts = weeks.map((w) => byWeek.get(w)[0]);
    const data = [xs, counts, movingAverage(counts, 4), weeks.map(fat)];
    const el = $("#timeline");
    const width = Math.max(240, el.clientWidth || 300);
    if (chart) chart.destroy();
    const dateAxis = { values: (u, splits) => splits.map((v) => monthYear(v)) };
    chart = new uPlot({
      width, height: 170,
      series: [{ value: (u, v) => v == null ? "–" : shortDate(v) },
               { label: t("events_word"), stroke: "#8fa1b3", width: 1, points: { show: xs.length < 40 } },
               { label: t("moving_avg"), stroke: "#1f2d3a", width: 2, points: { show: false } },
               { label: t("fatalities"), stroke: "#c0392b", width: 1.5, scale: "f", points: { show: xs.length < 40 } }],
      axes: [dateAxis, { size: 36 }, { side: 1, scale: "f", size: 36, grid: { show: false } }],
      scales: { x: { time: true } },
      // The brush: dragging across weeks sets the date filter (and the URL).
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: { setSelect: [(u) => { if (u.select.width >= 2) brushed(u); }] }
    }, data, el);
  }

  // The trailing mean of the last `n` weeks (fewer at the start).
  function movingAverage(v, n) {
    let sum = 0;
    return v.map((x, i) => { sum += x; if (i >= n) sum -= v[i - n]; return Math.round(100 * sum / Math.min(i + 1, n)) / 100; });
  }

  // "12 Mar 2024" / "12 mars 2024", in the page's language.
  function shortDate(sec) {
    return new Date(sec * 1000).toLocaleDateString(lang === "fr" ? "fr-FR" : "en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function monthYear(sec) {
    return new Date(sec * 1000).toLocaleDateString(lang === "fr" ? "fr-FR" : "en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
  }

  function brushed(u) {
    const iso = (sec) => new Date(sec * 1000).toISOString().slice(0, 10);
    const a = u.posToVal(u.select.left, "x"), b = u.posToVal(u.select.left + u.select.width, "x");
    u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
    const f = $("#filters").elements;
    f.from.value = iso(a);
    f.to.value = iso(b + 6 * 86400);  // to the end of the last week touched
    f.to.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // ---- Region page: numbers from the server over every stored event, up to
  // the filter's end date (or today), and the places from the forecast.
  async function drawRegion() {
    const form = $("#filters").elements;
    const region = form.admin1.value;
    const page = $("#region-page");
    if (!region) { page.hidden = true; return; }
    const q = new URLSearchParams();
    if (form.to.value) q.set("to", form.to.value);
    const r = await api(`/api/v1/regions/${encodeURIComponent(region)}?${q}`);
    page.hidden = false;
    $("#region-title").textContent = r.admin1;
    $("#r-asof").textContent = t("region_to").replace("{d}", r.to);
    $("#r-recent").textContent = r.events;
    $("#r-prev").textContent = r.events_before;
    $("#r-trend").textContent = t(r.trend === "rising" ? "up" : r.trend === "falling" ? "down" : "flat");
    const f = r.forecast;
    $("#r-places").innerHTML = !f ? `<li>${esc(t("no_forecast_short"))}</li>`
      : !f.places.length ? `<li>${esc(t("no_forecast_here"))}</li>` : f.places.map((p) =>
      `<li>${esc(p.unit)} — ${(100 * p.p_any).toFixed(0)}% (${p.expected_count.toFixed(1)} ${esc(t("expected"))})</li>`).join("");
  }

  // A database of simulated events says so on every view.
  async function loadSources() {
    const s = await api("/api/v1/sources");
    $("#sim-banner").hidden = !s.simulated;
  }

  async function loadRegions() {
    const regions = (await api("/api/v1/regions")).regions.sort((a, b) => a.localeCompare(b));
    const sel = $("#filters").elements.admin1;
    for (const r of regions) { const o = document.createElement("option"); o.value = r; o.textContent = r; sel.appendChild(o); }
  }

  // The layers over the events, each from its own field of the form.
  async function drawLayers(only) {
    const f = $("#filters").elements;
    if (!only || only === "fc") await drawForecast();
    if (!only || only === "rp") await window.vigil.drawReports(map, f.rp.value);
    if (!only || only === "cr" || only === "st") await window.vigil.drawRoads(map, f.cr.value, f.st.value);
    if (!only || only === "tc") await window.vigil.drawControl(map, f.tc.value, f.to.value);
  }

  // The map and the weekly chart of the current region and dates as a PNG
  // the server draws (the brief's figures), in the page's language.
  function pngLink() {
    const f = $("#filters").elements;
    const q = new URLSearchParams({ format: "png", lang });
    if (f.admin1.value) q.set("area", f.admin1.value);
    if (f.from.value) q.set("from", f.from.value);
    if (f.to.value) q.set("to", f.to.value);
    return "/api/v1/sitreps/render?" + q;
  }

  // body[data-ready="1"] once the view has settled (tests wait for it).
  async function refresh(settle = true) {
    document.body.dataset.ready = "0";
    const seq = ++loadSeq;
    writeState();
    const q = filterQuery();
    $("#count").textContent = t("loading");
    try {
      // Downloads of the current filter, in the API's own formats (10,000
      // rows, the API's page; the next page's cursor is in X-Next-Cursor).
      for (const fmt of ["csv", "geojson", "hxl"]) {
        const xq = new URLSearchParams(q); xq.set("format", fmt); xq.set("limit", "10000");
        $("#x-" + fmt).href = "/api/v1/events?" + xq;
      }
      $("#x-png").href = pngLink();
      const evq = new URLSearchParams(q); evq.set("limit", String(MAX_EVENTS)); evq.set("format", "columns");
      const stq = new URLSearchParams(q); stq.set("period", "week"); stq.set("by", "none");
      const [events, stats] = await Promise.all([api("/api/v1/events?" + evq), api("/api/v1/stats?" + stq)]);
      if (seq !== loadSeq) return;
      drawEvents(events);
      $("#count").textContent = String(stats.total.events);
      // An unknown count is not zero: the sum is over the known ones, and says so.
      const tot = stats.total;
      $("#fatalities").textContent = tot.fatalities == null ? "?" : String(tot.fatalities);
      $("#fat-known").textContent = t("fat_known").replace("{k}", tot.fatalities_known).replace("{n}", tot.events);
      $("#note").textContent = events.next_cursor ? t("truncated").replace("{n}", MAX_EVENTS) : "";
      drawTimeline(stats);
      await drawRegion();
      await drawLayers();
      if (settle) document.body.dataset.ready = "1";
    } catch (e) {
      if (e.status === 401) return showLogin();
      $("#count").textContent = "–";
      $("#note").textContent = t("load_error") + e.message;
      if (settle && seq === loadSeq) document.body.dataset.ready = "1";  // settled, on an error it shows
    }
  }

  // ---- Sign in / out
  function showLogin() { $("#login").hidden = false; $("#login-form").elements.name.focus(); }
  let me = null;
  async function whoami() {
    try {
      me = await api("/api/v1/me");
      csrf = me.csrf_token || "";
      $("#who").textContent = me.user ? `${t("signed_in_as")} ${me.user} (${me.role})` : t("anonymous");
      $("#signout").hidden = !me.user;
      return true;
    } catch (e) {
      if (e.status === 401) { $("#who").textContent = ""; $("#signout").hidden = true; showLogin(); return false; }
      throw e;
    }
  }

  async function start() {
    applyLang();
    const q = readState();
    initMap(q.get("view"));
    if (!(await whoami())) return;
    // Reporters send reports and read nothing else: they get the form only.
    if (me && me.role === "reporter") { window.vigil.onSignedIn(me); return; }
    window.vigil.onSignedIn(me);
    await Promise.all([loadBoundaries(), loadRegions(), window.vigil.loadTowns(), loadSources()]);
    readState();  // the region list now has its options
    await refresh();
  }

  $("#login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    try {
      const r = await api("/api/v1/session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: f.elements.name.value, password: f.elements.password.value }) });
      csrf = r.csrf_token;
      f.reset();
      $("#login-error").textContent = "";
      $("#login").hidden = true;
      location.reload();
    } catch (e) {
      $("#login-error").textContent = e.status === 401 ? t("bad_login") : e.message;
    }
  });
  $("#signout").addEventListener("click", async () => {
    try { await api("/api/v1/session", { method: "DELETE" }); } catch (e) { /* signed out anyway */ }
    csrf = "";
    location.reload();
  });
  $("#lang").addEventListener("click", () => {
    lang = lang === "en" ? "fr" : "en";
    localStorage.setItem("vigil.lang", lang);
    applyLang();
    window.vigil.onLang();
    if (!me || me.role !== "reporter") refresh();
  });
  $("#filters").addEventListener("change", async (ev) => {
    // A layer switched on or off: that layer alone, the events stay.
    if (ev.target.name && !DATA_FILTERS.includes(ev.target.name)) {
      document.body.dataset.ready = "0";
      writeState();
      try { await drawLayers(ev.target.name); } catch (e) {
        if (e.status === 401) return showLogin();
        $("#note").textContent = t("load_error") + e.message;
      }
      document.body.dataset.ready = "1";
      return;
    }
    await refresh(false);
    // Choosing a region zooms to its events.
    if (ev.target.name === "admin1" && ev.target.value && clusters.getLayers().length)
      map.fitBounds(clusters.getBounds().pad(0.3), { maxZoom: 9, animate: false });
    else if (ev.target.name === "admin1" && !ev.target.value) map.fitBounds(MALI_BOUNDS, { animate: false });
    document.body.dataset.ready = "1";
  });
  $("#filters").addEventListener("reset", () => setTimeout(refresh, 0));
  window.addEventListener("resize", () => { if (chart) chart.setSize({ width: Math.max(240, $("#timeline").clientWidth), height: 160 }); });

  // Shared with warnings.js.
  window.vigil = Object.assign(window.vigil || {}, { api, t, esc, lang: () => lang, csrf: () => csrf, map: () => map });

  // Start once every script of the page has run (warnings.js, roads.js...
  // add to window.vigil what start() calls): on a slow or busy link the
  // first answer from the server may come before they have loaded.
  const go = () => start().catch((e) => { console.error(e); $("#note").textContent = t("load_error") + (e && e.message); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go, { once: true });
  else go();
})();
