#include "query/actor_aliases.h"

#include <algorithm>
#include <fstream>
#include <mutex>

#include "core/strings.h"
#include "geo/normalize.h"

namespace vigil::query {
namespace {

// Adds the rows of a TSV of alias, names ('|'-separated) [, anything];
// '#' lines are comments.
core::Status ReadTsv(const std::string& path, bool required, std::map<std::string, std::vector<std::string>>* out) {
  std::ifstream in(path);
  if (!in) {
    if (!required) return core::Status::Ok();
    return core::NotFound(path + ": missing (the actor aliases; reinstall vigil's data folder or pass --data-dir)");
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto cols = core::Split(line, '\t');
    if (cols.size() < 2) continue;
    auto& names = (*out)[geo::FoldName(cols[0])];
    for (auto n : core::Split(cols[1], '|')) {
      std::string name(core::Trim(n));
      if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<std::shared_ptr<const ActorAliases>> ActorAliases::Load(const std::string& data_dir) {
  auto a = std::make_shared<ActorAliases>();
  VIGIL_RETURN_IF_ERROR(ReadTsv(data_dir + "/lexicon/actors.tsv", true, &a->by_alias_));
  VIGIL_RETURN_IF_ERROR(ReadTsv(data_dir + "/lexicon/actor_search.tsv", false, &a->by_alias_));
  return std::shared_ptr<const ActorAliases>(std::move(a));
}

core::Result<std::shared_ptr<const ActorAliases>> ActorAliases::Cached(const std::string& data_dir) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const ActorAliases>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(data_dir);
  if (it != cache.end()) return it->second;
  VIGIL_ASSIGN_OR_RETURN(auto a, Load(data_dir));
  cache[data_dir] = a;
  return a;
}

std::vector<std::string> ActorAliases::Expand(const std::string& typed) const {
  std::vector<std::string> out = {typed};
  auto it = by_alias_.find(geo::FoldName(typed));
  if (it == by_alias_.end()) return out;
  for (const auto& n : it->second)
    if (geo::FoldName(n) != geo::FoldName(typed)) out.push_back(n);
  return out;
}

}  // namespace vigil::query
