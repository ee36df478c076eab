// vigil::report — the signals of an area and period, read from the store:
// the glue between the event store and the pure functions of analysis/.
//
// The area is a region (admin1) or a cercle (admin2) as the store spells it
// (accents and case folded, like --admin1), or "" for everything. Waves are
// scanned over all events (an offensive crosses regions) and kept when one
// of their places is in the area; the other signals use the area's events.
// Each reads the history it needs before `from`: the waves' baseline, the
// onsets' quiet year, the control estimate's decay; repeat targets are
// counted over the 365 days to `to` when the period is shorter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/control.h"
#include "analysis/diffusion.h"
#include "analysis/repeat.h"
#include "analysis/waves.h"
#include "core/status.h"
#include "geo/reference.h"
#include "store/store.h"

namespace vigil::report {

struct SignalRequest {
  std::string area;  // admin1 or admin2; "" for all
  core::Date from, to;
  analysis::WaveOptions waves;
  analysis::RepeatOptions repeat;
  analysis::DiffusionOptions diffusion;
  analysis::DriftOptions drift;
  analysis::ControlOptions control;
};

struct Area {
  std::string name;   // as stored ("" for all)
  std::string level;  // "admin1", "admin2" or "all"
};

struct Signals {
  Area area;
  core::Date from, to;
  std::vector<analysis::Wave> waves;
  std::vector<analysis::RepeatTarget> repeat;
  analysis::Diffusion diffusion;
  analysis::Drift drift;
  std::vector<analysis::UnitControl> control;
};

// Resolves `name` to a stored region or cercle; kNotFound with the
// closest names otherwise.
core::Result<Area> ResolveArea(store::EventStore* store, const std::string& name);

// The store's events of `area` (all when level "all") in [from, to].
core::Result<std::vector<core::Event>> AreaEvents(store::EventStore* store, const Area& area,
                                                  std::optional<core::Date> from, core::Date to);

core::Result<Signals> ComputeSignals(store::EventStore* store, const geo::Reference& ref, const SignalRequest& req);

// The period of a request: `to` ("" = the newest stored event's day) and
// `from` ("" = 90 days ending at `to`); kInvalidArgument names `from_name`
// or `to_name` (a flag or a query parameter) when a date is bad.
core::Result<std::pair<core::Date, core::Date>> ResolvePeriod(store::EventStore* store, const std::string& from,
                                                              const std::string& to, const std::string& from_name,
                                                              const std::string& to_name);

// PRIO-GRID cells whose centre lies in the area (Mali's cells for "all").
std::vector<int64_t> AreaCells(const geo::Reference& ref, const Area& area);

}  // namespace vigil::report
