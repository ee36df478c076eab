// vigil::report — sentences from a phrase table (sitrep.h's Phrases: key,
// English, French) with numbers, percentages and changes written as each
// language writes them ("12.5", "12,5"; "40%", "40 %").
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "report/sitrep.h"

namespace vigil::report {

// Fills {1}, {2}, ... of `tmpl` in order.
inline std::string Fill(std::string tmpl, const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string mark = "{" + std::to_string(i + 1) + "}";
    for (size_t p = tmpl.find(mark); p != std::string::npos; p = tmpl.find(mark, p + args[i].size()))
      tmpl.replace(p, mark.size(), args[i]);
  }
  return tmpl;
}

class Writer {
 public:
  Writer(const Phrases& p, const std::string& lang) : p_(p), fr_(lang == "fr") {}
  std::string T(const std::string& key, const std::vector<std::string>& args = {}) const {
    auto it = p_.by_key.find(key);
    if (it == p_.by_key.end()) return "[" + key + "]";
    return Fill(fr_ ? it->second.second : it->second.first, args);
  }
  std::string Num(double v, int decimals = 0) const {
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    std::string s = b;
    if (fr_) std::replace(s.begin(), s.end(), '.', ',');
    return s;
  }
  std::string Pct(double v) const { return Num(100 * v, v < 0.1 ? 1 : 0) + (fr_ ? "\u00a0%" : "%"); }
  std::string Change(int64_t now, int64_t before) const {
    if (now == before) return T("same");
    return T(now > before ? "up" : "down", {std::to_string(std::llabs(now - before))});
  }
  bool IsFrench() const { return fr_; }
  // An ACLED type or sub-type in the brief's language (as stored when the
  // table lacks it).
  std::string Term(const std::string& acled) const {
    auto it = p_.by_key.find("ev_" + acled);
    return it == p_.by_key.end() ? acled : (fr_ ? it->second.second : it->second.first);
  }
  std::string Colon() const { return fr_ ? "\u00a0: " : ": "; }

 private:
  const Phrases& p_;
  bool fr_;
};

}  // namespace vigil::report
