// vigil::server — request routing: a method and a path pattern per route.
// A pattern is a path whose segments are literal or "{name}", which matches
// any one non-empty segment (the matched segments go to Request::matches[1..]
// in order). Routes are tried in the order added; the first match wins.
// No regular expressions: matching is linear in the path.
//
// Thread-safety: Add() before serving; Find() from any thread afterwards.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/http_message.h"

namespace vigil::server {

class Router {
 public:
  using Fn = std::function<void(Request&, Response&)>;
  enum class Match { kFound, kNoPath, kWrongMethod };

  void Add(const std::string& method, const std::string& pattern, Fn fn);
  // The handler for req.method and req.path: kFound sets *fn and
  // req.matches; kWrongMethod (the path exists for other methods) sets
  // *allowed to them ("GET, POST"); kNoPath otherwise. HEAD finds GET routes.
  Match Find(Request& req, const Fn** fn, std::string* allowed) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{}" for a placeholder
    Fn fn;
  };
  static bool Matches(const Route& r, const std::vector<std::string_view>& segs, std::vector<std::string>* out);
  std::vector<Route> routes_;
};

// "/a/b/" -> {"a", "b", ""}; "/" -> {""}.
std::vector<std::string_view> PathSegments(std::string_view path);

}  // namespace vigil::server
