#include "store/postgres/pg_migrations.h"

namespace vigil::store::pg {

// Texts that may be absent are NULL, as in the SQLite backend. Dates are
// `date`, so weeks and months come from date_trunc. An event's point is
// not stored: the GiST index is on the expression that makes it from
// latitude and longitude (kEventPoint in pg_store.cpp), computed when the
// index is built, and box and radius queries name the same expression.
constexpr std::string_view kV1 = R"sql(
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

CREATE SEQUENCE events_id_seq;
CREATE TABLE events (
  id bigint PRIMARY KEY DEFAULT nextval('events_id_seq'),
  source text NOT NULL,
  source_id text NOT NULL,
  revision integer NOT NULL CHECK (revision >= 1),
  date_start date NOT NULL,
  date_end date NOT NULL,
  date_precision smallint NOT NULL,
  latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  geo_precision smallint NOT NULL CHECK (geo_precision BETWEEN 1 AND 3),
  place_id bigint NOT NULL DEFAULT 0,
  location text,
  country text,
  admin1 text,
  admin2 text,
  admin1_pcode text,
  admin2_pcode text,
  gid bigint NOT NULL,
  event_type text NOT NULL,
  sub_event_type text,
  actor1 text,
  actor2 text,
  actor1_original text,
  actor2_original text,
  assoc_actor1 text,
  assoc_actor2 text,
  fatalities bigint CHECK (fatalities >= 0),
  fatalities_low bigint,
  fatalities_high bigint,
  hostages bigint,
  tags text[] NOT NULL DEFAULT '{}',
  notes text,
  evidence_doc text,
  evidence_start bigint NOT NULL DEFAULT -1,
  evidence_end bigint NOT NULL DEFAULT -1,
  confidence double precision NOT NULL DEFAULT 1,
  n_sources integer NOT NULL DEFAULT 1,
  ingested_at text NOT NULL,
  CONSTRAINT events_source_key UNIQUE (source, source_id)
);
ALTER SEQUENCE events_id_seq OWNED BY events.id;
CREATE INDEX events_geom ON events USING gist ((ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)));
CREATE INDEX events_date ON events (date_start, id);
CREATE INDEX events_admin1_date ON events (admin1, date_start);
CREATE INDEX events_type_date ON events (event_type, date_start);
CREATE INDEX events_gid_date ON events (gid, date_start, id) INCLUDE (latitude, longitude);

CREATE TABLE event_sources (
  source text NOT NULL,
  source_id text NOT NULL,
  event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  revision integer NOT NULL,
  PRIMARY KEY (source, source_id)
);
CREATE INDEX event_sources_event ON event_sources (event_id);

CREATE TABLE source_files (
  id bigserial PRIMARY KEY,
  source text NOT NULL,
  path text NOT NULL,
  fingerprint text NOT NULL,
  bytes bigint NOT NULL,
  header text,
  imported_at text NOT NULL,
  rows_read bigint, rows_new bigint, rows_revised bigint, rows_unchanged bigint,
  rows_merged bigint, rows_linked bigint, rows_rejected bigint
);

-- A block of consecutive source rows, zstd-compressed; rows point into it.
-- Provenance rows carry no foreign keys: they are written only by imports,
-- in the transaction that writes what they point to, and never deleted
-- apart from it (a key check per row would triple the cost of an import).
CREATE TABLE source_chunks (
  id bigserial PRIMARY KEY,
  file_id bigint,
  codec text NOT NULL DEFAULT 'zstd',
  rows bigint NOT NULL,
  raw_bytes bigint NOT NULL,
  data bytea NOT NULL
);

CREATE TABLE source_records (
  id bigserial PRIMARY KEY,
  event_id bigint NOT NULL,
  source text NOT NULL,
  source_id text NOT NULL,
  revision integer NOT NULL,
  file_id bigint,
  line bigint,
  row_hash bigint NOT NULL,
  raw text NOT NULL DEFAULT '',
  chunk_id bigint,
  chunk_offset bigint,
  chunk_length bigint
);
CREATE INDEX source_records_event ON source_records (event_id);

CREATE TABLE places (
  geonameid bigint PRIMARY KEY,
  name text NOT NULL,
  asciiname text,
  alternatenames text,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  feature_class text,
  feature_code text,
  country_code text,
  admin1_code text,
  admin1_name text,
  admin2_name text,
  population bigint,
  origin text NOT NULL,
  geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED
);
CREATE INDEX places_geom ON places USING gist (geom);

CREATE TABLE admin_units (
  pcode text PRIMARY KEY,
  level integer NOT NULL,
  name text NOT NULL,
  parent_pcode text,
  country text NOT NULL,
  min_lon double precision, min_lat double precision, max_lon double precision, max_lat double precision,
  geometry_geojson text NOT NULL,
  geom geometry(Geometry, 4326)
);
CREATE INDEX admin_units_geom ON admin_units USING gist (geom);

CREATE TABLE grid_cells (
  gid bigint PRIMARY KEY,
  "row" integer NOT NULL,
  col integer NOT NULL,
  min_lon double precision, min_lat double precision, max_lon double precision, max_lat double precision,
  lon double precision, lat double precision,
  country text,
  mali_area_share double precision
);

CREATE TABLE model_snapshots (
  id bigserial PRIMARY KEY,
  model text NOT NULL,
  format_version integer NOT NULL,
  as_of date NOT NULL,
  window_start date NOT NULL,
  selection text NOT NULL,
  params text NOT NULL,
  fingerprint text NOT NULL,
  created_at text NOT NULL,
  catalogue bytea
);
CREATE INDEX model_snapshots_model ON model_snapshots (model, as_of);

CREATE TABLE audit_log (
  id bigint PRIMARY KEY,
  at text NOT NULL,
  user_name text,
  role text,
  action text NOT NULL,
  target text,
  detail text,
  client text,
  status integer NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

INSERT INTO meta VALUES ('row_hash', 'xxh3'), ('events_generation', '0');
)sql";

// Users, API tokens and dashboard sessions (auth/account_store.h), as in
// the SQLite backend: secrets never stored, only argon2id strings and
// SHA-256 digests; times as ISO-8601 UTC texts, which order as times.
constexpr std::string_view kV2 = R"sql(
CREATE FUNCTION vigil_now_iso() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;
CREATE FUNCTION vigil_iso_in(seconds bigint) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT to_char((now() + make_interval(secs => seconds)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

CREATE TABLE users (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('reporter', 'viewer', 'responder', 'analyst', 'admin')),
  password_hash text,
  created_at text NOT NULL,
  disabled boolean NOT NULL DEFAULT false
);
CREATE TABLE api_tokens (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  label text,
  created_at text NOT NULL,
  revoked_at text,
  last_used_at text
);
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  csrf text NOT NULL,
  created_at text NOT NULL,
  expires_at text NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Rows moved from a SQLite log written before its chain have no hashes.
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;
)sql";

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kAll = {{1, kV1}, {2, kV2}};
  return kAll;
}

}  // namespace vigil::store::pg
