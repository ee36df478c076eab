#include "scenario/report.h"

#include <cmath>

#include "core/date.h"
#include "report/writer.h"

namespace vigil::scenario {

namespace {

using core::Json;

std::string DateOf(const Json& j, const char* key, const std::string& lang) {
  auto d = core::Date::Parse(j.value(key, std::string()));
  return d.ok() ? report::LongDate(*d, lang) : j.value(key, std::string());
}

double Mean(const Json& c, const char* arm) { return c[arm]["mean"].get<double>(); }

std::string Signed(const report::Writer& w, double v) { return (v > 0 ? "+" : v < 0 ? "−" : "") + w.Num(std::fabs(v), 1); }

// A change shown as non-zero at one decimal.
bool Visible(double change) { return std::fabs(change) >= 0.05; }

std::string RegionName(const report::Writer& w, const std::string& r) {
  if (r == "Mali") return w.T("mali");
  if (r == "model area") return w.T("model_area");
  return r;
}

void Regions(report::Doc* doc, const report::Writer& w, const Json& s) {
  doc->Heading(w.T("overview"));
  for (const auto& r : s["regions"]) {
    const Json& e = r["events"];
    const Json& f = r["fatalities"];
    std::string line = w.T("region_line", {RegionName(w, r["region"]), w.Num(Mean(e, "scenario"), 1),
                                           w.Num(e["scenario"]["p10"].get<double>()),
                                           w.Num(e["scenario"]["p90"].get<double>()), w.Num(Mean(e, "baseline"), 1),
                                           Signed(w, e["change"].get<double>()), w.Num(e["change_se"].get<double>(), 1),
                                           w.Num(Mean(f, "scenario"), 0), w.Num(Mean(f, "baseline"), 0)});
    for (const auto& a : r["at_least"])
      line += (w.IsFrench() ? "\u00a0; " : "; ") + w.T("at_least", {std::to_string(a["k"].get<int>()), w.Pct(a["scenario"].get<double>()),
                                      w.Pct(a["baseline"].get<double>())});
    doc->Bullet({{line + ".", Visible(e["change"].get<double>()) && r["region"] != "model area"}});
  }
}

void Places(report::Doc* doc, const report::Writer& w, const Json& s) {
  doc->Heading(w.T("places"));
  bool any = false;
  for (const auto& p : s["places"]) {
    const Json& e = p["events"];
    if (!Visible(e["change"].get<double>()) && !Visible(p["p_any"]["change"].get<double>() * 100)) continue;
    any = true;
    doc->Bullet({{w.T("place_line", {p["cercle"], w.Num(Mean(e, "scenario"), 1), w.Num(Mean(e, "baseline"), 1),
                                     Signed(w, e["change"].get<double>()), w.Num(e["change_se"].get<double>(), 1),
                                     w.Pct(p["p_any"]["scenario"].get<double>()),
                                     w.Pct(p["p_any"]["baseline"].get<double>())})}});
  }
  if (!any) doc->Paragraph({{w.T("no_places")}});
}

void Weekly(report::Doc* doc, const report::Writer& w, const Json& s, const std::string& lang) {
  bool any = false;
  for (const auto& r : s["weekly"]) {
    const Json& e = r["events"];
    // A week differs when its change is beyond two standard errors.
    const double d = e["change"].get<double>(), se = e["change_se"].get<double>();
    if (!Visible(d) || std::fabs(d) < 2 * se) continue;
    if (!any) doc->Heading(w.T("weekly"));
    any = true;
    doc->Bullet({{w.T("week_line", {r["region"], DateOf(r, "from", lang), w.Num(Mean(e, "scenario"), 1),
                                    w.Num(Mean(e, "baseline"), 1), Signed(w, d), w.Num(se, 1)})}});
  }
}

}  // namespace

report::Doc ComposeScenario(const Json& s, const report::Phrases& p, const std::string& lang) {
  const report::Writer w(p, lang);
  report::Doc doc;
  doc.lang = lang;
  doc.Title(w.T("title", {s.value("title", std::string())}));
  if (!s.value("description", std::string()).empty()) doc.Paragraph({{s["description"].get<std::string>()}});
  auto until = core::Date::Parse(s.value("until", std::string()));
  doc.Paragraph({{w.T("period", {DateOf(s, "as_of", lang),
                                 until.ok() ? report::LongDate(*until - 1, lang) : std::string(),
                                 std::to_string(s.value("weeks", 0)), DateOf(s, "as_of", lang),
                                 std::to_string(s.value("runs", 0)), std::to_string(s.value("seed", uint64_t{0}))})}});
  doc.Heading(w.T("changes"));
  if (s["changes"].empty()) doc.Paragraph({{w.T("no_changes")}});
  if (lang == "fr" && !s["changes"].empty()) doc.Paragraph({{w.T("changes_note"), false, true}});
  for (const auto& c : s["changes"]) doc.Bullet({{c.get<std::string>()}});
  if (s.value("injected_events", 0) > 0)
    doc.Paragraph({{w.T("injected", {std::to_string(s["injected_events"].get<int>())})}});
  Regions(&doc, w, s);
  Places(&doc, w, s);
  Weekly(&doc, w, s, lang);
  doc.Heading(w.T("method"));
  doc.Paragraph({{w.T("method_text")}});
  return doc;
}

}  // namespace vigil::scenario
