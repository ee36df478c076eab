// PostgreSQL backend of EventStore (see pg_store.h and store.h).
#include "store/postgres/pg_store.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/compress.h"
#include "core/priogrid.h"
#include "core/strings.h"
#include "core/timing.h"
#include "store/postgres/pg.h"
#include "store/postgres/pg_audit.h"
#include "store/postgres/pg_migrations.h"
#include "store/store_common.h"

namespace vigil::store {

using core::Date;
using core::Event;
using core::Result;
using core::Status;
using pg::Conn;
using pg::Params;
using pg::Rows;

namespace {

void AppendDouble(std::string* out, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}
void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}
void AppendOptInt(std::string* out, const std::optional<int64_t>& v) {
  if (v)
    AppendInt(out, *v);
  else
    *out += "\\N";
}

// A text[] literal ({"a","b"}), escaped for an array and then for COPY.
std::string ArrayLiteral(const std::vector<std::string>& items) {
  std::string s = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += ',';
    s += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    s += '"';
  }
  return s + "}";
}

// The columns written for an event, in COPY order: id first, the data,
// then n_sources and ingested_at.
constexpr std::string_view kDataNames =
    "revision, date_start, date_end, date_precision, latitude, longitude, geo_precision, place_id, location, "
    "country, admin1, admin2, admin1_pcode, admin2_pcode, gid, event_type, sub_event_type, actor1, actor2, "
    "actor1_original, actor2_original, assoc_actor1, assoc_actor2, fatalities, fatalities_low, fatalities_high, "
    "hostages, tags, notes, evidence_doc, evidence_start, evidence_end, confidence";

// The data columns of e in COPY text format, tab-separated (no id, no
// trailing tab).
void AppendDataCopy(const Event& e, std::string* out) {
  auto text = [&](std::string_view v) {
    *out += '\t';
    pg::AppendCopyTextOrNull(out, v);
  };
  AppendInt(out, e.revision);
  *out += '\t';
  *out += e.date_start.ToIso();
  *out += '\t';
  *out += (e.date_end.days() >= e.date_start.days() ? e.date_end : e.date_start).ToIso();
  *out += '\t';
  AppendInt(out, static_cast<int>(e.date_precision));
  *out += '\t';
  AppendDouble(out, e.latitude);
  *out += '\t';
  AppendDouble(out, e.longitude);
  *out += '\t';
  AppendInt(out, e.geo_precision);
  *out += '\t';
  AppendInt(out, e.place_id);
  text(e.location);
  text(e.country);
  text(e.admin1);
  text(e.admin2);
  text(e.admin1_pcode);
  text(e.admin2_pcode);
  *out += '\t';
  AppendInt(out, e.gid ? e.gid : core::PrioGid(e.latitude, e.longitude));
  text(e.event_type);
  text(e.sub_event_type);
  text(e.actor1);
  text(e.actor2);
  text(e.actor1_original);
  text(e.actor2_original);
  text(e.assoc_actor1);
  text(e.assoc_actor2);
  for (const auto* v : {&e.fatalities, &e.fatalities_low, &e.fatalities_high, &e.hostages}) {
    *out += '\t';
    AppendOptInt(out, *v);
  }
  *out += '\t';
  pg::AppendCopyText(out, ArrayLiteral(e.tags));
  text(e.notes);
  text(e.evidence_doc);
  *out += '\t';
  AppendInt(out, e.evidence_start);
  *out += '\t';
  AppendInt(out, e.evidence_end);
  *out += '\t';
  AppendDouble(out, e.confidence);
}

// The same values as query parameters (UpdateEvent).
void AddDataParams(const Event& e, Params* p) {
  p->Add(e.revision).Add(e.date_start.ToIso());
  p->Add((e.date_end.days() >= e.date_start.days() ? e.date_end : e.date_start).ToIso());
  p->Add(static_cast<int>(e.date_precision)).Add(e.latitude).Add(e.longitude).Add(e.geo_precision).Add(e.place_id);
  p->AddText(e.location).AddText(e.country).AddText(e.admin1).AddText(e.admin2).AddText(e.admin1_pcode);
  p->AddText(e.admin2_pcode).Add(e.gid ? e.gid : core::PrioGid(e.latitude, e.longitude));
  p->AddText(e.event_type).AddText(e.sub_event_type).AddText(e.actor1).AddText(e.actor2);
  p->AddText(e.actor1_original).AddText(e.actor2_original).AddText(e.assoc_actor1).AddText(e.assoc_actor2);
  p->Add(e.fatalities).Add(e.fatalities_low).Add(e.fatalities_high).Add(e.hostages);
  p->Add(ArrayLiteral(e.tags)).AddText(e.notes).AddText(e.evidence_doc).Add(e.evidence_start);
  p->Add(e.evidence_end).Add(e.confidence);
}
constexpr int kDataColumns = 33;

// An event's point, as the GiST index events_geom is built on it (the
// planner uses the index only for this exact expression).
constexpr std::string_view kEventPoint = "ST_SetSRID(ST_MakePoint(e.longitude, e.latitude), 4326)";

constexpr std::string_view kEventColumns =
    "e.id, e.source, e.source_id, e.revision, e.date_start, e.date_end, e.date_precision, e.latitude, e.longitude, "
    "e.geo_precision, e.place_id, e.location, e.country, e.admin1, e.admin2, e.admin1_pcode, e.admin2_pcode, e.gid, "
    "e.event_type, e.sub_event_type, e.actor1, e.actor2, e.actor1_original, e.actor2_original, e.assoc_actor1, "
    "e.assoc_actor2, e.fatalities, e.fatalities_low, e.fatalities_high, e.hostages, "
    "array_to_string(e.tags, chr(31)), e.notes, e.evidence_doc, e.evidence_start, e.evidence_end, e.confidence, "
    "CASE WHEN e.n_sources > 1 THEN (SELECT string_agg(s.source || chr(31) || s.source_id || chr(31) || "
    "s.revision, chr(30)) FROM event_sources s WHERE s.event_id = e.id) END";

void RowToEvent(const Rows& r, int i, Event* out) {
  Event& e = *out;
  core::ResetEvent(&e);
  auto text = [&](int c, std::string* s) { s->assign(r.Text(i, c)); };
  e.id = r.Int(i, 0);
  text(1, &e.source);
  text(2, &e.source_id);
  e.revision = static_cast<int>(r.Int(i, 3));
  e.date_start = DateOrZero(r.Text(i, 4));
  e.date_end = DateOrZero(r.Text(i, 5));
  e.date_precision = static_cast<core::DatePrecision>(r.Int(i, 6));
  e.latitude = r.Double(i, 7);
  e.longitude = r.Double(i, 8);
  e.geo_precision = static_cast<int>(r.Int(i, 9));
  e.place_id = r.Int(i, 10);
  text(11, &e.location);
  text(12, &e.country);
  text(13, &e.admin1);
  text(14, &e.admin2);
  text(15, &e.admin1_pcode);
  text(16, &e.admin2_pcode);
  e.gid = r.Int(i, 17);
  text(18, &e.event_type);
  text(19, &e.sub_event_type);
  text(20, &e.actor1);
  text(21, &e.actor2);
  text(22, &e.actor1_original);
  text(23, &e.actor2_original);
  text(24, &e.assoc_actor1);
  text(25, &e.assoc_actor2);
  e.fatalities = r.OptInt(i, 26);
  e.fatalities_low = r.OptInt(i, 27);
  e.fatalities_high = r.OptInt(i, 28);
  e.hostages = r.OptInt(i, 29);
  if (!r.Text(i, 30).empty())
    for (auto t : core::Split(r.Text(i, 30), '\x1f')) e.tags.emplace_back(t);
  text(31, &e.notes);
  text(32, &e.evidence_doc);
  e.evidence_start = r.Int(i, 33);
  e.evidence_end = r.Int(i, 34);
  e.confidence = r.Double(i, 35);
  e.sources.resize(1);
  e.sources[0] = {e.source, e.source_id, e.revision};
  if (!r.IsNull(i, 36)) AppendLinks(r.Text(i, 36), &e);
}

// A filter's WHERE clause with $n parameters.
struct Where {
  std::string sql;
  Params params;
  std::string Next(std::string_view v) {
    params.Add(v);
    return "$" + std::to_string(params.size());
  }
  std::string Next(double v) {
    params.Add(v);
    return "$" + std::to_string(params.size());
  }
  std::string NextInt(int64_t v) {
    params.Add(v);
    return "$" + std::to_string(params.size());
  }
  void Clause(const std::string& c) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += c;
  }
  void InList(const std::string& column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::string c = column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) c += (i ? "," : "") + Next(values[i]);
    Clause(c + ")");
  }
};

// `gist`: name the indexed point expression for the box (the planner's
// way to the GiST index); without it only the exact coordinate ranges.
Where BuildWhere(const EventFilter& f, bool gist = true) {
  Where w;
  w.InList("e.country", f.countries);
  w.InList("e.admin1", f.admin1);
  w.InList("e.admin2", f.admin2);
  w.InList("e.event_type", f.event_types);
  w.InList("e.sub_event_type", f.sub_event_types);
  w.InList("e.source", f.sources);
  if (f.bbox) {
    // The GiST index finds the candidates (its boxes are rounded outwards);
    // the BETWEENs keep exactly the points inside, edges included.
    const BBox& b = *f.bbox;
    const std::string west = w.Next(b.west), south = w.Next(b.south);
    const std::string east = w.Next(b.east), north = w.Next(b.north);
    if (gist) w.Clause(std::string(kEventPoint) + " && ST_MakeEnvelope(" + west + ", " + south + ", " + east + ", " + north + ", 4326)");
    w.Clause("e.latitude BETWEEN " + south + " AND " + north);
    w.Clause("e.longitude BETWEEN " + west + " AND " + east);
  }
  if (!f.gids.empty()) {
    std::string c = "e.gid IN (";
    for (size_t i = 0; i < f.gids.size(); ++i) c += (i ? "," : "") + std::to_string(f.gids[i]);
    w.Clause(c + ")");
  }
  if (f.from) w.Clause("e.date_start >= " + w.Next(f.from->ToIso()) + "::date");
  if (f.to) w.Clause("e.date_start <= " + w.Next(f.to->ToIso()) + "::date");
  if (!f.actors.empty()) {
    std::string c = "(";
    for (size_t a = 0; a < f.actors.size(); ++a) {
      const std::string p = w.Next("%" + EscapeLike(f.actors[a]) + "%");
      int i = 0;
      for (const char* col : {"actor1", "actor2", "actor1_original", "actor2_original", "assoc_actor1", "assoc_actor2"})
        c += std::string(a || i++ ? " OR " : "") + "e." + col + " ILIKE " + p;
    }
    w.Clause(c + ")");
  }
  if (f.min_fatalities) w.Clause("coalesce(e.fatalities, 0) >= " + w.NextInt(*f.min_fatalities));
  if (f.after_id > 0) w.Clause("e.id > " + w.NextInt(f.after_id));
  if (f.after_key) {
    const std::string d = w.Next(f.after_key->first), id = w.NextInt(f.after_key->second);
    w.Clause(std::string("(e.date_start, e.id) ") + (f.newest_first ? "<" : ">") + " (" + d + "::date, " + id + ")");
  }
  return w;
}

constexpr std::string_view kSnapshotSelect =
    "SELECT id, model, format_version, as_of, window_start, selection, params, fingerprint, created_at, "
    "catalogue FROM model_snapshots";

std::optional<ModelSnapshot> ReadSnapshot(const Rows& r) {
  if (r.size() == 0) return std::nullopt;
  ModelSnapshot m;
  m.id = r.Int(0, 0);
  m.model = r.Text(0, 1);
  m.format_version = static_cast<int>(r.Int(0, 2));
  m.as_of = DateOrZero(r.Text(0, 3));
  m.window_start = DateOrZero(r.Text(0, 4));
  m.selection = r.Text(0, 5);
  m.params = r.Text(0, 6);
  m.fingerprint = r.Text(0, 7);
  m.created_at = r.Text(0, 8);
  m.catalogue = r.Bytes(0, 9);
  return m;
}

Result<int64_t> SaveSnapshotPg(Conn& c, const ModelSnapshot& m) {
  Params p;
  p.Add(m.model).Add(m.format_version).Add(m.as_of.ToIso()).Add(m.window_start.ToIso()).Add(m.selection);
  p.Add(m.params).Add(m.fingerprint).Add(m.created_at.empty() ? NowIsoUtc() : m.created_at);
  if (m.catalogue.empty())
    p.AddNull();
  else
    p.AddBytes(m.catalogue);
  return c.QueryInt(
      "INSERT INTO model_snapshots (model, format_version, as_of, window_start, selection, params, fingerprint, "
      "created_at, catalogue) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      p);
}

// What a bulk load into an empty table drops at its start and builds at
// the end (one sort each) instead of maintaining row by row: {drop, build}.
constexpr std::string_view kBulkIndexes[][2] = {
    {"DROP INDEX IF EXISTS events_geom",
     "CREATE INDEX events_geom ON events USING gist ((ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)))"},
    {"DROP INDEX IF EXISTS events_date", "CREATE INDEX events_date ON events (date_start, id)"},
    {"DROP INDEX IF EXISTS events_admin1_date", "CREATE INDEX events_admin1_date ON events (admin1, date_start)"},
    {"DROP INDEX IF EXISTS events_type_date", "CREATE INDEX events_type_date ON events (event_type, date_start)"},
    {"DROP INDEX IF EXISTS events_gid_date", "CREATE INDEX events_gid_date ON events (gid, date_start, id) INCLUDE (latitude, longitude)"},
    {"ALTER TABLE events DROP CONSTRAINT IF EXISTS events_source_key",
     "ALTER TABLE events ADD CONSTRAINT events_source_key UNIQUE (source, source_id)"},
    {"DROP INDEX IF EXISTS source_records_event", "CREATE INDEX source_records_event ON source_records (event_id)"},
};

class PgBatch final : public ImportBatch {
 public:
  PgBatch(Conn* c, bool bulk) : c_(c), bulk_(bulk) {}
  ~PgBatch() override {
    if (open_) (void)c_->Exec("ROLLBACK");
  }

  Status Init() {
    VIGIL_RETURN_IF_ERROR(c_->Exec("BEGIN"));
    open_ = true;
    now_ = NowIsoUtc();
    if (bulk_) {
      // Only when the table is still empty once locked: another import may
      // have filled it since the caller counted.
      VIGIL_RETURN_IF_ERROR(c_->Exec("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE"));
      VIGIL_ASSIGN_OR_RETURN(int64_t any, c_->QueryInt("SELECT count(*) FROM (SELECT 1 FROM events LIMIT 1) x"));
      bulk_ = any == 0;
      if (bulk_)
        for (const auto& ix : kBulkIndexes)
          VIGIL_RETURN_IF_ERROR(c_->Exec(ix[0]));
    }
    return Status::Ok();
  }

  Result<int64_t> AddSourceFile(const std::string& source, const std::string& path, const std::string& fingerprint,
                                int64_t bytes, const std::string& header) override {
    return c_->QueryInt(
        "INSERT INTO source_files (source, path, fingerprint, bytes, header, imported_at) VALUES "
        "($1, $2, $3, $4, $5, $6) RETURNING id",
        Params().Add(source).Add(path).Add(fingerprint).Add(bytes).Add(header).Add(now_));
  }

  Status FinishSourceFile(int64_t file_id, const FileSummary& s) override {
    Params p;
    p.Add(s.rows_read).Add(s.rows_new).Add(s.rows_revised).Add(s.rows_unchanged).Add(s.rows_merged);
    p.Add(s.rows_linked).Add(s.rows_rejected).Add(file_id);
    return c_->Query("UPDATE source_files SET rows_read=$1, rows_new=$2, rows_revised=$3, rows_unchanged=$4, "
                     "rows_merged=$5, rows_linked=$6, rows_rejected=$7 WHERE id=$8",
                     p)
        .status();
  }

  Result<bool> SourceHasRows(const std::string& source) override {
    VIGIL_RETURN_IF_ERROR(FlushAll());
    VIGIL_ASSIGN_OR_RETURN(int64_t v, c_->QueryInt("SELECT (EXISTS (SELECT 1 FROM events WHERE source = $1) OR "
                                                   "EXISTS (SELECT 1 FROM event_sources WHERE source = $1))::int",
                                                   Params().Add(source)));
    return v != 0;
  }

  Result<bool> OtherSourcesPresent(const std::string& source) override {
    VIGIL_ASSIGN_OR_RETURN(int64_t v, c_->QueryInt("SELECT count(*) FROM (SELECT 1 FROM source_files WHERE source "
                                                   "<> $1 LIMIT 1) x",
                                                   Params().Add(source)));
    return v != 0;
  }

  // Events inserted since the last flush are answered from memory; stored
  // ones from the tables, with the row hashes still waiting to be copied.
  // A file that looks up many ids of one source (a re-import, an update of
  // a large source) reads that source's ids and row hashes once instead of
  // asking the server row by row.
  Result<std::optional<ExistingSource>> Lookup(const std::string& source, const std::string& source_id) override {
    const std::string key = Key(source, source_id);
    if (auto it = pending_keys_.find(key); it != pending_keys_.end()) {
      ExistingSource ex{it->second, 1, {}};
      AddPendingHashes(key, &ex);
      return std::optional<ExistingSource>(std::move(ex));
    }
    if (bulk_ && links_.empty()) return std::optional<ExistingSource>();  // the table was empty
    if (!known_sources_.count(source) && ++lookups_[source] > kLookupsBeforePrefetch)
      VIGIL_RETURN_IF_ERROR(Prefetch(source));
    if (known_sources_.count(source)) {
      auto it = known_.find(key);
      if (it == known_.end()) return std::optional<ExistingSource>();
      ExistingSource ex = it->second;
      AddPendingHashes(key, &ex);
      return std::optional<ExistingSource>(std::move(ex));
    }
    Params p;
    p.Add(source).Add(source_id);
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT id, revision FROM events WHERE source = $1 AND source_id = $2 "
                                             "UNION ALL SELECT event_id, revision FROM event_sources WHERE source = "
                                             "$1 AND source_id = $2 LIMIT 1",
                                             p));
    if (r.size() == 0) return std::optional<ExistingSource>();
    ExistingSource ex{r.Int(0, 0), static_cast<int>(r.Int(0, 1)), {}};
    VIGIL_ASSIGN_OR_RETURN(Rows h, c_->Query("SELECT row_hash FROM source_records WHERE event_id = $3 AND source = "
                                             "$1 AND source_id = $2",
                                             Params().Add(source).Add(source_id).Add(ex.event_id)));
    for (int i = 0; i < h.size(); ++i) ex.row_hashes.push_back(static_cast<uint64_t>(h.Int(i, 0)));
    AddPendingHashes(key, &ex);
    return std::optional<ExistingSource>(std::move(ex));
  }

  Result<int64_t> InsertEvent(const Event& e, const EncodedEvent* encoded) override {
    if (next_ids_.empty()) VIGIL_RETURN_IF_ERROR(ReserveIds());
    const int64_t id = next_ids_.back();
    next_ids_.pop_back();
    AppendInt(&events_copy_, id);
    events_copy_ += '\t';
    pg::AppendCopyText(&events_copy_, e.source);
    events_copy_ += '\t';
    pg::AppendCopyText(&events_copy_, e.source_id);
    events_copy_ += '\t';
    if (encoded && encoded->ready) {
      events_copy_ += encoded->parts[0];
    } else {
      AppendDataCopy(e, &events_copy_);
    }
    events_copy_ += "\t1\t";
    events_copy_ += now_;
    events_copy_ += '\n';
    pending_keys_.emplace(Key(e.source, e.source_id), id);
    pending_ids_.insert(id);
    pending_sources_.insert(e.source);
    VIGIL_RETURN_IF_ERROR(MaybeFlush());
    return id;
  }

  Status UpdateEvent(const Event& e) override {
    VIGIL_RETURN_IF_ERROR(FlushIfPending(e.id));
    Params p;
    AddDataParams(e, &p);
    p.Add(now_).Add(e.id);
    std::string set;
    int i = 1;
    for (auto name : core::Split(kDataNames, ',')) {
      set += (set.empty() ? "" : ", ") + std::string(core::Trim(name)) + " = $" + std::to_string(i++);
    }
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("UPDATE events SET " + set + ", ingested_at = $" + std::to_string(i) +
                                                 " WHERE id = $" + std::to_string(i + 1) + " RETURNING id",
                                             p));
    if (r.size() != 1) return core::NotFound("no event with id " + std::to_string(e.id) + " to update");
    Remember(e.source, e.source_id, e.id, e.revision);
    return Status::Ok();
  }

  Status LinkSource(int64_t event_id, const core::SourceRef& ref) override {
    VIGIL_RETURN_IF_ERROR(FlushIfPending(event_id));
    VIGIL_ASSIGN_OR_RETURN(int64_t own, c_->QueryInt("SELECT count(*) FROM events WHERE id = $1 AND source = $2 AND "
                                                     "source_id = $3",
                                                     Params().Add(event_id).Add(ref.source).Add(ref.source_id)));
    if (own) return Status::Ok();
    Params p;
    p.Add(ref.source).Add(ref.source_id).Add(event_id).Add(ref.revision);
    VIGIL_RETURN_IF_ERROR(c_->Query("INSERT INTO event_sources VALUES ($1, $2, $3, $4) ON CONFLICT (source, "
                                    "source_id) DO UPDATE SET event_id = excluded.event_id, revision = "
                                    "excluded.revision",
                                    p)
                              .status());
    links_.insert(Key(ref.source, ref.source_id));
    Remember(ref.source, ref.source_id, event_id, ref.revision);
    return c_->Query("UPDATE events SET n_sources = 1 + (SELECT count(*) FROM event_sources WHERE event_id = $1) "
                     "WHERE id = $1",
                     Params().Add(event_id))
        .status();
  }

  Result<int64_t> AddSourceChunk(int64_t file_id, int64_t rows, int64_t raw_bytes, std::string_view compressed,
                                 std::span<const NewSourceRecord> created) override {
    Params p;
    if (file_id)
      p.Add(file_id);
    else
      p.AddNull();
    p.Add(rows).Add(raw_bytes).AddBytes(compressed);
    VIGIL_ASSIGN_OR_RETURN(int64_t id, c_->QueryInt("INSERT INTO source_chunks (file_id, rows, raw_bytes, data) "
                                                    "VALUES ($1, $2, $3, $4) RETURNING id",
                                                    p));
    // This backend keeps every record as a row pointing into the block.
    std::vector<NewSourceRecord> recs(created.begin(), created.end());
    for (auto& r : recs) r.raw.chunk_id = id;
    VIGIL_RETURN_IF_ERROR(AddSourceRecords(file_id, recs));
    return id;
  }

  Status AddSourceRecords(int64_t file_id, std::span<const NewSourceRecord> rows) override {
    for (const auto& r : rows) {
      std::string& o = records_copy_;
      AppendInt(&o, r.event_id);
      o += '\t';
      pg::AppendCopyText(&o, r.source);
      o += '\t';
      pg::AppendCopyText(&o, r.source_id);
      o += '\t';
      AppendInt(&o, r.revision);
      o += '\t';
      if (file_id)
        AppendInt(&o, file_id);
      else
        o += "\\N";
      o += '\t';
      AppendInt(&o, r.line);
      o += '\t';
      AppendInt(&o, static_cast<int64_t>(r.row_hash));
      o += '\t';
      if (r.raw.chunk_id) {
        o += '\t';
        AppendInt(&o, r.raw.chunk_id);
        o += '\t';
        AppendInt(&o, r.raw.offset);
        o += '\t';
        AppendInt(&o, static_cast<int64_t>(r.raw.text.size()));
      } else {
        pg::AppendCopyText(&o, r.raw.text);
        o += "\t\\N\t\\N\t\\N";
      }
      o += '\n';
      pending_hashes_[r.event_id].push_back({Key(r.source, r.source_id), r.row_hash});
    }
    return MaybeFlush();
  }

  Result<std::vector<NearbyEvent>> FindNearby(Date from, Date to, const BBox& box,
                                              const std::string& exclude_source) override {
    for (const auto& s : pending_sources_)
      if (s != exclude_source) {
        VIGIL_RETURN_IF_ERROR(FlushAll());
        break;
      }
    Params p;
    p.Add(from.ToIso()).Add(to.ToIso()).Add(box.west).Add(box.south).Add(box.east).Add(box.north).Add(exclude_source);
    VIGIL_ASSIGN_OR_RETURN(
        Rows r, c_->Query("SELECT id, source, date_start, latitude, longitude, event_type FROM events e WHERE "
                          "date_start BETWEEN $1::date AND $2::date AND " + std::string(kEventPoint) + " && ST_MakeEnvelope($3, $4, $5, $6, "
                          "4326) AND latitude BETWEEN $4 AND $6 AND longitude BETWEEN $3 AND $5 AND source <> $7 "
                          "AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id AND s.source = $7)",
                          p));
    std::vector<NearbyEvent> out;
    out.reserve(static_cast<size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i)
      out.push_back({r.Int(i, 0), std::string(r.Text(i, 1)), DateOrZero(r.Text(i, 2)), r.Double(i, 3),
                     r.Double(i, 4), std::string(r.Text(i, 5))});
    return out;
  }

  Result<Event> GetEvent(int64_t id) override {
    VIGIL_RETURN_IF_ERROR(FlushIfPending(id));
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.id = $1",
                                             Params().Add(id)));
    if (r.size() == 0) return core::NotFound("no event with id " + std::to_string(id));
    Event e;
    RowToEvent(r, 0, &e);
    return e;
  }

  Status AppendAudit(const AuditRecord& r) override { return pg::AppendAudit(*c_, r); }

  // Restored events go through the same COPY as imported ones, with their
  // own ids; their links through a COPY of event_sources. The id sequence
  // is moved past them at Commit().
  Status RestoreEvent(const Event& e, std::string_view ingested_at) override {
    AppendInt(&events_copy_, e.id);
    events_copy_ += '\t';
    pg::AppendCopyText(&events_copy_, e.source);
    events_copy_ += '\t';
    pg::AppendCopyText(&events_copy_, e.source_id);
    events_copy_ += '\t';
    AppendDataCopy(e, &events_copy_);
    events_copy_ += '\t';
    AppendInt(&events_copy_, static_cast<int64_t>(std::max<size_t>(1, e.sources.size())));
    events_copy_ += '\t';
    pg::AppendCopyText(&events_copy_, ingested_at);
    events_copy_ += '\n';
    for (size_t i = 1; i < e.sources.size(); ++i) {
      pg::AppendCopyText(&links_copy_, e.sources[i].source);
      links_copy_ += '\t';
      pg::AppendCopyText(&links_copy_, e.sources[i].source_id);
      links_copy_ += '\t';
      AppendInt(&links_copy_, e.id);
      links_copy_ += '\t';
      AppendInt(&links_copy_, e.sources[i].revision);
      links_copy_ += '\n';
    }
    pending_ids_.insert(e.id);
    restored_ = true;
    return MaybeFlush();
  }

  Result<int64_t> RestoreSourceFile(const SourceFileRow& f) override {
    const FileSummary& s = f.summary;
    Params p;
    p.Add(f.source).Add(f.path).Add(f.fingerprint).Add(f.bytes).Add(f.header).Add(f.imported_at);
    p.Add(s.rows_read).Add(s.rows_new).Add(s.rows_revised).Add(s.rows_unchanged).Add(s.rows_merged);
    p.Add(s.rows_linked).Add(s.rows_rejected);
    return c_->QueryInt(
        "INSERT INTO source_files (source, path, fingerprint, bytes, header, imported_at, rows_read, rows_new, "
        "rows_revised, rows_unchanged, rows_merged, rows_linked, rows_rejected) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9, $10, $11, $12, $13) RETURNING id",
        p);
  }

  Status RestoreSnapshot(const ModelSnapshot& m) override { return SaveSnapshotPg(*c_, m).status(); }

  Status Commit() override {
    VIGIL_RETURN_IF_ERROR(FlushAll());
    core::PhaseTimer::Report("COPY to PostgreSQL (all flushes)", flush_seconds_);
    core::PhaseTimer::Report("COPY of events", events_seconds_);
    core::PhaseTimer timer;
    if (bulk_) {
      for (const auto& ix : kBulkIndexes) {
        VIGIL_RETURN_IF_ERROR(c_->Exec(ix[1]));
        timer.Phase("commit: build an index");
      }
    }
    if (restored_)
      VIGIL_RETURN_IF_ERROR(c_->Exec("SELECT setval('events_id_seq', (SELECT coalesce(max(id), 0) + 1 FROM events), "
                                     "false)"));
    VIGIL_RETURN_IF_ERROR(
        c_->Exec("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'events_generation'"));
    VIGIL_RETURN_IF_ERROR(c_->Exec("COMMIT"));
    open_ = false;
    if (bulk_) {
      // Planner statistics, and the visibility map that lets box pages read
      // coordinates from the index alone (VACUUM runs outside a
      // transaction; the import is committed whatever it says).
      (void)c_->Exec("VACUUM (ANALYZE) events");
      timer.Phase("after commit: VACUUM (ANALYZE)");
    }
    return Status::Ok();
  }

 private:
  static std::string Key(std::string_view source, std::string_view source_id) {
    std::string k(source);
    k += '\x1f';
    k += source_id;
    return k;
  }

  void AddPendingHashes(const std::string& key, ExistingSource* ex) const {
    auto it = pending_hashes_.find(ex->event_id);
    if (it == pending_hashes_.end()) return;
    for (const auto& [k, h] : it->second)
      if (k == key) ex->row_hashes.push_back(h);
  }

  // Reads every id of `source` (own and linked) with its stored row hashes.
  static constexpr int kLookupsBeforePrefetch = 256;
  Status Prefetch(const std::string& source) {
    VIGIL_RETURN_IF_ERROR(FlushAll());
    const Params p = Params().Add(source);
    VIGIL_RETURN_IF_ERROR(c_->Stream("SELECT source_id, id, revision FROM events WHERE source = $1 UNION ALL SELECT "
                                     "source_id, event_id, revision FROM event_sources WHERE source = $1",
                                     p, [&](const Rows& r) {
                                       known_[Key(source, r.Text(0, 0))] = {r.Int(0, 1),
                                                                            static_cast<int>(r.Int(0, 2)), {}};
                                       return true;
                                     }));
    VIGIL_RETURN_IF_ERROR(c_->Stream("SELECT source_id, event_id, row_hash FROM source_records WHERE source = $1", p,
                                     [&](const Rows& r) {
                                       auto it = known_.find(Key(source, r.Text(0, 0)));
                                       if (it != known_.end() && it->second.event_id == r.Int(0, 1))
                                         it->second.row_hashes.push_back(static_cast<uint64_t>(r.Int(0, 2)));
                                       return true;
                                     }));
    known_sources_.insert(source);
    return Status::Ok();
  }
  // Keeps the prefetched ids in step with this batch's writes.
  void Remember(const std::string& source, const std::string& source_id, int64_t event_id, int revision) {
    if (!known_sources_.count(source)) return;
    auto& k = known_[Key(source, source_id)];
    k.event_id = event_id;
    k.revision = revision;
  }

  // Ids for the next events, from the sequence (other writers draw from it
  // too, so ids stay unique across concurrent imports).
  Status ReserveIds() {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT nextval('events_id_seq') FROM generate_series(1, 4096)"));
    next_ids_.resize(static_cast<size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i) next_ids_[static_cast<size_t>(r.size() - 1 - i)] = r.Int(i, 0);
    return Status::Ok();
  }

  static constexpr size_t kFlushBytes = 16 << 20;
  Status MaybeFlush() {
    if (events_copy_.size() + records_copy_.size() + links_copy_.size() < kFlushBytes) return Status::Ok();
    return FlushAll();
  }
  Status FlushIfPending(int64_t event_id) {
    return pending_ids_.count(event_id) || pending_hashes_.count(event_id) ? FlushAll() : Status::Ok();
  }
  Status FlushAll() {
    const auto t0 = std::chrono::steady_clock::now();
    if (!events_copy_.empty()) {
      VIGIL_RETURN_IF_ERROR(c_->CopyIn(
          "COPY events (id, source, source_id, " + std::string(kDataNames) + ", n_sources, ingested_at) FROM STDIN",
          events_copy_));
      events_copy_.clear();
    }
    events_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!links_copy_.empty()) {
      VIGIL_RETURN_IF_ERROR(c_->CopyIn("COPY event_sources (source, source_id, event_id, revision) FROM STDIN",
                                       links_copy_));
      links_copy_.clear();
    }
    if (!records_copy_.empty()) {
      VIGIL_RETURN_IF_ERROR(c_->CopyIn("COPY source_records (event_id, source, source_id, revision, file_id, line, "
                                       "row_hash, raw, chunk_id, chunk_offset, chunk_length) FROM STDIN",
                                       records_copy_));
      records_copy_.clear();
    }
    flush_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ++flushes_;
    for (const auto& [key, id] : pending_keys_) {
      const std::string source = key.substr(0, key.find('\x1f'));
      if (known_sources_.count(source)) known_[key] = {id, 1, {}};
    }
    for (const auto& [id, hashes] : pending_hashes_)
      for (const auto& [key, hash] : hashes)
        if (auto it = known_.find(key); it != known_.end() && it->second.event_id == id)
          it->second.row_hashes.push_back(hash);
    pending_keys_.clear();
    pending_ids_.clear();
    pending_hashes_.clear();
    pending_sources_.clear();
    return Status::Ok();
  }

  Conn* c_;
  bool bulk_;
  bool open_ = false;
  std::string now_;
  std::vector<int64_t> next_ids_;  // reserved, last to be used first
  std::string events_copy_, records_copy_, links_copy_;
  bool restored_ = false;  // events with their own ids: move the sequence past them
  std::unordered_map<std::string, int64_t> pending_keys_;  // (source, source_id) -> id, not yet copied
  std::unordered_set<int64_t> pending_ids_;
  std::unordered_map<int64_t, std::vector<std::pair<std::string, uint64_t>>> pending_hashes_;
  std::unordered_set<std::string> pending_sources_;
  std::unordered_set<std::string> links_;  // linked in this batch
  double flush_seconds_ = 0, events_seconds_ = 0;
  int64_t flushes_ = 0;
  std::unordered_map<std::string, int> lookups_;   // by source, before prefetching
  std::unordered_set<std::string> known_sources_;  // prefetched
  std::unordered_map<std::string, ExistingSource> known_;
};

class PgStore final : public EventStore {
 public:
  PgStore(std::unique_ptr<Conn> c, std::string url) : c_(std::move(c)), url_(std::move(url)) {}

  Result<int> Version() override {
    VIGIL_ASSIGN_OR_RETURN(int64_t exists, c_->QueryInt("SELECT (to_regclass('schema_migrations') IS NOT NULL)::int"));
    if (!exists) return 0;
    VIGIL_ASSIGN_OR_RETURN(int64_t v, c_->QueryInt("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    return static_cast<int>(v);
  }

  Result<int> Migrate() override {
    VIGIL_RETURN_IF_ERROR(c_->Exec("SELECT pg_advisory_lock(7417000)"));
    auto unlock = [&] { (void)c_->Exec("SELECT pg_advisory_unlock(7417000)"); };
    Status made = c_->Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL "
        "DEFAULT now())");
    auto before = made.ok() ? Version() : Result<int>(made);
    if (!before.ok()) {
      unlock();
      return before.status();
    }
    if (*before > pg::PgSchemaVersion()) {
      unlock();
      return Status(core::Code::kConflict, "database schema version " + std::to_string(*before) +
                                               " is newer than this vigil (" + std::to_string(pg::PgSchemaVersion()) +
                                               "); upgrade vigil");
    }
    for (const auto& m : pg::Migrations()) {
      if (m.version <= *before) continue;
      Status s = pg::Transact(*c_, [&] {
        VIGIL_RETURN_IF_ERROR(c_->Exec(m.sql));
        return c_->Query("INSERT INTO schema_migrations (version) VALUES ($1)", Params().Add(m.version)).status();
      });
      if (!s.ok()) {
        unlock();
        return Status(s.code(), "migration " + std::to_string(m.version) + " failed, nothing of it was applied: " +
                                    s.message());
      }
    }
    unlock();
    return *before;
  }

  Status CheckCurrent() override {
    VIGIL_ASSIGN_OR_RETURN(int v, Version());
    if (v == pg::PgSchemaVersion()) return Status::Ok();
    if (v > pg::PgSchemaVersion())
      return Status(core::Code::kConflict,
                    "database schema version " + std::to_string(v) + " is newer than this vigil; upgrade vigil");
    return Status(core::Code::kConflict, "database schema version " + std::to_string(v) + " is older than " +
                                             std::to_string(pg::PgSchemaVersion()) +
                                             "; run 'vigil init' to upgrade it");
  }

  Status ReplaceReference(const std::vector<PlaceRow>& places, const std::vector<AdminUnitRow>& units,
                          const std::vector<GridCellRow>& cells, const std::string& fingerprint) override {
    return pg::Transact(*c_, [&] { return WriteReference(places, units, cells, fingerprint); });
  }

  Result<std::string> ReferenceFingerprint() override { return MetaValue("reference_fingerprint", ""); }
  Result<std::string> RowHashAlgorithm() override { return MetaValue("row_hash", "xxh3"); }
  Result<int64_t> CountReference(const std::string& table) override { return CountRows(table); }

  Result<int64_t> CountRows(const std::string& table) override {
    static const char* kAllowed[] = {"places",        "admin_units",    "grid_cells",    "events",
                                     "event_sources", "source_records", "source_chunks", "source_files"};
    for (const char* t : kAllowed)
      if (table == t) return c_->QueryInt("SELECT count(*) FROM " + table);
    return core::InvalidArgument("unknown table " + table);
  }

  Result<std::unique_ptr<ImportBatch>> BeginImport(bool bulk) override {
    auto batch = std::make_unique<PgBatch>(c_.get(), bulk);
    VIGIL_RETURN_IF_ERROR(batch->Init());
    return std::unique_ptr<ImportBatch>(std::move(batch));
  }

  // The data columns in COPY form, made on the importer's parsing thread.
  void EncodeEvent(const Event& e, EncodedEvent* out) const override {
    out->parts[0].clear();
    AppendDataCopy(e, &out->parts[0]);
    out->ready = true;
  }

  Result<std::vector<Event>> QueryEvents(const EventFilter& f) override {
    std::vector<Event> out;
    VIGIL_RETURN_IF_ERROR(ForEachEvent(f, [&](const Event& e) {
      out.push_back(e);
      return true;
    }));
    return out;
  }

  Status ForEachEvent(const EventFilter& f, const std::function<bool(const Event&)>& fn) override {
    Where w = BuildWhere(f);
    const std::string order =
        f.newest_first ? " ORDER BY e.date_start DESC, e.id DESC" : " ORDER BY e.date_start, e.id";
    const std::string limit = f.limit > 0 ? " LIMIT " + std::to_string(f.limit) : "";
    std::string sql = "SELECT " + std::string(kEventColumns) + " FROM events e" + w.sql + order + limit;
    const auto cells = PageCells(f);
    if (!cells.empty()) {
      // The first `limit` events of each PRIO-GRID cell of the box, read in
      // order from events_gid_date (an index-only scan once the table is
      // vacuumed), merged, and only then the chosen rows read whole: about
      // `limit` index steps per cell instead of sorting every event in the
      // box.
      w = BuildWhere(f, /*gist=*/false);
      std::string list = "{";
      for (size_t i = 0; i < cells.size(); ++i) list += (i ? "," : "") + std::to_string(cells[i]);
      w.params.Add(list + "}");
      const std::string cell_param = "$" + std::to_string(w.params.size());
      const std::string key_order = f.newest_first ? " ORDER BY k.date_start DESC, k.id DESC"
                                                   : " ORDER BY k.date_start, k.id";
      sql = "SELECT " + std::string(kEventColumns) + " FROM (SELECT k.id, k.date_start FROM unnest(" + cell_param +
            "::bigint[]) AS cell(gid) CROSS JOIN LATERAL (SELECT e.id, e.date_start FROM events e" + w.sql +
            " AND e.gid = cell.gid" + order + limit + ") k" + key_order + limit + ") k JOIN events e ON e.id = k.id" +
            order;
    }
    VIGIL_RETURN_IF_ERROR(ApplyBudget());
    Event e;
    auto each = [&](const Rows& r) {
      RowToEvent(r, 0, &e);
      return fn(e);
    };
    if (cells.empty() || c_->InTransaction()) return c_->Stream(sql, w.params, each);
    // The planner's estimate of a cell is the average cell; for the dense
    // ones a bitmap scan and a sort cost ten times the ordered index scan.
    VIGIL_RETURN_IF_ERROR(c_->Exec("BEGIN READ ONLY; SET LOCAL enable_bitmapscan = off"));
    Status s = c_->Stream(sql, w.params, each);
    Status end = c_->Exec(s.ok() ? "COMMIT" : "ROLLBACK");
    return s.ok() ? end : s;
  }

  Status ForEachEventLazy(const EventFilter& f, const std::function<bool(int64_t)>& /*want*/,
                          const std::function<bool(int64_t, std::string_view, const Event*)>& fn) override {
    std::string date;
    return ForEachEvent(f, [&](const Event& e) {
      date = e.date_start.ToIso();
      return fn(e.id, date, &e);
    });
  }

  Result<int64_t> CountEvents(const EventFilter& f) override {
    Where w = BuildWhere(f);
    VIGIL_RETURN_IF_ERROR(ApplyBudget());
    return c_->QueryInt("SELECT count(*) FROM events e" + w.sql, w.params);
  }

  Result<Event> GetEvent(int64_t id) override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.id = $1",
                                             Params().Add(id)));
    if (r.size() == 0) return core::NotFound("no event with id " + std::to_string(id));
    Event e;
    RowToEvent(r, 0, &e);
    return e;
  }

  using EventRepository::Stats;
  Result<std::vector<StatsRow>> Stats(const EventFilter& f, const StatsGrouping& g) override {
    Where w = BuildWhere(f);
    const std::string period = g.weekly ? "to_char(date_trunc('week', e.date_start), 'YYYY-MM-DD')"
                                        : "to_char(e.date_start, 'YYYY-MM')";
    const std::string admin2 = g.by_admin2 ? "coalesce(e.admin2, '')" : "''::text";
    VIGIL_RETURN_IF_ERROR(ApplyBudget());
    VIGIL_ASSIGN_OR_RETURN(
        Rows r, c_->Query("SELECT * FROM (SELECT coalesce(e.admin1, '') AS a1, " + admin2 + " AS a2, " + period +
                              " AS p, count(*) AS n, coalesce(sum(e.fatalities), 0) AS f, count(e.fatalities) AS k, "
                              "coalesce(e.country, '') AS c FROM events e" +
                              w.sql +
                              " GROUP BY 1, 2, 3, 7) s ORDER BY a1 COLLATE \"C\", a2 COLLATE \"C\", p, c COLLATE \"C\"",
                          w.params));
    std::vector<StatsRow> out;
    out.reserve(static_cast<size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i)
      out.push_back({std::string(r.Text(i, 0)), std::string(r.Text(i, 1)), std::string(r.Text(i, 2)), r.Int(i, 3),
                     r.Int(i, 4), r.Int(i, 5), std::string(r.Text(i, 6))});
    return out;
  }

  Result<std::vector<SourceRecord>> Provenance(int64_t event_id) override {
    VIGIL_ASSIGN_OR_RETURN(
        Rows r, c_->Query("SELECT r.id, r.event_id, r.source, r.source_id, r.revision, coalesce(f.path, ''), "
                          "coalesce(r.line, 0), coalesce(f.header, ''), r.raw, r.chunk_id, r.chunk_offset, "
                          "r.chunk_length, coalesce(r.file_id, 0), r.row_hash FROM source_records r LEFT JOIN source_files f ON f.id = r.file_id "
                          "WHERE r.event_id = $1 ORDER BY r.id",
                          Params().Add(event_id)));
    std::vector<SourceRecord> out;
    for (int i = 0; i < r.size(); ++i) {
      SourceRecord s;
      s.id = r.Int(i, 0);
      s.event_id = r.Int(i, 1);
      s.source = r.Text(i, 2);
      s.source_id = r.Text(i, 3);
      s.revision = static_cast<int>(r.Int(i, 4));
      s.file_path = r.Text(i, 5);
      s.line = r.Int(i, 6);
      s.header = r.Text(i, 7);
      s.file_id = r.Int(i, 12);
      s.row_hash = static_cast<uint64_t>(r.Int(i, 13));
      if (r.IsNull(i, 9)) {
        s.raw = r.Text(i, 8);
      } else {
        const int64_t chunk = r.Int(i, 9), offset = r.Int(i, 10), length = r.Int(i, 11);
        // Block ids come from a sequence and are never reused: the last
        // block read is kept by id alone.
        if (chunk != block_id_) {
          VIGIL_ASSIGN_OR_RETURN(Rows c, c_->Query("SELECT data FROM source_chunks WHERE id = $1", Params().Add(chunk)));
          if (c.size() == 0) return core::DatabaseError("block " + std::to_string(chunk) + " is missing");
          block_id_ = 0;
          VIGIL_ASSIGN_OR_RETURN(block_text_, core::ZstdDecompress(c.Bytes(0, 0)));
          block_id_ = chunk;
        }
        const std::string& chunk_text = block_text_;
        if (offset < 0 || length < 0 || offset + length > static_cast<int64_t>(chunk_text.size()))
          return core::DatabaseError("source row " + std::to_string(s.id) + " points outside its stored block");
        s.raw = chunk_text.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
      }
      out.push_back(std::move(s));
    }
    return out;
  }

  Result<std::vector<std::string>> DistinctValues(const std::string& column) override {
    std::string sql;
    if (column == "admin1" || column == "admin2" || column == "country" || column == "source")
      sql = "SELECT DISTINCT " + column + " COLLATE \"C\" FROM events WHERE " + column + " IS NOT NULL ORDER BY 1";
    else if (column == "reference_admin1")
      sql = "SELECT DISTINCT admin1_name COLLATE \"C\" FROM places WHERE admin1_name IS NOT NULL ORDER BY 1";
    else
      return core::InvalidArgument("no distinct values for column " + column);
    VIGIL_ASSIGN_OR_RETURN(const int64_t version, DataVersion());
    auto cached = distinct_.find(column);
    if (cached != distinct_.end() && cached->second.first == version) return cached->second.second;
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query(sql));
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i) out.emplace_back(r.Text(i, 0));
    distinct_[column] = {version, out};
    return out;
  }

  Result<int64_t> SaveSnapshot(const ModelSnapshot& m) override { return SaveSnapshotPg(*c_, m); }

  Result<std::optional<ModelSnapshot>> FindSnapshot(const std::string& model, Date as_of, Date window_start,
                                                    const std::string& selection,
                                                    const std::string& fingerprint) override {
    Params p;
    p.Add(model).Add(as_of.ToIso()).Add(window_start.ToIso()).Add(selection).Add(fingerprint);
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query(std::string(kSnapshotSelect) +
                                                 " WHERE model = $1 AND as_of = $2::date AND window_start = $3::date "
                                                 "AND selection = $4 AND fingerprint = $5 ORDER BY id DESC LIMIT 1",
                                             p));
    return ReadSnapshot(r);
  }

  Result<std::optional<ModelSnapshot>> LatestSnapshot(const std::string& model) override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query(std::string(kSnapshotSelect) +
                                                 " WHERE model = $1 ORDER BY as_of DESC, id DESC LIMIT 1",
                                             Params().Add(model)));
    return ReadSnapshot(r);
  }

  static constexpr int kDumpPage = 5000;
  Status DumpEvents(const std::function<Status(const Event&, std::string_view)>& fn) override {
    int64_t after = 0;
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT " + std::string(kEventColumns) +
                                                   ", e.ingested_at FROM events e WHERE e.id > $1 ORDER BY e.id LIMIT " +
                                                   std::to_string(kDumpPage),
                                               Params().Add(after)));
      Event e;
      for (int i = 0; i < r.size(); ++i) {
        RowToEvent(r, i, &e);
        VIGIL_RETURN_IF_ERROR(fn(e, r.Text(i, 37)));
      }
      if (r.size() < kDumpPage) return Status::Ok();
      after = e.id;
    }
  }

  Result<std::vector<SourceFileRow>> SourceFiles() override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT id, source, path, fingerprint, bytes, coalesce(header, ''), "
                                             "imported_at, coalesce(rows_read, 0), coalesce(rows_new, 0), "
                                             "coalesce(rows_revised, 0), coalesce(rows_unchanged, 0), "
                                             "coalesce(rows_merged, 0), coalesce(rows_linked, 0), "
                                             "coalesce(rows_rejected, 0) FROM source_files ORDER BY id"));
    std::vector<SourceFileRow> out;
    for (int i = 0; i < r.size(); ++i) {
      SourceFileRow f;
      f.id = r.Int(i, 0);
      f.source = r.Text(i, 1);
      f.path = r.Text(i, 2);
      f.fingerprint = r.Text(i, 3);
      f.bytes = r.Int(i, 4);
      f.header = r.Text(i, 5);
      f.imported_at = r.Text(i, 6);
      f.summary = {r.Int(i, 7), r.Int(i, 8), r.Int(i, 9), r.Int(i, 10), r.Int(i, 11), r.Int(i, 12), r.Int(i, 13)};
      out.push_back(std::move(f));
    }
    return out;
  }

  Result<ReferenceData> ReadReference() override {
    ReferenceData d;
    VIGIL_ASSIGN_OR_RETURN(d.fingerprint, ReferenceFingerprint());
    auto text = [](const Rows& r, int i, int c) { return std::string(r.Text(i, c)); };
    VIGIL_ASSIGN_OR_RETURN(Rows p, c_->Query("SELECT geonameid, name, asciiname, alternatenames, latitude, longitude, "
                                             "feature_class, feature_code, country_code, admin1_code, admin1_name, "
                                             "admin2_name, coalesce(population, 0), origin FROM places ORDER BY "
                                             "geonameid"));
    for (int i = 0; i < p.size(); ++i)
      d.places.push_back({p.Int(i, 0), text(p, i, 1), text(p, i, 2), text(p, i, 3), p.Double(i, 4), p.Double(i, 5),
                          text(p, i, 6), text(p, i, 7), text(p, i, 8), text(p, i, 9), text(p, i, 10), text(p, i, 11),
                          p.Int(i, 12), text(p, i, 13)});
    VIGIL_ASSIGN_OR_RETURN(Rows a, c_->Query("SELECT pcode, name, parent_pcode, country, level, min_lon, min_lat, "
                                             "max_lon, max_lat, geometry_geojson FROM admin_units ORDER BY pcode "
                                             "COLLATE \"C\""));
    for (int i = 0; i < a.size(); ++i)
      d.admin_units.push_back({text(a, i, 0), text(a, i, 1), text(a, i, 2), text(a, i, 3),
                               static_cast<int>(a.Int(i, 4)), a.Double(i, 5), a.Double(i, 6), a.Double(i, 7),
                               a.Double(i, 8), text(a, i, 9)});
    VIGIL_ASSIGN_OR_RETURN(Rows g, c_->Query("SELECT gid, \"row\", col, min_lon, min_lat, max_lon, max_lat, lon, lat, "
                                             "country, mali_area_share FROM grid_cells ORDER BY gid"));
    for (int i = 0; i < g.size(); ++i)
      d.cells.push_back({g.Int(i, 0), static_cast<int>(g.Int(i, 1)), static_cast<int>(g.Int(i, 2)), g.Double(i, 3),
                         g.Double(i, 4), g.Double(i, 5), g.Double(i, 6), g.Double(i, 7), g.Double(i, 8),
                         text(g, i, 9), g.Double(i, 10)});
    return d;
  }

  Result<std::vector<ModelSnapshot>> Snapshots() override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT id FROM model_snapshots ORDER BY id"));
    std::vector<ModelSnapshot> out;
    for (int i = 0; i < r.size(); ++i) {
      VIGIL_ASSIGN_OR_RETURN(Rows one, c_->Query(std::string(kSnapshotSelect) + " WHERE id = $1",
                                                 Params().Add(r.Int(i, 0))));
      if (auto m = ReadSnapshot(one)) out.push_back(std::move(*m));
    }
    return out;
  }

  // PostgreSQL manages its own cache and WAL: these SQLite hints do nothing.
  Status TuneForReads(int64_t, int64_t) override { return Status::Ok(); }
  Status Checkpoint() override { return Status::Ok(); }
  void DeferCheckpoints() override {}
  void SetBusyTimeout(int milliseconds) override {
    (void)c_->Exec("SET lock_timeout = " + std::to_string(std::max(1, milliseconds)));
  }

  // The server stops a statement past the deadline (statement_timeout, set
  // before each query from the time left). Step limits are SQLite's.
  void SetQueryBudget(const QueryBudget& budget) override {
    budget_ = budget;
    has_budget_ = budget.deadline != std::chrono::steady_clock::time_point::max();
  }
  void ClearQueryBudget() override {
    has_budget_ = false;
    (void)c_->SetStatementTimeout(0);
  }

  Result<int64_t> DataVersion() override {
    return c_->QueryInt("SELECT value::bigint FROM meta WHERE key = 'events_generation'");
  }

  Result<std::string> EventsFingerprint() override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT count(*), coalesce(max(id), 0), coalesce(max(ingested_at), '') "
                                             "FROM events"));
    return std::string(r.Text(0, 0)) + ":" + std::string(r.Text(0, 1)) + ":" + std::string(r.Text(0, 2));
  }

  Result<std::vector<SourceCoverage>> Coverage() override {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT source, min(date_start), max(date_start), count(*) FROM events "
                                             "GROUP BY source ORDER BY source COLLATE \"C\""));
    std::vector<SourceCoverage> out;
    out.reserve(static_cast<size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i)
      out.push_back({std::string(r.Text(i, 0)), DateOrZero(r.Text(i, 1)), DateOrZero(r.Text(i, 2)), r.Int(i, 3)});
    return out;
  }

 private:
  // The box's PRIO-GRID cells when a page of a box is asked for (a limit,
  // not too many cells); empty otherwise.
  static std::vector<int64_t> PageCells(const EventFilter& f) {
    if (!f.bbox || f.limit <= 0 || f.limit > 10000 || !f.gids.empty()) return {};
    return core::PrioCellsInBox(f.bbox->west, f.bbox->south, f.bbox->east, f.bbox->north, 400);
  }

  Status ApplyBudget() {
    if (!has_budget_) return Status::Ok();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(budget_.deadline -
                                                                            std::chrono::steady_clock::now());
    if (left.count() <= 0) return core::Unavailable("query stopped: it ran past its time budget");
    return c_->SetStatementTimeout(left.count());
  }

  Result<std::string> MetaValue(const std::string& key, const std::string& absent) {
    VIGIL_ASSIGN_OR_RETURN(Rows r, c_->Query("SELECT value FROM meta WHERE key = $1", Params().Add(key)));
    return r.size() ? std::string(r.Text(0, 0)) : absent;
  }

  Status WriteReference(const std::vector<PlaceRow>& places, const std::vector<AdminUnitRow>& units,
                        const std::vector<GridCellRow>& cells, const std::string& fingerprint) {
    VIGIL_RETURN_IF_ERROR(c_->Exec("DELETE FROM places; DELETE FROM admin_units; DELETE FROM grid_cells"));
    std::string out;
    auto text = [&](std::string_view v) {
      pg::AppendCopyTextOrNull(&out, v);
      out += '\t';
    };
    auto num = [&](double v) {
      AppendDouble(&out, v);
      out += '\t';
    };
    auto integer = [&](int64_t v) {
      AppendInt(&out, v);
      out += '\t';
    };
    auto end = [&] { out.back() = '\n'; };
    for (const auto& p : places) {
      integer(p.geonameid);
      text(p.name);
      text(p.asciiname);
      text(p.alternatenames);
      num(p.latitude);
      num(p.longitude);
      text(p.feature_class);
      text(p.feature_code);
      text(p.country_code);
      text(p.admin1_code);
      text(p.admin1_name);
      text(p.admin2_name);
      integer(p.population);
      text(p.origin);
      end();
    }
    VIGIL_RETURN_IF_ERROR(c_->CopyIn("COPY places (geonameid, name, asciiname, alternatenames, latitude, longitude, "
                                     "feature_class, feature_code, country_code, admin1_code, admin1_name, "
                                     "admin2_name, population, origin) FROM STDIN",
                                     out));
    out.clear();
    for (const auto& a : units) {
      text(a.pcode);
      integer(a.level);
      text(a.name);
      text(a.parent_pcode);
      text(a.country);
      num(a.min_lon);
      num(a.min_lat);
      num(a.max_lon);
      num(a.max_lat);
      pg::AppendCopyText(&out, a.geometry_geojson);
      out += '\t';
      end();
    }
    VIGIL_RETURN_IF_ERROR(c_->CopyIn("COPY admin_units (pcode, level, name, parent_pcode, country, min_lon, min_lat, "
                                     "max_lon, max_lat, geometry_geojson) FROM STDIN",
                                     out));
    VIGIL_RETURN_IF_ERROR(c_->Exec("UPDATE admin_units SET geom = ST_SetSRID(ST_GeomFromGeoJSON(geometry_geojson), "
                                   "4326) WHERE geometry_geojson LIKE '{%'"));
    out.clear();
    for (const auto& g : cells) {
      integer(g.gid);
      integer(g.row);
      integer(g.col);
      num(g.xmin);
      num(g.ymin);
      num(g.xmax);
      num(g.ymax);
      num(g.lon);
      num(g.lat);
      text(g.country);
      num(g.mali_area_share);
      end();
    }
    VIGIL_RETURN_IF_ERROR(c_->CopyIn("COPY grid_cells (gid, \"row\", col, min_lon, min_lat, max_lon, max_lat, lon, lat, country, "
                                     "mali_area_share) FROM STDIN",
                                     out));
    return c_
        ->Query("INSERT INTO meta VALUES ('reference_fingerprint', $1) ON CONFLICT (key) DO UPDATE SET value = "
                "excluded.value",
                Params().Add(fingerprint))
        .status();
  }

  std::unique_ptr<Conn> c_;
  std::string url_;
  int64_t block_id_ = 0;  // Provenance's last block
  std::string block_text_;
  QueryBudget budget_;
  bool has_budget_ = false;
  std::unordered_map<std::string, std::pair<int64_t, std::vector<std::string>>> distinct_;
};

}  // namespace

Result<std::unique_ptr<EventStore>> OpenPgStore(const std::string& url) {
  VIGIL_ASSIGN_OR_RETURN(auto conn, Conn::Open(url));
  VIGIL_RETURN_IF_ERROR(conn->Exec("SET DateStyle = 'ISO, YMD'"));
  return std::unique_ptr<EventStore>(std::make_unique<PgStore>(std::move(conn), url));
}

}  // namespace vigil::store
