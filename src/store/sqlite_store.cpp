// SQLite backend of EventStore (see store.h for the contract).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <future>
#include <tuple>
#include <unordered_map>

#include "core/compress.h"
#include "core/priogrid.h"
#include "core/strings.h"
#include "core/timing.h"
#include "store/chunk_records.h"
#include "store/event_codec.h"
#include "store/migrations.h"
#include "store/postgres/pg.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/store_common.h"

namespace vigil::store {

using core::Date;
using core::Event;
using core::Result;
using core::Status;

int SchemaVersion() { return SqliteMigrations().back().version; }

namespace {

// The columns of an event (store/event_codec.h: detail and actors_more
// pack the fields no query filters on), then its links to other sources.
constexpr std::string_view kEventColumns =
    "e.id, e.source, e.source_id, e.revision, e.date_start, e.latitude, e.longitude, e.country, e.admin1, "
    "e.admin2, e.gid, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.actors_more, e.fatalities, "
    "e.confidence, e.detail, "
    // Links of other sources' ids (an event with one source has none).
    "CASE WHEN e.n_sources > 1 THEN "
    "(SELECT group_concat(s.source || char(31) || s.source_id || char(31) || s.revision, char(30)) "
    " FROM event_sources s WHERE s.event_id = e.id) END";

// Fills `out` in place, reusing its strings' buffers (no allocation per
// field when rows are read in a loop).
Status RowToEventInto(const Stmt& st, Event* out) {
  Event& e = *out;
  e.id = st.Int(0);
  e.source.assign(st.Text(1));
  e.source_id.assign(st.Text(2));
  e.revision = static_cast<int>(st.Int(3));
  e.date_start = DateOrZero(st.Text(4));
  e.latitude = st.Double(5);
  e.longitude = st.Double(6);
  e.country.assign(st.Text(7));
  e.admin1.assign(st.Text(8));
  e.admin2.assign(st.Text(9));
  e.gid = st.Int(10);
  e.event_type.assign(st.Text(11));
  e.sub_event_type.assign(st.Text(12));
  e.actor1.assign(st.Text(13));
  e.actor2.assign(st.Text(14));
  DecodeActors(st.Text(15), &e);
  e.fatalities = st.OptInt(16);
  e.confidence = st.Double(17);
  VIGIL_RETURN_IF_ERROR(DecodeDetail(st.Blob(18), &e));
  // The event's own id first, the others in key order.
  e.sources.resize(1);
  e.sources[0].source.assign(e.source);
  e.sources[0].source_id.assign(e.source_id);
  e.sources[0].revision = e.revision;
  if (!st.IsNull(19)) AppendLinks(st.Text(19), &e);
  return Status::Ok();
}

Result<Event> RowToEvent(const Stmt& st) {
  Event e;
  VIGIL_RETURN_IF_ERROR(RowToEventInto(st, &e));
  return e;
}

// Binds the event's data columns (the order of kDataNames) at indices
// offset+1 .. offset+kDataColumns. Nothing is copied: `buf` holds the ISO
// date and the packed columns until the statement has run.
// The packed columns of e (actors_more, detail), as InsertEvent binds them.
void EncodePacked(const Event& e, EncodedEvent* out) {
  EncodeActors(e, &out->parts[0]);
  EncodeDetail(e, &out->parts[1]);
  out->ready = true;
}

struct BindBuffers {
  std::string date;
  EncodedEvent packed;  // when the caller has none
};
void BindEventData(Stmt& st, const Event& e, int offset, BindBuffers* buf, const EncodedEvent* enc = nullptr) {
  if (!enc || !enc->ready) {
    EncodePacked(e, &buf->packed);
    enc = &buf->packed;
  }
  int i = offset + 1;
  st.Bind(i++, e.revision);
  buf->date = e.date_start.ToIso();
  st.BindStatic(i++, buf->date);
  st.Bind(i++, e.latitude);
  st.Bind(i++, e.longitude);
  st.BindStatic(i++, e.country);
  st.BindStatic(i++, e.admin1);
  st.BindStatic(i++, e.admin2);
  st.Bind(i++, e.gid ? e.gid : core::PrioGid(e.latitude, e.longitude));
  st.BindStatic(i++, e.event_type);
  st.BindStatic(i++, e.sub_event_type);
  st.BindStatic(i++, e.actor1);
  st.BindStatic(i++, e.actor2);
  st.BindStatic(i++, enc->parts[0]);
  st.Bind(i++, e.fatalities);
  st.Bind(i++, e.confidence);
  st.BindBlobStatic(i++, enc->parts[1]);
}
constexpr int kDataColumns = 16;
constexpr std::string_view kDataNames =
    "revision, date_start, latitude, longitude, country, admin1, admin2, gid, event_type, sub_event_type, actor1, "
    "actor2, actors_more, fatalities, confidence, detail";

std::string Placeholders(int n, int first) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ", ";
    s += "?" + std::to_string(first + i);
  }
  return s;
}

// "(?1, ..., ?n), (?n+1, ...), ..." for a multi-row INSERT: `rows` rows of
// `columns` parameters each.
std::string ValuesRows(int columns, int rows) {
  std::string s;
  for (int r = 0; r < rows; ++r) s += (r ? ", (" : "(") + Placeholders(columns, r * columns + 1) + ")";
  return s;
}

// WHERE clause for a filter, with its parameters in order.
struct Where {
  std::string sql;
  std::vector<std::string> text_params;  // bound as text or numbers by kind
  std::vector<int> kinds;                // 0 text, 1 int, 2 double
  std::vector<double> num_params;

  void AddText(const std::string& v) {
    text_params.push_back(v);
    num_params.push_back(0);
    kinds.push_back(0);
  }
  void AddInt(int64_t v) {
    text_params.emplace_back();
    num_params.push_back(static_cast<double>(v));
    kinds.push_back(1);
  }
  void AddDouble(double v) {
    text_params.emplace_back();
    num_params.push_back(v);
    kinds.push_back(2);
  }
  void Clause(const std::string& c) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += c;
  }
  void InList(const std::string& column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::string c = column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      c += i ? ",?" : "?";
      AddText(values[i]);
    }
    Clause(c + ")");
  }
  void Bind(Stmt& st) const {
    for (size_t i = 0; i < kinds.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      if (kinds[i] == 0)
        st.Bind(idx, text_params[i]);
      else if (kinds[i] == 1)
        st.Bind(idx, static_cast<int64_t>(num_params[i]));
      else
        st.Bind(idx, num_params[i]);
    }
  }
};

Where BuildWhere(const EventFilter& f) {
  Where w;
  w.InList("e.country", f.countries);
  w.InList("e.admin1", f.admin1);
  w.InList("e.admin2", f.admin2);
  w.InList("e.event_type", f.event_types);
  w.InList("e.sub_event_type", f.sub_event_types);
  w.InList("e.source", f.sources);
  if (f.bbox) {
    std::vector<int64_t> gids = f.gids;
    if (gids.empty()) gids = core::PrioCellsInBox(f.bbox->west, f.bbox->south, f.bbox->east, f.bbox->north, 2000);
    if (!gids.empty()) {
      std::string c = "e.gid IN (";
      for (size_t i = 0; i < gids.size(); ++i) c += (i ? "," : "") + std::to_string(gids[i]);
      w.Clause(c + ")");
    }
    w.Clause("e.latitude BETWEEN ? AND ?");
    w.AddDouble(f.bbox->south);
    w.AddDouble(f.bbox->north);
    w.Clause("e.longitude BETWEEN ? AND ?");
    w.AddDouble(f.bbox->west);
    w.AddDouble(f.bbox->east);
  } else if (!f.gids.empty()) {
    std::string c = "e.gid IN (";
    for (size_t i = 0; i < f.gids.size(); ++i) c += (i ? "," : "") + std::to_string(f.gids[i]);
    w.Clause(c + ")");
  }
  if (f.from) {
    w.Clause("e.date_start >= ?");
    w.AddText(f.from->ToIso());
  }
  if (f.to) {
    w.Clause("e.date_start <= ?");
    w.AddText(f.to->ToIso());
  }
  if (!f.actors.empty()) {
    std::string c = "(";
    const char* cols[] = {"actor1", "actor2", "actors_more"};
    for (size_t a = 0; a < f.actors.size(); ++a) {
      const std::string pat = "%" + EscapeLike(f.actors[a]) + "%";
      for (size_t i = 0; i < 3; ++i) {
        c += std::string(a || i ? " OR " : "") + "e." + cols[i] + " LIKE ? ESCAPE '\\'";
        w.AddText(pat);
      }
    }
    w.Clause(c + ")");
  }
  if (f.min_fatalities) {
    w.Clause("coalesce(e.fatalities, 0) >= ?");
    w.AddInt(*f.min_fatalities);
  }
  if (f.after_id > 0) {
    w.Clause("e.id > ?");
    w.AddInt(f.after_id);
  }
  if (f.after_key) {
    w.Clause(f.newest_first ? "(e.date_start, e.id) < (?, ?)" : "(e.date_start, e.id) > (?, ?)");
    w.AddText(f.after_key->first);
    w.AddInt(f.after_key->second);
  }
  return w;
}

// The record of an event's first row when it is kept inside its block
// (store/chunk_records.h). Blocks never change once written, so the last
// block's decoded records are kept: consecutive events share a block.
class BlockRecords {
 public:
  explicit BlockRecords(Db* db) : db_(db) {}
  struct Found {
    int64_t chunk_id = 0;
    ChunkRecord record;
  };
  Result<std::optional<Found>> Find(int64_t event_id) {
    if (chunk_ && event_id >= first_ && event_id < first_ + static_cast<int64_t>(records_.size()))
      return std::optional<Found>(Found{chunk_, records_[static_cast<size_t>(event_id - first_)]});
    if (!st_) {
      VIGIL_ASSIGN_OR_RETURN(st_, db_->Prepare("SELECT id, first_event, records FROM source_chunks WHERE "
                                               "last_event >= ? ORDER BY last_event LIMIT 1"));
    }
    st_->Bind(1, event_id);
    auto row = st_->Step();
    if (!row.ok() || !*row || st_->Int(1) > event_id) {
      st_->Reset();
      if (!row.ok()) return row.status();
      return std::optional<Found>();
    }
    const int64_t id = st_->Int(0), first = st_->Int(1);
    auto decoded = DecodeChunkRecords(st_->Blob(2));
    st_->Reset();
    if (!decoded.ok()) return core::DatabaseError("block " + std::to_string(id) + ": " + decoded.status().message());
    chunk_ = id;
    first_ = first;
    records_ = std::move(*decoded);
    if (event_id - first_ >= static_cast<int64_t>(records_.size()))
      return core::DatabaseError("block " + std::to_string(id) + " lists fewer rows than the events it created");
    return std::optional<Found>(Found{chunk_, records_[static_cast<size_t>(event_id - first_)]});
  }
  // Forgets the decoded block (statements must be finalised before COMMIT).
  void Close() {
    st_.reset();
    chunk_ = 0;
    records_.clear();
  }

 private:
  Db* db_;
  std::optional<Stmt> st_;
  int64_t chunk_ = 0, first_ = 0;
  std::vector<ChunkRecord> records_;
};

class SqliteBatch;

constexpr std::string_view kSnapshotSelect =
    "SELECT id, model, format_version, as_of, window_start, selection, params, fingerprint, created_at, "
    "catalogue FROM model_snapshots";

Result<std::optional<ModelSnapshot>> ReadSnapshot(Stmt& st) {
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<ModelSnapshot>();
  ModelSnapshot m;
  m.id = st.Int(0);
  m.model = st.Text(1);
  m.format_version = static_cast<int>(st.Int(2));
  m.as_of = DateOrZero(st.Text(3));
  m.window_start = DateOrZero(st.Text(4));
  m.selection = st.Text(5);
  m.params = st.Text(6);
  m.fingerprint = st.Text(7);
  m.created_at = st.Text(8);
  if (!st.IsNull(9)) m.catalogue = std::string(st.Blob(9));
  return std::optional<ModelSnapshot>(std::move(m));
}

class SqliteStore final : public EventStore {
 public:
  explicit SqliteStore(Db db) : db_(std::move(db)) {}

  Result<int> Version() override {
    VIGIL_ASSIGN_OR_RETURN(int64_t v, db_.QueryInt("PRAGMA user_version"));
    return static_cast<int>(v);
  }

  Result<int> Migrate() override {
    VIGIL_ASSIGN_OR_RETURN(int before, Version());
    if (before > SchemaVersion())
      return Status(core::Code::kConflict, "database schema version " + std::to_string(before) +
                                               " is newer than this vigil (" + std::to_string(SchemaVersion()) +
                                               "); upgrade vigil");
    if (before < SchemaVersion()) VIGIL_RETURN_IF_ERROR(RegisterCodecFunctions(db_.raw()));
    for (const auto& m : SqliteMigrations()) {
      if (m.version <= before) continue;
      if (m.rebuilds_table) VIGIL_RETURN_IF_ERROR(db_.Exec("PRAGMA foreign_keys=OFF"));
      Status applied = [&]() -> Status {
        Transaction tx(&db_);
        VIGIL_RETURN_IF_ERROR(tx.begin_status());
        VIGIL_RETURN_IF_ERROR(db_.Exec(m.sql));
        if (m.rebuilds_table) {
          VIGIL_ASSIGN_OR_RETURN(Stmt check, db_.Prepare("PRAGMA foreign_key_check"));
          VIGIL_ASSIGN_OR_RETURN(bool dangling, check.Step());
          if (dangling)
            return core::DatabaseError("migration " + std::to_string(m.version) +
                                       " would leave rows pointing at missing events; nothing was changed");
        }
        VIGIL_RETURN_IF_ERROR(db_.Exec("PRAGMA user_version=" + std::to_string(m.version)));
        return tx.Commit();
      }();
      if (m.rebuilds_table) (void)db_.Exec("PRAGMA foreign_keys=ON");
      VIGIL_RETURN_IF_ERROR(applied);
    }
    return before;
  }

  Status CheckCurrent() override {
    VIGIL_ASSIGN_OR_RETURN(int v, Version());
    if (v == SchemaVersion()) return Status::Ok();
    if (v > SchemaVersion())
      return Status(core::Code::kConflict,
                    "database schema version " + std::to_string(v) + " is newer than this vigil; upgrade vigil");
    return Status(core::Code::kConflict, "database schema version " + std::to_string(v) + " is older than " +
                                             std::to_string(SchemaVersion()) + "; run 'vigil init' to upgrade it");
  }

  Status ReplaceReference(const std::vector<PlaceRow>& places, const std::vector<AdminUnitRow>& units,
                          const std::vector<GridCellRow>& cells, const std::string& fingerprint) override {
    Transaction tx(&db_);
    VIGIL_RETURN_IF_ERROR(tx.begin_status());
    VIGIL_RETURN_IF_ERROR(db_.Exec("DELETE FROM places; DELETE FROM admin_units; DELETE FROM grid_cells;"));
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      for (const auto& p : places) {
        st.Bind(1, p.geonameid).Bind(2, p.name).BindText(3, p.asciiname).BindText(4, p.alternatenames);
        st.Bind(5, p.latitude).Bind(6, p.longitude).BindText(7, p.feature_class).BindText(8, p.feature_code);
        st.BindText(9, p.country_code).BindText(10, p.admin1_code).BindText(11, p.admin1_name);
        st.BindText(12, p.admin2_name).Bind(13, p.population).Bind(14, p.origin);
        VIGIL_RETURN_IF_ERROR(st.Run());
      }
    }
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO admin_units VALUES (?,?,?,?,?,?,?,?,?,?)"));
      for (const auto& a : units) {
        st.Bind(1, a.pcode).Bind(2, a.level).Bind(3, a.name).BindText(4, a.parent_pcode).Bind(5, a.country);
        st.Bind(6, a.min_lon).Bind(7, a.min_lat).Bind(8, a.max_lon).Bind(9, a.max_lat).Bind(10, a.geometry_geojson);
        VIGIL_RETURN_IF_ERROR(st.Run());
      }
    }
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO grid_cells VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
      for (const auto& c : cells) {
        st.Bind(1, c.gid).Bind(2, c.row).Bind(3, c.col).Bind(4, c.xmin).Bind(5, c.ymin).Bind(6, c.xmax);
        st.Bind(7, c.ymax).Bind(8, c.lon).Bind(9, c.lat).BindText(10, c.country).Bind(11, c.mali_area_share);
        VIGIL_RETURN_IF_ERROR(st.Run());
      }
    }
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT OR REPLACE INTO meta VALUES ('reference_fingerprint', ?)"));
      st.Bind(1, fingerprint);
      VIGIL_RETURN_IF_ERROR(st.Run());
    }
    return tx.Commit();
  }

  Result<std::string> RowHashAlgorithm() override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT value FROM meta WHERE key='row_hash'"));
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? std::string(st.Text(0)) : std::string("fnv1a64");
  }

  Result<std::string> ReferenceFingerprint() override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT value FROM meta WHERE key='reference_fingerprint'"));
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? std::string(st.Text(0)) : std::string();
  }

  Result<int64_t> CountReference(const std::string& table) override { return CountRows(table); }

  Result<int64_t> CountRows(const std::string& table) override {
    static const char* kAllowed[] = {"places",        "admin_units",    "grid_cells",    "events",
                                     "event_sources", "source_records", "source_chunks", "source_files"};
    for (const char* t : kAllowed)
      if (table == t) return db_.QueryInt("SELECT count(*) FROM " + table);
    return core::InvalidArgument("unknown table " + table);
  }

  Result<std::unique_ptr<ImportBatch>> BeginImport(bool bulk) override;

  void SetBusyTimeout(int milliseconds) override { sqlite3_busy_timeout(db_.raw(), milliseconds); }
  Status Checkpoint() override {
    int log = 0, done = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    return rc == SQLITE_OK || rc == SQLITE_BUSY ? Status::Ok() : db_.Error("checkpoint");
  }
  void DeferCheckpoints() override { sqlite3_wal_autocheckpoint(db_.raw(), 0); }

  // The progress handler runs every kBudgetStride VM steps; a nonzero
  // return makes the statement fail with SQLITE_INTERRUPT.
  static constexpr int kBudgetStride = 1000;
  void SetQueryBudget(const QueryBudget& budget) override {
    budget_ = budget;
    budget_steps_ = 0;
    sqlite3_progress_handler(db_.raw(), kBudgetStride, &SqliteStore::OverBudget, this);
  }
  void ClearQueryBudget() override { sqlite3_progress_handler(db_.raw(), 0, nullptr, nullptr); }
  static int OverBudget(void* self) {
    auto* s = static_cast<SqliteStore*>(self);
    s->budget_steps_ += kBudgetStride;
    if (s->budget_.max_steps > 0 && s->budget_steps_ > s->budget_.max_steps) return 1;
    return std::chrono::steady_clock::now() > s->budget_.deadline ? 1 : 0;
  }

  Status TuneForReads(int64_t mmap_bytes, int64_t cache_kib) override {
    return db_.Exec("PRAGMA mmap_size=" + std::to_string(mmap_bytes) + "; PRAGMA cache_size=-" +
                    std::to_string(cache_kib));
  }

  Status ForEachEventLazy(const EventFilter& f, const std::function<bool(int64_t)>& want,
                          const std::function<bool(int64_t, std::string_view, const Event*)>& fn) override {
    if (const auto cells = MergeCells(f); !cells.empty()) return ForEachInBoxNewest(f, cells, want, fn);
    std::string date;
    return ForEachEvent(f, [&](const Event& e) {
      date = e.date_start.ToIso();
      return fn(e.id, date, &e);
    });
  }

  // The events' generation: bumped by every import's commit (any process),
  // untouched by writes to other tables (alerts, sessions, audit).
  Result<int64_t> DataVersion() override {
    VIGIL_ASSIGN_OR_RETURN(store::CachedStmt lease,
                           db_.Cached("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = "
                                      "'events_generation'), 0)"));
    VIGIL_ASSIGN_OR_RETURN(bool row, lease.get().Step());
    return row ? lease.get().Int(0) : 0;
  }

  Status ForEachEvent(const EventFilter& f, const std::function<bool(const Event&)>& fn) override {
    if (const auto cells = MergeCells(f); !cells.empty())
      return ForEachInBoxNewest(f, cells, nullptr, [&](int64_t, std::string_view, const Event* e) { return fn(*e); });
    const Where w = BuildWhere(f);
    std::string sql = "SELECT " + std::string(kEventColumns) + " FROM events e" + w.sql;
    sql += f.newest_first ? " ORDER BY e.date_start DESC, e.id DESC" : " ORDER BY e.date_start, e.id";
    if (f.limit > 0) sql += " LIMIT " + std::to_string(f.limit);
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(sql));
    w.Bind(st);
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      VIGIL_ASSIGN_OR_RETURN(Event e, RowToEvent(st));
      if (!fn(e)) break;
    }
    return Status::Ok();
  }

  void EncodeEvent(const Event& e, EncodedEvent* out) const override { EncodePacked(e, out); }

  Result<std::vector<Event>> QueryEvents(const EventFilter& f) override {
    std::vector<Event> out;
    VIGIL_RETURN_IF_ERROR(ForEachEvent(f, [&](const Event& e) {
      out.push_back(e);
      return true;
    }));
    return out;
  }

  Result<int64_t> CountEvents(const EventFilter& f) override {
    const Where w = BuildWhere(f);
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT count(*) FROM events e" + w.sql));
    w.Bind(st);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    (void)row;
    return st.Int(0);
  }

  Result<Event> GetEvent(int64_t id) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st,
                           db_.Prepare("SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.id=?"));
    st.Bind(1, id);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return core::NotFound("no event with id " + std::to_string(id));
    return RowToEvent(st);
  }

  using EventRepository::Stats;
  Result<std::vector<StatsRow>> Stats(const EventFilter& f, const StatsGrouping& g) override {
    const Where w = BuildWhere(f);
    // date(d, 'weekday 0', '-6 days') is the Monday of d's ISO week.
    const std::string period = g.weekly ? "date(e.date_start, 'weekday 0', '-6 days')" : "substr(e.date_start, 1, 7)";
    const std::string admin2 = g.by_admin2 ? "coalesce(e.admin2, '')" : "''";
    // count(fatalities) counts the known ones; an unknown count is not zero.
    VIGIL_ASSIGN_OR_RETURN(
        Stmt st, db_.Prepare("SELECT coalesce(e.admin1, ''), " + admin2 + ", " + period +
                             ", count(*), coalesce(sum(e.fatalities), 0), count(e.fatalities), coalesce(e.country, '') "
                             "FROM events e" +
                             w.sql + " GROUP BY 1, 2, 3, 7 ORDER BY 1, 2, 3, 7"));
    w.Bind(st);
    std::vector<StatsRow> out;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back({std::string(st.Text(0)), std::string(st.Text(1)), std::string(st.Text(2)), st.Int(3), st.Int(4),
                     st.Int(5), std::string(st.Text(6))});
    }
    return out;
  }

  Result<std::vector<SourceRecord>> Provenance(int64_t event_id) override {
    VIGIL_ASSIGN_OR_RETURN(
        Stmt st,
        db_.Prepare(
            "SELECT r.id, r.event_id, r.source, r.source_id, r.revision, coalesce(f.path, ''), "
            "coalesce(r.line, 0), coalesce(f.header, ''), r.raw, r.chunk_id, r.chunk_offset, r.chunk_length, c.data, "
            "coalesce(r.file_id, 0), r.row_hash "
            "FROM source_records r LEFT JOIN source_files f ON f.id = r.file_id LEFT JOIN "
            "source_chunks c ON c.id = r.chunk_id WHERE r.event_id = ? ORDER BY r.id"));
    st.Bind(1, event_id);
    std::vector<SourceRecord> out;
    const std::string* chunk_text = nullptr;
    // The event's first row, when kept inside its block, comes first.
    VIGIL_ASSIGN_OR_RETURN(auto first, blocks_.Find(event_id));
    if (first) {
      VIGIL_ASSIGN_OR_RETURN(Stmt b, db_.Prepare("SELECT c.data, coalesce(f.path, ''), coalesce(f.header, ''), "
                                                 "e.source, e.source_id, coalesce(c.file_id, 0) FROM source_chunks c "
                                                 "LEFT JOIN source_files "
                                                 "f ON f.id = c.file_id JOIN events e ON e.id = ?2 WHERE c.id = ?1"));
      b.Bind(1, first->chunk_id).Bind(2, event_id);
      VIGIL_ASSIGN_OR_RETURN(bool found, b.Step());
      if (!found) return core::DatabaseError("event " + std::to_string(event_id) + " or its block is missing");
      VIGIL_ASSIGN_OR_RETURN(chunk_text, block_cache_.Text(first->chunk_id, b.Blob(0)));
      const ChunkRecord& c = first->record;
      if (c.offset + c.length > static_cast<int64_t>(chunk_text->size()))
        return core::DatabaseError("the first row of event " + std::to_string(event_id) +
                                   " points outside its stored block");
      SourceRecord r;
      r.event_id = event_id;
      r.source = b.Text(3);
      r.source_id = b.Text(4);
      r.revision = 1;
      r.file_path = b.Text(1);
      r.line = c.line;
      r.header = b.Text(2);
      r.file_id = b.Int(5);
      r.row_hash = c.row_hash;
      r.raw = chunk_text->substr(static_cast<size_t>(c.offset), static_cast<size_t>(c.length));
      out.push_back(std::move(r));
    }
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      SourceRecord r;
      r.id = st.Int(0);
      r.event_id = st.Int(1);
      r.source = st.Text(2);
      r.source_id = st.Text(3);
      r.revision = static_cast<int>(st.Int(4));
      r.file_path = st.Text(5);
      r.line = st.Int(6);
      r.header = st.Text(7);
      r.file_id = st.Int(13);
      r.row_hash = static_cast<uint64_t>(st.Int(14));
      if (st.IsNull(9)) {
        r.raw = st.Text(8);
      } else {
        const int64_t chunk = st.Int(9), offset = st.Int(10), length = st.Int(11);
        VIGIL_ASSIGN_OR_RETURN(chunk_text, block_cache_.Text(chunk, st.Blob(12)));
        if (offset < 0 || length < 0 || offset + length > static_cast<int64_t>(chunk_text->size()))
          return core::DatabaseError("source row " + std::to_string(r.id) + " points outside its stored block");
        r.raw = chunk_text->substr(static_cast<size_t>(offset), static_cast<size_t>(length));
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  // Countries and admin2 names have no index: listing them reads the whole
  // table (0.3 s on a million events). The answer is kept until the data
  // changes: another connection's commit moves data_version, this
  // connection's own writes move total_changes.
  Result<std::vector<std::string>> DistinctValues(const std::string& column) override {
    VIGIL_ASSIGN_OR_RETURN(const int64_t version, DataVersion());
    auto cached = distinct_.find(column);
    if (cached != distinct_.end() && cached->second.data_version == version) return cached->second.values;
    VIGIL_ASSIGN_OR_RETURN(auto values, ReadDistinctValues(column));
    distinct_[column] = {version, values};
    return values;
  }

  Result<std::vector<std::string>> ReadDistinctValues(const std::string& column) {
    std::string sql;
    if (column == "admin1" || column == "admin2" || column == "country")
      sql = "SELECT DISTINCT " + column + " FROM events WHERE " + column + " IS NOT NULL ORDER BY 1";
    else if (column == "source")  // events_source: one index probe per source, not a scan
      sql =
          "WITH RECURSIVE s(x) AS (SELECT min(source) FROM events UNION ALL SELECT (SELECT min(source) FROM events "
          "WHERE source > s.x) FROM s WHERE s.x IS NOT NULL) SELECT x FROM s WHERE x IS NOT NULL";
    else if (column == "reference_admin1")
      sql = "SELECT DISTINCT admin1_name FROM places WHERE admin1_name IS NOT NULL ORDER BY 1";
    else
      return core::InvalidArgument("no distinct values for column " + column);
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(sql));
    std::vector<std::string> out;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.emplace_back(st.Text(0));
    }
    return out;
  }

  Result<int64_t> SaveSnapshot(const ModelSnapshot& m) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO model_snapshots (model, format_version, as_of, "
                                                "window_start, selection, params, fingerprint, created_at, "
                                                "catalogue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st.Bind(1, m.model).Bind(2, m.format_version).Bind(3, m.as_of.ToIso()).Bind(4, m.window_start.ToIso());
    st.Bind(5, m.selection).Bind(6, m.params).Bind(7, m.fingerprint).Bind(8, m.created_at.empty() ? NowIsoUtc() : m.created_at);
    if (m.catalogue.empty())
      st.BindNull(9);
    else
      st.BindBlobStatic(9, m.catalogue);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_.LastInsertRowid();
  }

  Result<std::optional<ModelSnapshot>> FindSnapshot(const std::string& model, Date as_of, Date window_start,
                                                    const std::string& selection,
                                                    const std::string& fingerprint) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string(kSnapshotSelect) +
                                                " WHERE model = ? AND as_of = ? AND window_start = ? AND "
                                                "selection = ? AND fingerprint = ? ORDER BY id DESC LIMIT 1"));
    st.Bind(1, model).Bind(2, as_of.ToIso()).Bind(3, window_start.ToIso()).Bind(4, selection).Bind(5, fingerprint);
    return ReadSnapshot(st);
  }

  Result<std::optional<ModelSnapshot>> LatestSnapshot(const std::string& model) override {
    VIGIL_ASSIGN_OR_RETURN(
        Stmt st, db_.Prepare(std::string(kSnapshotSelect) + " WHERE model = ? ORDER BY as_of DESC, id DESC LIMIT 1"));
    st.Bind(1, model);
    return ReadSnapshot(st);
  }

  Result<std::string> EventsFingerprint() override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT count(*), coalesce(max(id), 0), "
                                                "coalesce(max(ingested_at), '') FROM events"));
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    (void)row;
    return std::to_string(st.Int(0)) + ":" + std::to_string(st.Int(1)) + ":" + std::string(st.Text(2));
  }

  Result<std::vector<SourceCoverage>> Coverage() override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT source, min(date_start), max(date_start), count(*) "
                                                "FROM events GROUP BY source ORDER BY source"));
    std::vector<SourceCoverage> out;
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      SourceCoverage c;
      c.source = std::string(st.Text(0));
      c.first = DateOrZero(st.Text(1));
      c.last = DateOrZero(st.Text(2));
      c.events = st.Int(3);
      out.push_back(std::move(c));
    }
    return out;
  }

  // Pages of kDumpPage events by id: no statement stays open while `fn`
  // runs, so it may query this store.
  static constexpr int kDumpPage = 5000;
  Status DumpEvents(const std::function<Status(const Event&, std::string_view)>& fn) override {
    int64_t after = 0;
    std::vector<std::pair<Event, std::string>> page;
    for (;;) {
      page.clear();
      {
        VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " + std::string(kEventColumns) +
                                                    ", e.ingested_at FROM events e WHERE e.id > ? ORDER BY e.id "
                                                    "LIMIT " +
                                                    std::to_string(kDumpPage)));
        st.Bind(1, after);
        for (;;) {
          VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
          if (!row) break;
          page.emplace_back();
          VIGIL_RETURN_IF_ERROR(RowToEventInto(st, &page.back().first));
          page.back().second = st.Text(20);
        }
      }
      for (const auto& [e, at] : page) VIGIL_RETURN_IF_ERROR(fn(e, at));
      if (static_cast<int>(page.size()) < kDumpPage) return Status::Ok();
      after = page.back().first.id;
    }
  }

  Result<std::vector<SourceFileRow>> SourceFiles() override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT id, source, path, fingerprint, bytes, coalesce(header, ''), "
                                                "imported_at, coalesce(rows_read, 0), coalesce(rows_new, 0), "
                                                "coalesce(rows_revised, 0), coalesce(rows_unchanged, 0), "
                                                "coalesce(rows_merged, 0), coalesce(rows_linked, 0), "
                                                "coalesce(rows_rejected, 0) FROM source_files ORDER BY id"));
    std::vector<SourceFileRow> out;
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      SourceFileRow f;
      f.id = st.Int(0);
      f.source = st.Text(1);
      f.path = st.Text(2);
      f.fingerprint = st.Text(3);
      f.bytes = st.Int(4);
      f.header = st.Text(5);
      f.imported_at = st.Text(6);
      f.summary = {st.Int(7), st.Int(8), st.Int(9), st.Int(10), st.Int(11), st.Int(12), st.Int(13)};
      out.push_back(std::move(f));
    }
    return out;
  }

  Result<ReferenceData> ReadReference() override {
    ReferenceData r;
    VIGIL_ASSIGN_OR_RETURN(r.fingerprint, ReferenceFingerprint());
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT geonameid, name, asciiname, alternatenames, latitude, "
                                                  "longitude, feature_class, feature_code, country_code, "
                                                  "admin1_code, admin1_name, admin2_name, population, origin FROM "
                                                  "places ORDER BY geonameid"));
      for (;;) {
        VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        r.places.push_back({st.Int(0), std::string(st.Text(1)), std::string(st.Text(2)), std::string(st.Text(3)),
                            st.Double(4), st.Double(5), std::string(st.Text(6)), std::string(st.Text(7)),
                            std::string(st.Text(8)), std::string(st.Text(9)), std::string(st.Text(10)),
                            std::string(st.Text(11)), st.Int(12), std::string(st.Text(13))});
      }
    }
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT pcode, name, parent_pcode, country, level, min_lon, "
                                                  "min_lat, max_lon, max_lat, geometry FROM admin_units "
                                                  "ORDER BY pcode"));
      for (;;) {
        VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        r.admin_units.push_back({std::string(st.Text(0)), std::string(st.Text(1)), std::string(st.Text(2)),
                                 std::string(st.Text(3)), static_cast<int>(st.Int(4)), st.Double(5), st.Double(6),
                                 st.Double(7), st.Double(8), std::string(st.Text(9))});
      }
    }
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT gid, row, col, xmin, ymin, xmax, ymax, lon, lat, country, "
                                                  "mali_area_share FROM grid_cells ORDER BY gid"));
      for (;;) {
        VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        r.cells.push_back({st.Int(0), static_cast<int>(st.Int(1)), static_cast<int>(st.Int(2)), st.Double(3),
                           st.Double(4), st.Double(5), st.Double(6), st.Double(7), st.Double(8),
                           std::string(st.Text(9)), st.Double(10)});
      }
    }
    return r;
  }

  Result<std::vector<ModelSnapshot>> Snapshots() override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string(kSnapshotSelect) + " ORDER BY id"));
    std::vector<ModelSnapshot> out;
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(auto m, ReadSnapshot(st));
      if (!m) break;
      out.push_back(std::move(*m));
    }
    return out;
  }

  Db& db() { return db_; }

 private:
  // The newest `limit` events in a box (the map's and the API's commonest
  // query), by a k-way merge over the box's PRIO-GRID cells: each cell is
  // read newest first from the covering index (gid, date_start, id,
  // latitude, longitude), so the work is about `limit` index steps per
  // cell touched instead of every event in the box. Same order and result
  // as the general query (tested).
  // The box's PRIO-GRID cells when the merge applies (box, newest first, a
  // limit, no filter that needs the table); empty otherwise, and for very
  // large boxes, where most events are inside and the date index is best.
  static std::vector<int64_t> MergeCells(const EventFilter& f) {
    const bool applies = f.bbox && f.newest_first && f.limit > 0 && f.limit <= 100000 && f.countries.empty() &&
                         f.admin1.empty() && f.admin2.empty() && f.event_types.empty() && f.sub_event_types.empty() &&
                         f.actors.empty() && !f.min_fatalities && f.sources.empty() && f.gids.empty() &&
                         f.after_id == 0;
    if (!applies) return {};
    return core::PrioCellsInBox(f.bbox->west, f.bbox->south, f.bbox->east, f.bbox->north, 400);
  }

  Status ForEachInBoxNewest(const EventFilter& f, const std::vector<int64_t>& cells,
                            const std::function<bool(int64_t)>& want,
                            const std::function<bool(int64_t, std::string_view, const Event*)>& fn) {
    const BBox& b = *f.bbox;
    const std::string from = f.from ? f.from->ToIso() : std::string("0000-00-00");
    const std::string to = f.to ? f.to->ToIso() : std::string("9999-99-99");
    const std::string key_date = f.after_key ? f.after_key->first : std::string("9999-99-99~");
    const int64_t key_id = f.after_key ? f.after_key->second : INT64_MAX;
    while (cell_stmts_.size() < cells.size()) {
      VIGIL_ASSIGN_OR_RETURN(
          Stmt st, db_.Prepare("SELECT date_start, id, latitude, longitude FROM events INDEXED BY events_gid_date "
                               "WHERE gid = ?1 AND date_start >= ?2 AND date_start <= ?3 AND (date_start, id) < "
                               "(?4, ?5) ORDER BY date_start DESC, id DESC"));
      cell_stmts_.push_back(std::move(st));
    }
    struct Head {
      Stmt* st;
      std::string date;
      int64_t id;
      double lat, lon;
    };
    auto less = [](const Head& x, const Head& y) { return x.date != y.date ? x.date < y.date : x.id < y.id; };
    std::vector<Head> heap;
    heap.reserve(cells.size());
    auto advance = [&](Head h) -> Status {
      VIGIL_ASSIGN_OR_RETURN(bool row, h.st->Step());
      if (!row) {
        h.st->Reset();
        return Status::Ok();
      }
      h.date = h.st->Text(0);
      h.id = h.st->Int(1);
      h.lat = h.st->Double(2);
      h.lon = h.st->Double(3);
      heap.push_back(std::move(h));
      std::push_heap(heap.begin(), heap.end(), less);
      return Status::Ok();
    };
    Status status;
    for (size_t i = 0; i < cells.size() && status.ok(); ++i) {
      Stmt& st = cell_stmts_[i];
      st.Reset();
      st.Bind(1, cells[i]).Bind(2, from).Bind(3, to).Bind(4, key_date).Bind(5, key_id);
      status = advance(Head{&st, {}, 0, 0, 0});
    }
    std::vector<std::pair<int64_t, std::string>> ids;
    while (status.ok() && !heap.empty() && static_cast<int64_t>(ids.size()) < f.limit) {
      std::pop_heap(heap.begin(), heap.end(), less);
      Head h = std::move(heap.back());
      heap.pop_back();
      if (h.lat >= b.south && h.lat <= b.north && h.lon >= b.west && h.lon <= b.east) ids.emplace_back(h.id, h.date);
      status = advance(std::move(h));
    }
    for (auto& h : heap) h.st->Reset();
    VIGIL_RETURN_IF_ERROR(status);
    if (!get_by_id_) {
      VIGIL_ASSIGN_OR_RETURN(Stmt st,
                             db_.Prepare("SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.id=?"));
      get_by_id_ = std::move(st);
    }
    Event e;  // reused: its buffers grow once
    for (const auto& [id, date] : ids) {
      if (want && !want(id)) {
        if (!fn(id, date, nullptr)) break;
        continue;
      }
      get_by_id_->Reset();
      get_by_id_->Bind(1, id);
      VIGIL_ASSIGN_OR_RETURN(bool row, get_by_id_->Step());
      if (!row) continue;
      Status read = RowToEventInto(*get_by_id_, &e);
      if (!read.ok()) {
        get_by_id_->Reset();
        return read;
      }
      const bool more = fn(id, date, &e);
      get_by_id_->Reset();
      if (!more) break;
    }
    return Status::Ok();
  }

  Db db_;
  QueryBudget budget_;
  int64_t budget_steps_ = 0;
  struct Distinct {
    int64_t data_version = 0;
    std::vector<std::string> values;
  };
  std::unordered_map<std::string, Distinct> distinct_;  // DistinctValues, while the data is unchanged
  std::vector<Stmt> cell_stmts_;
  std::optional<Stmt> get_by_id_;
  BlockRecords blocks_{&db_};
  BlockCache block_cache_;  // Provenance's last block
};

class SqliteBatch final : public ImportBatch {
 public:
  SqliteBatch(Db* db, bool bulk) : db_(db), bulk_(bulk) {}
  ~SqliteBatch() override {
    tx_.reset();  // rolls back unless committed
    if (journal_switched_) (void)db_->Exec("PRAGMA journal_mode=WAL");
    if (foreign_keys_off_) (void)db_->Exec("PRAGMA foreign_keys=ON; PRAGMA ignore_check_constraints=OFF");
  }

  Status Init() {
    if (bulk_) {
      // Pages appended to the file need no rollback journal, and nothing is
      // written twice (WAL, then checkpoint). Falls back to WAL when another
      // connection holds the database.
      auto mode = db_->Prepare("PRAGMA journal_mode=TRUNCATE");
      if (mode.ok() && mode->Step().ok() && mode->Text(0) == "truncate") journal_switched_ = true;
      // Every reference a bulk load writes is to a row it has just
      // inserted: checking each against its parent table costs a B-tree
      // lookup per row for nothing. (Only settable outside a transaction.)
      VIGIL_RETURN_IF_ERROR(db_->Exec("PRAGMA foreign_keys=OFF"));
      foreign_keys_off_ = true;
      // The CHECK constraints of events (coordinate ranges, geo precision)
      // are what core::ValidateEvent checked on every row already.
      VIGIL_RETURN_IF_ERROR(db_->Exec("PRAGMA ignore_check_constraints=ON"));
      // File-backed temporary storage for the index builds at Commit()
      // (see there); it can only be switched outside a transaction.
      VIGIL_RETURN_IF_ERROR(db_->Exec("PRAGMA temp_store=FILE"));
    }
    tx_.emplace(db_);
    VIGIL_RETURN_IF_ERROR(tx_->begin_status());
    if (bulk_) {
      for (auto name : BulkIndexNames()) VIGIL_RETURN_IF_ERROR(db_->Exec("DROP INDEX IF EXISTS " + std::string(name)));
    }
    // A large page cache keeps a big import's pages in memory until commit
    // instead of spilling them to the WAL again and again.
    VIGIL_RETURN_IF_ERROR(db_->Exec(bulk_ ? "PRAGMA cache_size=-32768" : "PRAGMA cache_size=-262144"));
    now_ = NowIsoUtc();
    VIGIL_ASSIGN_OR_RETURN(insert_event_,
                           db_->Prepare("INSERT INTO events (source, source_id, " + std::string(kDataNames) +
                                        ", n_sources, ingested_at) VALUES (" + Placeholders(kDataColumns + 2, 1) +
                                        ", 1, ?" + std::to_string(kDataColumns + 3) + ")"));
    std::string set;  // "col = ?i" with increasing indices
    int idx = 1;
    for (auto name : core::Split(kDataNames, ',')) {
      if (!set.empty()) set += ", ";
      set += std::string(core::Trim(name)) + " = ?" + std::to_string(idx++);
    }
    VIGIL_ASSIGN_OR_RETURN(update_event_,
                           db_->Prepare("UPDATE events SET " + set + ", ingested_at = ?" + std::to_string(idx) +
                                        " WHERE id = ?" + std::to_string(idx + 1)));
    VIGIL_ASSIGN_OR_RETURN(insert_link_, db_->Prepare("INSERT OR REPLACE INTO event_sources VALUES (?, ?, ?, ?)"));
    VIGIL_ASSIGN_OR_RETURN(count_links_, db_->Prepare("UPDATE events SET n_sources = 1 + (SELECT count(*) FROM "
                                                      "event_sources WHERE event_id = ?1) WHERE id = ?1"));
    VIGIL_ASSIGN_OR_RETURN(is_own_, db_->Prepare("SELECT 1 FROM events WHERE id = ? AND source = ? AND source_id = ?"));
    VIGIL_ASSIGN_OR_RETURN(insert_record_, db_->Prepare(std::string(kInsertRecord) + ValuesRows(kRecordColumns, 1)));
    VIGIL_ASSIGN_OR_RETURN(insert_chunk_, db_->Prepare("INSERT INTO source_chunks (file_id, codec, rows, raw_bytes, "
                                                       "data, first_event, last_event, records) VALUES "
                                                       "(?, 'zstd', ?, ?, ?, ?, ?, ?)"));
    VIGIL_ASSIGN_OR_RETURN(lookup_own_,
                           db_->Prepare("SELECT id, revision FROM events WHERE source = ? AND source_id = ?"));
    VIGIL_ASSIGN_OR_RETURN(lookup_, db_->Prepare("SELECT event_id, revision FROM event_sources WHERE source = ? AND "
                                                 "source_id = ?"));
    VIGIL_ASSIGN_OR_RETURN(lookup_hashes_, db_->Prepare("SELECT row_hash FROM source_records WHERE event_id = ? AND "
                                                        "source = ? AND source_id = ?"));
    return Status::Ok();
  }

  Result<int64_t> AddSourceFile(const std::string& source, const std::string& path, const std::string& fingerprint,
                                int64_t bytes, const std::string& header) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("INSERT INTO source_files (source, path, fingerprint, bytes, "
                                                 "header, imported_at) VALUES (?, ?, ?, ?, ?, ?)"));
    st.Bind(1, source).Bind(2, path).Bind(3, fingerprint).Bind(4, bytes).Bind(5, header).Bind(6, now_);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_->LastInsertRowid();
  }

  Status FinishSourceFile(int64_t file_id, const FileSummary& s) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("UPDATE source_files SET rows_read=?, rows_new=?, rows_revised=?, "
                                                 "rows_unchanged=?, rows_merged=?, rows_linked=?, rows_rejected=? "
                                                 "WHERE id=?"));
    st.Bind(1, s.rows_read).Bind(2, s.rows_new).Bind(3, s.rows_revised).Bind(4, s.rows_unchanged);
    st.Bind(5, s.rows_merged).Bind(6, s.rows_linked).Bind(7, s.rows_rejected).Bind(8, file_id);
    return st.Run();
  }

  Result<bool> SourceHasRows(const std::string& source) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("SELECT EXISTS (SELECT 1 FROM events WHERE source = ?1) OR EXISTS "
                                                 "(SELECT 1 FROM event_sources WHERE source = ?1)"));
    st.Bind(1, source);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    return row && st.Int(0) != 0;
  }

  Result<bool> OtherSourcesPresent(const std::string& source) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("SELECT 1 FROM source_files WHERE source <> ? LIMIT 1"));
    st.Bind(1, source);
    return st.Step();
  }

  // An event's own id is found in events (index events_source), another
  // source's id linked to it in event_sources. During a bulk load the
  // store was empty and the importer knows every id it has stored: only
  // links are looked up (events_source is built at Commit()).
  Result<std::optional<ExistingSource>> Lookup(const std::string& source, const std::string& source_id) override {
    ExistingSource ex;
    bool own = false, found = false;
    for (Stmt* st : {&lookup_own_, &lookup_}) {
      if (st == &lookup_own_ && bulk_) continue;
      st->Bind(1, source).Bind(2, source_id);
      auto row = st->Step();
      if (!row.ok()) {
        st->Reset();
        return row.status();
      }
      if (*row) {
        ex.event_id = st->Int(0);
        ex.revision = static_cast<int>(st->Int(1));
        own = st == &lookup_own_;
        found = true;
      }
      st->Reset();
      if (found) break;
    }
    if (!found) return std::optional<ExistingSource>();
    if (own) {
      VIGIL_ASSIGN_OR_RETURN(auto first, blocks_.Find(ex.event_id));
      if (first) ex.row_hashes.push_back(first->record.row_hash);
    }
    lookup_hashes_.Bind(1, ex.event_id).Bind(2, source).Bind(3, source_id);
    while (true) {
      auto r = lookup_hashes_.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      ex.row_hashes.push_back(static_cast<uint64_t>(lookup_hashes_.Int(0)));
    }
    lookup_hashes_.Reset();
    return std::optional<ExistingSource>(std::move(ex));
  }

  Result<int64_t> InsertEvent(const Event& e, const EncodedEvent* encoded) override {
    insert_event_.BindStatic(1, e.source).BindStatic(2, e.source_id);
    BindEventData(insert_event_, e, 2, &bind_, encoded);
    insert_event_.BindStatic(kDataColumns + 3, now_);
    VIGIL_RETURN_IF_ERROR(insert_event_.Run());
    return db_->LastInsertRowid();
  }

  Status UpdateEvent(const Event& e) override {
    BindEventData(update_event_, e, 0, &bind_);
    update_event_.BindStatic(kDataColumns + 1, now_);
    update_event_.Bind(kDataColumns + 2, e.id);
    VIGIL_RETURN_IF_ERROR(update_event_.Run());
    if (db_->Changes() != 1) return core::NotFound("no event with id " + std::to_string(e.id) + " to update");
    return Status::Ok();
  }

  // The event's own id needs no link: the event holds its revision.
  Status LinkSource(int64_t event_id, const core::SourceRef& ref) override {
    is_own_.Bind(1, event_id).Bind(2, ref.source).Bind(3, ref.source_id);
    auto own = is_own_.Step();
    is_own_.Reset();
    if (!own.ok()) return own.status();
    if (*own) return Status::Ok();
    insert_link_.Bind(1, ref.source).Bind(2, ref.source_id).Bind(3, event_id).Bind(4, ref.revision);
    VIGIL_RETURN_IF_ERROR(insert_link_.Run());
    count_links_.Bind(1, event_id);
    return count_links_.Run();
  }

  Result<int64_t> AddSourceChunk(int64_t file_id, int64_t rows, int64_t raw_bytes, std::string_view compressed,
                                 std::span<const NewSourceRecord> created) override {
    if (file_id)
      insert_chunk_.Bind(1, file_id);
    else
      insert_chunk_.BindNull(1);
    insert_chunk_.Bind(2, rows).Bind(3, raw_bytes).BindBlobStatic(4, compressed);
    if (created.empty()) {
      insert_chunk_.BindNull(5).BindNull(6).BindNull(7);
    } else {
      chunk_records_.clear();
      for (size_t i = 0; i < created.size(); ++i) {
        const NewSourceRecord& r = created[i];
        if (r.event_id != created[0].event_id + static_cast<int64_t>(i) || r.revision != 1)
          return core::Internal("rows kept in a block must have created consecutive events");
        chunk_records_.push_back({r.line, r.raw.offset, static_cast<int64_t>(r.raw.text.size()), r.row_hash});
      }
      chunk_blob_ = EncodeChunkRecords(chunk_records_);
      insert_chunk_.Bind(5, created.front().event_id).Bind(6, created.back().event_id);
      insert_chunk_.BindBlobStatic(7, chunk_blob_);
    }
    VIGIL_RETURN_IF_ERROR(insert_chunk_.Run());
    return db_->LastInsertRowid();
  }

  // Rows go in groups of kRecordsPerInsert per statement: a statement
  // step costs about as much as the row it inserts.
  static constexpr int kRecordColumns = 11, kRecordsPerInsert = 64;
  static constexpr std::string_view kInsertRecord =
      "INSERT INTO source_records (event_id, source, source_id, revision, file_id, line, row_hash, raw, chunk_id, "
      "chunk_offset, chunk_length) VALUES ";

  Status AddSourceRecords(int64_t file_id, std::span<const NewSourceRecord> rows) override {
    size_t i = 0;
    if (rows.size() >= kRecordsPerInsert && !insert_records_) {
      VIGIL_ASSIGN_OR_RETURN(insert_records_,
                             db_->Prepare(std::string(kInsertRecord) + ValuesRows(kRecordColumns, kRecordsPerInsert)));
    }
    for (; i + kRecordsPerInsert <= rows.size(); i += kRecordsPerInsert) {
      for (int r = 0; r < kRecordsPerInsert; ++r)
        BindRecord(*insert_records_, r * kRecordColumns, file_id, rows[i + r]);
      VIGIL_RETURN_IF_ERROR(insert_records_->Run());
    }
    for (; i < rows.size(); ++i) {
      BindRecord(insert_record_, 0, file_id, rows[i]);
      VIGIL_RETURN_IF_ERROR(insert_record_.Run());
    }
    return Status::Ok();
  }

  Result<std::vector<NearbyEvent>> FindNearby(Date from, Date to, const BBox& box,
                                              const std::string& exclude_source) override {
    if (!nearby_) {
      VIGIL_ASSIGN_OR_RETURN(
          nearby_, db_->Prepare("SELECT id, source, date_start, latitude, longitude, event_type "
                                "FROM events WHERE date_start BETWEEN ? AND ? AND latitude "
                                "BETWEEN ? AND ? AND longitude BETWEEN ? AND ? AND source <> ?7 AND NOT EXISTS "
                                "(SELECT 1 FROM event_sources s WHERE s.event_id = events.id AND "
                                "s.source = ?7)"));
    }
    Stmt& st = *nearby_;
    st.Bind(1, from.ToIso()).Bind(2, to.ToIso()).Bind(3, box.south).Bind(4, box.north).Bind(5, box.west);
    st.Bind(6, box.east).Bind(7, exclude_source);
    std::vector<NearbyEvent> out;
    while (true) {
      auto r = st.Step();
      if (!r.ok()) {
        st.Reset();
        return r.status();
      }
      if (!*r) break;
      out.push_back({st.Int(0), std::string(st.Text(1)), DateOrZero(st.Text(2)), st.Double(3), st.Double(4),
                     std::string(st.Text(5))});
    }
    st.Reset();
    return out;
  }

  Result<Event> GetEvent(int64_t id) override {
    if (!get_event_) {
      VIGIL_ASSIGN_OR_RETURN(get_event_,
                             db_->Prepare("SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.id=?"));
    }
    Stmt& st = *get_event_;
    st.Bind(1, id);
    auto row = st.Step();
    if (!row.ok()) {
      st.Reset();
      return row.status();
    }
    if (!*row) {
      st.Reset();
      return core::NotFound("no event with id " + std::to_string(id));
    }
    auto e = RowToEvent(st);
    st.Reset();
    return e;
  }

  Status AppendAudit(const AuditRecord& r) override { return store::AppendAudit(db_, r); }

  Status RestoreEvent(const Event& e, std::string_view ingested_at) override {
    if (!restore_event_) {
      VIGIL_ASSIGN_OR_RETURN(restore_event_,
                             db_->Prepare("INSERT INTO events (id, source, source_id, " + std::string(kDataNames) +
                                          ", n_sources, ingested_at) VALUES (" + Placeholders(kDataColumns + 5, 1) +
                                          ")"));
    }
    Stmt& st = *restore_event_;
    st.Bind(1, e.id).BindStatic(2, e.source).BindStatic(3, e.source_id);
    BindEventData(st, e, 3, &bind_);
    st.Bind(kDataColumns + 4, static_cast<int64_t>(std::max<size_t>(1, e.sources.size())));
    st.BindStatic(kDataColumns + 5, ingested_at);
    VIGIL_RETURN_IF_ERROR(st.Run());
    for (size_t i = 1; i < e.sources.size(); ++i) {
      const auto& ref = e.sources[i];
      insert_link_.Bind(1, ref.source).Bind(2, ref.source_id).Bind(3, e.id).Bind(4, ref.revision);
      VIGIL_RETURN_IF_ERROR(insert_link_.Run());
    }
    return Status::Ok();
  }

  Result<int64_t> RestoreSourceFile(const SourceFileRow& f) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("INSERT INTO source_files (source, path, fingerprint, bytes, header, "
                                                 "imported_at, rows_read, rows_new, rows_revised, rows_unchanged, "
                                                 "rows_merged, rows_linked, rows_rejected) VALUES "
                                                 "(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    const FileSummary& s = f.summary;
    st.Bind(1, f.source).Bind(2, f.path).Bind(3, f.fingerprint).Bind(4, f.bytes).Bind(5, f.header);
    st.Bind(6, f.imported_at).Bind(7, s.rows_read).Bind(8, s.rows_new).Bind(9, s.rows_revised);
    st.Bind(10, s.rows_unchanged).Bind(11, s.rows_merged).Bind(12, s.rows_linked).Bind(13, s.rows_rejected);
    VIGIL_RETURN_IF_ERROR(st.Run());
    return db_->LastInsertRowid();
  }

  Status RestoreSnapshot(const ModelSnapshot& m) override {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("INSERT INTO model_snapshots (model, format_version, as_of, "
                                                 "window_start, selection, params, fingerprint, created_at, "
                                                 "catalogue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st.Bind(1, m.model).Bind(2, m.format_version).Bind(3, m.as_of.ToIso()).Bind(4, m.window_start.ToIso());
    st.Bind(5, m.selection).Bind(6, m.params).Bind(7, m.fingerprint).Bind(8, m.created_at);
    if (m.catalogue.empty())
      st.BindNull(9);
    else
      st.BindBlobStatic(9, m.catalogue);
    return st.Run();
  }

  Status Commit() override {
    if (bulk_) {
      core::PhaseTimer timer;
      // SQLite's sorter runs on both cores only when it spills sorted runs
      // to temporary files, whose size follows the page cache: a small
      // cache and file-backed temporary storage build each index in about
      // half the time of one in-memory sort.
      VIGIL_RETURN_IF_ERROR(db_->Exec("PRAGMA threads=2; PRAGMA cache_size=-4000"));
      // The table's pages are in the file: the disk writes them while the
      // indexes are built, and each index's pages after it (queueing the
      // writes takes a while: on another thread).
      const std::string path = db_->FilePath();
      std::vector<std::future<void>> writebacks;
      auto writeback = [&] { writebacks.push_back(std::async(std::launch::async, StartWriteback, path)); };
      writeback();
      for (auto sql : BulkIndexes()) {
        Status built = db_->Exec(sql);
        if (!built.ok()) {
          for (auto& w : writebacks) w.wait();
          return built;
        }
        writeback();
        timer.Phase("commit: build an index");
      }
      for (auto& w : writebacks) w.wait();
      // Planner statistics from a sample of each index (enough to pick an
      // index; a full ANALYZE reads every row).
      VIGIL_RETURN_IF_ERROR(db_->Exec("PRAGMA analysis_limit=1000; ANALYZE"));
      timer.Phase("commit: sampled ANALYZE");
    }
    // Finalise statements before COMMIT so nothing holds the write lock.
    insert_event_ = Stmt();
    update_event_ = Stmt();
    insert_link_ = Stmt();
    count_links_ = Stmt();
    insert_record_ = Stmt();
    insert_chunk_ = Stmt();
    insert_records_.reset();
    lookup_ = Stmt();
    lookup_own_ = Stmt();
    is_own_ = Stmt();
    lookup_hashes_ = Stmt();
    blocks_.Close();
    nearby_.reset();
    get_event_.reset();
    restore_event_.reset();
    // Readers' caches (distinct names, serialised events) follow this.
    VIGIL_RETURN_IF_ERROR(
        db_->Exec("INSERT INTO meta(key, value) VALUES ('events_generation', '1') ON CONFLICT(key) "
                  "DO UPDATE SET value = CAST(value AS INTEGER) + 1"));
    core::PhaseTimer timer;
    VIGIL_RETURN_IF_ERROR(tx_->Commit());
    timer.Phase("commit: write and sync");
    if (journal_switched_) {
      journal_switched_ = false;
      VIGIL_RETURN_IF_ERROR(db_->Exec("PRAGMA journal_mode=WAL"));
    }
    if (foreign_keys_off_) {
      foreign_keys_off_ = false;
      VIGIL_RETURN_IF_ERROR(db_->Exec("PRAGMA foreign_keys=ON; PRAGMA ignore_check_constraints=OFF"));
    }
    return Status::Ok();
  }

 private:
  static void BindRecord(Stmt& st, int o, int64_t file_id, const NewSourceRecord& r) {
    st.Bind(o + 1, r.event_id).BindStatic(o + 2, r.source).BindStatic(o + 3, r.source_id).Bind(o + 4, r.revision);
    if (file_id)
      st.Bind(o + 5, file_id);
    else
      st.BindNull(o + 5);
    st.Bind(o + 6, r.line).Bind(o + 7, static_cast<int64_t>(r.row_hash));
    if (r.raw.chunk_id) {
      st.Bind(o + 8, "").Bind(o + 9, r.raw.chunk_id).Bind(o + 10, r.raw.offset);
      st.Bind(o + 11, static_cast<int64_t>(r.raw.text.size()));
    } else {
      if (r.raw.text.empty())
        st.Bind(o + 8, "");
      else
        st.BindStatic(o + 8, r.raw.text);
      st.BindNull(o + 9).BindNull(o + 10).BindNull(o + 11);
    }
  }

  Db* db_;
  bool bulk_ = false;
  BlockRecords blocks_{db_};
  std::vector<ChunkRecord> chunk_records_;  // AddSourceChunk's, reused
  std::string chunk_blob_;
  bool journal_switched_ = false;
  bool foreign_keys_off_ = false;
  std::optional<Transaction> tx_;
  std::string now_;
  Stmt insert_event_, update_event_, insert_link_, count_links_, is_own_, insert_record_, insert_chunk_, lookup_,
      lookup_own_, lookup_hashes_;
  std::optional<Stmt> nearby_, get_event_, insert_records_, restore_event_;
  BindBuffers bind_;  // bound by BindEventData
};

Result<std::unique_ptr<ImportBatch>> SqliteStore::BeginImport(bool bulk) {
  auto batch = std::make_unique<SqliteBatch>(&db_, bulk);
  VIGIL_RETURN_IF_ERROR(batch->Init());
  return std::unique_ptr<ImportBatch>(std::move(batch));
}

}  // namespace

Result<std::string> SqlitePathFromUrl(const std::string& url) {
  std::string path = url;
  if (pg::IsPostgresUrl(url))
    return core::InvalidArgument(
        "alerts, sites, road closures, situation reports and scenario results are kept in SQLite: with a "
        "PostgreSQL --db, give --state-db sqlite:///path/state.db (PostgreSQL holds events, provenance, reference "
        "data, model snapshots, accounts and the audit log; see docs/deployment.md)");
  if (core::StartsWith(url, "sqlite://"))
    path = url.substr(9);
  else if (url.find("://") != std::string::npos)
    return core::InvalidArgument("unsupported database URL '" + url + "' (use a path or sqlite:///path)");
  if (path.empty()) return core::InvalidArgument("empty database path");
  return path;
}

Result<std::unique_ptr<EventStore>> EventStore::Open(const std::string& url, bool create) {
  if (pg::IsPostgresUrl(url)) return OpenPgStore(url);
  VIGIL_ASSIGN_OR_RETURN(std::string path, SqlitePathFromUrl(url));
  VIGIL_ASSIGN_OR_RETURN(Db db, Db::Open(path, create));
  return std::unique_ptr<EventStore>(std::make_unique<SqliteStore>(std::move(db)));
}

}  // namespace vigil::store
