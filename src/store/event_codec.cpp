#include "store/event_codec.h"

#include <iterator>

#include "core/strings.h"
#include "store/varint.h"

namespace vigil::store {

using core::Event;
using core::Status;

namespace {

constexpr uint8_t kDetailVersion = 1;
constexpr char kSep = '\x1f', kEsc = '\x1b';

void PutText(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}
void PutOpt(std::string* out, const std::optional<int64_t>& v) {
  out->push_back(v ? 1 : 0);
  if (v) PutVarint(out, ZigZag(*v));
}

// Date precisions by their stored code (1..5; anything else reads as
// unknown).
constexpr core::DatePrecision kPrecisions[] = {core::DatePrecision::kDay, core::DatePrecision::kWeek,
                                               core::DatePrecision::kMonth, core::DatePrecision::kYear,
                                               core::DatePrecision::kUnknown};
uint8_t PrecisionCode(core::DatePrecision p) {
  for (uint8_t i = 0; i < std::size(kPrecisions); ++i)
    if (kPrecisions[i] == p) return static_cast<uint8_t>(i + 1);
  return std::size(kPrecisions);
}

bool ReadOpt(VarintReader& in, std::optional<int64_t>* v) {
  uint8_t present;
  if (!in.Byte(&present) || present > 1) return false;
  if (!present) {
    v->reset();
    return true;
  }
  int64_t x;
  if (!in.Signed(&x)) return false;
  *v = x;
  return true;
}

void AppendEscaped(std::string* out, std::string_view s) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != kEsc && s[i] != kSep) continue;  // names almost never hold either
    out->append(s.substr(start, i - start));
    out->push_back(kEsc);
    out->push_back(s[i] == kEsc ? '0' : '1');
    start = i + 1;
  }
  out->append(s.substr(start));
}

}  // namespace

void EncodeDetail(const Event& e, std::string* out) {
  out->clear();
  out->push_back(static_cast<char>(kDetailVersion));
  PutVarint(out, ZigZag(e.date_end - e.date_start));
  out->push_back(static_cast<char>(PrecisionCode(e.date_precision)));
  out->push_back(static_cast<char>(static_cast<uint8_t>(e.geo_precision)));
  PutVarint(out, ZigZag(e.place_id));
  PutText(out, e.location);
  PutText(out, e.admin1_pcode);
  PutText(out, e.admin2_pcode);
  PutOpt(out, e.fatalities_low);
  PutOpt(out, e.fatalities_high);
  PutOpt(out, e.hostages);
  PutVarint(out, e.tags.size());
  for (const auto& t : e.tags) PutText(out, t);
  PutText(out, e.notes);
  PutText(out, e.evidence_doc);
  PutVarint(out, ZigZag(e.evidence_start));
  PutVarint(out, ZigZag(e.evidence_end));
}

Status DecodeDetail(std::string_view blob, Event* e) {
  auto damaged = [&] {
    return core::DatabaseError("the stored details of event " + std::to_string(e->id) + " are damaged");
  };
  VarintReader in(blob);
  uint8_t version = 0, precision = 0, geo = 0;
  if (!in.Byte(&version)) return damaged();
  if (version != kDetailVersion)
    return core::DatabaseError("event " + std::to_string(e->id) + " is stored in a newer format (version " +
                               std::to_string(version) + "); upgrade vigil");
  int64_t end = 0, place = 0;
  uint64_t ntags = 0;
  if (!in.Signed(&end) || !in.Byte(&precision) || !in.Byte(&geo) || !in.Signed(&place) || !in.Text(&e->location) ||
      !in.Text(&e->admin1_pcode) || !in.Text(&e->admin2_pcode) || !ReadOpt(in, &e->fatalities_low) ||
      !ReadOpt(in, &e->fatalities_high) || !ReadOpt(in, &e->hostages) || !in.Varint(&ntags) || ntags > blob.size())
    return damaged();
  e->date_end = e->date_start + static_cast<int32_t>(end);
  e->date_precision = precision >= 1 && precision <= std::size(kPrecisions) ? kPrecisions[precision - 1]
                                                                            : core::DatePrecision::kUnknown;
  e->geo_precision = geo;
  e->place_id = place;
  e->tags.resize(ntags);
  for (auto& t : e->tags)
    if (!in.Text(&t)) return damaged();
  if (!in.Text(&e->notes) || !in.Text(&e->evidence_doc) || !in.Signed(&e->evidence_start) ||
      !in.Signed(&e->evidence_end) || !in.AtEnd())
    return damaged();
  return Status::Ok();
}

void EncodeActors(const Event& e, std::string* out) {
  out->clear();
  if (e.actor1_original.empty() && e.actor2_original.empty() && e.assoc_actor1.empty() && e.assoc_actor2.empty())
    return;
  AppendEscaped(out, e.actor1_original);
  out->push_back(kSep);
  AppendEscaped(out, e.actor2_original);
  out->push_back(kSep);
  AppendEscaped(out, e.assoc_actor1);
  out->push_back(kSep);
  AppendEscaped(out, e.assoc_actor2);
}

void DecodeActors(std::string_view text, Event* e) {
  std::string* fields[] = {&e->actor1_original, &e->actor2_original, &e->assoc_actor1, &e->assoc_actor2};
  for (auto* f : fields) f->clear();
  size_t k = 0;
  for (size_t i = 0; i < text.size() && k < 4; ++i) {
    const char c = text[i];
    if (c == kSep) {
      ++k;
    } else if (c == kEsc && i + 1 < text.size()) {
      fields[k]->push_back(text[++i] == '0' ? kEsc : kSep);
    } else {
      fields[k]->push_back(c);
    }
  }
}

namespace {

std::string_view ArgText(sqlite3_value* v) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(v))) : std::string_view();
}
std::optional<int64_t> ArgOpt(sqlite3_value* v) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return std::nullopt;
  return sqlite3_value_int64(v);
}

void PackDetail(sqlite3_context* ctx, int, sqlite3_value** a) {
  Event e;
  auto start = core::Date::Parse(ArgText(a[0]));
  auto end = core::Date::Parse(ArgText(a[1]));
  if (!start.ok() || !end.ok()) {
    sqlite3_result_error(ctx, "vigil_pack_detail: an event has an unreadable date", -1);
    return;
  }
  e.date_start = *start;
  e.date_end = *end;
  auto p = core::ParseDatePrecision(ArgText(a[2]));
  e.date_precision = p.ok() ? *p : core::DatePrecision::kUnknown;
  e.geo_precision = static_cast<int>(sqlite3_value_int64(a[3]));
  e.place_id = sqlite3_value_int64(a[4]);
  e.location = ArgText(a[5]);
  e.admin1_pcode = ArgText(a[6]);
  e.admin2_pcode = ArgText(a[7]);
  e.fatalities_low = ArgOpt(a[8]);
  e.fatalities_high = ArgOpt(a[9]);
  e.hostages = ArgOpt(a[10]);
  for (auto t : core::Split(ArgText(a[11]), ','))
    if (!t.empty()) e.tags.emplace_back(t);
  e.notes = ArgText(a[12]);
  e.evidence_doc = ArgText(a[13]);
  e.evidence_start = sqlite3_value_type(a[14]) == SQLITE_NULL ? -1 : sqlite3_value_int64(a[14]);
  e.evidence_end = sqlite3_value_type(a[15]) == SQLITE_NULL ? -1 : sqlite3_value_int64(a[15]);
  std::string out;
  EncodeDetail(e, &out);
  sqlite3_result_blob(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

void PackActors(sqlite3_context* ctx, int, sqlite3_value** a) {
  Event e;
  e.actor1_original = ArgText(a[0]);
  e.actor2_original = ArgText(a[1]);
  e.assoc_actor1 = ArgText(a[2]);
  e.assoc_actor2 = ArgText(a[3]);
  std::string out;
  EncodeActors(e, &out);
  sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

}  // namespace

Status RegisterCodecFunctions(sqlite3* db) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  if (sqlite3_create_function(db, "vigil_pack_detail", 16, flags, nullptr, PackDetail, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_create_function(db, "vigil_pack_actors", 4, flags, nullptr, PackActors, nullptr, nullptr) != SQLITE_OK)
    return core::DatabaseError(std::string("cannot register SQL functions: ") + sqlite3_errmsg(db));
  return Status::Ok();
}

}  // namespace vigil::store
