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
  std::string lang = "en";
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

// The table's words: English built in, else from the phrase table.
class Words {
 public:
  explicit Words(const report::Writer* w) : w_(w) {}
  std::string operator()(const char* key, const char* english, const std::vector<std::string>& args = {}) const {
    return w_ ? w_->T(key, args) : report::Fill(english, args);
  }

 private:
  const report::Writer* w_;
};

std::string Region(const store::StatsRow& r, const Words& w) {
  return r.admin1.empty() ? w("unknown_region", "(unknown)") : r.admin1;
}

// The fatality sum, or "?" when the row has events and none has a count.
bool Known(const store::StatsRow& r) { return r.fatalities_known > 0 || r.events == 0; }
std::string Fatalities(const store::StatsRow& r) { return Known(r) ? std::to_string(r.fatalities) : "?"; }

void PrintTable(const std::vector<store::StatsRow>& rows, const Words& w) {
  const std::string events_h = w("col_events", "events"), fatal_h = w("col_fatalities", "fatalities"),
                    known_h = w("col_known", "known");
  auto header = [&](int region_width, bool month) {
    std::printf("%s %s %s%s %s %s\n", Cell(w("col_country", "country"), 14).c_str(),
                Cell(w("col_admin1", "admin1"), region_width).c_str(),
                month ? (Cell(w("col_month", "month"), 7) + " ").c_str() : "", RightCell(events_h, 11).c_str(),
                RightCell(fatal_h, 10).c_str(), RightCell(known_h, 6).c_str());
  };
  header(16, true);
  std::map<std::pair<std::string, std::string>, store::StatsRow> totals;
  int64_t events = 0, known = 0;
  for (const auto& r : rows) {
    std::printf("%s %s %s %11lld %10s %6lld\n", Cell(r.country, 14).c_str(), Cell(Region(r, w), 16).c_str(),
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
  std::printf("\n%s\n", w("total_by_admin1", "total by admin1").c_str());
  header(24, false);
  for (const auto& [k, t] : totals)
    std::printf("%s %s %11lld %10s %6lld\n", Cell(t.country, 14).c_str(), Cell(Region(t, w), 24).c_str(),
                static_cast<long long>(t.events), Fatalities(t).c_str(), static_cast<long long>(t.fatalities_known));
  const std::vector<std::string> counts{std::to_string(known), std::to_string(events)};
  std::printf("\n%s\n%s\n",
              w("stats_note", "fatalities: summed over the events with a known count (column known: {1} of {2} events);",
                counts)
                  .c_str(),
              w("stats_note2",
                "an unknown count is not zero (\"?\": none known). Months without events are rows of zeros.")
                  .c_str());
}

int Run(const Globals& g, const StatsOptions& o) {
  auto fmt = ParseFormat(o.format, {Format::kTable, Format::kCsv, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto rf = ResolveFilter(g, o.filters, st->get());
  if (!rf.ok()) return Fail(rf.status());
  if (rf->near) return Fail(core::InvalidArgument("vigil stats takes --bbox, not --near"));
  auto words = OpenTableWords(g, o.lang);
  if (!words.ok()) return Fail(words.status());
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
  PrintTable(rows, Words((*words)->get()));
  return 0;
}

}  // namespace

void AddStats(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<StatsOptions>();
  auto* cmd = app.add_subcommand("stats", "events and fatalities by admin1 and month");
  AddFilterFlags(cmd, &o->filters);
  cmd->add_option("--format", o->format, "table (default), csv or json");
  cmd->add_option("--lang", o->lang, "the table's language: en (default) or fr");
  cmd->callback([&g, &rc, o] { rc = Run(g, *o); });
}

}  // namespace vigil::cli
