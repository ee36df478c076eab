// vigil dashboard, early warning: the report form (works on a phone and
// offline: a report waits in this browser until it is sent, always with the
// same Idempotency-Key, so a re-send never makes a duplicate), the
// responder's inbox (what is open, what escalates next and when,
// acknowledge with a disposition), the alert history with its audit trail,
// and community reports on the map (points for responders, counts per
// 0.1-degree cell for everyone else). Every text from the server is shown
// through esc() or textContent, never as markup.
(function () {
  "use strict";
  const V = window.vigil;
  const $ = (sel) => document.querySelector(sel);
  const t = (k) => V.t(k);
  const esc = (s) => V.esc(s);
  const QUEUE = "vigil.report_queue";
  const DISPOSITIONS = ["no_impact", "some_impact", "significant_impact", "duplicate", "false_positive"];
  let me = null;
  let reportLayer = null;

  // ---- tabs
  function showTab(name) {
    for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
    $("#app").hidden = name !== "map";
    $("#alerts-view").hidden = name !== "alerts";
    $("#report-view").hidden = name !== "report";
    $("#sites-view").hidden = name !== "sites";
    $("#briefs-view").hidden = name !== "briefs";
    $("#scenarios-view").hidden = name !== "scenarios";
    if (name === "briefs" && V.onBriefsTab) V.onBriefsTab();
    if (name === "scenarios" && V.onScenariosTab) V.onScenariosTab();
    if (name === "alerts") loadInbox();
    if (name === "sites") V.onSitesTab();
    if (name === "map" && V.map()) setTimeout(() => V.map().invalidateSize(), 0);
  }
  const rank = { reporter: 0, viewer: 1, responder: 2, analyst: 3, admin: 4 };
  V.onSignedIn = (who) => {
    me = who;
    const role = (who && who.role) || "viewer";
    $("#tabs").hidden = false;
    document.querySelector('#tabs [data-tab="alerts"]').hidden = rank[role] < rank.responder;
    document.querySelector('#tabs [data-tab="map"]').hidden = role === "reporter";
    document.querySelector('#tabs [data-tab="sites"]').hidden = role === "reporter";
    document.querySelector('#tabs [data-tab="briefs"]').hidden = role === "reporter";
    document.querySelector('#tabs [data-tab="scenarios"]').hidden = role === "reporter";
    $("#site-form").hidden = rank[role] < rank.analyst;
    if (role === "reporter") showTab("report");
    showQueue();
    flushQueue();
  };
  V.showTab = showTab;
  V.canWrite = () => rank[(me && me.role) || "viewer"] >= rank.analyst;
  V.onLang = () => {
    if (!$("#alerts-view").hidden) loadInbox();
    if (!$("#sites-view").hidden) V.onSitesTab();
    if (!$("#briefs-view").hidden && V.onBriefsTab) V.onBriefsTab();
    if (!$("#scenarios-view").hidden && V.onScenariosTab) V.onScenariosTab();
    showQueue();
  };
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));

  // ---- report form, with an offline queue
  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function setQueue(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); showQueue(); }
  function showQueue() {
    const n = queue().length;
    $("#report-queue").textContent = n ? t("queue_waiting").replace("{n}", n) : "";
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  // Sends queued reports oldest first; stops at the first network failure
  // (they stay queued with their keys).
  let flushing = false;
  async function flushQueue() {
    if (flushing) return;
    flushing = true;
    try {
      let q = queue();
      while (q.length) {
        const item = q[0];
        let answer;
        try {
          answer = await V.api("/api/v1/reports", {
            method: "POST",
            headers: { "Content-Type": "application/json", "Idempotency-Key": item.key },
            body: JSON.stringify(item.body),
          });
        } catch (e) {
          if (e.status) {  // the server refused it: say why, drop it
            $("#report-result").textContent = t("report_refused") + " " + e.message;
            q.shift();
            setQueue(q);
            continue;
          }
          break;  // offline: keep it
        }
        $("#report-result").textContent = t("report_received").replace("{ref}", answer.reference);
        q.shift();
        setQueue(q);
      }
    } finally {
      flushing = false;
    }
  }
  window.addEventListener("online", flushQueue);
  $("#report-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    const body = { text: f.elements.text.value, channel: "web", lang: V.lang() };
    if (f.elements.place.value.trim()) body.place = f.elements.place.value.trim();
    if (f.elements.contact.value.trim()) body.contact = f.elements.contact.value.trim();
    setQueue(queue().concat([{ key: newKey(), body }]));
    f.reset();
    $("#report-result").textContent = t("report_sending");
    await flushQueue();
    if (queue().length) $("#report-result").textContent = t("report_offline");
  });

  // ---- inbox and history
  function when(iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    return d.toLocaleString(V.lang() === "fr" ? "fr-FR" : "en-GB", { timeZone: "UTC", dateStyle: "short", timeStyle: "short" }) + " UTC";
  }
  function headline(a) { return V.lang() === "fr" ? a.headline_fr : a.headline_en; }
  function area(a) { return (V.lang() === "fr" ? a.area_name_fr : a.area_name_en) || a.area_id; }
  function card(a, open) {
    const div = document.createElement("article");
    div.className = "alert-card sev-" + esc(a.severity).toLowerCase();
    div.dataset.ref = a.reference;
    div.innerHTML =
      `<h3>${esc(a.reference)} · ${esc(t("sev_" + a.severity.toLowerCase()))} · ${esc(headline(a))}</h3>` +
      `<p>${esc(area(a))} — ${esc(t("tier"))} ${esc(a.tier)}` +
      (open ? ` — ${esc(t("next_escalation"))}: <strong data-testid="deadline">${esc(when(a.next_escalation))}</strong>` +
              (a.next_tier ? ` (${esc(a.next_tier)})` : ` (${esc(t("last_tier"))})`) : "") +
      (a.acknowledged_by ? ` — ${esc(t("acked_by"))} ${esc(a.acknowledged_by)}: ${esc(t("disp_" + a.disposition))}` : "") +
      `</p>`;
    if (open) {
      const form = document.createElement("form");
      form.className = "ack-form";
      form.innerHTML = `<select name="disposition" data-testid="disposition" required><option value="" disabled selected>${esc(t("choose_disposition"))}</option>${DISPOSITIONS.map((d) => `<option value="${d}">${esc(t("disp_" + d))}</option>`).join("")}</select>` +
        `<input name="note" maxlength="500" placeholder="${esc(t("ack_note"))}">` +
        `<button type="submit" data-testid="ack">${esc(t("acknowledge"))}</button>`;
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        try {
          await V.api(`/api/v1/alerts/${encodeURIComponent(a.reference)}/ack`, {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ disposition: form.elements.disposition.value, note: form.elements.note.value }),
          });
          loadInbox();
        } catch (e) { form.insertAdjacentText("beforeend", " " + e.message); }
      });
      div.appendChild(form);
    }
    const trail = document.createElement("details");
    trail.innerHTML = `<summary>${esc(t("audit_trail"))}</summary><ol class="trail"></ol>`;
    trail.addEventListener("toggle", async () => {
      if (!trail.open || trail.dataset.loaded) return;
      const full = await V.api(`/api/v1/alerts/${encodeURIComponent(a.reference)}`);
      trail.dataset.loaded = "1";
      trail.querySelector("ol").innerHTML = (full.audit || []).map((e) =>
        `<li>${esc(e.at)} — ${esc(e.action)}${e.user ? " (" + esc(e.user) + ")" : ""}: ${esc(e.detail)}</li>`).join("");
    });
    div.appendChild(trail);
    return div;
  }
  async function loadInbox() {
    try {
      const [inbox, all] = await Promise.all([V.api("/api/v1/inbox"), V.api("/api/v1/alerts?limit=100")]);
      $("#inbox-now").textContent = `${t("now")}: ${when(inbox.now)}`;
      const box = $("#inbox");
      box.replaceChildren();
      if (!inbox.open.length && !inbox.acknowledged.length) box.textContent = t("inbox_empty");
      for (const a of inbox.open) box.appendChild(card(a, true));
      for (const a of inbox.acknowledged) box.appendChild(card(a, false));
      const hist = $("#history");
      hist.replaceChildren();
      for (const a of all.alerts.filter((x) => x.state === "resolved" || x.state === "cancelled" || x.state === "acknowledged"))
        hist.appendChild(card(a, false));
      document.body.dataset.inbox = "1";
    } catch (e) {
      $("#inbox").textContent = e.status === 404 ? t("no_alerts_config") : t("load_error") + e.message;
      document.body.dataset.inbox = "1";
    }
  }

  // ---- community reports on the map
  V.drawReports = async (map, days) => {
    if (reportLayer) { map.removeLayer(reportLayer); reportLayer = null; }
    if (!days || !map) return;
    const role = (me && me.role) || "viewer";
    try {
      if (rank[role] >= rank.responder) {
        const r = await V.api("/api/v1/reports?limit=500");
        reportLayer = L.layerGroup(r.reports.filter((x) => x.latitude != null).map((x) =>
          L.circleMarker([x.latitude, x.longitude], { radius: 6, color: "#0b5345", weight: 2, fillColor: "#48c9b0", fillOpacity: 0.8, className: "vigil-report" })
            .bindPopup(() => {
              const el = document.createElement("div");
              const h = document.createElement("strong");
              h.textContent = `${x.reference} · ${x.location || t("unknown_place")} · ${t("state_" + x.state)}`;
              const p = document.createElement("p");
              p.textContent = x.text;  // text, never markup
              el.append(h, p);
              return el;
            })));
      } else {
        const cells = await V.api(`/api/v1/reports/cells?days=${encodeURIComponent(days)}`);
        reportLayer = L.layerGroup(cells.features.map((f) => {
          const [lon, lat] = f.geometry.coordinates;
          return L.rectangle([[lat - 0.05, lon - 0.05], [lat + 0.05, lon + 0.05]], { color: "#0b5345", weight: 1, fillColor: "#48c9b0", fillOpacity: 0.5, className: "vigil-report-cell" })
            .bindTooltip(`${f.properties.reports} ${esc(t("reports_word"))}`);
        }));
      }
      reportLayer.addTo(map);
    } catch (e) { /* no alert module configured, or not allowed: no layer */ }
  };
})();
