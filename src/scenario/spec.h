// vigil::scenario — a scenario file: "what if" changes to the fitted model,
// in TOML (docs/scenarios.md has the whole format):
//
//   title = "A coordinated wave on western Mali"
//   as_of = "2025-07-01"   # the model fitted at this date; default: the latest snapshot
//   weeks = 8              # the simulated period, from as_of
//   runs = 1000            # Monte Carlo runs (--runs overrides)
//   seed = 1               # (--seed overrides)
//   thresholds = [1, 5, 10]
//
//   [[inject]]             # events placed by hand, which then trigger as the model says
//   date = "2025-07-01"    # or day = 0: days after the model's date
//   towns = ["Kayes", "Nioro du Sahel"]   # or points = [[14.45, -11.44]]
//   class = "battles"      # battles, remote_violence, violence_against_civilians, other
//   events = 1             # per town or point
//   fatalities = 5         # per event; default: drawn from past events of the class
//
//   [[background]]         # the background rate scaled in an area
//   region = "Ségou"       # or cercle = "Niono", or circle = { lat = .., lon = .., radius_km = .. },
//                          # or corridor = "BKO-DKR" with buffer_km = 20 (a road corridor's band)
//   factor = 2.0
//   from = "2025-07-01"    # optional span
//   to = "2025-08-01"
//
//   [[productivity]]       # how many events an event of a class triggers, scaled
//   class = "violence_against_civilians"
//   factor = 0.5
//
// Towns are read with the gazetteer (Mali first); regions and cercles are
// OCHA's, by name in any spelling the gazetteer knows. Every error names the
// file's line and says what to write instead.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "geo/gazetteer.h"
#include "geo/roads.h"
#include "model/catalogue.h"
#include "model/forecast.h"

namespace vigil::scenario {

struct InjectSpec {
  core::Date date;
  int day = -1;  // >= 0: `day` days after the model's date (the run sets `date`)
  std::string place;  // the town as resolved ("Kayes, Kayes"), or "lat, lon"
  double lat = 0, lon = 0;
  int cls = model::kBattles;
  int events = 1;
  int fatalities = -1;  // < 0: drawn
  int line = 0;
};

struct AreaSpec {
  std::string label;                   // "region Ségou", "cercle Niono", "circle 14.45, -11.44, 50 km"
  std::vector<size_t> region_units;    // indices into the admin1 units
  std::vector<size_t> cercle_units;    // indices into the admin2 units
  double lat = 0, lon = 0, radius_km = 0;  // circle when radius_km > 0
  // A corridor's band: its road as (lat0, lon0, lat1, lon1) pieces, and how
  // far either side of them.
  std::vector<std::array<double, 4>> segments;
  double buffer_km = 0;
};

struct BackgroundSpec {
  AreaSpec area;
  double factor = 1;
  std::optional<core::Date> from, to;
};

struct Spec {
  std::string title, description;
  std::optional<core::Date> as_of;
  int weeks = 8;
  int runs = 1000;
  uint64_t seed = 1;
  std::vector<int> thresholds{1, 5, 10};
  std::vector<InjectSpec> inject;
  std::vector<BackgroundSpec> background;
  std::array<double, model::kNumClasses> productivity{1, 1, 1, 1};
  std::string text;  // the file as given, kept with the result

  // No change at all: the scenario is the baseline.
  bool Unchanged() const;
};

// What names resolve against: the gazetteer, and the forecast units of
// regions (admin1) and cercles (admin2) from model::MakeUnits.
struct SpecContext {
  const geo::Gazetteer* gazetteer = nullptr;
  const geo::RoadNetwork* roads = nullptr;  // for corridor areas; may be null
  const std::vector<model::Unit>* regions = nullptr;
  const std::vector<model::Unit>* cercles = nullptr;
};

// Parses a scenario file; `name` is how errors name it. Fails with kParse
// naming the line: bad TOML, an unknown key, a value out of range, an
// unknown town, region, cercle or class.
core::Result<Spec> ParseSpec(std::string_view text, const std::string& name, const SpecContext& ctx);

// "battles", "remote_violence", "violence_against_civilians", "other".
core::Result<int> ParseClass(std::string_view s);

}  // namespace vigil::scenario
