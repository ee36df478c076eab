// vigil::query — what a user types for an actor and the names the data
// uses: "FAMa" finds "Military Forces of Mali", "EIGS" finds "IS Sahel".
// Read from data/lexicon/actors.tsv (the extractor's aliases: alias,
// canonical, kind) and data/lexicon/actor_search.tsv (search-only groupings
// such as Wagner Group and its successor Africa Corps: alias, then the
// canonical names it should find, separated by '|').
//
// Thread-safety: an ActorAliases is immutable once loaded; Cached is safe
// from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace vigil::query {

class ActorAliases {
 public:
  // kNotFound naming the file when data_dir lacks lexicon/actors.tsv.
  static core::Result<std::shared_ptr<const ActorAliases>> Load(const std::string& data_dir);
  // Load, once per folder.
  static core::Result<std::shared_ptr<const ActorAliases>> Cached(const std::string& data_dir);

  // The texts to search for `typed` (substrings, any actor field): `typed`
  // itself, then the canonical names its folded form is an alias of.
  std::vector<std::string> Expand(const std::string& typed) const;

 private:
  std::map<std::string, std::vector<std::string>> by_alias_;  // folded alias -> canonical names
};

}  // namespace vigil::query
