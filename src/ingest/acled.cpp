// ACLED CSV exports, as published (ACLED codebook): event_id_cnty,
// event_date ("31 December 2020" or "2020-12-31"), time_precision,
// event_type, sub_event_type, actor1, assoc_actor_1, inter1, [actor2,
// assoc_actor_2, inter2], interaction, country, admin1..3, location,
// latitude, longitude, geo_precision, source, notes, fatalities, ...
//
// Two shapes (codebook): dyadic exports have actor1 and actor2 on one row;
// monadic exports have no actor2 columns and one row per actor, so an
// event's second row names the *other side* in its actor1 column. Which side
// a monadic row is on comes from the row's inter1 and the event's
// interaction code (two digits, the two sides' inter codes; a second digit
// 0 means one side acted alone): a later row whose inter1 is the first
// row's while the interaction's digits differ is an ally (assoc_actor1);
// any other later row of a two-sided event is the other side (actor2,
// assoc_actor2). Rows of one event need not be consecutive.
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/actors.h"
#include "ingest/adapter.h"
#include "ingest/columns.h"

namespace vigil::ingest {

using core::Event;
using core::Result;
using core::Status;

namespace {

class AcledAdapter final : public RowAdapter {
 public:
  const char* source() const override { return "acled"; }

  Status SetHeader(const std::vector<std::string_view>& fields) override {
    cols_.Set(fields);
    VIGIL_RETURN_IF_ERROR(cols_.Require({"event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                                         "country", "latitude", "longitude", "fatalities"},
                                        "an ACLED export"));
    id_ = cols_.Find("event_id_cnty");
    date_ = cols_.Find("event_date");
    time_prec_ = cols_.Find("time_precision");
    type_ = cols_.Find("event_type");
    sub_ = cols_.Find("sub_event_type");
    actor1_ = cols_.Find("actor1");
    assoc1_ = cols_.Find("assoc_actor_1");
    actor2_ = cols_.Find("actor2");
    assoc2_ = cols_.Find("assoc_actor_2");
    country_ = cols_.Find("country");
    admin1_ = cols_.Find("admin1");
    admin2_ = cols_.Find("admin2");
    location_ = cols_.Find("location");
    lat_ = cols_.Find("latitude");
    lon_ = cols_.Find("longitude");
    geo_prec_ = cols_.Find("geo_precision");
    notes_ = cols_.Find("notes");
    fat_ = cols_.Find("fatalities");
    inter1_ = cols_.Find("inter1");
    interaction_ = cols_.Find("interaction");
    monadic_ = actor2_ < 0;
    first_row_.clear();
    return Status::Ok();
  }

  Result<Event> Convert(const std::vector<std::string_view>& f) override {
    Event e;
    VIGIL_RETURN_IF_ERROR(ConvertInto(f, &e));
    return e;
  }

  Status ConvertInto(const std::vector<std::string_view>& f, Event* out) override {
    if (f.size() != cols_.width())
      return core::InvalidArgument("expected " + std::to_string(cols_.width()) + " fields, found " +
                                   std::to_string(f.size()));
    Event& e = *out;
    core::ResetEvent(&e);
    e.source = "acled";
    e.source_id.assign(Field(f, id_));
    if (e.source_id.empty()) return core::InvalidArgument("empty event_id_cnty");
    auto date = core::Date::Parse(Field(f, date_));
    if (!date.ok()) return core::InvalidArgument("event_date: " + date.status().message());
    e.date_start = e.date_end = *date;
    int64_t tp = 1;
    if (time_prec_ >= 0 && !Field(f, time_prec_).empty()) {
      if (!core::ParseInt64(Field(f, time_prec_), &tp) || tp < 1 || tp > 3)
        return core::InvalidArgument("time_precision '" + std::string(Field(f, time_prec_)) + "' is not 1, 2 or 3");
    }
    e.date_precision = tp == 1   ? core::DatePrecision::kDay
                       : tp == 2 ? core::DatePrecision::kWeek
                                 : core::DatePrecision::kMonth;
    if (!core::ParseDouble(Field(f, lat_), &e.latitude) || !core::ParseDouble(Field(f, lon_), &e.longitude))
      return core::InvalidArgument("latitude/longitude '" + std::string(Field(f, lat_)) + "," +
                                   std::string(Field(f, lon_)) + "' are not numbers");
    if (!core::ValidLatLon(e.latitude, e.longitude))
      return core::InvalidArgument("coordinates out of range: " + std::string(Field(f, lat_)) + "," +
                                   std::string(Field(f, lon_)));
    int64_t gp = 1;
    if (geo_prec_ >= 0 && !Field(f, geo_prec_).empty()) {
      if (!core::ParseInt64(Field(f, geo_prec_), &gp) || gp < 1 || gp > 3)
        return core::InvalidArgument("geo_precision '" + std::string(Field(f, geo_prec_)) + "' is not 1, 2 or 3");
    }
    e.geo_precision = static_cast<int>(gp);
    const std::string* type = core::FindEventType(Field(f, type_));
    if (!type) return core::InvalidArgument("unknown event_type '" + std::string(Field(f, type_)) + "'");
    e.event_type.assign(*type);
    if (!Field(f, sub_).empty()) {
      const std::string* sub = core::FindSubEventType(Field(f, sub_));
      if (!sub) return core::InvalidArgument("unknown sub_event_type '" + std::string(Field(f, sub_)) + "'");
      e.sub_event_type.assign(*sub);
    }
    e.actor1_original.assign(Field(f, actor1_));
    e.actor2_original.assign(Field(f, actor2_));
    e.actor1.assign(actors_.Normalise(e.actor1_original));
    e.actor2.assign(actors_.Normalise(e.actor2_original));
    e.assoc_actor1.assign(Field(f, assoc1_));
    e.assoc_actor2.assign(Field(f, assoc2_));
    e.country.assign(Field(f, country_));
    e.admin1.assign(Field(f, admin1_));
    e.admin2.assign(Field(f, admin2_));
    e.location.assign(Field(f, location_));
    e.notes.assign(Field(f, notes_));
    int64_t fat = 0;
    if (!Field(f, fat_).empty()) {
      if (!core::ParseInt64(Field(f, fat_), &fat) || fat < 0)
        return core::InvalidArgument("fatalities '" + std::string(Field(f, fat_)) + "' is not a count");
      e.fatalities = fat;
    }
    if (monadic_) PlaceMonadicActor(f, &e);
    e.sources.resize(1);
    e.sources[0].source.assign(e.source);
    e.sources[0].source_id.assign(e.source_id);
    e.sources[0].revision = 1;
    return Status::Ok();
  }

 private:
  // A monadic row after its event's first: moves its actor to the other
  // side unless its codes say it is an ally (see the top of the file).
  void PlaceMonadicActor(const std::vector<std::string_view>& f, Event* e) {
    int64_t inter = -1, interaction = -1;
    if (inter1_ >= 0) core::ParseInt64(Field(f, inter1_), &inter);
    if (interaction_ >= 0) core::ParseInt64(Field(f, interaction_), &interaction);
    auto [it, first] = first_row_.try_emplace(e->source_id, static_cast<int>(inter), e->actor1_original);
    if (first || it->second.second == e->actor1_original) return;  // the first row, or the same actor again
    const bool one_sided = interaction >= 0 && interaction % 10 == 0;
    const bool same_codes = interaction >= 0 && interaction / 10 == interaction % 10;
    const bool same_side = inter >= 0 && inter == it->second.first && !same_codes;
    if (one_sided || same_side) return;  // an ally: MergeRow files it under assoc_actor1
    e->actor2_original = std::move(e->actor1_original);
    e->actor2 = std::move(e->actor1);
    e->assoc_actor2 = std::move(e->assoc_actor1);
    e->actor1_original.clear();
    e->actor1.clear();
    e->assoc_actor1.clear();
  }

  ColumnMap cols_;
  bool monadic_ = false;
  // Monadic: event id -> its first row's inter1 and actor.
  std::unordered_map<std::string, std::pair<int, std::string>> first_row_;
  ActorCache actors_;
  int id_ = -1, date_ = -1, time_prec_ = -1, type_ = -1, sub_ = -1, actor1_ = -1, assoc1_ = -1, actor2_ = -1,
      assoc2_ = -1, country_ = -1, admin1_ = -1, admin2_ = -1, location_ = -1, lat_ = -1, lon_ = -1, geo_prec_ = -1,
      notes_ = -1, fat_ = -1, inter1_ = -1, interaction_ = -1;
};

}  // namespace

std::unique_ptr<RowAdapter> MakeAcledAdapter() { return std::make_unique<AcledAdapter>(); }

}  // namespace vigil::ingest
