// vigil dashboard, territorial control (docs/signals.md): the cercles read
// as held, contested or with a presence, from GET /api/v1/signals/control
// over the year to the filter's end date (or the newest event), drawn over
// the cercle outlines; the tooltip gives the leading actor, its share, the
// certainty and the places behind the reading. Text from the server goes
// through esc().
(function () {
  "use strict";
  const V = window.vigil;
  const $ = (sel) => document.querySelector(sel);
  const t = (k) => V.t(k);
  const esc = (s) => V.esc(s);
  const STYLE = {
    held: { color: "#4a235a", weight: 1, fillColor: "#6c3483", fillOpacity: 0.45, dashArray: null },
    contested: { color: "#6c3483", weight: 1, fillColor: "#d2b4de", fillOpacity: 0.45, dashArray: "4 3" },
    presence: { color: "#a569bd", weight: 0.8, fillColor: "#ebdef0", fillOpacity: 0.35, dashArray: "2 3" }
  };
  const fold = (s) => String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  let layer = null, legend = null, cercles = null;

  function yearBefore(day) {
    const d = new Date(Date.parse(day + "T00:00:00Z") - 364 * 86400000);
    return d.toISOString().slice(0, 10);
  }

  V.drawControl = async (map, on, to) => {
    if (layer) { map.removeLayer(layer); layer = null; }
    if (legend) { legend.remove(); legend = null; }
    if (!on) return;
    try {
      if (!cercles) cercles = await V.api("/api/v1/boundaries/admin2");
      const q = new URLSearchParams();
      if (to) { q.set("to", to); q.set("from", yearBefore(to)); }
      const sig = await V.api("/api/v1/signals/control?" + q);
      const by = new Map(sig.control.map((u) => [fold(u.admin2), u]));
      const feats = cercles.features.filter((f) => by.has(fold(f.properties.adm2)));
      layer = L.geoJSON({ type: "FeatureCollection", features: feats }, {
        pane: "forecast",
        style: (f) => Object.assign({ className: "control-" + by.get(fold(f.properties.adm2)).status }, STYLE[by.get(fold(f.properties.adm2)).status]),
        onEachFeature: (f, l) => {
          const u = by.get(fold(f.properties.adm2));
          l.bindTooltip(`<b>${esc(f.properties.adm2)}</b>: ${esc(t("tc_" + u.status))} ${esc(u.leader)}<br>` +
            `${esc(t("tc_share"))} ${(100 * u.share).toFixed(0)}%, ${esc(t("tc_certainty"))} ${u.certainty.toFixed(2)}<br>` +
            `${esc(t("tc_from"))} ${esc((u.places || []).join(", "))}`, { sticky: true });
        }
      }).addTo(map);
      legend = L.control({ position: "bottomright" });
      legend.onAdd = () => {
        const div = L.DomUtil.create("div", "fc-legend");
        div.dataset.testid = "control-legend";
        div.innerHTML = `${esc(t("tc_legend"))} ${esc(sig.to)}<br>` + (feats.length ? ["held", "contested", "presence"].map((s) =>
          `<span class="sw" style="background:${STYLE[s].fillColor}"></span>${esc(t("tc_leg_" + s))}`).join("<br>") : esc(t("tc_none")));
        return div;
      };
      legend.addTo(map);
    } catch (e) {
      $("#note").textContent = t("load_error") + e.message;
    }
  };
})();
