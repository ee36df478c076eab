#include "store/move.h"

#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "core/strings.h"

namespace vigil::store {

using core::Event;
using core::Result;
using core::Status;

namespace {

// An order-dependent running hash of items.
class Digest {
 public:
  void Add(std::string_view item) { h_ = (h_ ^ core::Xxh3(item)) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL; }
  std::string Hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

void Put(std::string* s, std::string_view v) {
  s->append(v);
  s->push_back('\x1f');
}
void Put(std::string* s, int64_t v) { Put(s, std::to_string(v)); }
void Put(std::string* s, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  Put(s, std::string_view(buf));
}
void Put(std::string* s, const std::optional<int64_t>& v) { Put(s, v ? std::to_string(*v) : std::string("-")); }

std::string Serialise(const Event& e, std::string_view ingested_at) {
  std::string s;
  Put(&s, e.id);
  Put(&s, e.source);
  Put(&s, e.source_id);
  Put(&s, int64_t{e.revision});
  Put(&s, e.date_start.ToIso());
  Put(&s, e.date_end.ToIso());
  Put(&s, int64_t{static_cast<int>(e.date_precision)});
  Put(&s, e.latitude);
  Put(&s, e.longitude);
  Put(&s, int64_t{e.geo_precision});
  Put(&s, e.place_id);
  for (const auto* t : {&e.location, &e.country, &e.admin1, &e.admin2, &e.admin1_pcode, &e.admin2_pcode})
    Put(&s, *t);
  Put(&s, e.gid);
  for (const auto* t : {&e.event_type, &e.sub_event_type, &e.actor1, &e.actor2, &e.actor1_original,
                        &e.actor2_original, &e.assoc_actor1, &e.assoc_actor2})
    Put(&s, *t);
  Put(&s, e.fatalities);
  Put(&s, e.fatalities_low);
  Put(&s, e.fatalities_high);
  Put(&s, e.hostages);
  for (const auto& t : e.tags) Put(&s, t);
  Put(&s, e.notes);
  Put(&s, e.evidence_doc);
  Put(&s, e.evidence_start);
  Put(&s, e.evidence_end);
  Put(&s, e.confidence);
  for (const auto& r : e.sources) {
    Put(&s, r.source);
    Put(&s, r.source_id);
    Put(&s, int64_t{r.revision});
  }
  Put(&s, ingested_at);
  return s;
}

std::string Serialise(const SourceRecord& r, const std::string& file_key) {
  std::string s;
  Put(&s, r.event_id);
  Put(&s, r.source);
  Put(&s, r.source_id);
  Put(&s, int64_t{r.revision});
  Put(&s, file_key);
  Put(&s, r.line);
  Put(&s, static_cast<int64_t>(r.row_hash));
  Put(&s, r.raw);
  return s;
}

std::string Serialise(const ModelSnapshot& m) {
  std::string s;
  for (const auto* t : {&m.model, &m.selection, &m.params, &m.fingerprint, &m.created_at, &m.catalogue}) Put(&s, *t);
  Put(&s, int64_t{m.format_version});
  Put(&s, m.as_of.ToIso());
  Put(&s, m.window_start.ToIso());
  return s;
}

// A source file as the digest names it (ids differ between stores).
std::string FileKey(const SourceFileRow& f) { return f.source + "\x1e" + f.path + "\x1e" + f.imported_at; }

}  // namespace

Result<std::string> StoreDigest(EventStore* st, MoveReport* counts) {
  Digest d;
  VIGIL_ASSIGN_OR_RETURN(auto files, st->SourceFiles());
  std::unordered_map<int64_t, std::string> file_key;
  for (const auto& f : files) {
    file_key[f.id] = FileKey(f);
    d.Add(FileKey(f) + "\x1f" + f.fingerprint + "\x1f" + std::to_string(f.summary.rows_read));
  }
  counts->source_files = static_cast<int64_t>(files.size());
  VIGIL_RETURN_IF_ERROR(st->DumpEvents([&](const Event& e, std::string_view at) -> Status {
    d.Add(Serialise(e, at));
    ++counts->events;
    counts->links += static_cast<int64_t>(e.sources.size()) - 1;
    VIGIL_ASSIGN_OR_RETURN(auto rows, st->Provenance(e.id));
    for (const auto& r : rows) {
      d.Add(Serialise(r, file_key[r.file_id]));
      ++counts->source_rows;
    }
    return Status::Ok();
  }));
  VIGIL_ASSIGN_OR_RETURN(auto snaps, st->Snapshots());
  for (const auto& m : snaps) d.Add(Serialise(m));
  counts->snapshots = static_cast<int64_t>(snaps.size());
  return d.Hex();
}

Result<MoveReport> MoveDatabase(EventStore* from, EventStore* to, const std::function<void(int64_t)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  VIGIL_RETURN_IF_ERROR(from->CheckCurrent());
  VIGIL_RETURN_IF_ERROR(to->Migrate().status());
  VIGIL_ASSIGN_OR_RETURN(int64_t existing, to->CountRows("events"));
  if (existing > 0)
    return Status(core::Code::kConflict, "the target already holds " + std::to_string(existing) +
                                             " events: migrate into an empty database (nothing was written)");
  VIGIL_ASSIGN_OR_RETURN(ReferenceData ref, from->ReadReference());
  MoveReport report;
  report.places = static_cast<int64_t>(ref.places.size());
  VIGIL_RETURN_IF_ERROR(to->ReplaceReference(ref.places, ref.admin_units, ref.cells, ref.fingerprint));
  {
    VIGIL_ASSIGN_OR_RETURN(auto batch, to->BeginImport(/*bulk=*/true));
    VIGIL_ASSIGN_OR_RETURN(auto files, from->SourceFiles());
    std::unordered_map<int64_t, int64_t> new_file;
    for (const auto& f : files) {
      VIGIL_ASSIGN_OR_RETURN(new_file[f.id], batch->RestoreSourceFile(f));
    }
    std::vector<NewSourceRecord> rows;
    int64_t done = 0;
    VIGIL_RETURN_IF_ERROR(from->DumpEvents([&](const Event& e, std::string_view at) -> Status {
      VIGIL_RETURN_IF_ERROR(batch->RestoreEvent(e, at));
      VIGIL_ASSIGN_OR_RETURN(auto prov, from->Provenance(e.id));
      // Rows are stored file by file, in their order.
      for (size_t i = 0; i < prov.size();) {
        const int64_t file = prov[i].file_id;
        rows.clear();
        for (; i < prov.size() && prov[i].file_id == file; ++i) {
          const SourceRecord& r = prov[i];
          rows.push_back({r.event_id, r.source, r.source_id, r.revision, r.line, r.row_hash, {r.raw, 0, 0}});
        }
        const int64_t target_file = file ? new_file[file] : 0;
        VIGIL_RETURN_IF_ERROR(batch->AddSourceRecords(target_file, rows));
      }
      if (progress && ++done % 50000 == 0) progress(done);
      return Status::Ok();
    }));
    VIGIL_ASSIGN_OR_RETURN(auto snaps, from->Snapshots());
    for (const auto& m : snaps) VIGIL_RETURN_IF_ERROR(batch->RestoreSnapshot(m));
    VIGIL_RETURN_IF_ERROR(batch->Commit());
  }
  // The check: both sides read back whole.
  MoveReport theirs;
  VIGIL_ASSIGN_OR_RETURN(std::string want, StoreDigest(from, &report));
  VIGIL_ASSIGN_OR_RETURN(std::string got, StoreDigest(to, &theirs));
  VIGIL_ASSIGN_OR_RETURN(report.events_fingerprint, from->EventsFingerprint());
  VIGIL_ASSIGN_OR_RETURN(std::string to_fp, to->EventsFingerprint());
  if (theirs.events != report.events || theirs.links != report.links || theirs.source_rows != report.source_rows ||
      theirs.snapshots != report.snapshots || theirs.source_files != report.source_files)
    return core::DatabaseError("the target's counts differ from the source's after moving: events " +
                               std::to_string(theirs.events) + " vs " + std::to_string(report.events) +
                               ", source rows " + std::to_string(theirs.source_rows) + " vs " +
                               std::to_string(report.source_rows) + " (do not use the target)");
  if (got != want || to_fp != report.events_fingerprint)
    return core::DatabaseError("the target's digest differs from the source's after moving (" + got + " vs " + want +
                               "; do not use the target)");
  report.digest = want;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace vigil::store
