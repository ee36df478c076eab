#include "alert/phrases.h"

#include <fstream>

#include "core/strings.h"

namespace vigil::alert {

core::Result<Phrases> Phrases::Load(const std::string& data_dir) {
  const std::string path = data_dir + "/lexicon/alert_phrases.tsv";
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read " + path + " (check --data-dir)");
  Phrases p;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (core::Trim(line).empty() || line[0] == '#') continue;
    auto f = core::Split(line, '\t');
    if (f.size() != 3) return core::ParseError(path + ":" + std::to_string(n) + ": expected key, en, fr (TABs)");
    p.phrases_[std::string(f[0])] = {std::string(f[1]), std::string(f[2])};
  }
  return p;
}

std::string Phrases::Get(const std::string& key, const std::string& lang,
                         const std::map<std::string, std::string>& values) const {
  auto it = phrases_.find(key);
  if (it == phrases_.end()) return key;
  std::string s = lang == "fr" ? it->second.second : it->second.first;
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '{') {
      const size_t close = s.find('}', i);
      if (close != std::string::npos) {
        auto v = values.find(s.substr(i + 1, close - i - 1));
        if (v != values.end()) {
          out += v->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += s[i++];
  }
  return std::string(core::Trim(out));
}

}  // namespace vigil::alert
