#include "cli/filters.h"

#include "cli/context.h"

namespace vigil::cli {

void AddFilterFlags(CLI::App* cmd, FilterFlags* f) {
  cmd->add_option("--country", f->country, "country name(s)")->delimiter(',');
  cmd->add_option("--admin1", f->admin1, "region(s), accents and case ignored (Ségou = segou)")->delimiter(',');
  cmd->add_option("--admin2", f->admin2, "cercle(s)/department(s)")->delimiter(',');
  cmd->add_option("--bbox", f->bbox, "W,S,E,N in degrees");
  cmd->add_option("--near", f->near, "LAT,LON: events within --radius-km of this point");
  cmd->add_option("--radius-km", f->radius_km, "radius for --near (default 25)")->each([f](const std::string&) {
    f->radius_given = true;
  });
  cmd->add_option("--from", f->from, "first date, YYYY-MM-DD (inclusive)");
  cmd->add_option("--to", f->to, "last date, YYYY-MM-DD (inclusive)");
  cmd->add_option("--type", f->type, "event type(s), e.g. Battles")->delimiter(',');
  cmd->add_option("--sub-type", f->sub_type, "sub-event type(s), e.g. 'Armed clash'")->delimiter(',');
  cmd->add_option("--actor", f->actor, "actor name contains this text (any actor field)");
  cmd->add_option("--min-fatalities", f->min_fatalities, "at least this many fatalities")->default_str("");
  cmd->add_option("--limit", f->limit, "at most this many events (default 50 in a table, all otherwise; 0: all)")
      ->default_str("");
}

core::Result<ResolvedFilter> ResolveFilter(const Globals& g, FilterFlags f, store::EventStore* store) {
  std::shared_ptr<const query::ActorAliases> aliases;
  if (!f.actor.empty()) {
    auto dir = ResolveDataDir(g);
    if (dir.ok()) {
      auto a = query::ActorAliases::Cached(*dir);
      if (a.ok()) aliases = *a;
    }
  }
  f.aliases = aliases.get();
  return query::ResolveFilter(f, store);
}

}  // namespace vigil::cli
