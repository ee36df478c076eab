// vigil dashboard, situation reports (docs/sitrep.md): links that write a
// brief now on the chosen region and period (PDF or self-contained HTML,
// GET /api/v1/sitreps/render), and the weekly briefs the server keeps
// (GET /api/v1/sitreps), each in both formats. Every text from the server
// goes through esc().
(function () {
  "use strict";
  const V = window.vigil;
  const $ = (sel) => document.querySelector(sel);
  const t = (k) => V.t(k);
  const esc = (s) => V.esc(s);

  // The links follow the form: the browser opens them with the session cookie.
  function updateLinks() {
    const f = $("#brief-form").elements;
    const q = new URLSearchParams();
    for (const k of ["area", "from", "to", "lang"]) if (f[k].value) q.set(k, f[k].value);
    for (const fmt of ["pdf", "html"]) {
      q.set("format", fmt);
      $("#brief-" + fmt).href = "/api/v1/sitreps/render?" + q.toString();
    }
  }

  async function showBriefs() {
    const f = $("#brief-form").elements;
    if (!f.lang.dataset.touched) f.lang.value = V.lang();
    updateLinks();
    const box = $("#briefs-table");
    box.textContent = t("loading");
    try {
      const j = await V.api("/api/v1/sitreps?limit=200");
      if (!j.sitreps.length) { box.textContent = t("no_briefs"); return; }
      box.innerHTML = `<table class="briefs"><thead><tr><th>${esc(t("brief_period"))}</th><th>${esc(t("brief_area"))}</th>` +
        `<th>${esc(t("brief_lang"))}</th><th>${esc(t("brief_open"))}</th></tr></thead><tbody>` +
        j.sitreps.map((s) => `<tr data-testid="brief-row"><td>${esc(s.from)} – ${esc(s.to)}</td><td>${esc(s.area)}</td>` +
          `<td>${esc(t("lang_" + s.lang))}</td><td><a href="${esc(s.links.pdf)}" target="_blank" rel="noopener">PDF</a> · ` +
          `<a href="${esc(s.links.html)}" target="_blank" rel="noopener">HTML</a></td></tr>`).join("") +
        "</tbody></table>";
    } catch (e) {
      box.textContent = t("load_error") + e.message;
    }
  }

  $("#brief-form").addEventListener("input", (ev) => {
    if (ev.target.name === "lang") ev.target.dataset.touched = "1";
    updateLinks();
  });
  $("#brief-form").addEventListener("submit", (ev) => ev.preventDefault());
  V.onBriefsTab = showBriefs;
})();
