// vigil::store — numbered schema migrations for the SQLite backend.
//
// Migration N brings a database from version N-1 to N (PRAGMA user_version).
// Never edit a released migration: add a new one.
#pragma once

#include <string_view>
#include <vector>

namespace vigil::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;  // may call the SQL functions of store/event_codec.h
  // Rebuilds a table others refer to: run with foreign keys off (SQLite's
  // procedure for schema changes ALTER TABLE cannot make).
  bool rebuilds_table = false;
};

const std::vector<Migration>& SqliteMigrations();

// Secondary indexes of the events tables, dropped during bulk loads into an
// empty table and rebuilt afterwards (CREATE statements). event_sources_event
// stays: reading an event back during the load (multi-row merges) needs it.
// events_source goes too: lookups of own ids are not needed in a bulk load
// (SqliteBatch::Lookup).
const std::vector<std::string_view>& BulkIndexes();
const std::vector<std::string_view>& BulkIndexNames();

}  // namespace vigil::store
