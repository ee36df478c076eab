#include <cstdio>
#include <map>

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

int Run(const Globals& g, const StatsOptions& o) {
  auto fmt = ParseFormat(o.format, {Format::kTable, Format::kCsv, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto rf = ResolveFilter(o.filters, st->get());
  if (!rf.ok()) return Fail(rf.status());
  if (rf->near) return Fail(core::InvalidArgument("vigil stats takes --bbox, not --near"));
  auto rows = (*st)->Stats(rf->filter);
  if (!rows.ok()) return Fail(rows.status());
  if (*fmt == Format::kJson) {
    core::Json arr = core::Json::array();
    for (const auto& r : *rows)
      arr.push_back({{"admin1", r.admin1}, {"month", r.period}, {"events", r.events}, {"fatalities", r.fatalities}});
    std::printf("%s\n", core::Json{{"rows", arr}}.dump().c_str());
    return 0;
  }
  if (*fmt == Format::kCsv) {
    std::printf("admin1,month,events,fatalities\n");
    for (const auto& r : *rows)
      std::printf("%s,%s,%lld,%lld\n", CsvField(r.admin1).c_str(), r.period.c_str(), static_cast<long long>(r.events),
                  static_cast<long long>(r.fatalities));
    return 0;
  }
  std::printf("%s %s %8s %10s\n", Cell("admin1", 16).c_str(), Cell("month", 7).c_str(), "events", "fatalities");
  std::map<std::string, std::pair<int64_t, int64_t>> totals;
  for (const auto& r : *rows) {
    std::printf("%s %s %8lld %10lld\n", Cell(r.admin1.empty() ? "(unknown)" : r.admin1, 16).c_str(), r.period.c_str(),
                static_cast<long long>(r.events), static_cast<long long>(r.fatalities));
    totals[r.admin1].first += r.events;
    totals[r.admin1].second += r.fatalities;
  }
  std::printf("\n%s %8s %10s\n", Cell("total by admin1", 24).c_str(), "events", "fatalities");
  for (const auto& [a, t] : totals)
    std::printf("%s %8lld %10lld\n", Cell(a.empty() ? "(unknown)" : a, 24).c_str(), static_cast<long long>(t.first),
                static_cast<long long>(t.second));
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
