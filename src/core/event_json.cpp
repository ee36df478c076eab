#include "core/event_json.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/strings.h"

namespace vigil::core {

namespace {

Json OptInt(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json OptStr(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Status FieldError(const char* field, const std::string& expected) {
  return InvalidArgument(std::string("field '") + field + "' " + expected);
}

Status GetString(const Json& j, const char* field, std::string* out, bool required) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return FieldError(field, "is required");
    out->clear();
    return Status::Ok();
  }
  if (!it->is_string()) return FieldError(field, "must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

// An optional integer in [lo, hi]. Values past int64 arrive as unsigned
// numbers and are refused as too large, never wrapped.
Status GetOptInt(const Json& j, const char* field, std::optional<int64_t>* out,
                 int64_t lo = std::numeric_limits<int64_t>::min(), int64_t hi = std::numeric_limits<int64_t>::max()) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    out->reset();
    return Status::Ok();
  }
  if (!it->is_number_integer()) return FieldError(field, "must be an integer or null");
  const bool too_big = it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(hi);
  const int64_t v = too_big ? hi : it->get<int64_t>();
  if (too_big || v < lo || v > hi)
    return FieldError(field, "must be from " + std::to_string(lo) + " to " + std::to_string(hi));
  *out = v;
  return Status::Ok();
}

Status GetDouble(const Json& j, const char* field, double* out, bool required) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return FieldError(field, "is required");
    return Status::Ok();
  }
  if (!it->is_number()) return FieldError(field, "must be a number");
  *out = it->get<double>();
  return Status::Ok();
}

Status GetDate(const Json& j, const char* field, Date* out) {
  std::string s;
  VIGIL_RETURN_IF_ERROR(GetString(j, field, &s, true));
  auto d = Date::Parse(s);
  if (!d.ok()) return InvalidArgument(std::string("field '") + field + "': " + d.status().message());
  *out = *d;
  return Status::Ok();
}

}  // namespace

Json EventToJson(const Event& e) {
  Json j;
  j["id"] = e.id;
  j["source"] = e.source;
  j["source_id"] = e.source_id;
  j["revision"] = e.revision;
  j["date_start"] = e.date_start.ToIso();
  j["date_end"] = e.date_end.ToIso();
  j["date_precision"] = DatePrecisionName(e.date_precision);
  j["latitude"] = e.latitude;
  j["longitude"] = e.longitude;
  j["geo_precision"] = e.geo_precision;
  j["place_id"] = e.place_id ? Json(e.place_id) : Json(nullptr);
  j["location"] = OptStr(e.location);
  j["country"] = OptStr(e.country);
  j["admin1"] = OptStr(e.admin1);
  j["admin2"] = OptStr(e.admin2);
  j["admin1_pcode"] = OptStr(e.admin1_pcode);
  j["admin2_pcode"] = OptStr(e.admin2_pcode);
  j["gid"] = e.gid;
  j["event_type"] = e.event_type;
  j["sub_event_type"] = OptStr(e.sub_event_type);
  j["actor1"] = OptStr(e.actor1);
  j["actor2"] = OptStr(e.actor2);
  j["actor1_original"] = OptStr(e.actor1_original);
  j["actor2_original"] = OptStr(e.actor2_original);
  j["assoc_actor1"] = OptStr(e.assoc_actor1);
  j["assoc_actor2"] = OptStr(e.assoc_actor2);
  j["fatalities"] = OptInt(e.fatalities);
  j["fatalities_low"] = OptInt(e.fatalities_low);
  j["fatalities_high"] = OptInt(e.fatalities_high);
  j["hostages"] = OptInt(e.hostages);
  j["tags"] = e.tags;
  j["notes"] = OptStr(e.notes);
  j["evidence_doc"] = OptStr(e.evidence_doc);
  j["evidence_start"] = e.evidence_start >= 0 ? Json(e.evidence_start) : Json(nullptr);
  j["evidence_end"] = e.evidence_end >= 0 ? Json(e.evidence_end) : Json(nullptr);
  j["confidence"] = e.confidence;
  Json sources = Json::array();
  for (const auto& s : e.sources)
    sources.push_back(Json{{"source", s.source}, {"source_id", s.source_id}, {"revision", s.revision}});
  j["sources"] = std::move(sources);
  return j;
}

void AppendJsonString(std::string* out, std::string_view s) {
  if (!IsValidUtf8(s)) {
    *out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
    return;
  }
  static const char* kHex = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the current run of bytes that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      default:
        *out += "\\u00";
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

namespace {

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void AppendDouble(std::string* out, double v) {
  if (!std::isfinite(v)) {
    *out += "null";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  const std::string_view t(buf, static_cast<size_t>(r.ptr - buf));
  out->append(t);
  if (t.find_first_of(".e") == std::string_view::npos) *out += ".0";
}

struct ObjectWriter {
  std::string* out;
  bool first = true;
  void Key(std::string_view k) {
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    out->append(k);
    *out += "\":";
  }
  void Str(std::string_view k, std::string_view v) {
    Key(k);
    AppendJsonString(out, v);
  }
  void OptStr(std::string_view k, std::string_view v) {
    Key(k);
    if (v.empty())
      *out += "null";
    else
      AppendJsonString(out, v);
  }
  void Int(std::string_view k, int64_t v) {
    Key(k);
    AppendInt(out, v);
  }
  void OptInt(std::string_view k, const std::optional<int64_t>& v) {
    Key(k);
    if (v)
      AppendInt(out, *v);
    else
      *out += "null";
  }
  void Double(std::string_view k, double v) {
    Key(k);
    AppendDouble(out, v);
  }
};

}  // namespace

void AppendEventJson(std::string* out, const Event& e, bool coordinates) {
  out->push_back('{');
  ObjectWriter w{out};
  w.Int("id", e.id);
  w.Str("source", e.source);
  w.Str("source_id", e.source_id);
  w.Int("revision", e.revision);
  w.Str("date_start", e.date_start.ToIso());
  w.Str("date_end", e.date_end.ToIso());
  w.Str("date_precision", DatePrecisionName(e.date_precision));
  if (coordinates) {
    w.Double("latitude", e.latitude);
    w.Double("longitude", e.longitude);
  }
  w.Int("geo_precision", e.geo_precision);
  w.OptInt("place_id", e.place_id ? std::optional<int64_t>(e.place_id) : std::nullopt);
  w.OptStr("location", e.location);
  w.OptStr("country", e.country);
  w.OptStr("admin1", e.admin1);
  w.OptStr("admin2", e.admin2);
  w.OptStr("admin1_pcode", e.admin1_pcode);
  w.OptStr("admin2_pcode", e.admin2_pcode);
  w.Int("gid", e.gid);
  w.Str("event_type", e.event_type);
  w.OptStr("sub_event_type", e.sub_event_type);
  w.OptStr("actor1", e.actor1);
  w.OptStr("actor2", e.actor2);
  w.OptStr("actor1_original", e.actor1_original);
  w.OptStr("actor2_original", e.actor2_original);
  w.OptStr("assoc_actor1", e.assoc_actor1);
  w.OptStr("assoc_actor2", e.assoc_actor2);
  w.OptInt("fatalities", e.fatalities);
  w.OptInt("fatalities_low", e.fatalities_low);
  w.OptInt("fatalities_high", e.fatalities_high);
  w.OptInt("hostages", e.hostages);
  w.Key("tags");
  out->push_back('[');
  for (size_t i = 0; i < e.tags.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonString(out, e.tags[i]);
  }
  out->push_back(']');
  w.OptStr("notes", e.notes);
  w.OptStr("evidence_doc", e.evidence_doc);
  w.OptInt("evidence_start", e.evidence_start >= 0 ? std::optional<int64_t>(e.evidence_start) : std::nullopt);
  w.OptInt("evidence_end", e.evidence_end >= 0 ? std::optional<int64_t>(e.evidence_end) : std::nullopt);
  w.Double("confidence", e.confidence);
  w.Key("sources");
  out->push_back('[');
  for (size_t i = 0; i < e.sources.size(); ++i) {
    if (i) out->push_back(',');
    out->push_back('{');
    ObjectWriter s{out};
    s.Str("source", e.sources[i].source);
    s.Str("source_id", e.sources[i].source_id);
    s.Int("revision", e.sources[i].revision);
    out->push_back('}');
  }
  out->push_back(']');
  out->push_back('}');
}

void AppendEventFeature(std::string* out, const Event& e) {
  *out += "{\"type\":\"Feature\",\"id\":";
  AppendInt(out, e.id);
  *out += ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[";
  AppendDouble(out, e.longitude);
  out->push_back(',');
  AppendDouble(out, e.latitude);
  *out += "]},\"properties\":";
  AppendEventJson(out, e, false);
  out->push_back('}');
}

Result<Event> EventFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgument("each line must be a JSON object");
  Event e;
  VIGIL_RETURN_IF_ERROR(GetString(j, "source", &e.source, true));
  VIGIL_RETURN_IF_ERROR(GetString(j, "source_id", &e.source_id, true));
  std::optional<int64_t> v;
  VIGIL_RETURN_IF_ERROR(GetOptInt(j, "revision", &v, 1, kMaxRevision));
  if (v) e.revision = static_cast<int>(*v);
  VIGIL_RETURN_IF_ERROR(GetDate(j, "date_start", &e.date_start));
  if (j.contains("date_end") && !j["date_end"].is_null()) {
    VIGIL_RETURN_IF_ERROR(GetDate(j, "date_end", &e.date_end));
  } else {
    e.date_end = e.date_start;
  }
  std::string prec;
  VIGIL_RETURN_IF_ERROR(GetString(j, "date_precision", &prec, false));
  if (!prec.empty()) {
    auto p = ParseDatePrecision(prec);
    if (!p.ok()) return p.status();
    e.date_precision = *p;
  }
  VIGIL_RETURN_IF_ERROR(GetDouble(j, "latitude", &e.latitude, true));
  VIGIL_RETURN_IF_ERROR(GetDouble(j, "longitude", &e.longitude, true));
  VIGIL_RETURN_IF_ERROR(GetOptInt(j, "geo_precision", &v, 1, 3));
  if (v) e.geo_precision = static_cast<int>(*v);
  VIGIL_RETURN_IF_ERROR(GetOptInt(j, "place_id", &v, 0));
  e.place_id = v.value_or(0);
  VIGIL_RETURN_IF_ERROR(GetOptInt(j, "gid", &v, 0, 1 << 20));
  e.gid = v.value_or(0);
  struct {
    const char* name;
    std::string* out;
  } strings[] = {{"location", &e.location},
                 {"country", &e.country},
                 {"admin1", &e.admin1},
                 {"admin2", &e.admin2},
                 {"admin1_pcode", &e.admin1_pcode},
                 {"admin2_pcode", &e.admin2_pcode},
                 {"sub_event_type", &e.sub_event_type},
                 {"actor1", &e.actor1},
                 {"actor2", &e.actor2},
                 {"actor1_original", &e.actor1_original},
                 {"actor2_original", &e.actor2_original},
                 {"assoc_actor1", &e.assoc_actor1},
                 {"assoc_actor2", &e.assoc_actor2},
                 {"notes", &e.notes},
                 {"evidence_doc", &e.evidence_doc}};
  for (auto& s : strings) VIGIL_RETURN_IF_ERROR(GetString(j, s.name, s.out, false));
  VIGIL_RETURN_IF_ERROR(GetString(j, "event_type", &e.event_type, true));
  for (auto [name, slot] : {std::pair{"fatalities", &e.fatalities},
                            {"fatalities_low", &e.fatalities_low},
                            {"fatalities_high", &e.fatalities_high},
                            {"hostages", &e.hostages}})
    VIGIL_RETURN_IF_ERROR(GetOptInt(j, name, slot, 0, kMaxCount));
  VIGIL_RETURN_IF_ERROR(GetOptInt(j, "evidence_start", &v, -1));
  e.evidence_start = v.value_or(-1);
  VIGIL_RETURN_IF_ERROR(GetOptInt(j, "evidence_end", &v, -1));
  e.evidence_end = v.value_or(-1);
  VIGIL_RETURN_IF_ERROR(GetDouble(j, "confidence", &e.confidence, false));
  if (!(e.confidence >= 0 && e.confidence <= 1)) return FieldError("confidence", "must be from 0 to 1");
  if (auto it = j.find("tags"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return FieldError("tags", "must be an array of strings");
    for (const auto& t : *it) {
      if (!t.is_string()) return FieldError("tags", "must be an array of strings");
      e.tags.push_back(t.get<std::string>());
    }
  }
  if (auto it = j.find("sources"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return FieldError("sources", "must be an array");
    for (const auto& s : *it) {
      SourceRef ref;
      if (!s.is_object()) return FieldError("sources", "must hold objects");
      VIGIL_RETURN_IF_ERROR(GetString(s, "source", &ref.source, true));
      VIGIL_RETURN_IF_ERROR(GetString(s, "source_id", &ref.source_id, true));
      std::optional<int64_t> rev;
      VIGIL_RETURN_IF_ERROR(GetOptInt(s, "revision", &rev, 1, kMaxRevision));
      if (rev) ref.revision = static_cast<int>(*rev);
      e.sources.push_back(std::move(ref));
    }
  }
  if (e.sources.empty() || e.sources.front().source != e.source || e.sources.front().source_id != e.source_id)
    e.sources.insert(e.sources.begin(), SourceRef{e.source, e.source_id, e.revision});
  VIGIL_RETURN_IF_ERROR(ValidateEvent(e));
  return e;
}

}  // namespace vigil::core
