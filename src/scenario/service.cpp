#include "scenario/service.h"

#include "model/service.h"

namespace vigil::scenario {

namespace {

using core::Date;
using core::Result;

// The fatalities recorded for the model's events of the last two years
// before as_of, by class (events with no figure left out).
Result<model::FatalitySamples> Fatalities(store::EventStore* store, const model::Selection& sel, Date as_of) {
  VIGIL_ASSIGN_OR_RETURN(auto events, model::LoadEvents(store, sel, as_of - 730, as_of));
  model::FatalitySamples out;
  for (const auto& e : events)
    if (e.fatalities && *e.fatalities >= 0)
      out[static_cast<size_t>(model::ClassOf(e.event_type))].push_back(static_cast<int>(*e.fatalities));
  return out;
}

core::Status CheckDates(const Spec& spec, Date as_of, Date until) {
  const std::string period = as_of.ToIso() + " to " + (until - 1).ToIso();
  for (const auto& in : spec.inject)
    if (in.date < as_of || !(in.date < until))
      return core::InvalidArgument("the [[inject]] at line " + std::to_string(in.line) + " is dated " +
                                   in.date.ToIso() + ", outside the simulated period " + period +
                                   " (set as_of or weeks so that it falls inside)");
  for (const auto& b : spec.background)
    if ((b.from && !(*b.from < until)) || (b.to && !(as_of < *b.to)))
      return core::InvalidArgument("the [[background]] change in " + b.area.label +
                                   " does not overlap the simulated period " + period);
  return core::Status::Ok();
}

}  // namespace

Result<Summary> RunScenario(store::EventStore* store, const geo::Reference& ref, const RunRequest& req) {
  VIGIL_ASSIGN_OR_RETURN(const auto regions, model::MakeUnits(model::Level::kAdmin1, ref));
  VIGIL_ASSIGN_OR_RETURN(const auto cercles, model::MakeUnits(model::Level::kAdmin2, ref));
  // Corridors come from the bundled road network (as the briefs' do).
  auto roads = geo::RoadNetwork::LoadBundled(ref.data_dir());
  SpecContext ctx{&ref.gazetteer(), roads.ok() ? &*roads : nullptr, &regions, &cercles};
  VIGIL_ASSIGN_OR_RETURN(Spec spec, ParseSpec(req.text, req.name, ctx));
  if (req.runs) spec.runs = *req.runs;
  if (req.seed) spec.seed = *req.seed;
  if (spec.runs < 10 || spec.runs > 100000) return core::InvalidArgument("--runs must be 10..100000");
  if (req.shards < 1 || req.shard < 0 || req.shard >= req.shards)
    return core::InvalidArgument("scenario shard " + std::to_string(req.shard) + " of " + std::to_string(req.shards));
  VIGIL_ASSIGN_OR_RETURN(model::SnapshotModel m, model::LoadSnapshotModel(store, spec.as_of, req.shard == 0));
  for (auto& in : spec.inject)
    if (in.day >= 0) in.date = m.as_of + in.day;
  VIGIL_RETURN_IF_ERROR(CheckDates(spec, m.as_of, m.as_of + 7 * spec.weeks));
  Inputs in;
  in.fit = &m.fit;
  in.catalogue = &m.catalogue;
  in.window_start = m.window_start;
  in.as_of = m.as_of;
  in.regions = &regions;
  in.cercles = &cercles;
  // A cercle is made of the boxes whose centre lies in its polygon.
  for (const auto& u : cercles) {
    const auto& b = u.boxes.front();
    in.cercle_codes.push_back(ref.Reverse((b.lat0 + b.lat1) / 2, (b.lon0 + b.lon1) / 2).admin2_pcode);
  }
  VIGIL_ASSIGN_OR_RETURN(in.fatalities, Fatalities(store, m.selection, m.as_of));
  Options opt;
  opt.runs = spec.runs;
  opt.seed = spec.seed;
  opt.shard = req.shard;
  opt.shards = req.shards;
  if (req.progress) opt.progress = [&](int done, int total) { req.progress(done, 2 * total); };
  Arm base = RunArm(in, {}, spec.weeks, opt);
  if (req.gather) req.gather(&base);
  if (req.progress) opt.progress = [&](int done, int total) { req.progress(total + done, 2 * total); };
  Arm scen = RunArm(in, ToChanges(spec, in), spec.weeks, opt);
  if (req.gather) req.gather(&scen);
  Summary s = Summarise(spec, in, base, scen);
  s.snapshot_id = m.snapshot_id;
  return s;
}

}  // namespace vigil::scenario
