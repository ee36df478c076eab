#include "server/caching.h"

#include <cinttypes>
#include <cstdio>

#include "core/strings.h"

namespace vigil::server {

namespace {

constexpr std::string_view kPrefixes[] = {"/api/v1/boundaries/", "/api/v1/forecast", "/api/v1/events",
                                          "/api/v1/stats",       "/api/v1/regions", "/api/v1/roads",
                                          "/api/v1/corridors",   "/api/v1/signals/", "/api/v1/sources"};

// The opaque part of a tag, without W/ and quotes.
std::string_view Opaque(std::string_view tag) {
  tag = core::Trim(tag);
  if (core::StartsWith(tag, "W/")) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
  return tag;
}

}  // namespace

bool Revalidated(std::string_view path) {
  for (auto p : kPrefixes)
    if (core::StartsWith(path, p)) return true;
  return false;
}

std::string WeakEtag(std::string_view content_type, std::string_view body) {
  // The two hashes mixed, so the body (megabytes for an event list) is not
  // copied to be hashed with its type.
  const uint64_t h = core::Fnv1a64(body) ^ (core::Fnv1a64(content_type) * 0x9E3779B97F4A7C15ULL);
  char buf[32];
  std::snprintf(buf, sizeof buf, "W/\"%016" PRIx64 "\"", h);
  return buf;
}

bool NoneMatchHits(std::string_view if_none_match, std::string_view etag) {
  if (core::Trim(if_none_match) == "*") return true;
  const std::string_view want = Opaque(etag);
  for (auto part : core::Split(if_none_match, ','))
    if (!Opaque(part).empty() && Opaque(part) == want) return true;
  return false;
}

void MaybeRevalidate(const Request& req, Response* res) {
  if ((req.method != "GET" && req.method != "HEAD") || res->status != 200 || !Revalidated(req.path)) return;
  auto type = res->headers.find("Content-Type");
  const std::string etag = WeakEtag(type == res->headers.end() ? "" : type->second, res->body);
  res->set_header("ETag", etag);
  auto cc = res->headers.find("Cache-Control");
  if (cc == res->headers.end() || cc->second == "no-store") res->set_header("Cache-Control", "private, no-cache");
  const std::string inm = req.get_header_value("If-None-Match");
  if (inm.empty() || !NoneMatchHits(inm, etag)) return;
  res->status = 304;
  res->body.clear();
  res->headers.erase("Content-Type");
  res->headers.erase("Content-Disposition");
}

}  // namespace vigil::server
