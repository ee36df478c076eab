// vigil signals — the signals of docs/signals.md for an area and period.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/strings.h"
#include "report/signals_json.h"

namespace vigil::cli {

namespace {

struct SignalsOptions {
  std::string which = "all";
  std::string area, from, to;
  std::string format = "table";
  double separation_km = 50;
  int min_places = 3;
};

void PrintWaves(const report::Signals& s) {
  std::printf("coordinated waves (%zu)\n", s.waves.size());
  for (const auto& w : s.waves) {
    std::printf("  %s  %s: %zu places, %.0f km apart at most (expected %.2f places, p = %.2g)\n",
                w.start.ToIso().c_str(), core::EscapeControl(w.actor).c_str(), w.places.size(), w.span_km,
                w.expected_places, w.p_value);
    for (const auto& p : w.places)
      std::printf("      %s (%s, %s) %zu event(s)\n", core::EscapeControl(p.location).c_str(),
                  core::EscapeControl(p.admin2).c_str(), core::EscapeControl(p.admin1).c_str(), p.event_ids.size());
  }
}

void PrintRepeat(const report::Signals& s) {
  std::printf("repeat targets (%zu)\n", s.repeat.size());
  for (const auto& t : s.repeat) {
    std::string days, gaps;
    for (const auto& d : t.strikes) days += (days.empty() ? "" : ", ") + d.ToIso();
    for (int g : t.intervals_days) gaps += (gaps.empty() ? "" : ", ") + std::to_string(g);
    std::printf("  %s (%s): %zu strikes: %s; intervals %s days\n", core::EscapeControl(t.location).c_str(),
                core::EscapeControl(t.admin1).c_str(), t.strikes.size(), days.c_str(), gaps.c_str());
  }
}

void PrintDiffusion(const report::Signals& s) {
  const auto& d = s.diffusion;
  std::printf("diffusion: %lld of %lld cells (0.5°) with political violence (%.1f%%)\n",
              static_cast<long long>(d.cells_with_violence), static_cast<long long>(d.area_cells), 100 * d.share);
  std::printf("onsets after 12 quiet months (history from %s)\n", d.history_start.ToIso().c_str());
  for (const auto& o : d.onsets)
    if (o.kind == "admin2")
      std::printf("  %s  %s %s (%s)%s\n", o.first.ToIso().c_str(), o.kind.c_str(), core::EscapeControl(o.unit).c_str(),
                  core::EscapeControl(o.admin1).c_str(), o.judged ? "" : "  [not judged: history shorter than a year]");
}

void PrintDrift(const report::Signals& s) {
  const auto& d = s.drift;
  std::printf("activity centroid by quarter\n");
  for (const auto& q : d.quarters)
    std::printf("  %s  %.3f, %.3f  (%lld events)\n", q.quarter.c_str(), q.latitude, q.longitude,
                static_cast<long long>(q.events));
  if (!d.measured) {
    std::printf("  drift not measured: fewer than two quarters with enough events\n");
    return;
  }
  std::printf(
      "  drift %.0f km per quarter toward the %s (bearing %.0f°), 95%% interval %.0f–%.0f km;\n"
      "  east %.0f [%.0f, %.0f], north %.0f [%.0f, %.0f] km per quarter\n",
      d.speed_km_per_quarter, analysis::CompassPoint(d.bearing_deg).c_str(), d.bearing_deg, d.speed_lo, d.speed_hi,
      d.east_km_per_quarter, d.east_lo, d.east_hi, d.north_km_per_quarter, d.north_lo, d.north_hi);
}

void PrintControl(const report::Signals& s) {
  std::printf("territorial control (as of %s)\n", s.to.ToIso().c_str());
  for (const auto& u : s.control)
    std::printf("  %s %s %s %s share %.0f%% score %.2f certainty %.2f\n", Cell(u.admin2, 18).c_str(),
                Cell(u.admin1, 12).c_str(), Cell(u.status, 10).c_str(), Cell(u.leader, 28).c_str(), 100 * u.share,
                u.leader_score, u.certainty);
}

int Run(const Globals& g, const SignalsOptions& o) {
  static const std::vector<std::string> kWhich = {"all", "waves", "repeat", "onsets", "drift", "control"};
  if (std::find(kWhich.begin(), kWhich.end(), o.which) == kWhich.end())
    return Fail(core::InvalidArgument("unknown signal '" + o.which + "' (all, waves, repeat, onsets, drift, control)"));
  auto fmt = ParseFormat(o.format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  auto period = report::ResolvePeriod(st->get(), o.from, o.to, "--from", "--to");
  if (!period.ok()) return Fail(period.status());
  report::SignalRequest req;
  req.area = o.area;
  std::tie(req.from, req.to) = *period;
  req.waves.min_separation_km = o.separation_km;
  req.waves.min_places = o.min_places;
  auto s = report::ComputeSignals(st->get(), **ref, req);
  if (!s.ok()) return Fail(s.status());
  if (*fmt == Format::kJson) {
    core::Json j = report::SignalsJson(*s);
    static const std::map<std::string, std::string> kKey = {
        {"waves", "waves"}, {"repeat", "repeat"}, {"onsets", "diffusion"}, {"drift", "drift"}, {"control", "control"}};
    std::printf("%s\n", (o.which == "all" ? j : j[kKey.at(o.which)]).dump().c_str());
    return 0;
  }
  std::printf("%s, %s to %s\n\n", s->area.name.empty() ? "all regions" : core::EscapeControl(s->area.name).c_str(),
              s->from.ToIso().c_str(), s->to.ToIso().c_str());
  const bool all = o.which == "all";
  if (all || o.which == "waves") PrintWaves(*s);
  if (all || o.which == "repeat") PrintRepeat(*s);
  if (all || o.which == "onsets") PrintDiffusion(*s);
  if (all || o.which == "drift") PrintDrift(*s);
  if (all || o.which == "control") PrintControl(*s);
  return 0;
}

}  // namespace

void AddSignals(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<SignalsOptions>();
  auto* cmd = app.add_subcommand("signals", "coordinated waves, repeat targets, onsets, drift, territorial control");
  cmd->add_option("which", o->which, "all (default), waves, repeat, onsets, drift or control");
  cmd->add_option("--area", o->area, "a region (admin1) or cercle (admin2); default all");
  cmd->add_option("--from", o->from, "first day (default: 90 days before --to)");
  cmd->add_option("--to", o->to, "last day (default: the newest stored event)");
  cmd->add_option("--separation-km", o->separation_km, "waves: places closer than this are one place (default 50)");
  cmd->add_option("--min-places", o->min_places, "waves: fewest places of a wave (default 3)");
  cmd->add_option("--format", o->format, "table (default) or json");
  cmd->callback([&g, &rc, o] { rc = Run(g, *o); });
}

}  // namespace vigil::cli
