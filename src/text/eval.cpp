#include "text/eval.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <tuple>

#include "core/csv.h"
#include "core/event.h"
#include "geo/normalize.h"

namespace vigil::text {

using core::Json;
using core::Result;

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

Result<GoldPlaces> GoldPlaces::Load(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto reader, core::CsvReader::Open(path));
  VIGIL_ASSIGN_OR_RETURN(bool any, reader.Next());
  if (!any) return core::ParseError(path + ": empty (expected a header doc,location,latitude,longitude)");
  int col[4] = {-1, -1, -1, -1};
  const char* names[4] = {"doc", "location", "latitude", "longitude"};
  for (size_t i = 0; i < reader.fields().size(); ++i)
    for (int k = 0; k < 4; ++k)
      if (reader.fields()[i] == names[k]) col[k] = static_cast<int>(i);
  for (int k = 0; k < 4; ++k)
    if (col[k] < 0) return core::ParseError(path + ": the header has no column '" + names[k] + "'");
  GoldPlaces out;
  for (int64_t line = 2;; ++line) {
    VIGIL_ASSIGN_OR_RETURN(bool more, reader.Next());
    if (!more) break;
    const auto& f = reader.fields();
    if (f.size() == 1 && f[0].empty()) continue;
    auto field = [&](int k) { return static_cast<size_t>(col[k]) < f.size() ? std::string(f[col[k]]) : ""; };
    char* endp = nullptr;
    const std::string la = field(2), lo = field(3);
    const double lat = std::strtod(la.c_str(), &endp);
    const bool lat_ok = !la.empty() && *endp == '\0';
    const double lon = std::strtod(lo.c_str(), &endp);
    const bool lon_ok = !lo.empty() && *endp == '\0';
    if (!lat_ok || !lon_ok || std::abs(lat) > 90 || std::abs(lon) > 180)
      return core::ParseError(path + ":" + std::to_string(line) + ": latitude and longitude must be numbers in range");
    out.Add(field(0), field(1), lat, lon);
  }
  return out;
}

void GoldPlaces::Add(const std::string& doc, const std::string& location, double lat, double lon) {
  xy_[{doc, geo::FoldName(location)}] = {lat, lon};
}

const std::pair<double, double>* GoldPlaces::Find(const std::string& doc, const std::string& location) const {
  auto it = xy_.find({doc, geo::FoldName(location)});
  return it == xy_.end() ? nullptr : &it->second;
}

namespace {

std::optional<std::pair<double, double>> GoldXY(const Json& g, const geo::Gazetteer& gaz, const GoldPlaces* places) {
  if (places)
    if (const auto* xy = places->Find(Str(g, "doc"), Str(g, "location"))) return *xy;
  geo::GeocodeOptions o;
  o.admin1 = Str(g, "admin1");
  const std::string country = Str(g, "country");
  if (!geo::CountryIso2(country).empty()) o.country = country;
  auto c = gaz.Geocode(Str(g, "location"), o);
  if (c.empty()) return std::nullopt;
  return std::make_pair(c.front().place->lat, c.front().place->lon);
}

std::string CountText(const Json& g, const char* k) {
  auto it = g.find(k);
  return it == g.end() || it->is_null() ? "null" : it->dump();
}

}  // namespace

ExtractionScores ScoreExtraction(const std::vector<std::string>& documents, const std::vector<Json>& gold,
                                 const std::vector<ExtractedEvent>& pred, const geo::Gazetteer& gaz,
                                 const GoldPlaces* places) {
  ExtractionScores s;
  s.gold = static_cast<int64_t>(gold.size());
  s.predicted = static_cast<int64_t>(pred.size());
  std::vector<std::optional<std::pair<double, double>>> gxy(gold.size());
  for (size_t i = 0; i < gold.size(); ++i) gxy[i] = GoldXY(gold[i], gaz, places);
  std::vector<std::tuple<double, size_t, size_t>> pairs;
  for (size_t i = 0; i < gold.size(); ++i)
    for (size_t j = 0; j < pred.size(); ++j) {
      if (Str(gold[i], "doc") != pred[j].doc) continue;
      if (!DatesAgree(gold[i], pred[j])) continue;
      double d = 1e9;
      if (geo::FoldName(Str(gold[i], "location")) == geo::FoldName(pred[j].location))
        d = 0;
      else if (gxy[i] && pred[j].located)  // an unknown place matches by name only
        d = core::HaversineKm(gxy[i]->first, gxy[i]->second, pred[j].latitude, pred[j].longitude);
      if (d <= 25) pairs.emplace_back(d, i, j);
    }
  std::sort(pairs.begin(), pairs.end());
  // Every document listed, then any the gold names that was not listed.
  std::map<std::string, size_t> doc_index;
  auto outcome = [&](const std::string& doc) -> DocumentOutcome& {
    auto [it, fresh] = doc_index.emplace(doc, s.by_document.size());
    if (fresh) s.by_document.push_back({doc, {}, {}, {}, {}});
    return s.by_document[it->second];
  };
  for (const auto& d : documents) outcome(d);
  for (const auto& g : gold) outcome(Str(g, "doc"));
  std::vector<bool> gused(gold.size()), pused(pred.size());
  for (const auto& [d, i, j] : pairs) {
    if (gused[i] || pused[j]) continue;
    gused[i] = pused[j] = true;
    ++s.matched;
    const auto& g = gold[i];
    const auto& p = pred[j];
    DocumentOutcome& o = outcome(p.doc);
    o.matched.emplace_back(i, j);
    auto check = [&](const char* field, bool same, const std::string& want, const std::string& got) {
      s.field_correct[field] += same;
      if (!same) o.wrong_fields.push_back(p.location + " " + field + ": gold " + want + ", got " + got);
    };
    check("event_type", SameValue(g, "event_type", p.event_type), Str(g, "event_type"), p.event_type);
    check("sub_event_type", SameValue(g, "sub_event_type", p.sub_event_type), Str(g, "sub_event_type"),
          p.sub_event_type);
    check("actor1", SameValue(g, "actor1", p.actor1), Str(g, "actor1"), p.actor1);
    check("actor2", SameValue(g, "actor2", p.actor2), Str(g, "actor2"), p.actor2);
    check("fatalities", SameCount(g, "fatalities", p.fatalities), CountText(g, "fatalities"),
          p.fatalities ? std::to_string(*p.fatalities) : "null");
    check("hostages", SameCount(g, "hostages", p.hostages), CountText(g, "hostages"),
          p.hostages ? std::to_string(*p.hostages) : "null");
  }
  for (size_t i = 0; i < gold.size(); ++i)
    if (!gused[i]) outcome(Str(gold[i], "doc")).missed.push_back(i);
  for (size_t j = 0; j < pred.size(); ++j)
    if (!pused[j]) outcome(pred[j].doc).extra.push_back(j);
  s.documents = static_cast<int64_t>(s.by_document.size());
  s.precision = s.predicted ? static_cast<double>(s.matched) / static_cast<double>(s.predicted) : 0;
  s.recall = s.gold ? static_cast<double>(s.matched) / static_cast<double>(s.gold) : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  for (const char* f : {"event_type", "sub_event_type", "actor1", "actor2", "fatalities", "hostages"})
    s.field_accuracy[f] = s.matched ? static_cast<double>(s.field_correct[f]) / static_cast<double>(s.matched) : 0;
  return s;
}

Json ExtractionScores::ToJson() const {
  Json acc = Json::object();
  for (const auto& [k, v] : field_accuracy) acc[k] = v;
  Json docs = Json::array();
  for (const auto& d : by_document)
    docs.push_back({{"doc", d.doc},
                    {"matched", d.matched.size()},
                    {"missed", d.missed.size()},
                    {"extra", d.extra.size()},
                    {"wrong_fields", d.wrong_fields}});
  return Json{{"documents", documents},
              {"gold", gold},
              {"predicted", predicted},
              {"matched", matched},
              {"precision", precision},
              {"recall", recall},
              {"f1", f1},
              {"field_accuracy", acc},
              {"by_document", docs}};
}

}  // namespace vigil::text
