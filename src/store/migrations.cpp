#include "store/migrations.h"

namespace vigil::store {

namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE places(
  geonameid INTEGER PRIMARY KEY,
  name TEXT NOT NULL, asciiname TEXT, alternatenames TEXT,
  latitude REAL NOT NULL, longitude REAL NOT NULL,
  feature_class TEXT, feature_code TEXT, country_code TEXT,
  admin1_code TEXT, admin1_name TEXT, admin2_name TEXT,
  population INTEGER, origin TEXT NOT NULL);

CREATE TABLE admin_units(
  pcode TEXT PRIMARY KEY, level INTEGER NOT NULL, name TEXT NOT NULL,
  parent_pcode TEXT, country TEXT NOT NULL,
  min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
  geometry TEXT NOT NULL);

CREATE TABLE grid_cells(
  gid INTEGER PRIMARY KEY, row INTEGER NOT NULL, col INTEGER NOT NULL,
  xmin REAL, ymin REAL, xmax REAL, ymax REAL, lon REAL, lat REAL,
  country TEXT, mali_area_share REAL);

CREATE TABLE source_files(
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL, path TEXT NOT NULL, fingerprint TEXT NOT NULL,
  bytes INTEGER NOT NULL, header TEXT, imported_at TEXT NOT NULL,
  rows_read INTEGER, rows_new INTEGER, rows_revised INTEGER,
  rows_unchanged INTEGER, rows_merged INTEGER, rows_linked INTEGER, rows_rejected INTEGER);

CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL, source_id TEXT NOT NULL, revision INTEGER NOT NULL,
  date_start TEXT NOT NULL, date_end TEXT NOT NULL, date_precision TEXT NOT NULL,
  latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  geo_precision INTEGER NOT NULL CHECK (geo_precision BETWEEN 1 AND 3),
  place_id INTEGER, location TEXT,
  country TEXT, admin1 TEXT, admin2 TEXT, admin1_pcode TEXT, admin2_pcode TEXT,
  gid INTEGER NOT NULL,
  event_type TEXT NOT NULL, sub_event_type TEXT,
  actor1 TEXT, actor2 TEXT, actor1_original TEXT, actor2_original TEXT,
  assoc_actor1 TEXT, assoc_actor2 TEXT,
  fatalities INTEGER, fatalities_low INTEGER, fatalities_high INTEGER, hostages INTEGER,
  tags TEXT, notes TEXT,
  evidence_doc TEXT, evidence_start INTEGER, evidence_end INTEGER,
  confidence REAL NOT NULL DEFAULT 1.0,
  n_sources INTEGER NOT NULL DEFAULT 1,
  ingested_at TEXT NOT NULL);
CREATE INDEX events_date ON events(date_start);
CREATE INDEX events_gid_date ON events(gid, date_start);
CREATE INDEX events_admin1_date ON events(admin1, date_start);

-- Every (source, source_id) that feeds an event: its own, and the other
-- sources' rows merged into it by dedupe.
CREATE TABLE event_sources(
  source TEXT NOT NULL, source_id TEXT NOT NULL,
  event_id INTEGER NOT NULL REFERENCES events(id),
  revision INTEGER NOT NULL,
  PRIMARY KEY (source, source_id)) WITHOUT ROWID;
CREATE INDEX event_sources_event ON event_sources(event_id);

-- Every source row ever imported, every revision: provenance.
CREATE TABLE source_records(
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id),
  source TEXT NOT NULL, source_id TEXT NOT NULL, revision INTEGER NOT NULL,
  file_id INTEGER REFERENCES source_files(id), line INTEGER,
  row_hash INTEGER NOT NULL, raw TEXT NOT NULL);
CREATE INDEX source_records_event ON source_records(event_id);
)sql";

// Fitted models: immutable snapshots (rows are inserted, never updated).
constexpr std::string_view kV2 = R"sql(
CREATE TABLE model_snapshots(
  id INTEGER PRIMARY KEY,
  model TEXT NOT NULL,
  format_version INTEGER NOT NULL,
  as_of TEXT NOT NULL,
  window_start TEXT NOT NULL,
  selection TEXT NOT NULL,
  params TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX model_snapshots_lookup ON model_snapshots(model, as_of, window_start, selection);
CREATE TRIGGER model_snapshots_immutable BEFORE UPDATE ON model_snapshots
BEGIN SELECT RAISE(ABORT, 'model snapshots are immutable'); END;
)sql";

// Users, API tokens, dashboard sessions and the audit log of writes.
// Secrets are never stored: passwords as argon2id strings, tokens and
// session ids as SHA-256 hex digests.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'responder', 'analyst', 'admin')),
  password_hash TEXT,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE api_tokens(
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  label TEXT,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  last_used_at TEXT);
CREATE TABLE sessions(
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_name TEXT,
  role TEXT,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT,
  client TEXT,
  status INTEGER NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

// The (gid, date) index covers the box query: id, latitude and longitude
// are in the index, so the newest events of a cell are read without
// touching the table (SqliteStore::ForEachInBoxNewest).
constexpr std::string_view kV4 = R"sql(
DROP INDEX IF EXISTS events_gid_date;
CREATE INDEX events_gid_date ON events(gid, date_start, id, latitude, longitude);
)sql";

// Source rows of large imports are stored in compressed blocks of about
// 2,000 consecutive rows (a tenth of their size) instead of one `raw` text
// per row: source_records then points into a block (raw is '').
constexpr std::string_view kV5 = R"sql(
CREATE TABLE source_chunks(
  id INTEGER PRIMARY KEY,
  file_id INTEGER REFERENCES source_files(id),
  codec TEXT NOT NULL CHECK (codec = 'zstd'),
  rows INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,
  data BLOB NOT NULL);
ALTER TABLE source_records ADD COLUMN chunk_id INTEGER REFERENCES source_chunks(id);
ALTER TABLE source_records ADD COLUMN chunk_offset INTEGER;
ALTER TABLE source_records ADD COLUMN chunk_length INTEGER;
)sql";

// Which hash source_records.row_hash holds: databases that already have
// source rows keep FNV-1a (re-imports compare against stored hashes); new
// ones use XXH3, which a million-row import computes in a hundredth of the
// time.
constexpr std::string_view kV6 = R"sql(
INSERT OR REPLACE INTO meta(key, value) VALUES ('row_hash',
  CASE WHEN EXISTS (SELECT 1 FROM source_records) THEN 'fnv1a64' ELSE 'xxh3' END);
)sql";

// The rows of a block that created events keep their records inside the
// block (store/chunk_records.h): they created events first_event ..
// last_event, one each, in order. Other rows stay in source_records.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE source_chunks ADD COLUMN first_event INTEGER;
ALTER TABLE source_chunks ADD COLUMN last_event INTEGER;
ALTER TABLE source_chunks ADD COLUMN records BLOB;
CREATE INDEX source_chunks_events ON source_chunks(last_event);
)sql";

// An event's own (source, source_id) is found through an index on events;
// event_sources keeps only the ids of other sources linked to an event
// (cross-source duplicates, JSON Lines links). A million-row import no
// longer writes and indexes a million links to the events themselves.
constexpr std::string_view kV8 = R"sql(
DELETE FROM event_sources WHERE EXISTS (SELECT 1 FROM events e WHERE e.id = event_sources.event_id
  AND e.source = event_sources.source AND e.source_id = event_sources.source_id);
CREATE UNIQUE INDEX events_source ON events(source, source_id);
)sql";

// Narrower events: the fields no query filters on are packed into two
// columns (store/event_codec.h). SQLite spends about as much per column
// as per row on an insert; 38 columns become 21.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE events_v9(
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL, source_id TEXT NOT NULL, revision INTEGER NOT NULL,
  date_start TEXT NOT NULL,
  latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  country TEXT, admin1 TEXT, admin2 TEXT,
  gid INTEGER NOT NULL,
  event_type TEXT NOT NULL, sub_event_type TEXT,
  actor1 TEXT, actor2 TEXT,
  actors_more TEXT,
  fatalities INTEGER,
  confidence REAL NOT NULL DEFAULT 1.0,
  n_sources INTEGER NOT NULL DEFAULT 1,
  ingested_at TEXT NOT NULL,
  detail BLOB NOT NULL);
INSERT INTO events_v9 SELECT id, source, source_id, revision, date_start, latitude, longitude, country, admin1,
  admin2, gid, event_type, sub_event_type, actor1, actor2,
  vigil_pack_actors(actor1_original, actor2_original, assoc_actor1, assoc_actor2), fatalities, confidence,
  n_sources, ingested_at,
  vigil_pack_detail(date_start, date_end, date_precision, geo_precision, place_id, location, admin1_pcode,
                    admin2_pcode, fatalities_low, fatalities_high, hostages, tags, notes, evidence_doc,
                    evidence_start, evidence_end)
  FROM events ORDER BY id;
DROP TABLE events;
ALTER TABLE events_v9 RENAME TO events;
CREATE INDEX events_date ON events(date_start);
CREATE INDEX events_gid_date ON events(gid, date_start, id, latitude, longitude);
CREATE INDEX events_admin1_date ON events(admin1, date_start);
CREATE UNIQUE INDEX events_source ON events(source, source_id);
)sql";

// The audit log becomes a hash chain (store/audit.h): rows written before
// keep NULL hashes and are reported as unchained by `vigil audit verify`.
constexpr std::string_view kV10 = R"sql(
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
)sql";

// The reporter role (focal points who send community reports and read
// nothing): users is rebuilt for its CHECK constraint.
constexpr std::string_view kV11 = R"sql(
CREATE TABLE users_new(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('reporter', 'viewer', 'responder', 'analyst', 'admin')),
  password_hash TEXT,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0);
INSERT INTO users_new SELECT id, name, role, password_hash, created_at, disabled FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
)sql";

// Community reports, their clusters, alerts, CAP messages and the outbox
// (src/alert/alert_store.h). Times are Unix seconds (UTC). A reporter's
// contact is never stored in clear: a keyed hash and a sealed box.
constexpr std::string_view kV12 = R"sql(
CREATE TABLE reports(
  id INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  observed_at INTEGER,
  seen_at INTEGER NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'app', 'sms', 'cli')),
  lang TEXT NOT NULL,
  text TEXT NOT NULL,
  place_text TEXT,
  latitude REAL, longitude REAL,
  geo_source TEXT NOT NULL,
  location TEXT, admin1 TEXT, admin2 TEXT, country TEXT,
  cell_lat REAL, cell_lon REAL,
  cell_key INTEGER,
  contact_hash TEXT,
  contact_box BLOB,
  reporter_key TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('received', 'triaged', 'verified', 'dismissed', 'duplicate')),
  cluster_id INTEGER,
  credibility REAL, credibility_why TEXT,
  signs TEXT,
  event_id INTEGER,
  state_note TEXT, state_by TEXT, state_at INTEGER);
CREATE INDEX reports_seen ON reports(seen_at);
CREATE INDEX reports_cell ON reports(cell_key, seen_at);
CREATE INDEX reports_cluster ON reports(cluster_id);
CREATE INDEX reports_reporter ON reports(reporter_key, cluster_id);

CREATE TABLE report_clusters(
  id INTEGER PRIMARY KEY,
  latitude REAL NOT NULL, longitude REAL NOT NULL,
  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
  n_reports INTEGER NOT NULL, n_reporters INTEGER NOT NULL,
  n_located INTEGER NOT NULL DEFAULT 0,
  signs TEXT,
  location TEXT, admin1 TEXT, admin2 TEXT, country TEXT);
CREATE INDEX report_clusters_seen ON report_clusters(last_seen);

CREATE TABLE idempotency(
  scope TEXT NOT NULL, key TEXT NOT NULL,
  status INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)) WITHOUT ROWID;
CREATE TABLE sms_seen(
  gateway TEXT NOT NULL, message_id TEXT NOT NULL, received_at INTEGER NOT NULL,
  PRIMARY KEY (gateway, message_id)) WITHOUT ROWID;

CREATE TABLE alerts(
  id INTEGER PRIMARY KEY,
  identifier TEXT NOT NULL UNIQUE,
  rule TEXT NOT NULL, kind TEXT NOT NULL, dedupe_key TEXT NOT NULL, area_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved', 'cancelled')),
  urgency TEXT NOT NULL, severity TEXT NOT NULL, certainty TEXT NOT NULL,
  headline_en TEXT NOT NULL, headline_fr TEXT NOT NULL,
  description_en TEXT NOT NULL, description_fr TEXT NOT NULL,
  area TEXT NOT NULL, evidence TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL, tier INTEGER NOT NULL, deadline INTEGER, reminders INTEGER NOT NULL DEFAULT 0,
  ack_by TEXT, ack_at INTEGER, disposition TEXT, ack_note TEXT,
  resolved_by TEXT, resolved_at INTEGER);
CREATE INDEX alerts_open ON alerts(rule, dedupe_key) WHERE state IN ('open', 'acknowledged');
CREATE INDEX alerts_deadline ON alerts(deadline) WHERE state = 'open';

CREATE TABLE alert_messages(
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  msg_type TEXT NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel', 'Ack')),
  identifier TEXT NOT NULL, sent INTEGER NOT NULL, xml TEXT NOT NULL);
CREATE INDEX alert_messages_alert ON alert_messages(alert_id);

CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  alert_id INTEGER, report_id INTEGER,
  kind TEXT NOT NULL CHECK (kind IN ('webhook', 'sms', 'email')),
  purpose TEXT NOT NULL,
  recipient TEXT, recipient_box BLOB,
  subject TEXT, body TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL, sent_at INTEGER);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
)sql";

// A road network imported from a file (vigil roads import): one active at a
// time; none active means the bundled network.
constexpr const char* kV13 = R"sql(
CREATE TABLE road_networks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  source_path TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  nodes INTEGER NOT NULL, edges INTEGER NOT NULL, km REAL NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  data BLOB NOT NULL);
)sql";

// The sites a user watches (vigil site): a point with a radius.
constexpr const char* kV14 = R"sql(
CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
  radius_km REAL NOT NULL CHECK (radius_km > 0),
  added_at TEXT NOT NULL);
)sql";

// Situation reports the server writes on its schedule (report/sitrep_store.h).
constexpr const char* kV15 = R"sql(
CREATE TABLE sitreps (
  id INTEGER PRIMARY KEY,
  area TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('en', 'fr')),
  generated_at INTEGER NOT NULL,
  markdown TEXT NOT NULL,
  html_zstd BLOB NOT NULL,
  pdf BLOB NOT NULL,
  UNIQUE (area, period_from, period_to, lang));
CREATE INDEX sitreps_period ON sitreps(period_to);
)sql";

// A snapshot's frozen catalogue: the model events it was fitted on, so its
// forecast never changes when events are imported later (model/snapshot.h).
constexpr const char* kV16 = R"sql(
ALTER TABLE model_snapshots ADD COLUMN catalogue BLOB;
)sql";

// Scenario results (scenario/scenario_store.h): the summary as JSON.
constexpr const char* kV17 = R"sql(
CREATE TABLE scenarios (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  as_of TEXT NOT NULL,
  runs INTEGER NOT NULL CHECK (runs > 0),
  created_at TEXT NOT NULL,
  result TEXT NOT NULL);
)sql";

}  // namespace

const std::vector<Migration>& SqliteMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "events, provenance and reference tables", kV1},
      {2, "model snapshots", kV2},
      {3, "users, tokens, sessions and the audit log", kV3},
      {4, "covering index for box queries", kV4},
      {5, "compressed blocks of source rows", kV5},
      {6, "row hash algorithm recorded", kV6},
      {7, "records of new events' rows kept in their block", kV7},
      {8, "own source ids found in events, not linked", kV8},
      {9, "fields no query filters on packed into two columns", kV9, /*rebuilds_table=*/true},
      {10, "audit log rows chained by hash", kV10},
      {11, "the reporter role", kV11, /*rebuilds_table=*/true},
      {12, "community reports, alerts, CAP messages and the outbox", kV12},
      {13, "imported road networks", kV13},
      {14, "sites", kV14},
      {15, "situation reports", kV15},
      {16, "model snapshots keep the catalogue they were fitted on", kV16},
      {17, "scenario results", kV17},
  };
  return kMigrations;
}

const std::vector<std::string_view>& BulkIndexes() {
  static const std::vector<std::string_view> kIdx = {
      "CREATE INDEX IF NOT EXISTS events_date ON events(date_start)",
      "CREATE INDEX IF NOT EXISTS events_gid_date ON events(gid, date_start, id, latitude, longitude)",
      "CREATE INDEX IF NOT EXISTS events_admin1_date ON events(admin1, date_start)",
      "CREATE INDEX IF NOT EXISTS source_records_event ON source_records(event_id)",
      "CREATE UNIQUE INDEX IF NOT EXISTS events_source ON events(source, source_id)",
  };
  return kIdx;
}

const std::vector<std::string_view>& BulkIndexNames() {
  static const std::vector<std::string_view> kNames = {"events_date", "events_gid_date", "events_admin1_date",
                                                       "source_records_event", "events_source"};
  return kNames;
}

}  // namespace vigil::store
