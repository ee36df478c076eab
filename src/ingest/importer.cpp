#include "ingest/importer.h"

#include <pthread.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <sstream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/csv.h"
#include "core/strings.h"

namespace vigil::ingest {

using core::Event;
using core::Result;
using core::Status;

namespace {

// One parsed row travelling from the parsing thread to the writer.
struct Item {
  int64_t line = 0;
  uint64_t hash = 0;
  std::string raw;
  std::optional<Event> event;
  std::string error;  // set when the row is rejected
};

// A bounded queue of batches between the two threads.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  void Push(std::vector<Item> batch) {
    std::vector<std::vector<Item>> garbage;
    {
      std::unique_lock lock(mu_);
      not_full_.wait(lock, [&] { return q_.size() < capacity_ || cancelled_; });
      if (cancelled_) return;
      q_.push_back(std::move(batch));
      not_empty_.notify_one();
      garbage.swap(recycled_);
    }
    // Processed batches are freed here, on the parsing thread, so the
    // writer spends its time on the database.
  }
  // The writer hands back a processed batch.
  void Recycle(std::vector<Item> batch) {
    std::lock_guard lock(mu_);
    recycled_.push_back(std::move(batch));
  }
  // Returns false when the producer has finished and the queue is drained.
  bool Pop(std::vector<Item>* out) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !q_.empty() || done_; });
    if (q_.empty()) return false;
    *out = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Finish(Status status) {
    std::lock_guard lock(mu_);
    done_ = true;
    status_ = std::move(status);
    not_empty_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    not_full_.notify_all();
  }
  bool cancelled() {
    std::lock_guard lock(mu_);
    return cancelled_;
  }
  Status status() {
    std::lock_guard lock(mu_);
    return status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::vector<Item>> q_;
  std::vector<std::vector<Item>> recycled_;
  size_t capacity_;
  bool done_ = false, cancelled_ = false;
  Status status_;
};

constexpr size_t kBatchRows = 2048;

// Short category of a rejection reason for the summary: the text before the
// first quote or digit ("event_date: impossible date" ...).
std::string ReasonCategory(const std::string& reason) {
  size_t cut = reason.size();
  for (size_t i = 0; i < reason.size(); ++i) {
    const char c = reason[i];
    if (c == '\'' || c == '"' || (c >= '0' && c <= '9') || c == '(') { cut = i; break; }
  }
  std::string s(core::Trim(std::string_view(reason).substr(0, cut)));
  while (!s.empty() && (s.back() == ':' || s.back() == ' ')) s.pop_back();
  return s.empty() ? reason : s;
}

// EnrichEvent with memory: datasets repeat the same coordinates (an
// event's location) and the same admin1 spellings many times.
class Enricher {
 public:
  explicit Enricher(const geo::Reference& ref) : ref_(ref) {}
  void Enrich(Event* e) {
    uint64_t a, b;
    std::memcpy(&a, &e->latitude, 8);
    std::memcpy(&b, &e->longitude, 8);
    const uint64_t key = a * 0x9E3779B97F4A7C15ULL ^ b;
    if (places_.size() > (1u << 20)) places_.clear();
    auto it = places_.find(key);
    if (it == places_.end() || it->second.lat != e->latitude || it->second.lon != e->longitude)
      it = places_.insert_or_assign(key, Cached{e->latitude, e->longitude, ref_.Reverse(e->latitude, e->longitude)})
               .first;
    Apply(it->second.info, e);
  }

 private:
  struct Cached {
    double lat, lon;
    geo::AdminInfo info;
  };
  void Apply(const geo::AdminInfo& a, Event* e) {
    e->gid = a.gid;
    if (e->admin1_pcode.empty()) e->admin1_pcode = a.admin1_pcode;
    if (e->admin2_pcode.empty()) e->admin2_pcode = a.admin2_pcode;
    if (e->country.empty()) e->country = a.country;
    if (e->admin1.empty()) {
      e->admin1 = a.admin1;
    } else if (e->country == "Mali" || e->country == "Burkina Faso" || e->country == "Niger") {
      auto it = admin1_.find(e->admin1);
      if (it == admin1_.end()) it = admin1_.emplace(e->admin1, ref_.gazetteer().CanonicalAdmin1(e->admin1)).first;
      if (!it->second.empty()) e->admin1 = it->second;
    }
    if (e->admin2.empty()) e->admin2 = a.admin2;
  }
  const geo::Reference& ref_;
  std::unordered_map<uint64_t, Cached> places_;
  std::unordered_map<std::string, std::string> admin1_;
};

// Produces items from a CSV file with an adapter.
Status ProduceCsv(core::CsvReader& reader, RowAdapter& adapter, const geo::Reference& ref, BatchQueue& q,
                  std::atomic<int64_t>& bytes) {
  Enricher enricher(ref);
  std::vector<Item> batch;
  batch.reserve(kBatchRows);
  while (true) {
    auto next = reader.Next();
    if (!next.ok()) return next.status();
    if (!*next) break;
    bytes.store(reader.bytes_consumed(), std::memory_order_relaxed);
    Item it;
    it.line = reader.line();
    it.raw = reader.raw();
    if (it.raw.empty() || core::Trim(it.raw).empty()) continue;  // blank line
    it.hash = core::Fnv1a64(it.raw);
    if (!core::IsValidUtf8(it.raw)) {
      it.error = "invalid UTF-8 (re-save the file as UTF-8)";
    } else {
      auto ev = adapter.Convert(reader.fields());
      if (ev.ok()) {
        enricher.Enrich(&*ev);
        Status valid = core::ValidateEvent(*ev);
        if (valid.ok()) it.event = std::move(*ev);
        else it.error = valid.message();
      } else {
        it.error = ev.status().message();
      }
    }
    batch.push_back(std::move(it));
    if (batch.size() == kBatchRows) {
      q.Push(std::move(batch));
      if (q.cancelled()) return Status::Ok();
      batch = {};
      batch.reserve(kBatchRows);
    }
  }
  if (!batch.empty()) q.Push(std::move(batch));
  return Status::Ok();
}

Status ProduceJsonl(std::istream& in, const geo::Reference& ref, BatchQueue& q, std::atomic<int64_t>& bytes) {
  Enricher enricher(ref);
  std::string line;
  int64_t lineno = 0, consumed = 0;
  std::vector<Item> batch;
  while (std::getline(in, line)) {
    ++lineno;
    consumed += static_cast<int64_t>(line.size()) + 1;
    bytes.store(consumed, std::memory_order_relaxed);
    if (lineno == 1 && core::StartsWith(line, "\xEF\xBB\xBF")) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (core::Trim(line).empty()) continue;
    Item it;
    it.line = lineno;
    it.raw = line;
    it.hash = core::Fnv1a64(line);
    if (!core::IsValidUtf8(line)) {
      it.error = "invalid UTF-8";
    } else {
      auto ev = ConvertJsonLine(line);
      if (ev.ok()) {
        enricher.Enrich(&*ev);
        it.event = std::move(*ev);
      } else {
        it.error = ev.status().message();
      }
    }
    batch.push_back(std::move(it));
    if (batch.size() == kBatchRows) {
      q.Push(std::move(batch));
      if (q.cancelled()) return Status::Ok();
      batch = {};
    }
  }
  if (in.bad()) return core::IoError("read error");
  if (!batch.empty()) q.Push(std::move(batch));
  return Status::Ok();
}

void AppendActor(std::string* list, const std::string& name) {
  if (name.empty()) return;
  for (auto part : core::Split(*list, ';'))
    if (core::Trim(part) == name) return;
  if (!list->empty()) *list += "; ";
  *list += name;
}

// Merges another row of the same source event (ACLED's one row per actor).
void MergeRow(const Event& row, Event* e) {
  if (!row.actor1_original.empty() && row.actor1_original != e->actor1_original)
    AppendActor(&e->assoc_actor1, row.actor1_original);
  if (!row.actor2_original.empty() && row.actor2_original != e->actor2_original) {
    if (e->actor2_original.empty()) {
      e->actor2_original = row.actor2_original;
      e->actor2 = row.actor2;
    } else {
      AppendActor(&e->assoc_actor2, row.actor2_original);
    }
  }
  for (auto part : core::Split(row.assoc_actor1, ';')) AppendActor(&e->assoc_actor1, std::string(core::Trim(part)));
  for (auto part : core::Split(row.assoc_actor2, ';')) AppendActor(&e->assoc_actor2, std::string(core::Trim(part)));
  if (row.fatalities && (!e->fatalities || *row.fatalities > *e->fatalities)) e->fatalities = row.fatalities;
}

// The per-file state of one (source, source_id).
struct Seen {
  int64_t event_id = 0;
  int revision = 1;
  bool owns_event = true;  // false when linked into another source's event
  enum { kNew, kUnchanged, kRevised } state = kNew;
};

class Writer {
 public:
  Writer(store::ImportBatch* batch, int64_t file_id, const std::string& file_source, bool lookup_needed,
         bool dedupe_needed)
      : batch_(batch), file_id_(file_id), file_source_(file_source), lookup_needed_(lookup_needed),
        dedupe_needed_(dedupe_needed) {}

  Status Write(Item& it, store::FileSummary* s) {
    Event& e = *it.event;
    const Key key = MakeKey(e);
    auto seen = seen_.find(key);
    if (seen != seen_.end()) return WriteRepeat(it, seen->second, s);

    std::optional<store::ExistingSource> ex;
    if (lookup_needed_ || e.source != file_source_) {
      VIGIL_ASSIGN_OR_RETURN(ex, batch_->Lookup(e.source, e.source_id));
    }
    Seen st;
    if (!ex) {
      e.revision = 1;
      for (auto& ref : e.sources)
        if (ref.source == e.source && ref.source_id == e.source_id) ref.revision = e.revision;
      int64_t target = 0;
      if (dedupe_needed_) {
        VIGIL_ASSIGN_OR_RETURN(target, FindDuplicate(e));
      }
      if (target) {
        VIGIL_RETURN_IF_ERROR(batch_->LinkSource(target, {e.source, e.source_id, 1}));
        st.event_id = target;
        st.owns_event = false;
        ++s->rows_linked;
      } else {
        VIGIL_ASSIGN_OR_RETURN(st.event_id, batch_->InsertEvent(e));
        for (size_t i = 1; i < e.sources.size(); ++i) {
          const auto& ref = e.sources[i];
          if (ref.source == e.source && ref.source_id == e.source_id) continue;
          VIGIL_RETURN_IF_ERROR(batch_->LinkSource(st.event_id, ref));
        }
        ++s->rows_new;
      }
      VIGIL_RETURN_IF_ERROR(AddRecord(st.event_id, e, 1, it));
    } else if (std::find(ex->row_hashes.begin(), ex->row_hashes.end(), it.hash) != ex->row_hashes.end()) {
      st.event_id = ex->event_id;
      st.revision = ex->revision;
      st.state = Seen::kUnchanged;
      ++s->rows_unchanged;
    } else {
      VIGIL_RETURN_IF_ERROR(Revise(ex->event_id, ex->revision + 1, e, it, /*merge=*/false, &st));
      ++s->rows_revised;
    }
    seen_.emplace(key, st);
    return Status::Ok();
  }

 private:
  Status WriteRepeat(Item& it, Seen& st, store::FileSummary* s) {
    Event& row = *it.event;
    if (st.state == Seen::kUnchanged) {
      VIGIL_ASSIGN_OR_RETURN(auto ex, batch_->Lookup(row.source, row.source_id));
      if (ex && std::find(ex->row_hashes.begin(), ex->row_hashes.end(), it.hash) != ex->row_hashes.end()) {
        ++s->rows_unchanged;
        return Status::Ok();
      }
      // A row of this event we have not seen: the event changed.
      VIGIL_RETURN_IF_ERROR(Revise(st.event_id, st.revision + 1, row, it, /*merge=*/true, &st));
      ++s->rows_revised;
      return Status::Ok();
    }
    if (st.owns_event) {
      VIGIL_ASSIGN_OR_RETURN(Event e, batch_->GetEvent(st.event_id));
      MergeRow(row, &e);
      VIGIL_RETURN_IF_ERROR(batch_->UpdateEvent(e));
    }
    VIGIL_RETURN_IF_ERROR(AddRecord(st.event_id, row, st.revision, it));
    ++s->rows_merged;
    return Status::Ok();
  }

  // Stores a new revision of (row.source, row.source_id).
  Status Revise(int64_t event_id, int revision, const Event& row, const Item& it, bool merge, Seen* st) {
    VIGIL_ASSIGN_OR_RETURN(Event stored, batch_->GetEvent(event_id));
    const bool owns = stored.source == row.source && stored.source_id == row.source_id;
    if (owns) {
      Event e = row;
      if (merge) {
        e = stored;
        MergeRow(row, &e);
      }
      e.id = event_id;
      e.revision = revision;
      VIGIL_RETURN_IF_ERROR(batch_->UpdateEvent(e));
    }
    VIGIL_RETURN_IF_ERROR(batch_->LinkSource(event_id, {row.source, row.source_id, revision}));
    VIGIL_RETURN_IF_ERROR(AddRecord(event_id, row, revision, it));
    st->event_id = event_id;
    st->revision = revision;
    st->owns_event = owns;
    st->state = Seen::kRevised;
    return Status::Ok();
  }

  Status AddRecord(int64_t event_id, const Event& e, int revision, const Item& it) {
    return batch_->AddSourceRecord(event_id, {e.source, e.source_id, revision}, file_id_, it.line, it.hash, it.raw);
  }

  Result<int64_t> FindDuplicate(const Event& e) {
    const double dlat = kDedupeKm / 111.0;
    const double dlon = kDedupeKm / (111.0 * std::max(0.1, std::cos(e.latitude * M_PI / 180.0)));
    store::BBox box{e.longitude - dlon, e.latitude - dlat, e.longitude + dlon, e.latitude + dlat};
    VIGIL_ASSIGN_OR_RETURN(auto near, batch_->FindNearby(e.date_start - kDedupeDays, e.date_start + kDedupeDays,
                                                         box, e.source));
    int64_t best = 0;
    double best_d = kDedupeKm;
    for (const auto& n : near) {
      if (!core::CompatibleEventTypes(n.event_type, e.event_type)) continue;
      const double d = core::HaversineKm(e.latitude, e.longitude, n.latitude, n.longitude);
      if (d <= best_d) { best_d = d; best = n.id; }
    }
    return best;
  }

  // (source, source_id) as two independent 64-bit hashes: a collision
  // needs both to collide (about 1e-26 for a million ids).
  struct Key {
    uint64_t a, b;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return static_cast<size_t>(k.a); }
  };
  static Key MakeKey(const Event& e) {
    const uint64_t h1 = core::Fnv1a64(e.source) * 31 + core::Fnv1a64(e.source_id);
    const uint64_t h2 = std::hash<std::string>{}(e.source) ^ (std::hash<std::string>{}(e.source_id) * 0x9E3779B97F4A7C15ULL);
    return {h1, h2};
  }

  store::ImportBatch* batch_;
  int64_t file_id_;
  std::string file_source_;
  bool lookup_needed_, dedupe_needed_;
  std::unordered_map<Key, Seen, KeyHash> seen_;
};

std::string Fingerprint(const std::string& path, int64_t size) {
  // Hash of the first and last 64 KiB plus the size: cheap, and enough to
  // tell files apart in the source_files log.
  std::ifstream in(path, std::ios::binary);
  std::string head(65536, '\0'), tail(65536, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  in.clear();
  if (size > 65536) in.seekg(size - 65536);
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  tail.resize(static_cast<size_t>(in.gcount()));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%016llx-%lld",
                static_cast<unsigned long long>(core::Fnv1a64(head) ^ (core::Fnv1a64(tail) * 31)),
                static_cast<long long>(size));
  return buf;
}

}  // namespace

void EnrichEvent(const geo::Reference& ref, Event* e) { Enricher(ref).Enrich(e); }

Result<ImportReport> Importer::ImportFile(SourceKind kind, const std::string& path, const ImportOptions& opt) {
  return Import(kind, path, nullptr, opt);
}

Result<ImportReport> Importer::ImportJsonlContent(const std::string& label, const std::string& content,
                                                  const std::string& source_name, const ImportOptions& opt) {
  return Import(SourceKind::kJsonl, label, &content, opt, source_name);
}

Result<ImportReport> Importer::Import(SourceKind kind, const std::string& path, const std::string* content,
                                      const ImportOptions& opt, const std::string& source_name) {
  const auto t0 = std::chrono::steady_clock::now();
  ImportReport report;
  report.path = path;
  report.source = source_name.empty() ? SourceKindName(kind) : source_name;
  struct stat st {};
  if (content) {
    st.st_size = static_cast<off_t>(content->size());
  } else {
    if (::stat(path.c_str(), &st) != 0) return core::NotFound("file not found: " + path);
    if (S_ISDIR(st.st_mode)) return core::InvalidArgument(path + " is a directory; give the files to import");
  }
  report.bytes = st.st_size;
  if (st.st_size == 0) return core::ParseError(path + " is empty: nothing to import");

  std::unique_ptr<RowAdapter> adapter;
  std::optional<core::CsvReader> reader;
  std::string header;
  if (kind != SourceKind::kJsonl) {
    adapter = kind == SourceKind::kAcled ? MakeAcledAdapter() : MakeUcdpAdapter();
    VIGIL_ASSIGN_OR_RETURN(core::CsvReader r, core::CsvReader::Open(path));
    reader.emplace(std::move(r));
    auto first = reader->Next();
    if (!first.ok()) return core::ParseError(path + ": " + first.status().message());
    if (reader->looks_binary()) return core::ParseError(path + " looks like a binary file, not a CSV export");
    if (!*first) return core::ParseError(path + " is empty: nothing to import");
    if (!core::IsValidUtf8(reader->raw()))
      return core::ParseError(path + ":1: the header is not valid UTF-8 (re-save the file as UTF-8)");
    header = reader->raw();
    Status hs = adapter->SetHeader(reader->fields());
    if (!hs.ok()) return core::ParseError(path + ":1: " + hs.message());
  } else if (!content) {
    std::ifstream in(path, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    if (core::LooksBinary(head)) return core::ParseError(path + " looks like a binary file, not JSON Lines");
  }

  VIGIL_ASSIGN_OR_RETURN(int64_t event_count, store_->CountRows("events"));
  report.bulk_load = event_count == 0 && st.st_size > (16 << 20);
  VIGIL_ASSIGN_OR_RETURN(auto batch, store_->BeginImport(report.bulk_load));
  VIGIL_ASSIGN_OR_RETURN(bool source_has_rows, batch->SourceHasRows(report.source));
  const std::string fingerprint =
      content ? std::to_string(core::Fnv1a64(*content)) + "-" + std::to_string(content->size())
              : Fingerprint(path, st.st_size);
  VIGIL_ASSIGN_OR_RETURN(int64_t file_id, batch->AddSourceFile(report.source, path, fingerprint,
                                                               st.st_size, header));
  // Other sources present? Only then is cross-source dedupe needed.
  bool other_sources = false;
  if (event_count > 0) {
    VIGIL_ASSIGN_OR_RETURN(other_sources, batch->OtherSourcesPresent(report.source));
    other_sources = other_sources || kind == SourceKind::kJsonl;
  }
  Writer writer(batch.get(), file_id, report.source, source_has_rows || kind == SourceKind::kJsonl, other_sources);

  BatchQueue queue(8);
  std::atomic<int64_t> bytes{0};
  std::thread producer([&] {
    pthread_setname_np(pthread_self(), "vigil-parse");
    Status s;
    if (kind != SourceKind::kJsonl) {
      s = ProduceCsv(*reader, *adapter, *ref_, queue, bytes);
    } else if (content) {
      std::istringstream in(*content);
      s = ProduceJsonl(in, *ref_, queue, bytes);
    } else {
      std::ifstream in(path, std::ios::binary);
      s = in ? ProduceJsonl(in, *ref_, queue, bytes) : core::IoError("cannot read " + path);
    }
    queue.Finish(std::move(s));
  });
  Status failure;
  std::vector<Item> items;
  auto last_progress = std::chrono::steady_clock::now();
  while (queue.Pop(&items)) {
    if (!failure.ok()) continue;  // drain
    for (auto& it : items) {
      ++report.summary.rows_read;
      if (!it.event) {
        ++report.summary.rows_rejected;
        ++report.reasons[ReasonCategory(it.error)];
        if (report.rejections.size() < opt.max_rejections_kept) report.rejections.push_back({it.line, it.error});
        if (opt.strict) {
          failure = core::InvalidArgument(path + ":" + std::to_string(it.line) + ": " + it.error +
                                          " (--strict: nothing was imported from this file)");
          queue.Cancel();
          break;
        }
        continue;
      }
      Status ws = writer.Write(it, &report.summary);
      if (!ws.ok()) {
        failure = Status(ws.code(), path + ":" + std::to_string(it.line) + ": " + ws.message());
        queue.Cancel();
        break;
      }
    }
    queue.Recycle(std::move(items));
    items = {};
    if (opt.progress) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(100)) {
        opt.progress(bytes.load(std::memory_order_relaxed), report.bytes, report.summary.rows_read);
        last_progress = now;
      }
    }
  }
  producer.join();
  if (!failure.ok()) return failure;
  Status produced = queue.status();
  if (!produced.ok()) {
    return Status(produced.code() == core::Code::kIo ? core::Code::kIo : core::Code::kParse,
                  path + ": " + produced.message() + "; nothing was imported from this file");
  }
  VIGIL_RETURN_IF_ERROR(batch->FinishSourceFile(file_id, report.summary));
  VIGIL_RETURN_IF_ERROR(batch->Commit());
  if (opt.progress) opt.progress(report.bytes, report.bytes, report.summary.rows_read);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace vigil::ingest
