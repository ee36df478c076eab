// vigil::store — the event store.
//
// EventStore is the only way the rest of vigil reads or writes events. The
// SQLite backend (sqlite_store.cpp) is the default; a PostgreSQL backend can
// implement the same interface without touching callers.
//
// Writes happen inside an ImportBatch: one transaction, committed by
// Commit(), rolled back if the batch is destroyed first. So an import is
// either fully applied or not at all.
//
// Thread-safety: an EventStore and its batches are used from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "store/audit.h"

namespace vigil::store {

// The file path of a SQLite database URL (a path, sqlite:///abs or
// sqlite://rel); kInvalidArgument for other schemes.
core::Result<std::string> SqlitePathFromUrl(const std::string& url);

// Current schema version; migrations 1..kSchemaVersion live in migrations.cpp.
int SchemaVersion();

// ---------------------------------------------------------------- reference
struct PlaceRow {
  int64_t geonameid = 0;
  std::string name, asciiname, alternatenames;
  double latitude = 0, longitude = 0;
  std::string feature_class, feature_code, country_code, admin1_code, admin1_name, admin2_name;
  int64_t population = 0;
  std::string origin;  // "geonames" or "alias"
};
struct AdminUnitRow {
  std::string pcode, name, parent_pcode, country;
  int level = 1;
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
  std::string geometry_geojson;
};
struct GridCellRow {
  int64_t gid = 0;
  int row = 0, col = 0;
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0, lon = 0, lat = 0;
  std::string country;
  double mali_area_share = 0;
};

// ------------------------------------------------------------------ queries
struct BBox {
  double west = 0, south = 0, east = 0, north = 0;
};

struct EventFilter {
  std::vector<std::string> countries;  // exact names
  std::vector<std::string> admin1;     // exact names (callers fold first)
  std::vector<std::string> admin2;
  std::optional<BBox> bbox;
  std::optional<core::Date> from, to;  // inclusive, on date_start
  std::vector<std::string> event_types;
  std::vector<std::string> sub_event_types;
  std::vector<std::string> actors;  // any of these substrings (any actor field), case-insensitive
  std::optional<int64_t> min_fatalities;
  std::vector<std::string> sources;
  std::vector<int64_t> gids;  // PRIO-GRID cells (index helper)
  int64_t limit = 0;          // 0: no limit
  int64_t after_id = 0;       // paging helper
  // Keyset paging in the query's order: only events after (date_start, id)
  // in that order (older ones when newest_first).
  std::optional<std::pair<std::string, int64_t>> after_key;
  bool newest_first = true;
};

struct StatsRow {
  std::string admin1;
  std::string admin2;  // set when grouped by admin2
  std::string period;  // "YYYY-MM", or the Monday "YYYY-MM-DD" of a week
  int64_t events = 0;
  int64_t fatalities = 0;        // summed over the events whose count is known
  int64_t fatalities_known = 0;  // events with a fatality count (0 included)
  std::string country;           // of the admin1 (rows are grouped by it too)
};

struct SourceRecord {
  int64_t id = 0;  // source_records.id; 0 for a record kept inside its block
  int64_t file_id = 0;     // source_files.id, 0 when not read from a file
  uint64_t row_hash = 0;  // of `raw` (RowHashAlgorithm)

  int64_t event_id = 0;
  std::string source, source_id;
  int revision = 1;
  std::string file_path;
  int64_t line = 0;
  std::string header;  // the file's header line, to read `raw` against
  std::string raw;     // the row exactly as read
};

// What the store knows of a (source, source_id) before an import touches it.
struct ExistingSource {
  int64_t event_id = 0;
  int revision = 0;
  std::vector<uint64_t> row_hashes;  // hashes of every row stored for it
};

// A stored event close to a candidate (for cross-source dedupe).
struct NearbyEvent {
  int64_t id = 0;
  std::string source;
  core::Date date_start;
  double latitude = 0, longitude = 0;
  std::string event_type;
};

// Where a stored source row's text is: inline (`text` only), or at
// [offset, offset + text.size()) of a compressed block of consecutive rows
// (chunk_id from ImportBatch::AddSourceChunk; `text` is then only read for
// its length).
struct RawRow {
  std::string_view text;
  int64_t chunk_id = 0;
  int64_t offset = 0;
};

// One source row to store (provenance): which event and revision of
// (source, source_id) it feeds, where it was read, and its text.
struct NewSourceRecord {
  int64_t event_id = 0;
  std::string_view source, source_id;
  int revision = 1;
  int64_t line = 0;
  uint64_t row_hash = 0;
  RawRow raw;
};

struct FileSummary {
  int64_t rows_read = 0, rows_new = 0, rows_revised = 0, rows_unchanged = 0, rows_merged = 0, rows_linked = 0,
          rows_rejected = 0;
};

// A source file as an import recorded it.
struct SourceFileRow {
  int64_t id = 0;
  std::string source, path, fingerprint, header, imported_at;
  int64_t bytes = 0;
  FileSummary summary;
};

// The reference tables, as ReplaceReference takes them.
struct ReferenceData {
  std::vector<PlaceRow> places;
  std::vector<AdminUnitRow> admin_units;
  std::vector<GridCellRow> cells;
  std::string fingerprint;
};

// A fitted model, stored immutably. `selection` describes the training data
// (types, countries); `params` is the model's JSON; `fingerprint` identifies
// the data it was fitted on (event count and latest ingest).
// What one source holds: the first and last event dates and the count.
// Models clip their windows to it (docs/models.md, "Coverage").
struct SourceCoverage {
  std::string source;
  core::Date first, last;
  int64_t events = 0;
};

struct ModelSnapshot {
  int64_t id = 0;
  std::string model;
  int format_version = 1;
  core::Date as_of, window_start;
  std::string selection, params, fingerprint, created_at;
  // The events the model was fitted on, encoded by the model (opaque here;
  // empty for snapshots older than schema 16).
  std::string catalogue;
};

// An event's stored form made ahead of time (EventStore::EncodeEvent), on
// an importer's parsing thread, so the writing thread only binds it. What
// the buffers hold is the backend's business.
struct EncodedEvent {
  std::string parts[2];
  bool ready = false;
};

class ImportBatch {
 public:
  virtual ~ImportBatch() = default;
  // Records a source file; returns its id.
  virtual core::Result<int64_t> AddSourceFile(const std::string& source, const std::string& path,
                                              const std::string& fingerprint, int64_t bytes,
                                              const std::string& header) = 0;
  virtual core::Status FinishSourceFile(int64_t file_id, const FileSummary& summary) = 0;
  // False when the source has no events at all yet (lets bulk loads skip
  // per-row lookups).
  virtual core::Result<bool> SourceHasRows(const std::string& source) = 0;
  // True when files of another source were imported before.
  virtual core::Result<bool> OtherSourcesPresent(const std::string& source) = 0;
  virtual core::Result<std::optional<ExistingSource>> Lookup(const std::string& source,
                                                             const std::string& source_id) = 0;
  // Inserts a new event; e.sources[0] must be its own (source, source_id).
  // `encoded`: EncodeEvent(e) of this store, or null.
  virtual core::Result<int64_t> InsertEvent(const core::Event& e, const EncodedEvent* encoded = nullptr) = 0;
  // Replaces the stored fields of event e.id (a new revision).
  virtual core::Status UpdateEvent(const core::Event& e) = 0;
  // Links another source's (source, source_id) to an existing event (dedupe,
  // JSON Lines links, a revision of a linked id) and recounts n_sources.
  // Linking an event to its own id changes nothing: the event holds it.
  virtual core::Status LinkSource(int64_t event_id, const core::SourceRef& ref) = 0;
  // Stores a block of consecutive source rows of a file, compressed with
  // core::ZstdCompress (`rows` rows, `raw_bytes` before compression);
  // returns its id for RawRow::chunk_id. `created`: the block's rows that
  // created events, in order, with consecutive event ids, each revision 1
  // of its event's own (source, source_id), RawRow offsets into the block:
  // their records are kept in the block (not given to AddSourceRecords).
  virtual core::Result<int64_t> AddSourceChunk(int64_t file_id, int64_t rows, int64_t raw_bytes,
                                               std::string_view compressed,
                                               std::span<const NewSourceRecord> created) = 0;
  // Stores source rows of file `file_id` (0: none), in order.
  virtual core::Status AddSourceRecords(int64_t file_id, std::span<const NewSourceRecord> rows) = 0;
  // Events of other sources with date_start in [from, to] inside `box`
  // that no id of `exclude_source` is linked to yet: cross-source links are
  // one to one (an event holds at most one id of each other source).
  virtual core::Result<std::vector<NearbyEvent>> FindNearby(core::Date from, core::Date to, const BBox& box,
                                                            const std::string& exclude_source) = 0;
  virtual core::Result<core::Event> GetEvent(int64_t id) = 0;
  // Appends an audit row (store/audit.h) inside this batch's transaction:
  // it commits with the batch's changes, or not at all.
  virtual core::Status AppendAudit(const AuditRecord& r) = 0;

  // Moving a database (store/move.h) into an empty store: an event with its
  // id, links (e.sources after the first) and ingest time as they were; a
  // source file with its times and counts (returns its new id); a model
  // snapshot with its creation time.
  virtual core::Status RestoreEvent(const core::Event& e, std::string_view ingested_at) = 0;
  virtual core::Result<int64_t> RestoreSourceFile(const SourceFileRow& f) = 0;
  virtual core::Status RestoreSnapshot(const ModelSnapshot& s) = 0;
  virtual core::Status Commit() = 0;
};

// The store is made of small repositories, each an interface that says
// nothing of the engine behind it; EventStore is all of them on one
// connection (one backend object: SQLite in sqlite_store.cpp, PostgreSQL
// in postgres/pg_store.cpp; the conformance suite holds both to the same
// contract). A caller that needs one part may take just that interface.

// The schema: numbered migrations, each backend its own.
class SchemaAdmin {
 public:
  virtual ~SchemaAdmin() = default;
  // Applies pending migrations in one transaction each. Returns the version
  // before migrating. Fails with kConflict when the database is newer than
  // this binary.
  virtual core::Result<int> Migrate() = 0;
  virtual core::Result<int> Version() = 0;
  // Fails with kConflict ("run vigil init") unless the schema is current.
  virtual core::Status CheckCurrent() = 0;
};

// Places, admin units and grid cells (reloaded whole when the bundled data
// changes).
class ReferenceRepository {
 public:
  virtual ~ReferenceRepository() = default;
  // Replaces the reference tables in one transaction.
  virtual core::Status ReplaceReference(const std::vector<PlaceRow>& places,
                                        const std::vector<AdminUnitRow>& admin_units,
                                        const std::vector<GridCellRow>& cells, const std::string& fingerprint) = 0;
  // Fingerprint of the reference data loaded, or "" if none.
  virtual core::Result<std::string> ReferenceFingerprint() = 0;
  virtual core::Result<int64_t> CountReference(const std::string& table) = 0;
  virtual core::Result<ReferenceData> ReadReference() = 0;
};

// Events: written through import batches, read by filters.
class EventRepository {
 public:
  virtual ~EventRepository() = default;
  // Starts a write transaction. With `bulk` (a large load into a store with
  // no events) the backend may trade concurrency for speed (secondary
  // indexes built once at Commit(); readers may wait until the load
  // commits). Atomicity is the same either way.
  virtual core::Result<std::unique_ptr<ImportBatch>> BeginImport(bool bulk = false) = 0;
  // Encodes e for ImportBatch::InsertEvent. Safe to call from any thread
  // while the store is in use (touches no connection).
  virtual void EncodeEvent(const core::Event& /*e*/, EncodedEvent* out) const { out->ready = false; }

  // Events matching `f`, ordered by date (newest first by default), then id.
  virtual core::Result<std::vector<core::Event>> QueryEvents(const EventFilter& f) = 0;
  // Streams matching events to `fn`; stops early if `fn` returns false.
  virtual core::Status ForEachEvent(const EventFilter& f, const std::function<bool(const core::Event&)>& fn) = 0;
  // Like ForEachEvent, for callers that keep events cached: `want(id)` is
  // asked first, and when it says no the row may be left unread and `fn`
  // gets nullptr. `fn` also gets the event's date_start as YYYY-MM-DD.
  virtual core::Status ForEachEventLazy(
      const EventFilter& f, const std::function<bool(int64_t id)>& want,
      const std::function<bool(int64_t id, std::string_view date_start, const core::Event* e)>& fn) = 0;
  virtual core::Result<int64_t> CountEvents(const EventFilter& f) = 0;
  virtual core::Result<core::Event> GetEvent(int64_t id) = 0;
  // Events and fatalities by admin1 (or admin1 and admin2) and month (or
  // ISO week, labelled by its Monday).
  struct StatsGrouping {
    bool by_admin2 = false;
    bool weekly = false;
  };
  virtual core::Result<std::vector<StatsRow>> Stats(const EventFilter& f, const StatsGrouping& g) = 0;
  core::Result<std::vector<StatsRow>> Stats(const EventFilter& f) { return Stats(f, StatsGrouping{}); }
  // Distinct non-empty values of admin1 / admin2 / country / source in
  // events, or of the reference places' admin1 names ("reference_admin1").
  virtual core::Result<std::vector<std::string>> DistinctValues(const std::string& column) = 0;
  // Rows of one of the store's tables (events, event_sources,
  // source_records, source_chunks, source_files, places, admin_units,
  // grid_cells).
  virtual core::Result<int64_t> CountRows(const std::string& table) = 0;
  // The events' generation: changes whenever an import (from any connection
  // or process) has committed new or changed events; writes to other tables
  // leave it alone. Caches of events and their names key on it.
  virtual core::Result<int64_t> DataVersion() = 0;
  // Fingerprint of the events table: count, max id and latest ingest time.
  virtual core::Result<std::string> EventsFingerprint() = 0;
  // Each source's coverage, by source name.
  virtual core::Result<std::vector<SourceCoverage>> Coverage() = 0;
  // Every event in id order with its ingest time, read in pages (the
  // callback may query this store): what moving a database reads.
  virtual core::Status DumpEvents(const std::function<core::Status(const core::Event&, std::string_view)>& fn) = 0;
};

// Where each event came from: the files and the exact rows read.
class ProvenanceRepository {
 public:
  virtual ~ProvenanceRepository() = default;
  virtual core::Result<std::vector<SourceRecord>> Provenance(int64_t event_id) = 0;
  virtual core::Result<std::vector<SourceFileRow>> SourceFiles() = 0;
  // The hash of stored source rows (source_records.row_hash): "xxh3", or
  // "fnv1a64" in databases that had rows before schema 6.
  virtual core::Result<std::string> RowHashAlgorithm() = 0;
};

// Fitted models, stored immutably.
class SnapshotRepository {
 public:
  virtual ~SnapshotRepository() = default;
  // Stores a snapshot; returns its id.
  virtual core::Result<int64_t> SaveSnapshot(const ModelSnapshot& s) = 0;
  // The newest snapshot of `model` fitted at `as_of` on `window_start` with
  // `selection` and `fingerprint`, if any.
  virtual core::Result<std::optional<ModelSnapshot>> FindSnapshot(const std::string& model, core::Date as_of,
                                                                  core::Date window_start, const std::string& selection,
                                                                  const std::string& fingerprint) = 0;
  // The snapshot with the latest as_of (then newest id) of `model`.
  virtual core::Result<std::optional<ModelSnapshot>> LatestSnapshot(const std::string& model) = 0;
  virtual core::Result<std::vector<ModelSnapshot>> Snapshots() = 0;
};

// How a server's connection behaves: limits, and hints a backend may ignore.
class ServingControls {
 public:
  virtual ~ServingControls() = default;
  // Tunes this connection for serving reads (memory to map, cache to keep).
  // A hint.
  virtual core::Status TuneForReads(int64_t mmap_bytes, int64_t cache_kib) = 0;
  // A budget for each statement run from now on: it is stopped (kUnavailable)
  // when it runs past `deadline`, or (where the backend counts them) after
  // `max_steps` steps (0: no step limit; a deterministic bound for tests).
  // ClearQueryBudget() lifts it.
  struct QueryBudget {
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    int64_t max_steps = 0;
  };
  virtual void SetQueryBudget(const QueryBudget& budget) = 0;
  virtual void ClearQueryBudget() = 0;
  // Moves committed log content into the database without waiting for or
  // blocking writers (a hint). A server calls it from a background thread,
  // so that no request's commit pays for it.
  virtual core::Status Checkpoint() = 0;
  // Stops this connection from doing that work as it commits (the server's
  // writers leave it to Checkpoint on another thread).
  virtual void DeferCheckpoints() = 0;
  // How long a write waits for another writer (an import) before failing
  // with kUnavailable. Default 10 s.
  virtual void SetBusyTimeout(int milliseconds) = 0;
};

class EventStore : public SchemaAdmin,
                   public ReferenceRepository,
                   public EventRepository,
                   public ProvenanceRepository,
                   public SnapshotRepository,
                   public ServingControls {
 public:
  ~EventStore() override = default;

  // Opens a store from a URL: a path, "sqlite:///abs/path",
  // "sqlite://rel/path" or "postgresql://user@host:port/db" (PostgreSQL with
  // PostGIS; the database must exist, `create` is SQLite's). Fails with
  // kInvalidArgument for other schemes, kNotFound when a SQLite database
  // does not exist and `create` is false, kUnavailable when PostgreSQL
  // cannot be reached.
  static core::Result<std::unique_ptr<EventStore>> Open(const std::string& url, bool create);
};

}  // namespace vigil::store
