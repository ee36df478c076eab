// vigil::ingest — importing dataset files into the event store.
//
// One file is one transaction: it is applied entirely or not at all. Rows
// that fail validation are reported with their line and reason; by default
// the good rows are imported and the report says how many were rejected (the
// CLI exits with the "partial" code); with `strict` the first bad row rejects
// the whole file and the database is left as it was.
//
// Idempotence and revisions: each row's raw text is hashed. A (source,
// source_id) seen before with the same row hash changes nothing; a new hash
// makes a new revision of the same event (revision + 1), never a duplicate.
// Every row of every revision is kept in source_records (provenance).
//
// ACLED exports that list one event on several rows (one per actor) with the
// same event_id_cnty become one event: actors not already present are added
// to assoc_actor1/assoc_actor2, fatalities take the largest value.
//
// Cross-source dedupe: a new event within 1 day and 10 km of an event from
// another source, with a compatible type (core::CompatibleEventTypes), is
// linked to that event as a further source instead of being inserted.
//
// Thread-safety: one Importer per store; ImportFile runs a parsing thread and
// writes from the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "geo/reference.h"
#include "ingest/adapter.h"
#include "store/store.h"

namespace vigil::ingest {

// Distance and time window for cross-source dedupe.
constexpr double kDedupeKm = 10.0;
constexpr int kDedupeDays = 1;

struct ImportReport;

struct ImportOptions {
  bool strict = false;
  // Called now and then from the calling thread with bytes read so far.
  std::function<void(int64_t bytes_done, int64_t bytes_total, int64_t rows)> progress;
  size_t max_rejections_kept = 1000;
  // Files larger than this imported into a store without events take the
  // bulk path (indexes rebuilt once at the end, links written in key order).
  // The result is the same as the row-by-row path; tests lower it.
  int64_t bulk_min_bytes = 16 << 20;
  // When set, called just before commit with the file's report so far; the
  // audit row it returns is written in the import's own transaction (the
  // import and its audit row commit together or not at all).
  std::function<store::AuditRecord(const ImportReport&)> audit;
};

struct Rejection {
  int64_t line = 0;
  std::string reason;
};

struct ImportReport {
  std::string path;
  std::string source;
  store::FileSummary summary;
  std::vector<Rejection> rejections;       // the first max_rejections_kept
  std::map<std::string, int64_t> reasons;  // reason (without values) -> count
  int64_t bytes = 0;
  double seconds = 0;
  bool bulk_load = false;
};

// Fills gid, admin p-codes and, when the source lacks them, country, admin1
// and admin2 from the reference data. Canonicalises Sahel admin1 spellings
// ("Segou" -> "Ségou").
void EnrichEvent(const geo::Reference& ref, core::Event* e);

class Importer {
 public:
  Importer(store::EventStore* store, std::shared_ptr<const geo::Reference> ref) : store_(store), ref_(std::move(ref)) {}

  // Imports `path` as `kind`. Returns a report when the file was processed
  // (possibly with rejected rows). Fails, leaving the database unchanged,
  // with kNotFound (no file), kParse (empty, binary, wrong header, truncated
  // quoted field), kInvalidArgument (strict mode and a bad row: the message
  // gives file:line and the reason) or kDatabase.
  core::Result<ImportReport> ImportFile(SourceKind kind, const std::string& path, const ImportOptions& opt);

  // Imports JSON Lines held in memory, logged under `label` (a document
  // path) and `source_name` in source_files. Same guarantees as ImportFile.
  core::Result<ImportReport> ImportJsonlContent(const std::string& label, const std::string& content,
                                                const std::string& source_name, const ImportOptions& opt);

 private:
  core::Result<ImportReport> Import(SourceKind kind, const std::string& path, const std::string* content,
                                    const ImportOptions& opt, const std::string& source_name = "");

  store::EventStore* store_;
  std::shared_ptr<const geo::Reference> ref_;
};

}  // namespace vigil::ingest
