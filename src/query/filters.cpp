#include "query/filters.h"

#include <cmath>
#include <cstdio>

#include "core/event.h"
#include "core/strings.h"
#include "geo/normalize.h"

namespace vigil::query {

using core::Result;
using core::Status;

namespace {

// Maps user spellings to the values stored, by folded comparison.
Result<std::vector<std::string>> MatchValues(const std::vector<std::string>& wanted, store::EventStore* store,
                                             const std::string& column, const std::string& flag) {
  std::vector<std::string> out;
  if (wanted.empty()) return out;
  VIGIL_ASSIGN_OR_RETURN(auto stored, store->DistinctValues(column));
  std::vector<std::string> reference;
  if (column == "admin1") {
    VIGIL_ASSIGN_OR_RETURN(reference, store->DistinctValues("reference_admin1"));
  }
  auto strip = [](std::string s) {
    for (std::string_view w : {"region de ", "region of ", "cercle de "})
      if (core::StartsWith(s, w)) s = s.substr(w.size());
    for (std::string_view w : {" region", " cercle"})
      if (s.size() > w.size() && s.compare(s.size() - w.size(), w.size(), w) == 0) s.resize(s.size() - w.size());
    return s;
  };
  for (const auto& w : wanted) {
    const std::string key = strip(geo::FoldName(w));
    bool known = false;
    for (const auto& v : stored)
      if (strip(geo::FoldName(v)) == key) {
        out.push_back(v);
        known = true;
      }
    for (const auto& v : reference)
      if (strip(geo::FoldName(v)) == key) known = true;
    if (!known) {
      std::string list;
      for (size_t i = 0; i < stored.size() && i < 15; ++i) list += (i ? ", " : "") + stored[i];
      return core::NotFound(flag + " '" + w + "' matches no event or known place" +
                            (list.empty() ? std::string(" (the database has no events yet)")
                                          : " (values in the database include: " + list + ")"));
    }
  }
  if (out.empty()) out.push_back("\x01no-such-value");  // known but no events: match nothing
  return out;
}

// A box with no event whose mirror (latitudes read as longitudes) has some
// was almost surely typed S,W,N,E: refused with the order to use, rather
// than answered with nothing.
Status CheckNotSwapped(const store::BBox& b, const std::string& text, const std::string& flag,
                       store::EventStore* store) {
  const store::BBox m{b.south, b.west, b.north, b.east};
  if (!store || m.west < -180 || m.east > 180 || m.south < -90 || m.north > 90) return Status::Ok();
  store::EventFilter in, mirrored;
  in.bbox = b;
  mirrored.bbox = m;
  VIGIL_ASSIGN_OR_RETURN(int64_t n, store->CountEvents(in));
  if (n > 0) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(int64_t nm, store->CountEvents(mirrored));
  if (nm == 0) return Status::Ok();
  char fix[96];
  std::snprintf(fix, sizeof fix, "%g,%g,%g,%g", m.west, m.south, m.east, m.north);
  return core::InvalidArgument(flag + " " + text + " holds no event, but " + std::to_string(nm) +
                               " lie in it read with latitude and longitude swapped: the order is W,S,E,N " +
                               "(longitudes first), e.g. " + flag + " " + fix);
}

}  // namespace

Result<ResolvedFilter> ResolveFilter(const FilterFlags& f, store::EventStore* store, InputNames names) {
  // "radius-km" as the command line spells it ("--radius-km") or as an HTTP
  // parameter ("radius_km").
  auto N = [names](std::string name) {
    if (names == InputNames::kCommandLine) return "--" + name;
    for (char& c : name)
      if (c == '-') c = '_';
    return name;
  };
  ResolvedFilter r;
  auto& ef = r.filter;
  VIGIL_ASSIGN_OR_RETURN(ef.countries, MatchValues(f.country, store, "country", N("country")));
  VIGIL_ASSIGN_OR_RETURN(ef.admin1, MatchValues(f.admin1, store, "admin1", N("admin1")));
  VIGIL_ASSIGN_OR_RETURN(ef.admin2, MatchValues(f.admin2, store, "admin2", N("admin2")));
  for (const auto& t : f.type) {
    std::string c = core::CanonicalEventType(t);
    if (c.empty()) {
      std::string list;
      for (const auto& x : core::EventTypes()) list += (list.empty() ? "" : ", ") + x;
      return core::InvalidArgument(N("type") + " '" + t + "' is not an event type (expected one of: " + list + ")");
    }
    ef.event_types.push_back(c);
  }
  for (const auto& t : f.sub_type) {
    std::string c = core::CanonicalSubEventType(t);
    if (c.empty()) return core::InvalidArgument(N("sub-type") + " '" + t + "' is not an ACLED sub-event type");
    ef.sub_event_types.push_back(c);
  }
  if (!f.bbox.empty()) {
    auto parts = core::Split(f.bbox, ',');
    store::BBox b;
    if (parts.size() != 4 || !core::ParseDouble(parts[0], &b.west) || !core::ParseDouble(parts[1], &b.south) ||
        !core::ParseDouble(parts[2], &b.east) || !core::ParseDouble(parts[3], &b.north))
      return core::InvalidArgument(N("bbox") + " expects W,S,E,N (e.g. -12,12,-8,16), got '" + f.bbox + "'");
    if (b.west < -180 || b.east > 180 || b.south < -90 || b.north > 90 || b.west >= b.east || b.south >= b.north)
      return core::InvalidArgument(N("bbox") + " " + f.bbox +
                                   " is not a valid box (need -180<=W<E<=180, -90<=S<N<=90)");
    // On the command line only: a map client's view may well be empty.
    if (names == InputNames::kCommandLine) VIGIL_RETURN_IF_ERROR(CheckNotSwapped(b, f.bbox, N("bbox"), store));
    ef.bbox = b;
  }
  if (f.radius_given && f.near.empty())
    return core::InvalidArgument(N("radius-km") + " only applies with " + N("near") + " LAT,LON");
  if (!f.near.empty()) {
    auto parts = core::Split(f.near, ',');
    double lat = 0, lon = 0;
    if (parts.size() != 2 || !core::ParseDouble(parts[0], &lat) || !core::ParseDouble(parts[1], &lon) || lat < -90 ||
        lat > 90 || lon < -180 || lon > 180)
      return core::InvalidArgument(N("near") + " expects LAT,LON in range (e.g. 14.45,-11.44), got '" + f.near + "'");
    if (!(f.radius_km > 0 && f.radius_km <= 2000))
      return core::InvalidArgument(N("radius-km") + " must be in (0, 2000]");
    r.near = {lat, lon};
    r.radius_km = f.radius_km;
    const double dlat = f.radius_km / 111.0;
    const double dlon = f.radius_km / (111.0 * std::max(0.05, std::cos(lat * M_PI / 180.0)));
    store::BBox nb{std::max(-180.0, lon - dlon), std::max(-90.0, lat - dlat), std::min(180.0, lon + dlon),
                   std::min(90.0, lat + dlat)};
    if (ef.bbox) {
      nb.west = std::max(nb.west, ef.bbox->west);
      nb.east = std::min(nb.east, ef.bbox->east);
      nb.south = std::max(nb.south, ef.bbox->south);
      nb.north = std::min(nb.north, ef.bbox->north);
    }
    ef.bbox = nb;
  }
  for (auto [text, slot, flag] : {std::tuple{&f.from, &ef.from, "from"}, {&f.to, &ef.to, "to"}}) {
    if (text->empty()) continue;
    auto d = core::Date::Parse(*text);
    if (!d.ok()) return core::InvalidArgument(N(flag) + ": " + d.status().message());
    *slot = *d;
  }
  if (ef.from && ef.to && *ef.to < *ef.from) return core::InvalidArgument(N("to") + " is before " + N("from"));
  if (!f.actor.empty()) ef.actors = f.aliases ? f.aliases->Expand(f.actor) : std::vector<std::string>{f.actor};
  if (f.min_fatalities >= 0)
    ef.min_fatalities = f.min_fatalities;
  else if (f.min_fatalities < -1)
    return core::InvalidArgument(N("min-fatalities") + " must be >= 0");
  if (f.limit < -1) return core::InvalidArgument(N("limit") + " must be >= 0");
  return r;
}

}  // namespace vigil::query
