#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/filters.h"
#include "cli/output.h"
#include "core/event_json.h"

namespace vigil::cli {

namespace {

struct StatsOptions {
  FilterFlags filters;
  std::string format = "table";
};

// "YYYY-MM" of the month after `ym`.
std::string NextMonth(const std::string& ym) {
  int y = std::atoi(ym.substr(0, 4).c_str()), m = std::atoi(ym.substr(5, 2).c_str()) + 1;
  if (m > 12) m = 1, ++y;
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d", y, m);
  return b;
}

// Every month from the first to the last of `rows`, for each region: the
// months without an event are rows of zeros, not gaps (a quiet month is a
// figure, not a missing one).
std::vector<store::StatsRow> ZeroFilled(const std::vector<store::StatsRow>& rows) {
  if (rows.empty()) return rows;
  std::string first = rows[0].period, last = rows[0].period;
  std::map<std::pair<std::string, std::string>, std::map<std::string, store::StatsRow>> by_region;
  for (const auto& r : rows) {
    first = std::min(first, r.period);
    last = std::max(last, r.period);
    by_region[{r.admin1, r.country}][r.period] = r;
  }
  std::vector<store::StatsRow> out;
  for (auto& [key, months] : by_region)
    for (std::string m = first; m <= last && m.size() == 7; m = NextMonth(m)) {
      auto it = months.find(m);
      store::StatsRow z;
      z.admin1 = key.first;
      z.country = key.second;
      z.period = m;
      out.push_back(it == months.end() ? z : it->second);
    }
  return out;
}

std::string Region(const store::StatsRow& r) { return r.admin1.empty() ? "(unknown)" : r.admin1; }

// The fatality sum, or "?" when the row has events and none has a count.
bool Known(const store::StatsRow& r) { return r.fatalities_known > 0 || r.events == 0; }
std::string Fatalities(const store::StatsRow& r) { return Known(r) ? std::to_string(r.fatalities) : "?"; }

void PrintTable(const std::vector<store::StatsRow>& rows) {
  std::printf("%s %s %s %8s %10s %6s\n", Cell("country", 14).c_str(), Cell("admin1", 16).c_str(),
              Cell("month", 7).c_str(), "events", "fatalities", "known");
  std::map<std::pair<std::string, std::string>, store::StatsRow> totals;
  int64_t events = 0, known = 0;
  for (const auto& r : rows) {
    std::printf("%s %s %s %8lld %10s %6lld\n", Cell(r.country, 14).c_str(), Cell(Region(r), 16).c_str(),
                r.period.c_str(), static_cast<long long>(r.events), Fatalities(r).c_str(),
                static_cast<long long>(r.fatalities_known));
    auto& t = totals[{r.country, r.admin1}];
    t.country = r.country;
    t.admin1 = r.admin1;
    t.events += r.events;
    t.fatalities += r.fatalities;
    t.fatalities_known += r.fatalities_known;
    events += r.events;
    known += r.fatalities_known;
  }
  std::printf("\ntotal by admin1\n%s %s %8s %10s %6s\n", Cell("country", 14).c_str(), Cell("admin1", 24).c_str(),
              "events", "fatalities", "known");
  for (const auto& [k, t] : totals)
    std::printf("%s %s %8lld %10s %6lld\n", Cell(t.country, 14).c_str(), Cell(Region(t), 24).c_str(),
                static_cast<long long>(t.events), Fatalities(t).c_str(), static_cast<long long>(t.fatalities_known));
  std::printf(
      "\nfatalities: summed over the events with a known count (column known: %lld of %lld events);\n"
      "an unknown count is not zero (\"?\": none known). Months without events are rows of zeros.\n",
      static_cast<long long>(known), static_cast<long long>(events));
}

int Run(const Globals& g, const StatsOptions& o) {
  auto fmt = ParseFormat(o.format, {Format::kTable, Format::kCsv, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto rf = ResolveFilter(g, o.filters, st->get());
  if (!rf.ok()) return Fail(rf.status());
  if (rf->near) return Fail(core::InvalidArgument("vigil stats takes --bbox, not --near"));
  auto stored = (*st)->Stats(rf->filter);
  if (!stored.ok()) return Fail(stored.status());
  const auto rows = ZeroFilled(*stored);
  if (*fmt == Format::kJson) {
    core::Json arr = core::Json::array();
    for (const auto& r : rows)
      arr.push_back({{"country", r.country},
                     {"admin1", r.admin1},
                     {"month", r.period},
                     {"events", r.events},
                     {"fatalities", Known(r) ? core::Json(r.fatalities) : core::Json(nullptr)},
                     {"fatalities_known", r.fatalities_known}});
    std::printf("%s\n", core::Json{{"rows", arr}}.dump().c_str());
    return 0;
  }
  if (*fmt == Format::kCsv) {
    std::printf("country,admin1,month,events,fatalities,fatalities_known\n");
    for (const auto& r : rows)
      std::printf("%s,%s,%s,%lld,%s,%lld\n", CsvField(r.country).c_str(), CsvField(r.admin1).c_str(), r.period.c_str(),
                  static_cast<long long>(r.events), Known(r) ? std::to_string(r.fatalities).c_str() : "",
                  static_cast<long long>(r.fatalities_known));
    return 0;
  }
  auto sources = (*st)->DistinctValues("source");
  if (sources.ok() && std::find(sources->begin(), sources->end(), core::kSimulatedSource) != sources->end())
    std::printf("SIMULATED DATA: this database holds events from vigil's simulator; they did not happen.\n\n");
  PrintTable(rows);
  return 0;
}

}  // namespace

void AddStats(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<StatsOptions>();
  auto* cmd = app.add_subcommand("stats", "events and fatalities by admin1 and month");
  AddFilterFlags(cmd, &o->filters);
  cmd->add_option("--format", o->format, "table (default), csv or json");
  cmd->callback([&g, &rc, o] { rc = Run(g, *o); });
}

}  // namespace vigil::cli
