// vigil::alert — the sentences alerts and replies are made of, in English
// and French, from data/lexicon/alert_phrases.tsv (one line per key:
// key, English, French; "{name}" marks a value).
//
// Thread-safety: immutable after Load.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "core/status.h"

namespace vigil::alert {

class Phrases {
 public:
  static core::Result<Phrases> Load(const std::string& data_dir);
  // The phrase in "en" or "fr" with {name} replaced from `values`; the key
  // itself when unknown (so a missing line shows, rather than nothing).
  std::string Get(const std::string& key, const std::string& lang,
                  const std::map<std::string, std::string>& values = {}) const;
  bool Has(const std::string& key) const { return phrases_.count(key) > 0; }

 private:
  std::map<std::string, std::pair<std::string, std::string>> phrases_;
};

}  // namespace vigil::alert
