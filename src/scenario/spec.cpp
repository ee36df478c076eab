#include "scenario/spec.h"

#include <cstdio>

#include "core/toml_reader.h"
#include "geo/normalize.h"

namespace vigil::scenario {

namespace {

using core::Result;
using core::TomlReader;

constexpr int kMaxWeeks = 26;
constexpr int kMaxRuns = 100000;
constexpr int kMaxInjected = 10000;

std::optional<core::Date> ReadDate(TomlReader& r, const toml::table& t, const char* key, const std::string& where,
                                   bool required) {
  const std::string s = r.String(t, key, where, "", required);
  if (s.empty()) return std::nullopt;
  auto d = core::Date::Parse(s);
  if (!d.ok()) {
    r.Fail(t.get(key), where + "." + key + " must be a date as \"YYYY-MM-DD\", not '" + s + "'");
    return std::nullopt;
  }
  return *d;
}

int ReadClass(TomlReader& r, const toml::table& t, const std::string& where, int def, bool required) {
  const std::string s = r.String(t, "class", where, "", required);
  if (s.empty()) return def;
  auto c = ParseClass(s);
  if (!c.ok()) r.Fail(t.get("class"), where + ".class: " + c.status().message());
  return c.ok() ? *c : def;
}

std::vector<size_t> UnitsNamed(const std::vector<model::Unit>& units, const std::string& folded, bool cercle) {
  std::vector<size_t> out;
  for (size_t i = 0; i < units.size(); ++i) {
    const std::string& id = units[i].id;
    const size_t slash = id.find(" / ");
    const std::string own = cercle && slash != std::string::npos ? id.substr(slash + 3) : id;
    if (geo::FoldName(own) == folded || geo::FoldName(id) == folded) out.push_back(i);
  }
  return out;
}

std::string Near(double lat, double lon) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f, %.4f", lat, lon);
  return buf;
}

// A corridor of the road network by id or name, as its road's pieces.
void ReadCorridor(TomlReader& r, const toml::table& t, const std::string& where, const SpecContext& ctx,
                  const std::string& name, AreaSpec* a) {
  a->buffer_km = r.Number(t, "buffer_km", where, 20, 1, 200);
  const geo::Corridor* c = ctx.roads ? ctx.roads->FindCorridor(geo::FoldName(name)) : nullptr;
  if (!c) c = ctx.roads ? ctx.roads->FindCorridor(name) : nullptr;
  if (!c) {
    std::string ids;
    for (const auto& k : ctx.roads ? ctx.roads->corridors() : std::vector<geo::Corridor>{})
      if (!k.is_route) ids += (ids.empty() ? "" : ", ") + k.id;
    r.Fail(t.get("corridor"), where + ".corridor: no corridor '" + name + "' (" +
                                  (ids.empty() ? std::string("no road network loaded") : "one of " + ids) + ")");
    return;
  }
  for (uint32_t e : c->edges) {
    const geo::RoadEdge& edge = ctx.roads->edges()[e];
    std::vector<std::pair<double, double>> line = edge.shape;
    if (line.empty())
      line = {{ctx.roads->nodes()[edge.a].lat, ctx.roads->nodes()[edge.a].lon},
              {ctx.roads->nodes()[edge.b].lat, ctx.roads->nodes()[edge.b].lon}};
    for (size_t i = 0; i + 1 < line.size(); ++i)
      a->segments.push_back({line[i].first, line[i].second, line[i + 1].first, line[i + 1].second});
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, " (%g km either side)", a->buffer_km);
  a->label = "corridor " + c->id + buf;
}

AreaSpec ReadArea(TomlReader& r, const toml::table& t, const std::string& where, const SpecContext& ctx) {
  AreaSpec a;
  const std::string region = r.String(t, "region", where, ""), cercle = r.String(t, "cercle", where, "");
  const std::string corridor = r.String(t, "corridor", where, "");
  const toml::node* circle = t.get("circle");
  if ((region.empty() ? 0 : 1) + (cercle.empty() ? 0 : 1) + (circle ? 1 : 0) + (corridor.empty() ? 0 : 1) != 1) {
    r.Fail(&t, where + " needs exactly one of region = \"..\", cercle = \"..\", corridor = \"..\" or circle = "
                       "{ lat, lon, radius_km }");
    return a;
  }
  if (!t.get("corridor") && t.get("buffer_km")) r.Fail(t.get("buffer_km"), where + ".buffer_km goes with corridor");
  if (!corridor.empty()) {
    ReadCorridor(r, t, where, ctx, corridor, &a);
  } else if (!region.empty()) {
    std::string canonical = ctx.gazetteer->CanonicalAdmin1(region);
    a.region_units = UnitsNamed(*ctx.regions, geo::FoldName(canonical.empty() ? region : canonical), false);
    if (a.region_units.empty())
      r.Fail(t.get("region"), where + ".region: no region of Mali is called '" + region +
                                  "' (e.g. \"Kayes\", \"Ségou\", \"Mopti\"; see GET /api/v1/regions)");
    a.label = "region " + (a.region_units.empty() ? region : (*ctx.regions)[a.region_units[0]].id);
  } else if (!cercle.empty()) {
    a.cercle_units = UnitsNamed(*ctx.cercles, geo::FoldName(cercle), true);
    if (a.cercle_units.empty())
      r.Fail(t.get("cercle"), where + ".cercle: no cercle of Mali is called '" + cercle +
                                  "' (write it as OCHA does, e.g. \"Niono\", or \"Ségou / Niono\")");
    if (a.cercle_units.size() > 1)
      r.Fail(t.get("cercle"), where + ".cercle: '" + cercle + "' names " + std::to_string(a.cercle_units.size()) +
                                  " cercles; write \"Region / Cercle\"");
    a.label = "cercle " + (a.cercle_units.empty() ? cercle : (*ctx.cercles)[a.cercle_units[0]].id);
  } else {
    const toml::table* c = circle->as_table();
    if (!c) {
      r.Fail(circle, where + ".circle must be { lat = .., lon = .., radius_km = .. }");
      return a;
    }
    r.OnlyKeys(*c, where + ".circle", {"lat", "lon", "radius_km"});
    if (!c->get("lat") || !c->get("lon") || !c->get("radius_km"))
      r.Fail(circle, where + ".circle needs lat, lon and radius_km");
    a.lat = r.Number(*c, "lat", where + ".circle", 0, -90, 90);
    a.lon = r.Number(*c, "lon", where + ".circle", 0, -180, 180);
    a.radius_km = r.Number(*c, "radius_km", where + ".circle", 1, 1, 2000);
    char buf[48];
    std::snprintf(buf, sizeof buf, ", %g km", a.radius_km);
    a.label = "circle " + Near(a.lat, a.lon) + buf;
  }
  return a;
}

// A town of Mali by name, "Name" or "Name, Region". Several places of that
// name ranked alike (two villages called Macina) are an error naming them:
// a scenario must not strike the wrong one.
Result<const geo::Place*> ResolveTown(const geo::Gazetteer& gz, const std::string& town) {
  geo::GeocodeOptions opt;
  opt.country = "ML";
  std::string name = town;
  const size_t comma = town.rfind(',');
  if (comma != std::string::npos && !gz.CanonicalAdmin1(town.substr(comma + 1)).empty()) {
    name = town.substr(0, comma);
    opt.admin1 = gz.CanonicalAdmin1(town.substr(comma + 1));
  }
  const auto found = gz.Geocode(name, opt);
  const std::string hint = "check it with `vigil geocode \"" + name + "\"`, or give points = [[lat, lon]]";
  if (found.empty()) return core::NotFound("no place in Mali is called '" + town + "' (" + hint + ")");
  if (!opt.admin1.empty() && geo::FoldName(found[0].place->admin1) != geo::FoldName(opt.admin1))
    return core::NotFound("no place called '" + name + "' in " + opt.admin1 + " (" + hint + ")");
  std::string regions;
  for (const auto& c : found)
    if (c.score == found[0].score && c.place->admin1 != found[0].place->admin1 &&
        regions.find(c.place->admin1) == std::string::npos)
      regions += ", " + c.place->admin1;
  if (!regions.empty())
    return core::InvalidArgument("'" + name + "' names places in " + found[0].place->admin1 + regions +
                                 "; write \"" + name + ", " + found[0].place->admin1 + "\" or the region you mean");
  return found[0].place;
}

void ReadInject(TomlReader& r, const toml::table& t, const std::string& where, const SpecContext& ctx, Spec* out) {
  r.OnlyKeys(t, where, {"date", "day", "towns", "points", "class", "events", "fatalities"});
  InjectSpec base;
  base.line = static_cast<int>(t.source().begin.line);
  if (!t.get("date") == !t.get("day"))
    r.Fail(&t, where + " needs date = \"YYYY-MM-DD\" or day = N (days after the model's date), one of the two");
  if (auto d = ReadDate(r, t, "date", where, false)) base.date = *d;
  base.day = static_cast<int>(r.Integer(t, "day", where, -1, 0, 7 * kMaxWeeks - 1));
  base.cls = ReadClass(r, t, where, model::kBattles, false);
  base.events = static_cast<int>(r.Integer(t, "events", where, 1, 1, 1000));
  base.fatalities = static_cast<int>(r.Integer(t, "fatalities", where, -1, 0, 10000));
  const auto towns = r.Strings(t, "towns", where);
  const toml::node* points = t.get("points");
  if (towns.empty() == !points) {
    r.Fail(&t, where + " needs towns = [\"Kayes\", ..] or points = [[lat, lon], ..], one of the two");
    return;
  }
  for (const auto& town : towns) {
    auto place = ResolveTown(*ctx.gazetteer, town);
    if (!place.ok()) {
      r.Fail(t.get("towns"), where + ".towns: " + place.status().message());
      return;
    }
    InjectSpec s = base;
    s.lat = (*place)->lat;
    s.lon = (*place)->lon;
    s.place = (*place)->name + ((*place)->admin1.empty() ? "" : ", " + (*place)->admin1);
    out->inject.push_back(s);
  }
  if (points) {
    const toml::array* a = points->as_array();
    bool ok = a && !a->empty();
    for (size_t i = 0; ok && i < a->size(); ++i) {
      const toml::array* p = (*a)[i].as_array();
      std::optional<double> lat = p && p->size() == 2 ? (*p)[0].value<double>() : std::nullopt;
      std::optional<double> lon = p && p->size() == 2 ? (*p)[1].value<double>() : std::nullopt;
      ok = lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
      if (!ok) break;
      InjectSpec s = base;
      s.lat = *lat;
      s.lon = *lon;
      s.place = Near(*lat, *lon);
      out->inject.push_back(s);
    }
    if (!ok) r.Fail(points, where + ".points must be a list of [lat, lon] pairs, e.g. [[14.45, -11.44]]");
  }
}

void ReadBackground(TomlReader& r, const toml::table& t, const std::string& where, const SpecContext& ctx,
                    Spec* out) {
  r.OnlyKeys(t, where, {"region", "cercle", "circle", "corridor", "buffer_km", "factor", "from", "to"});
  BackgroundSpec b;
  b.area = ReadArea(r, t, where, ctx);
  if (!t.get("factor")) r.Fail(&t, where + " needs factor = .. (2.0 doubles the background, 0.5 halves it)");
  b.factor = r.Number(t, "factor", where, 1, 0, 100);
  b.from = ReadDate(r, t, "from", where, false);
  b.to = ReadDate(r, t, "to", where, false);
  if (b.from && b.to && !(*b.from < *b.to)) r.Fail(t.get("to"), where + ".to must come after " + where + ".from");
  out->background.push_back(std::move(b));
}

void ReadProductivity(TomlReader& r, const toml::table& t, const std::string& where, Spec* out) {
  r.OnlyKeys(t, where, {"class", "factor"});
  const int cls = ReadClass(r, t, where, 0, true);
  if (!t.get("factor")) r.Fail(&t, where + " needs factor = .. (0.5 halves what these events trigger)");
  out->productivity[static_cast<size_t>(cls)] *= r.Number(t, "factor", where, 1, 0, 10);
}

template <typename Fn>
void EachTable(TomlReader& r, const toml::table& root, const char* key, Fn fn) {
  const toml::array* a = core::ArrayOfTables(r, root, key);
  if (!a) return;
  int k = 0;
  for (const auto& n : *a) fn(*n.as_table(), std::string(key) + "[" + std::to_string(++k) + "]");
}

}  // namespace

bool Spec::Unchanged() const {
  if (!inject.empty()) return false;
  for (const auto& b : background)
    if (b.factor != 1) return false;
  for (double f : productivity)
    if (f != 1) return false;
  return true;
}

Result<int> ParseClass(std::string_view s) {
  for (int c = 0; c < model::kNumClasses; ++c)
    if (s == model::ClassName(c)) return c;
  return core::InvalidArgument("unknown class '" + std::string(s) +
                               "' (expected battles, remote_violence, violence_against_civilians or other)");
}

Result<Spec> ParseSpec(std::string_view text, const std::string& name, const SpecContext& ctx) {
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return core::ParseError(name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()) +
                            " (a scenario file is TOML; see docs/scenarios.md)");
  }
  TomlReader r(name, "");
  Spec spec;
  spec.text = std::string(text);
  r.OnlyKeys(root, "the scenario",
             {"title", "description", "as_of", "weeks", "runs", "seed", "thresholds", "inject", "background",
              "productivity"});
  spec.title = r.String(root, "title", "the scenario", "", true);
  spec.description = r.String(root, "description", "the scenario", "");
  spec.as_of = ReadDate(r, root, "as_of", "the scenario", false);
  spec.weeks = static_cast<int>(r.Integer(root, "weeks", "the scenario", 8, 1, kMaxWeeks));
  spec.runs = static_cast<int>(r.Integer(root, "runs", "the scenario", 1000, 10, kMaxRuns));
  spec.seed = static_cast<uint64_t>(r.Integer(root, "seed", "the scenario", 1, 0, INT64_MAX));
  if (const toml::node* th = root.get("thresholds")) {
    spec.thresholds.clear();
    const toml::array* a = th->as_array();
    for (size_t i = 0; a && i < a->size(); ++i) {
      auto v = (*a)[i].value<int64_t>();
      if (!v || *v < 1 || *v > 100000) a = nullptr;
      else spec.thresholds.push_back(static_cast<int>(*v));
    }
    if (!a || spec.thresholds.empty()) r.Fail(th, "thresholds must be a list of whole numbers >= 1, e.g. [1, 5, 10]");
  }
  EachTable(r, root, "inject", [&](const toml::table& t, const std::string& w) { ReadInject(r, t, w, ctx, &spec); });
  EachTable(r, root, "background",
            [&](const toml::table& t, const std::string& w) { ReadBackground(r, t, w, ctx, &spec); });
  EachTable(r, root, "productivity",
            [&](const toml::table& t, const std::string& w) { ReadProductivity(r, t, w, &spec); });
  int64_t injected = 0;
  for (const auto& in : spec.inject) injected += in.events;
  if (injected > kMaxInjected)
    r.Fail(&root, "the scenario injects " + std::to_string(injected) + " events; at most " +
                      std::to_string(kMaxInjected) + " are allowed");
  if (r.failed()) return r.status();
  return spec;
}

}  // namespace vigil::scenario
