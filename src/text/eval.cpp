#include "text/eval.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "core/event.h"
#include "geo/normalize.h"

namespace vigil::text {

using core::Json;

namespace {

std::string Str(const Json& j, const char* k) {
  auto it = j.find(k);
  return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

bool DatesAgree(const Json& g, const ExtractedEvent& p) {
  const std::string gd = Str(g, "date");
  if (gd.empty()) return !p.date.has_value();
  if (!p.date) return false;
  if (gd.size() == 7) return p.date->ToIso().substr(0, 7) == gd;
  auto d = core::Date::Parse(gd);
  return d.ok() && std::abs(*p.date - *d) <= 1;
}

bool SameValue(const Json& g, const char* k, const std::string& v) { return Str(g, k) == v; }
bool SameCount(const Json& g, const char* k, const std::optional<int64_t>& v) {
  auto it = g.find(k);
  const bool gnull = it == g.end() || it->is_null();
  if (gnull || !v) return gnull && !v;
  return it->get<int64_t>() == *v;
}

}  // namespace

ExtractionScores ScoreExtraction(const std::vector<Json>& gold, const std::vector<ExtractedEvent>& pred,
                                 const geo::Gazetteer& gaz) {
  ExtractionScores s;
  s.gold = static_cast<int64_t>(gold.size());
  s.predicted = static_cast<int64_t>(pred.size());
  // Gold coordinates.
  std::vector<std::optional<std::pair<double, double>>> gxy(gold.size());
  for (size_t i = 0; i < gold.size(); ++i) {
    geo::GeocodeOptions o;
    o.admin1 = Str(gold[i], "admin1");
    const std::string country = Str(gold[i], "country");
    if (!geo::CountryIso2(country).empty()) o.country = country;
    auto c = gaz.Geocode(Str(gold[i], "location"), o);
    if (!c.empty()) gxy[i] = std::make_pair(c.front().place->lat, c.front().place->lon);
  }
  std::vector<std::tuple<double, size_t, size_t>> pairs;
  for (size_t i = 0; i < gold.size(); ++i)
    for (size_t j = 0; j < pred.size(); ++j) {
      if (Str(gold[i], "doc") != pred[j].doc) continue;
      if (!DatesAgree(gold[i], pred[j])) continue;
      double d = 1e9;
      if (geo::FoldName(Str(gold[i], "location")) == geo::FoldName(pred[j].location))
        d = 0;
      else if (gxy[i])
        d = core::HaversineKm(gxy[i]->first, gxy[i]->second, pred[j].latitude, pred[j].longitude);
      if (d <= 25) pairs.emplace_back(d, i, j);
    }
  std::sort(pairs.begin(), pairs.end());
  std::vector<bool> gused(gold.size()), pused(pred.size());
  std::map<std::string, int64_t> correct;
  for (const auto& [d, i, j] : pairs) {
    if (gused[i] || pused[j]) continue;
    gused[i] = pused[j] = true;
    ++s.matched;
    const auto& g = gold[i];
    const auto& p = pred[j];
    correct["event_type"] += SameValue(g, "event_type", p.event_type);
    correct["sub_event_type"] += SameValue(g, "sub_event_type", p.sub_event_type);
    correct["actor1"] += SameValue(g, "actor1", p.actor1);
    correct["actor2"] += SameValue(g, "actor2", p.actor2);
    correct["fatalities"] += SameCount(g, "fatalities", p.fatalities);
    correct["hostages"] += SameCount(g, "hostages", p.hostages);
  }
  s.precision = s.predicted ? static_cast<double>(s.matched) / static_cast<double>(s.predicted) : 0;
  s.recall = s.gold ? static_cast<double>(s.matched) / static_cast<double>(s.gold) : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  for (const char* f : {"event_type", "sub_event_type", "actor1", "actor2", "fatalities", "hostages"})
    s.field_accuracy[f] = s.matched ? static_cast<double>(correct[f]) / static_cast<double>(s.matched) : 0;
  return s;
}

Json ExtractionScores::ToJson() const {
  Json acc = Json::object();
  for (const auto& [k, v] : field_accuracy) acc[k] = v;
  return Json{{"gold", gold},           {"predicted", predicted}, {"matched", matched},
              {"precision", precision}, {"recall", recall},       {"f1", f1},
              {"field_accuracy", acc}};
}

}  // namespace vigil::text
