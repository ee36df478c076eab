// UCDP Georeferenced Event Dataset (GED) CSV, as published (49 columns; see
// the GED codebook). Mapping to vigil's event (docs/data-formats.md):
//   id -> source_id; type_of_violence 1 (state-based) and 2 (non-state) ->
//   Battles / Armed clash, 3 (one-sided) -> Violence against civilians /
//   Attack; side_a -> actor1, side_b -> actor2; where_prec 1 -> geo 1,
//   2 and 5 -> 2, 3/4/6/7 -> 3; date_prec 1 -> day, 2-3 -> week, 4 -> month,
//   5 -> year; best/low/high -> fatalities, fatalities_low, fatalities_high.
#include "core/actors.h"
#include "core/event_json.h"
#include "core/json.h"
#include "ingest/adapter.h"
#include "ingest/columns.h"

namespace vigil::ingest {

using core::Event;
using core::Result;
using core::Status;

namespace {

std::string StripAdminSuffix(std::string_view s) {
  std::string out(s);
  for (std::string_view suffix :
       {" governorate", " province", " region", " state", " department", " prefecture", " district"})
    if (out.size() > suffix.size() && out.compare(out.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.resize(out.size() - suffix.size());
      break;
    }
  return out;
}

class UcdpAdapter final : public RowAdapter {
 public:
  const char* source() const override { return "ucdp"; }

  Status SetHeader(const std::vector<std::string_view>& fields) override {
    cols_.Set(fields);
    VIGIL_RETURN_IF_ERROR(
        cols_.Require({"id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude", "country",
                       "date_prec", "date_start", "date_end", "best", "low", "high"},
                      "a UCDP GED file"));
    for (auto [name, slot] : std::initializer_list<std::pair<const char*, int*>>{{"id", &id_},
                                                                                 {"type_of_violence", &tov_},
                                                                                 {"side_a", &side_a_},
                                                                                 {"side_b", &side_b_},
                                                                                 {"where_prec", &where_prec_},
                                                                                 {"where_coordinates", &where_},
                                                                                 {"adm_1", &adm1_},
                                                                                 {"adm_2", &adm2_},
                                                                                 {"latitude", &lat_},
                                                                                 {"longitude", &lon_},
                                                                                 {"country", &country_},
                                                                                 {"date_prec", &date_prec_},
                                                                                 {"date_start", &start_},
                                                                                 {"date_end", &end_},
                                                                                 {"best", &best_},
                                                                                 {"low", &low_},
                                                                                 {"high", &high_},
                                                                                 {"conflict_name", &conflict_},
                                                                                 {"dyad_name", &dyad_},
                                                                                 {"source_headline", &headline_}})
      *slot = cols_.Find(name);
    return Status::Ok();
  }

  Result<Event> Convert(const std::vector<std::string_view>& f) override {
    if (f.size() != cols_.width())
      return core::InvalidArgument("expected " + std::to_string(cols_.width()) + " fields, found " +
                                   std::to_string(f.size()));
    Event e;
    e.source = "ucdp";
    e.source_id = Field(f, id_);
    if (e.source_id.empty()) return core::InvalidArgument("empty id");
    int64_t tov = 0;
    if (!core::ParseInt64(Field(f, tov_), &tov) || tov < 1 || tov > 3)
      return core::InvalidArgument("type_of_violence '" + std::string(Field(f, tov_)) + "' is not 1, 2 or 3");
    if (tov == 3) {
      e.event_type = "Violence against civilians";
      e.sub_event_type = "Attack";
    } else {
      e.event_type = "Battles";
      e.sub_event_type = "Armed clash";
    }
    auto start = core::Date::Parse(Field(f, start_));
    if (!start.ok()) return core::InvalidArgument("date_start: " + start.status().message());
    auto end = core::Date::Parse(Field(f, end_));
    if (!end.ok()) return core::InvalidArgument("date_end: " + end.status().message());
    if (*end < *start)
      return core::InvalidArgument("date_end " + end->ToIso() + " is before date_start " + start->ToIso());
    e.date_start = *start;
    e.date_end = *end;
    int64_t dp = 1;
    if (!core::ParseInt64(Field(f, date_prec_), &dp) || dp < 1 || dp > 5)
      return core::InvalidArgument("date_prec '" + std::string(Field(f, date_prec_)) + "' is not 1..5");
    e.date_precision = dp == 1   ? core::DatePrecision::kDay
                       : dp <= 3 ? core::DatePrecision::kWeek
                       : dp == 4 ? core::DatePrecision::kMonth
                                 : core::DatePrecision::kYear;
    if (!core::ParseDouble(Field(f, lat_), &e.latitude) || !core::ParseDouble(Field(f, lon_), &e.longitude))
      return core::InvalidArgument("latitude/longitude are not numbers");
    if (!core::ValidLatLon(e.latitude, e.longitude))
      return core::InvalidArgument("coordinates out of range: " + std::string(Field(f, lat_)) + "," +
                                   std::string(Field(f, lon_)));
    int64_t wp = 1;
    if (!core::ParseInt64(Field(f, where_prec_), &wp) || wp < 1 || wp > 7)
      return core::InvalidArgument("where_prec '" + std::string(Field(f, where_prec_)) + "' is not 1..7");
    e.geo_precision = wp == 1 ? 1 : (wp == 2 || wp == 5) ? 2 : 3;
    e.actor1_original = Field(f, side_a_);
    e.actor2_original = Field(f, side_b_);
    e.actor1 = actors_.Normalise(e.actor1_original);
    e.actor2 = actors_.Normalise(e.actor2_original);
    e.country = Field(f, country_);
    // "Mali" may come as "Mali" or with a bracketed former name.
    if (auto p = e.country.find(" ("); p != std::string::npos) e.country.resize(p);
    e.admin1 = StripAdminSuffix(Field(f, adm1_));
    e.admin2 = StripAdminSuffix(Field(f, adm2_));
    e.location = Field(f, where_);
    for (auto [col, out] : {std::pair{best_, &e.fatalities}, {low_, &e.fatalities_low}, {high_, &e.fatalities_high}}) {
      int64_t n = 0;
      if (!core::ParseInt64(Field(f, col), &n) || n < 0)
        return core::InvalidArgument("best/low/high '" + std::string(Field(f, col)) + "' is not a count");
      *out = n;
    }
    // Published GED rows do not always keep low <= best <= high (13 of the
    // 1,000 sample rows); the values are kept as published.
    std::string notes;
    if (!Field(f, conflict_).empty()) notes += "UCDP conflict: " + std::string(Field(f, conflict_));
    if (!Field(f, dyad_).empty())
      notes += (notes.empty() ? "" : "; ") + std::string("dyad: ") + std::string(Field(f, dyad_));
    if (!Field(f, headline_).empty())
      notes += (notes.empty() ? "" : "; ") + std::string("source: ") + std::string(Field(f, headline_));
    e.notes = std::move(notes);
    e.sources.push_back({e.source, e.source_id, 1});
    return e;
  }

 private:
  ColumnMap cols_;
  ActorCache actors_;
  int id_ = -1, tov_ = -1, side_a_ = -1, side_b_ = -1, where_prec_ = -1, where_ = -1, adm1_ = -1, adm2_ = -1, lat_ = -1,
      lon_ = -1, country_ = -1, date_prec_ = -1, start_ = -1, end_ = -1, best_ = -1, low_ = -1, high_ = -1,
      conflict_ = -1, dyad_ = -1, headline_ = -1;
};

}  // namespace

std::unique_ptr<RowAdapter> MakeUcdpAdapter() { return std::make_unique<UcdpAdapter>(); }

Result<core::Event> ConvertJsonLine(std::string_view line) {
  auto j = core::ParseJson(line);
  if (!j.ok()) return core::InvalidArgument(j.status().message());
  return core::EventFromJson(*j);
}

Result<SourceKind> ParseSourceKind(std::string_view name) {
  if (name == "acled") return SourceKind::kAcled;
  if (name == "ucdp") return SourceKind::kUcdp;
  if (name == "jsonl") return SourceKind::kJsonl;
  return core::InvalidArgument("unknown source kind '" + std::string(name) + "' (expected acled, ucdp or jsonl)");
}

const char* SourceKindName(SourceKind k) {
  switch (k) {
    case SourceKind::kAcled:
      return "acled";
    case SourceKind::kUcdp:
      return "ucdp";
    case SourceKind::kJsonl:
      return "jsonl";
  }
  return "?";
}

}  // namespace vigil::ingest
