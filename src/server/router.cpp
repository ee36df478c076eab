#include "server/router.h"

namespace vigil::server {

std::vector<std::string_view> PathSegments(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path[0] == '/') path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

void Router::Add(const std::string& method, const std::string& pattern, Fn fn) {
  Route r{method, {}, std::move(fn)};
  for (auto seg : PathSegments(pattern))
    r.segments.emplace_back(seg.size() > 1 && seg.front() == '{' && seg.back() == '}' ? "{}" : std::string(seg));
  routes_.push_back(std::move(r));
}

bool Router::Matches(const Route& r, const std::vector<std::string_view>& segs, std::vector<std::string>* out) {
  if (r.segments.size() != segs.size()) return false;
  out->clear();
  for (size_t i = 0; i < segs.size(); ++i) {
    if (r.segments[i] == "{}") {
      if (segs[i].empty()) return false;
      out->emplace_back(segs[i]);
    } else if (r.segments[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::Find(Request& req, const Fn** fn, std::string* allowed) const {
  const auto segs = PathSegments(req.path);
  const std::string method = req.method == "HEAD" ? std::string("GET") : req.method;
  std::vector<std::string> captured;
  allowed->clear();
  for (const auto& r : routes_) {
    if (!Matches(r, segs, &captured)) continue;
    if (r.method == method) {
      req.matches.assign(1, req.path);
      for (auto& c : captured) req.matches.push_back(std::move(c));
      *fn = &r.fn;
      return Match::kFound;
    }
    if (allowed->find(r.method) == std::string::npos) *allowed += (allowed->empty() ? "" : ", ") + r.method;
  }
  return allowed->empty() ? Match::kNoPath : Match::kWrongMethod;
}

}  // namespace vigil::server
