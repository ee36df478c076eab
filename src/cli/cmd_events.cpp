#include <cstdio>

#include "cli/commands.h"
#include "cli/filters.h"
#include "cli/output.h"

namespace vigil::cli {

namespace {

struct EventsOptions {
  FilterFlags filters;
  std::string format = "table";
  std::string lang = "en";
};

int Run(const Globals& g, const EventsOptions& o) {
  auto fmt = ParseFormat(o.format,
                         {Format::kTable, Format::kCsv, Format::kJsonl, Format::kJson, Format::kGeojson, Format::kHxl});
  if (!fmt.ok()) return Fail(fmt.status());
  auto words = OpenTableWords(g, o.lang);
  if (!words.ok()) return Fail(words.status());
  auto st = OpenStore(g);
  if (!st.ok()) return Fail(st.status());
  auto rf = ResolveFilter(g, o.filters, st->get());
  if (!rf.ok()) return Fail(rf.status());
  int64_t limit = o.filters.limit >= 0 ? o.filters.limit : (*fmt == Format::kTable ? 50 : 0);
  store::EventFilter filter = rf->filter;
  // With --near the store answers a box; the exact radius is checked here,
  // so the limit applies after that check.
  filter.limit = rf->near ? 0 : limit;
  auto writer = MakeEventWriter(*fmt, stdout, (*words)->get());
  int64_t written = 0;
  auto s = (*st)->ForEachEvent(filter, [&](const core::Event& e) {
    if (rf->near && core::HaversineKm(rf->near->first, rf->near->second, e.latitude, e.longitude) > rf->radius_km)
      return true;
    writer->Write(e);
    ++written;
    return limit == 0 || written < limit;
  });
  writer->End();
  if (!s.ok()) return Fail(s);
  if (*fmt == Format::kTable && limit > 0 && written == limit && !g.quiet) {
    const std::string n = std::to_string(limit);
    const auto* w = (*words)->get();
    std::fprintf(stderr, "%s\n",
                 (w ? w->T("showing_first", {n}) : "(showing the first " + n + "; use --limit N or --limit 0 for all)")
                     .c_str());
  }
  return 0;
}

}  // namespace

void AddEvents(CLI::App& app, Globals& g, int& rc) {
  auto o = std::make_shared<EventsOptions>();
  auto* cmd = app.add_subcommand("events", "list events: filters, then table, csv, jsonl, json, geojson or hxl");
  AddFilterFlags(cmd, &o->filters);
  cmd->add_option("--format", o->format, "table (default), csv, jsonl, json, geojson, hxl");
  cmd->add_option("--lang", o->lang, "the table's language: en (default) or fr (other formats keep ACLED's names)");
  cmd->callback([&g, &rc, o] { rc = Run(g, *o); });
}

}  // namespace vigil::cli
