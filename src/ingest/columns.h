// vigil::ingest — header column lookup shared by the CSV adapters.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/actors.h"
#include "core/status.h"
#include "core/strings.h"

namespace vigil::ingest {

class ColumnMap {
 public:
  void Set(const std::vector<std::string_view>& header) {
    index_.clear();
    width_ = header.size();
    for (size_t i = 0; i < header.size(); ++i) index_[core::AsciiLower(core::Trim(header[i]))] = i;
  }
  bool Has(std::string_view name) const { return index_.count(std::string(name)) > 0; }
  // Position of `name` or -1.
  int Find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? -1 : static_cast<int>(it->second);
  }
  core::Status Require(std::initializer_list<std::string_view> names, std::string_view what) const {
    for (auto n : names)
      if (!Has(n))
        return core::ParseError("missing column '" + std::string(n) + "' in the header: is this " + std::string(what) +
                                "?");
    return core::Status::Ok();
  }
  size_t width() const { return width_; }

 private:
  std::unordered_map<std::string, size_t> index_;
  size_t width_ = 0;
};

// Memoises core::NormaliseActor: exports repeat a few hundred actor names
// over millions of rows.
class ActorCache {
 public:
  const std::string& Normalise(std::string_view name) {
    auto it = cache_.find(name);
    if (it != cache_.end()) return it->second;
    if (cache_.size() > 100000) cache_.clear();
    return cache_.emplace(std::string(name), core::NormaliseActor(name)).first->second;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> cache_;  // looked up by string_view
};

inline std::string_view Field(const std::vector<std::string_view>& f, int col) {
  return col >= 0 && static_cast<size_t>(col) < f.size() ? core::Trim(f[static_cast<size_t>(col)]) : std::string_view();
}

}  // namespace vigil::ingest
