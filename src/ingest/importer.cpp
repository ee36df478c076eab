#include "ingest/importer.h"

#include <pthread.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <optional>
#include <span>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "core/compress.h"
#include "core/csv.h"
#include "core/strings.h"
#include "core/timing.h"

namespace vigil::ingest {

using core::Event;
using core::Result;
using core::Status;

namespace {

// (source, source_id) as two independent 64-bit hashes: a collision
// needs both to collide (about 1e-26 for a million ids).
struct Key {
  uint64_t a, b;
  bool operator==(const Key&) const = default;
};
Key MakeKey(const Event& e) {
  const uint64_t h1 = core::Fnv1a64(e.source) * 31 + core::Fnv1a64(e.source_id);
  const uint64_t h2 =
      std::hash<std::string>{}(e.source) ^ (std::hash<std::string>{}(e.source_id) * 0x9E3779B97F4A7C15ULL);
  return {h1, h2};
}

// One parsed row travelling from the parsing thread to the writer.
struct Item {
  int64_t line = 0;
  uint64_t hash = 0;
  size_t raw_offset = 0, raw_size = 0;  // the row's text in Batch::raw
  bool ok = false;                      // event holds the row; else error says why it is rejected
  // The row repeats the previous row's (source, source_id) (ACLED's one
  // row per actor) and the parsing thread merged it into the event of the
  // first row of the run; event is still this row's own.
  bool premerged = false;
  Key key{};  // MakeKey(event), computed on the parsing thread
  Event event;
  store::EncodedEvent encoded;  // event's stored form, when ok (Ship)
  std::string error;
};

constexpr size_t kBatchRows = 2048;

// Batches of at least this many bytes of source rows are compressed (on the
// parsing thread) so that the writer can store them as one block.
constexpr size_t kChunkMinBytes = 64 << 10;

// Consecutive rows: their items, their text back to back, and that text
// compressed when the batch is large enough. Batches go back and forth
// between the threads and are refilled: the items' events keep their
// strings' buffers from one use to the next.
struct Batch {
  std::vector<Item> slots;
  size_t count = 0;  // slots in use
  std::string raw;
  std::string compressed;
  bool sealed = false;  // Seal() done
  // When not empty: the order in which the writer stores the accepted
  // items (OrderByDate); rejected items are reported in file order.
  std::vector<uint32_t> order;

  std::span<Item> items() { return {slots.data(), count}; }
  std::span<const Item> items() const { return {slots.data(), count}; }
  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  std::string_view Raw(const Item& it) const { return std::string_view(raw).substr(it.raw_offset, it.raw_size); }
  // The next item to fill (line, hash, ok/event or error), then Commit().
  Item& Next() {
    if (count == slots.size()) {
      if (slots.empty()) slots.reserve(kBatchRows);
      slots.emplace_back();
    }
    Item& it = slots[count];
    it.ok = false;
    it.premerged = false;
    it.error.clear();
    return it;
  }
  void Commit(std::string_view text) {
    Item& it = slots[count++];
    it.raw_offset = raw.size();
    it.raw_size = text.size();
    raw.append(text);
  }
  // Compresses the rows' text (once; on whichever thread has time, Ship).
  void Seal() {
    if (!sealed && raw.size() >= kChunkMinBytes) core::ZstdCompress(raw, &compressed);
    sealed = true;
  }
  void Clear() {
    count = 0;
    raw.clear();
    compressed.clear();
    order.clear();
    sealed = false;
  }
  // Orders the accepted items by date, each row of an id at the date of
  // the id's first row in the batch, keeping file order otherwise (so the
  // rows of one event keep theirs). Events then get ids in date order
  // within a batch, and SQLite builds the date indexes from sorted runs:
  // a fifth less time for a million rows.
  void OrderByDate() {
    constexpr size_t kSlots = 2 * kBatchRows;
    struct First {
      Key key;
      int32_t days;
      bool used;
    };
    std::vector<First> first(kSlots, First{{0, 0}, 0, false});
    std::vector<std::pair<int32_t, uint32_t>> keyed;
    keyed.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      const Item& it = slots[i];
      if (!it.ok) continue;
      size_t h = it.key.a & (kSlots - 1);
      while (first[h].used && !(first[h].key == it.key)) h = (h + 1) & (kSlots - 1);
      if (!first[h].used) first[h] = {it.key, it.event.date_start.days(), true};
      keyed.emplace_back(first[h].days, i);
    }
    std::sort(keyed.begin(), keyed.end());
    order.clear();
    for (const auto& [days, i] : keyed) order.push_back(i);
  }
};

// A bounded queue of batches between the two threads.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  // Queues *batch and leaves in it a processed batch to refill (or an
  // empty one).
  void Push(Batch* batch) {
    std::unique_lock lock(mu_);
    const auto t0 = std::chrono::steady_clock::now();
    not_full_.wait(lock, [&] { return q_.size() < capacity_ || cancelled_; });
    push_wait_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (cancelled_) return;
    q_.push_back(std::move(*batch));
    not_empty_.notify_one();
    if (recycled_.empty()) {
      *batch = Batch();
    } else {
      *batch = std::move(recycled_.back());
      recycled_.pop_back();
    }
    batch->Clear();
  }
  // The writer hands back a processed batch.
  void Recycle(Batch batch) {
    std::lock_guard lock(mu_);
    recycled_.push_back(std::move(batch));
  }
  // Returns false when the producer has finished and the queue is drained.
  bool Pop(Batch* out) {
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
  // Batches queued and not yet taken by the writer.
  size_t waiting() {
    std::lock_guard lock(mu_);
    return q_.size();
  }
  bool cancelled() {
    std::lock_guard lock(mu_);
    return cancelled_;
  }
  Status status() {
    std::lock_guard lock(mu_);
    return status_;
  }
  // Seconds the producer spent waiting for room in the queue.
  double push_wait() {
    std::lock_guard lock(mu_);
    return push_wait_;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> q_;
  std::vector<Batch> recycled_;
  size_t capacity_;
  bool done_ = false, cancelled_ = false;
  double push_wait_ = 0;
  Status status_;
};

// Short category of a rejection reason for the summary: the text before the
// first quote or digit ("event_date: impossible date" ...).
std::string ReasonCategory(const std::string& reason) {
  size_t cut = reason.size();
  for (size_t i = 0; i < reason.size(); ++i) {
    const char c = reason[i];
    if (c == '\'' || c == '"' || (c >= '0' && c <= '9') || c == '(') {
      cut = i;
      break;
    }
  }
  std::string s(core::Trim(std::string_view(reason).substr(0, cut)));
  while (!s.empty() && (s.back() == ':' || s.back() == ' ')) s.pop_back();
  return s.empty() ? reason : s;
}

// EnrichEvent with memory: datasets repeat the same coordinates (an
// event's location) and the same admin1 spellings many times. The places
// seen are kept in an open-addressing table (one probe per row, no node
// to follow), forgotten when it fills up.
class Enricher {
 public:
  explicit Enricher(const geo::Reference& ref) : ref_(ref) {}
  void Enrich(Event* e) {
    if (slots_.empty() || (infos_.size() + 1) * 2 > slots_.size()) Grow();
    size_t i = Hash(e->latitude, e->longitude) & (slots_.size() - 1);
    while (slots_[i].info && (slots_[i].lat != e->latitude || slots_[i].lon != e->longitude))
      i = (i + 1) & (slots_.size() - 1);
    if (!slots_[i].info) {
      infos_.push_back(ref_.Reverse(e->latitude, e->longitude));
      slots_[i] = {e->latitude, e->longitude, static_cast<uint32_t>(infos_.size())};
    }
    Apply(infos_[slots_[i].info - 1], e);
  }

 private:
  struct Slot {
    double lat = 0, lon = 0;
    uint32_t info = 0;  // 1 + index in infos_; 0: free
  };
  static constexpr size_t kMaxPlaces = size_t{1} << 20;
  static uint64_t Hash(double lat, double lon) {
    uint64_t a, b;
    std::memcpy(&a, &lat, 8);
    std::memcpy(&b, &lon, 8);
    const uint64_t h = (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xC2B2AE3D27D4EB4FULL);
    return h ^ (h >> 29);
  }
  void Grow() {
    const size_t size = slots_.empty() ? size_t{1} << 16 : slots_.size() * 2;
    if (size > 2 * kMaxPlaces) {  // forget everything and start again
      std::fill(slots_.begin(), slots_.end(), Slot{});
      infos_.clear();
      return;
    }
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(size, Slot{});
    for (const Slot& o : old) {
      if (!o.info) continue;
      size_t i = Hash(o.lat, o.lon) & (size - 1);
      while (slots_[i].info) i = (i + 1) & (size - 1);
      slots_[i] = o;
    }
  }
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
  std::vector<Slot> slots_;
  std::vector<geo::AdminInfo> infos_;
  std::unordered_map<std::string, std::string> admin1_;
};

using RowHash = uint64_t (*)(std::string_view);

// Hands a batch to the writer; the batch is empty again after. False when
// the writer has stopped taking batches. The rows' text is compressed here
// when batches are waiting for the writer (the writer is the slower
// thread), else by the writer before it stores the batch: the two threads
// share the work whichever is slower on the file at hand.
bool Ship(BatchQueue& q, const store::EventStore& store, Batch* batch) {
  for (Item& it : batch->items())
    if (it.ok) store.EncodeEvent(it.event, &it.encoded);
  if (q.waiting() > 0) batch->Seal();
  q.Push(batch);
  return !q.cancelled();
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

// Produces items from a CSV file with an adapter.
// `by_date`: Batch::OrderByDate (only when the order of rows cannot change
// what is stored: no ids to look up, no duplicates to find).
Status ProduceCsv(core::CsvReader& reader, RowAdapter& adapter, const geo::Reference& ref, RowHash row_hash,
                  bool by_date, const store::EventStore& store, BatchQueue& q, std::atomic<int64_t>& bytes) {
  Enricher enricher(ref);
  Batch batch;
  int64_t run_head = -1;  // the first item of the current run of rows of one event in `batch`
  while (true) {
    auto next = reader.Next();
    if (!next.ok()) return next.status();
    if (!*next) break;
    bytes.store(reader.bytes_consumed(), std::memory_order_relaxed);
    const std::string_view raw = reader.raw();
    if (raw.empty() || core::Trim(raw).empty()) continue;  // blank line
    Item& it = batch.Next();
    it.line = reader.line();
    it.hash = row_hash(raw);
    if (!core::IsValidUtf8(raw)) {
      it.error = "invalid UTF-8 (re-save the file as UTF-8)";
    } else {
      Status converted = adapter.ConvertInto(reader.fields(), &it.event);
      if (converted.ok()) {
        enricher.Enrich(&it.event);
        converted = core::ValidateEvent(it.event);
      }
      if (converted.ok()) {
        it.ok = true;
        it.key = MakeKey(it.event);
      } else {
        it.error = converted.message();
      }
    }
    // Rows of one event come one after another in exports: merged here,
    // the writer stores the event once instead of storing and updating it.
    if (it.ok && run_head >= 0) {
      Item& head = batch.slots[static_cast<size_t>(run_head)];
      if (head.event.source_id == it.event.source_id && head.event.source == it.event.source) {
        MergeRow(it.event, &head.event);
        it.premerged = true;
      }
    }
    if (!it.premerged) run_head = it.ok ? static_cast<int64_t>(batch.size()) : -1;
    batch.Commit(raw);
    if (batch.size() == kBatchRows) {
      if (by_date) batch.OrderByDate();
      if (!Ship(q, store, &batch)) return Status::Ok();
      run_head = -1;
    }
  }
  if (!batch.empty()) {
    if (by_date) batch.OrderByDate();
    Ship(q, store, &batch);
  }
  return Status::Ok();
}

Status ProduceJsonl(std::istream& in, const geo::Reference& ref, RowHash row_hash, const store::EventStore& store,
                    BatchQueue& q, std::atomic<int64_t>& bytes) {
  Enricher enricher(ref);
  std::string line;
  int64_t lineno = 0, consumed = 0;
  Batch batch;
  while (std::getline(in, line)) {
    ++lineno;
    consumed += static_cast<int64_t>(line.size()) + 1;
    bytes.store(consumed, std::memory_order_relaxed);
    if (lineno == 1 && core::StartsWith(line, "\xEF\xBB\xBF")) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (core::Trim(line).empty()) continue;
    Item& it = batch.Next();
    it.line = lineno;
    it.hash = row_hash(line);
    if (!core::IsValidUtf8(line)) {
      it.error = "invalid UTF-8";
    } else {
      auto ev = ConvertJsonLine(line);
      if (ev.ok()) {
        it.event = std::move(*ev);
        enricher.Enrich(&it.event);
        it.ok = true;
        it.key = MakeKey(it.event);
      } else {
        it.error = ev.status().message();
      }
    }
    batch.Commit(line);
    if (batch.size() == kBatchRows && !Ship(q, store, &batch)) return Status::Ok();
  }
  if (in.bad()) return core::IoError("read error");
  if (!batch.empty()) Ship(q, store, &batch);
  return Status::Ok();
}

// The per-file state of one (source, source_id).
struct Seen {
  int64_t event_id = 0;
  int revision = 1;
  bool owns_event = true;  // false when linked into another source's event
  enum : uint8_t { kNew, kUnchanged, kRevised } state = kNew;
};

class Writer {
 public:
  Writer(store::ImportBatch* batch, int64_t file_id, const std::string& file_source, bool lookup_needed,
         bool dedupe_needed)
      : batch_(batch),
        file_id_(file_id),
        file_source_(file_source),
        lookup_needed_(lookup_needed),
        dedupe_needed_(dedupe_needed) {}

  // The batch whose items Write is given next.
  void Begin(const Batch* batch) { current_ = batch; }
  // Room for the ids of about `rows` rows.
  void Reserve(size_t rows) { seen_.Reserve(rows); }

  // Stores the source rows of the current batch: as one compressed block
  // when at least three quarters of its rows are kept (a bulk load), else
  // each inline (a re-import where few rows changed stores only those).
  // In a block, the rows that created events keep their records inside it.
  Status Flush() {
    int64_t chunk = 0;
    records_.clear();
    created_.clear();
    if (!current_->compressed.empty() && pending_.size() * 4 >= current_->size() * 3) {
      for (const auto& p : pending_)
        if (p.created) {
          if (!created_.empty() && p.event_id != created_.back().event_id + 1) {
            created_.clear();  // not consecutive (never seen): keep them all in source_records
            break;
          }
          created_.push_back(Record(p, 0));
        }
      VIGIL_ASSIGN_OR_RETURN(
          chunk, batch_->AddSourceChunk(file_id_, static_cast<int64_t>(current_->size()),
                                        static_cast<int64_t>(current_->raw.size()), current_->compressed, created_));
    }
    for (const auto& p : pending_)
      if (!(p.created && !created_.empty())) records_.push_back(Record(p, chunk));
    pending_.clear();
    return batch_->AddSourceRecords(file_id_, records_);
  }

  Status Write(Item& it, store::FileSummary* s) {
    Event& e = it.event;
    auto [seen, fresh] = seen_.FindOrInsert(it.key);  // *seen is filled in below
    if (!fresh) return WriteRepeat(it, *seen, s);

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
        VIGIL_ASSIGN_OR_RETURN(st.event_id, batch_->InsertEvent(e, &it.encoded));
        for (size_t i = 1; i < e.sources.size(); ++i) {
          const auto& ref = e.sources[i];
          if (ref.source == e.source && ref.source_id == e.source_id) continue;
          VIGIL_RETURN_IF_ERROR(batch_->LinkSource(st.event_id, ref));
        }
        ++s->rows_new;
      }
      VIGIL_RETURN_IF_ERROR(AddRecord(st.event_id, 1, it, /*created=*/st.owns_event));
    } else if (std::find(ex->row_hashes.begin(), ex->row_hashes.end(), it.hash) != ex->row_hashes.end()) {
      st.event_id = ex->event_id;
      st.revision = ex->revision;
      st.state = Seen::kUnchanged;
      ++s->rows_unchanged;
    } else {
      VIGIL_RETURN_IF_ERROR(Revise(ex->event_id, ex->revision + 1, e, it, /*merge=*/false, &st));
      ++s->rows_revised;
    }
    *seen = st;
    return Status::Ok();
  }

 private:
  Status WriteRepeat(Item& it, Seen& st, store::FileSummary* s) {
    Event& row = it.event;
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
    if (st.owns_event && !it.premerged) {
      VIGIL_ASSIGN_OR_RETURN(Event e, batch_->GetEvent(st.event_id));
      MergeRow(row, &e);
      VIGIL_RETURN_IF_ERROR(batch_->UpdateEvent(e));
    }
    VIGIL_RETURN_IF_ERROR(AddRecord(st.event_id, st.revision, it));
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
    VIGIL_RETURN_IF_ERROR(AddRecord(event_id, revision, it));
    st->event_id = event_id;
    st->revision = revision;
    st->owns_event = owns;
    st->state = Seen::kRevised;
    return Status::Ok();
  }

  // Source rows are stored when their batch is done (Flush), so that a
  // batch whose rows nearly all become records is stored as one block.
  // The record's (source, source_id) is its item's own; `created`: the row
  // inserted the event.
  Status AddRecord(int64_t event_id, int revision, const Item& it, bool created = false) {
    pending_.push_back({&it, event_id, revision, created});
    return Status::Ok();
  }

  Result<int64_t> FindDuplicate(const Event& e) {
    const double dlat = kDedupeKm / 111.0;
    const double dlon = kDedupeKm / (111.0 * std::max(0.1, std::cos(e.latitude * M_PI / 180.0)));
    store::BBox box{e.longitude - dlon, e.latitude - dlat, e.longitude + dlon, e.latitude + dlat};
    VIGIL_ASSIGN_OR_RETURN(auto near,
                           batch_->FindNearby(e.date_start - kDedupeDays, e.date_start + kDedupeDays, box, e.source));
    // The closest compatible event, then the nearest in time, then the
    // oldest id: the same choice whatever order the store returns them in.
    int64_t best = 0;
    double best_d = kDedupeKm;
    int64_t best_days = 0;
    for (const auto& n : near) {
      if (!core::CompatibleEventTypes(n.event_type, e.event_type)) continue;
      const double d = core::HaversineKm(e.latitude, e.longitude, n.latitude, n.longitude);
      const int64_t days = std::abs(n.date_start - e.date_start);
      if (d > best_d) continue;
      if (best && d == best_d && (days > best_days || (days == best_days && n.id > best))) continue;
      best_d = d;
      best_days = days;
      best = n.id;
    }
    return best;
  }

  store::ImportBatch* batch_;
  int64_t file_id_;
  std::string file_source_;
  bool lookup_needed_, dedupe_needed_;
  // (source, source_id) -> Seen, open addressing: a million entries
  // without a million allocations.
  class SeenMap {
   public:
    // Room for `n` keys without growing.
    void Reserve(size_t n) {
      size_t size = 4096;
      while (size < 2 * n) size *= 2;
      if (size > slots_.size()) Rehash(size);
    }
    // The value of k, and whether it was just inserted (a default Seen):
    // one probe sequence for the lookup and the insert. The pointer is
    // valid until the next call.
    std::pair<Seen*, bool> FindOrInsert(const Key& k) {
      if ((size_ + 1) * 2 > slots_.size()) Rehash(slots_.empty() ? 4096 : slots_.size() * 2);
      size_t i = k.a & mask_;
      for (; slots_[i].used; i = (i + 1) & mask_)
        if (slots_[i].key == k) return {&slots_[i].value, false};
      slots_[i] = {k, Seen{}, true};
      ++size_;
      return {&slots_[i].value, true};
    }

   private:
    struct Slot {
      Key key{};
      Seen value;
      bool used = false;
    };
    void Rehash(size_t size) {
      std::vector<Slot> old = std::move(slots_);
      slots_.assign(size, Slot{});
      mask_ = slots_.size() - 1;
      for (const auto& s : old) {
        if (!s.used) continue;
        size_t i = s.key.a & mask_;
        while (slots_[i].used) i = (i + 1) & mask_;
        slots_[i] = s;
      }
    }
    std::vector<Slot> slots_;
    size_t mask_ = 0, size_ = 0;
  };
  SeenMap seen_;
  struct Pending {
    const Item* item;
    int64_t event_id;
    int revision;
    bool created;
  };
  store::NewSourceRecord Record(const Pending& p, int64_t chunk) const {
    const Item& it = *p.item;
    return {p.event_id,
            it.event.source,
            it.event.source_id,
            p.revision,
            it.line,
            it.hash,
            store::RawRow{current_->Raw(it), chunk, static_cast<int64_t>(it.raw_offset)}};
  }
  const Batch* current_ = nullptr;
  std::vector<Pending> pending_;
  std::vector<store::NewSourceRecord> records_, created_;
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
  report.bulk_load = event_count == 0 && st.st_size > opt.bulk_min_bytes;
  VIGIL_ASSIGN_OR_RETURN(auto batch, store_->BeginImport(report.bulk_load));
  VIGIL_ASSIGN_OR_RETURN(bool source_has_rows, batch->SourceHasRows(report.source));
  const std::string fingerprint = content
                                      ? std::to_string(core::Fnv1a64(*content)) + "-" + std::to_string(content->size())
                                      : Fingerprint(path, st.st_size);
  VIGIL_ASSIGN_OR_RETURN(int64_t file_id, batch->AddSourceFile(report.source, path, fingerprint, st.st_size, header));
  // Other sources present? Only then is cross-source dedupe needed.
  bool other_sources = false;
  if (event_count > 0) {
    VIGIL_ASSIGN_OR_RETURN(other_sources, batch->OtherSourcesPresent(report.source));
    other_sources = other_sources || kind == SourceKind::kJsonl;
  }
  const bool lookup_needed = source_has_rows || kind == SourceKind::kJsonl;
  Writer writer(batch.get(), file_id, report.source, lookup_needed, other_sources);
  const bool by_date = !lookup_needed && !other_sources;
  // Exports run at 300 to 400 bytes a row: room for the ids without
  // rehashing a table of a million as it fills.
  writer.Reserve(static_cast<size_t>(st.st_size / 400));

  VIGIL_ASSIGN_OR_RETURN(const std::string hash_name, store_->RowHashAlgorithm());
  if (hash_name != "xxh3" && hash_name != "fnv1a64")
    return core::DatabaseError("this database hashes source rows with '" + hash_name +
                               "', which this version of vigil does not know (upgrade vigil)");
  const RowHash row_hash = hash_name == "xxh3" ? &core::Xxh3 : &core::Fnv1a64;
  BatchQueue queue(8);
  const double writer_cpu0 = core::PhaseTimer::ThreadCpuSeconds();
  std::atomic<int64_t> bytes{0};
  std::thread producer([&] {
    pthread_setname_np(pthread_self(), "vigil-parse");
    const double parse_cpu0 = core::PhaseTimer::ThreadCpuSeconds();
    Status s;
    if (kind != SourceKind::kJsonl) {
      s = ProduceCsv(*reader, *adapter, *ref_, row_hash, by_date, *store_, queue, bytes);
    } else if (content) {
      std::istringstream in(*content);
      s = ProduceJsonl(in, *ref_, row_hash, *store_, queue, bytes);
    } else {
      std::ifstream in(path, std::ios::binary);
      s = in ? ProduceJsonl(in, *ref_, row_hash, *store_, queue, bytes) : core::IoError("cannot read " + path);
    }
    core::PhaseTimer::Report("parsing thread CPU", core::PhaseTimer::ThreadCpuSeconds() - parse_cpu0);
    core::PhaseTimer::Report("parsing thread done after",
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    queue.Finish(std::move(s));
  });
  Status failure;
  Batch items;
  auto last_progress = std::chrono::steady_clock::now();
  double waited = 0;
  auto w0 = std::chrono::steady_clock::now();
  while (queue.Pop(&items)) {
    waited += std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    if (!failure.ok()) continue;  // drain
    items.Seal();                 // unless the parsing thread did
    writer.Begin(&items);
    auto write = [&](Item& it) {
      Status ws = writer.Write(it, &report.summary);
      if (ws.ok()) return true;
      failure = Status(ws.code(), path + ":" + std::to_string(it.line) + ": " + ws.message());
      queue.Cancel();
      return false;
    };
    for (auto& it : items.items()) {
      ++report.summary.rows_read;
      if (!it.ok) {
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
      if (items.order.empty() && !write(it)) break;
    }
    for (uint32_t i : items.order) {
      if (!failure.ok() || !write(items.slots[i])) break;
    }
    if (failure.ok()) {
      Status fs = writer.Flush();
      if (!fs.ok()) {
        failure = Status(fs.code(), path + ": " + fs.message());
        queue.Cancel();
      }
    }
    queue.Recycle(std::move(items));
    items = {};
    w0 = std::chrono::steady_clock::now();
    if (opt.progress) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(100)) {
        opt.progress(bytes.load(std::memory_order_relaxed), report.bytes, report.summary.rows_read);
        last_progress = now;
      }
    }
  }
  producer.join();
  core::PhaseTimer::Report("writer CPU", core::PhaseTimer::ThreadCpuSeconds() - writer_cpu0);
  core::PhaseTimer::Report("writer waiting for rows", waited);
  core::PhaseTimer::Report("parsing thread waiting for the writer", queue.push_wait());
  core::PhaseTimer::Report("read, convert and write rows",
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (!failure.ok()) return failure;
  Status produced = queue.status();
  if (!produced.ok()) {
    return Status(produced.code() == core::Code::kIo ? core::Code::kIo : core::Code::kParse,
                  path + ": " + produced.message() + "; nothing was imported from this file");
  }
  VIGIL_RETURN_IF_ERROR(batch->FinishSourceFile(file_id, report.summary));
  if (opt.audit) VIGIL_RETURN_IF_ERROR(batch->AppendAudit(opt.audit(report)));
  VIGIL_RETURN_IF_ERROR(batch->Commit());
  if (opt.progress) opt.progress(report.bytes, report.bytes, report.summary.rows_read);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace vigil::ingest
