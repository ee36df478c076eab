// vigil::core — reading typed values out of a TOML file (toml++) with
// errors that name the file, the line and the key, and what to write instead:
// the first problem wins. Unknown keys are errors (OnlyKeys): a misspelt key
// must not silently do nothing. Used by the alert configuration and by
// scenario files.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace vigil::core {

class TomlReader {
 public:
  TomlReader(std::string name, std::string dir) : name_(std::move(name)), dir_(std::move(dir)) {}

  bool failed() const { return !status_.ok(); }
  const core::Status& status() const { return status_; }

  void Fail(const toml::node* node, const std::string& what) {
    if (failed()) return;
    const int line = node ? static_cast<int>(node->source().begin.line) : 0;
    status_ = core::ParseError(name_ + (line > 0 ? ":" + std::to_string(line) : "") + ": " + what);
  }

  // Unknown keys are errors: a misspelt key must not silently do nothing.
  void OnlyKeys(const toml::table& t, const std::string& where, std::initializer_list<const char*> keys) {
    for (auto&& [k, v] : t) {
      bool known = false;
      std::string list;
      for (const char* key : keys) {
        known = known || k.str() == key;
        list += (list.empty() ? "" : ", ") + std::string(key);
      }
      if (!known) Fail(&v, "unknown key '" + std::string(k.str()) + "' in " + where + " (expected: " + list + ")");
    }
  }

  std::string String(const toml::table& t, const char* key, const std::string& where, const std::string& def,
                     bool required = false) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) Fail(&t, where + " needs '" + key + "'");
      return def;
    }
    if (!n->is_string()) {
      Fail(n, where + "." + key + " must be a string in quotes");
      return def;
    }
    return std::string(*n->value<std::string>());
  }

  double Number(const toml::table& t, const char* key, const std::string& where, double def, double lo, double hi) {
    const toml::node* n = t.get(key);
    if (!n) return def;
    std::optional<double> v = n->value<double>();
    if (!v || !(*v >= lo && *v <= hi)) {
      Fail(n, where + "." + key + " must be a number from " + Fmt(lo) + " to " + Fmt(hi));
      return def;
    }
    return *v;
  }

  int64_t Integer(const toml::table& t, const char* key, const std::string& where, int64_t def, int64_t lo,
                  int64_t hi) {
    const toml::node* n = t.get(key);
    if (!n) return def;
    std::optional<int64_t> v = n->is_integer() ? n->value<int64_t>() : std::nullopt;
    if (!v || *v < lo || *v > hi) {
      Fail(n, where + "." + key + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
      return def;
    }
    return *v;
  }

  int64_t Duration(const toml::table& t, const char* key, const std::string& where, int64_t def) {
    const toml::node* n = t.get(key);
    if (!n) return def;
    if (!n->is_string()) {
      Fail(n, where + "." + key + " must be a duration in quotes, e.g. \"15m\", \"1h\", \"2d\"");
      return def;
    }
    auto d = core::ParseDuration(*n->value<std::string>());
    if (!d.ok()) {
      Fail(n, where + "." + key + ": " + d.status().message());
      return def;
    }
    return *d;
  }

  std::vector<std::string> Strings(const toml::table& t, const char* key, const std::string& where) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    const toml::array* a = n->as_array();
    if (!a) {
      Fail(n, where + "." + key + " must be a list of strings, e.g. [\"Kayes\"]");
      return out;
    }
    for (const auto& e : *a) {
      if (!e.is_string()) {
        Fail(&e, where + "." + key + " must hold strings only");
        return out;
      }
      out.emplace_back(*e.value<std::string>());
    }
    return out;
  }

  // A secret given inline or read from a file next to the configuration.
  std::string Secret(const toml::table& t, const char* key, const std::string& where) {
    const std::string file_key = std::string(key) + "_file";
    std::string inline_value = String(t, key, where, "");
    const std::string file = String(t, file_key.c_str(), where, "");
    if (!file.empty()) {
      std::ifstream in(Resolve(file));
      std::string v;
      if (!in || !std::getline(in, v)) {
        Fail(t.get(file_key), where + "." + file_key + ": cannot read '" + Resolve(file) + "'");
        return "";
      }
      return v;
    }
    return inline_value;
  }

  std::string Resolve(const std::string& p) const {
    namespace fs = std::filesystem;
    if (p.empty() || fs::path(p).is_absolute()) return p;
    return (fs::path(dir_) / p).lexically_normal().string();
  }

 private:
  static std::string Fmt(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  }
  std::string name_, dir_;
  core::Status status_;
};

template <typename T>
T Enum(TomlReader& r, const toml::table& t, const char* key, const std::string& where, T def,
       core::Result<T> (*parse)(std::string_view)) {
  const toml::node* n = t.get(key);
  if (!n) return def;
  auto v = n->is_string() ? parse(*n->value<std::string>()) : Result<T>(InvalidArgument("not a string"));
  if (!v.ok()) {
    r.Fail(n, where + "." + key + ": " + v.status().message());
    return def;
  }
  return *v;
}

inline const toml::array* ArrayOfTables(TomlReader& r, const toml::table& root, const char* key) {
  const toml::node* n = root.get(key);
  if (!n) return nullptr;
  const toml::array* a = n->as_array();
  if (!a || !a->is_array_of_tables()) {
    r.Fail(n, std::string("'") + key + "' must be written as [[" + key + "]] tables");
    return nullptr;
  }
  return a;
}

}  // namespace vigil::core
