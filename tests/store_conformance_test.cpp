// The store conformance suite: every behaviour of EventStore and
// ImportBatch that callers rely on, run against each backend (SQLite in a
// temporary file; PostgreSQL + PostGIS in a throwaway server this test
// starts). A backend passes when it answers exactly as the contract says,
// and the real importer gives the same events on both.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "auth/account_store.h"
#include "auth/accounts.h"
#include "core/compress.h"
#include "ingest/importer.h"
#include "ingest/setup.h"
#include "pg_cluster.h"
#include "store/move.h"
#include "store/postgres/pg.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "test_support.h"

namespace vigil::store {
namespace {

using testing::TempDir;

class Conformance : public ::testing::TestWithParam<std::string> {
 protected:
  bool pg() const { return GetParam() == "postgresql"; }

  // A new, empty, migrated store with the reference data; each call a new
  // database.
  std::unique_ptr<EventStore> Fresh() {
    std::string url;
    if (pg()) {
      auto* cluster = testing::SharedPgCluster();
      if (!cluster) return nullptr;
      static std::atomic<int> n{0};
      auto made = cluster->CreateDatabase("conf" + std::to_string(n++));
      EXPECT_TRUE(made.ok()) << made.status().ToString();
      if (!made.ok()) return nullptr;
      url = *made;
    } else {
      url = dir_.path() + "/s" + std::to_string(files_++) + ".db";
    }
    url_ = url;
    auto st = EventStore::Open(url, true);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (!st.ok()) return nullptr;
    auto init = ingest::InitDatabase(st->get(), *testing::Ref());
    EXPECT_TRUE(init.ok()) << init.status().ToString();
    return std::move(*st);
  }

  TempDir dir_;
  int files_ = 0;
  std::string url_;  // of the last Fresh() store
};

core::Event MakeEvent(const std::string& id, const char* date, double lat, double lon) {
  core::Event e;
  e.source = "test";
  e.source_id = id;
  e.date_start = e.date_end = *core::Date::Parse(date);
  e.latitude = lat;
  e.longitude = lon;
  e.event_type = "Battles";
  e.sub_event_type = "Armed clash";
  e.country = "Mali";
  e.admin1 = "Kayes";
  e.actor1 = "JNIM";
  e.sources = {{"test", id, 1}};
  return e;
}

// An event with every field set, separators and newlines in its texts.
core::Event FullEvent() {
  core::Event e = MakeEvent("full\t1", "2025-07-01", 14.4469, -11.4445);
  e.date_end = *core::Date::Parse("2025-07-03");
  e.date_precision = core::DatePrecision::kWeek;
  e.geo_precision = 2;
  e.place_id = 2453348;
  e.location = "Kayes \\ ville";
  e.admin2 = "Kayes";
  e.admin1_pcode = "ML01";
  e.admin2_pcode = "ML0101";
  e.actor2 = "Military Forces of Mali";
  e.actor1_original = "JNIM: Group for Support of Islam and Muslims";
  e.actor2_original = "FAMa\x1b";
  e.assoc_actor1 = "Wagner Group; Dozo";
  e.fatalities = 12;
  e.fatalities_low = 10;
  e.fatalities_high = 15;
  e.hostages = 3;
  e.tags = {"convoy", "block\"ade", "a,b"};
  e.notes = "first line\nsecond\tline \\N end";
  e.evidence_doc = "doc.txt";
  e.evidence_start = 5;
  e.evidence_end = 42;
  e.confidence = 0.85;
  return e;
}

void ExpectSameEvent(const core::Event& a, const core::Event& b) {
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.source_id, b.source_id);
  EXPECT_EQ(a.revision, b.revision);
  EXPECT_EQ(a.date_start, b.date_start);
  EXPECT_EQ(a.date_end, b.date_end);
  EXPECT_EQ(a.date_precision, b.date_precision);
  EXPECT_DOUBLE_EQ(a.latitude, b.latitude);
  EXPECT_DOUBLE_EQ(a.longitude, b.longitude);
  EXPECT_EQ(a.geo_precision, b.geo_precision);
  EXPECT_EQ(a.place_id, b.place_id);
  EXPECT_EQ(a.location, b.location);
  EXPECT_EQ(a.country, b.country);
  EXPECT_EQ(a.admin1, b.admin1);
  EXPECT_EQ(a.admin2, b.admin2);
  EXPECT_EQ(a.admin1_pcode, b.admin1_pcode);
  EXPECT_EQ(a.admin2_pcode, b.admin2_pcode);
  EXPECT_EQ(a.event_type, b.event_type);
  EXPECT_EQ(a.sub_event_type, b.sub_event_type);
  EXPECT_EQ(a.actor1, b.actor1);
  EXPECT_EQ(a.actor2, b.actor2);
  EXPECT_EQ(a.actor1_original, b.actor1_original);
  EXPECT_EQ(a.actor2_original, b.actor2_original);
  EXPECT_EQ(a.assoc_actor1, b.assoc_actor1);
  EXPECT_EQ(a.assoc_actor2, b.assoc_actor2);
  EXPECT_EQ(a.fatalities, b.fatalities);
  EXPECT_EQ(a.fatalities_low, b.fatalities_low);
  EXPECT_EQ(a.fatalities_high, b.fatalities_high);
  EXPECT_EQ(a.hostages, b.hostages);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.notes, b.notes);
  EXPECT_EQ(a.evidence_doc, b.evidence_doc);
  EXPECT_EQ(a.evidence_start, b.evidence_start);
  EXPECT_EQ(a.evidence_end, b.evidence_end);
  EXPECT_DOUBLE_EQ(a.confidence, b.confidence);
  EXPECT_EQ(a.sources, b.sources);
}

// Inserts `events` in one committed batch; returns their ids.
std::vector<int64_t> Insert(EventStore* st, const std::vector<core::Event>& events) {
  std::vector<int64_t> ids;
  auto batch = st->BeginImport();
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  if (!batch.ok()) return ids;
  for (const auto& e : events) {
    auto id = (*batch)->InsertEvent(e);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(id.ok() ? *id : 0);
  }
  auto c = (*batch)->Commit();
  EXPECT_TRUE(c.ok()) << c.ToString();
  return ids;
}

TEST_P(Conformance, MigratingTwiceIsSafeAndTheSchemaIsCurrent) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  auto again = st->Migrate();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *st->Version());
  EXPECT_TRUE(st->CheckCurrent().ok());
  EXPECT_GT(*st->CountReference("places"), 100);
  EXPECT_GT(*st->CountReference("admin_units"), 10);
  EXPECT_FALSE(st->ReferenceFingerprint()->empty());
  EXPECT_FALSE(st->CountRows("no_such_table").ok());
}

TEST_P(Conformance, EveryFieldReadsBackAsWritten) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  core::Event e = FullEvent();
  const auto ids = Insert(st.get(), {e});
  ASSERT_EQ(ids.size(), 1u);
  auto got = st->GetEvent(ids[0]);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameEvent(*got, e);
  EXPECT_EQ(got->id, ids[0]);
  EXPECT_EQ(st->GetEvent(ids[0] + 1000).status().code(), core::Code::kNotFound);
}

TEST_P(Conformance, AbandonedBatchLeavesNothingAndCommitMovesTheGeneration) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  const int64_t gen0 = *st->DataVersion();
  const std::string fp0 = *st->EventsFingerprint();
  {
    auto batch = st->BeginImport();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE((*batch)->AddSourceFile("test", "/x.csv", "fp", 10, "h").ok());
    for (int i = 0; i < 50; ++i) ASSERT_TRUE((*batch)->InsertEvent(MakeEvent(std::to_string(i), "2025-01-01", 14, -8)).ok());
  }  // destroyed without Commit
  EXPECT_EQ(*st->CountEvents({}), 0);
  EXPECT_EQ(*st->CountRows("source_files"), 0);
  EXPECT_EQ(*st->DataVersion(), gen0);
  EXPECT_EQ(*st->EventsFingerprint(), fp0);
  Insert(st.get(), {MakeEvent("a", "2025-01-01", 14, -8)});
  EXPECT_GT(*st->DataVersion(), gen0);
  EXPECT_NE(*st->EventsFingerprint(), fp0);
}

TEST_P(Conformance, FiltersOrderAndKeysetPaging) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  std::vector<core::Event> evs;
  for (int i = 0; i < 40; ++i) {
    core::Event e = MakeEvent("e" + std::to_string(i), i < 20 ? "2025-03-01" : "2025-04-15", 12.0 + i * 0.1,
                              -8.0 + i * 0.05);
    e.admin1 = i % 2 ? "Segou" : "Mopti";
    e.event_type = i % 4 == 0 ? "Violence against civilians" : "Battles";
    e.sub_event_type = i % 4 == 0 ? "Attack" : "Armed clash";
    if (i % 5) e.fatalities = i;
    e.actor2 = i == 7 ? "Dozo militia (Mali)" : "";
    evs.push_back(e);
  }
  Insert(st.get(), evs);
  EventFilter all;
  EXPECT_EQ(*st->CountEvents(all), 40);
  // A box whose edges pass exactly through stored points keeps them.
  EventFilter box;
  box.bbox = BBox{-8.0 + 5 * 0.05, 12.0 + 5 * 0.1, -8.0 + 9 * 0.05, 12.0 + 9 * 0.1};
  EXPECT_EQ(*st->CountEvents(box), 5);
  box.limit = 3;
  auto in_box = st->QueryEvents(box);
  ASSERT_EQ(in_box->size(), 3u);
  EXPECT_EQ((*in_box)[0].source_id, "e9");  // newest first, then highest id
  EventFilter f;
  f.admin1 = {"Segou"};
  f.from = *core::Date::Parse("2025-04-01");
  EXPECT_EQ(*st->CountEvents(f), 10);
  f = {};
  f.event_types = {"Violence against civilians"};
  EXPECT_EQ(*st->CountEvents(f), 10);
  f = {};
  f.actors = {"dozo"};  // any actor field, any case
  auto dozo = st->QueryEvents(f);
  ASSERT_EQ(dozo->size(), 1u);
  EXPECT_EQ((*dozo)[0].source_id, "e7");
  f = {};
  f.min_fatalities = 30;  // unknown counts are not over any threshold
  EXPECT_EQ(*st->CountEvents(f), 8);
  f = {};
  f.sources = {"other"};
  EXPECT_EQ(*st->CountEvents(f), 0);
  // Keyset paging walks every event once, in order, both directions.
  for (bool newest : {true, false}) {
    EventFilter page;
    page.newest_first = newest;
    page.limit = 7;
    std::vector<std::string> seen;
    for (int guard = 0; guard < 20; ++guard) {
      auto rows = st->QueryEvents(page);
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
      if (rows->empty()) break;
      for (const auto& e : *rows) seen.push_back(e.source_id);
      page.after_key = std::make_pair(rows->back().date_start.ToIso(), rows->back().id);
    }
    EXPECT_EQ(seen.size(), 40u);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 40u);
    EXPECT_EQ(seen.front(), newest ? "e39" : "e0");
  }
  // Streaming stops when asked to.
  int n = 0;
  EXPECT_TRUE(st->ForEachEvent({}, [&](const core::Event&) { return ++n < 5; }).ok());
  EXPECT_EQ(n, 5);
  // The connection is still usable after a stopped stream.
  EXPECT_EQ(*st->CountEvents({}), 40);
}

TEST_P(Conformance, StatsByMonthAndWeekCountUnknownFatalitiesApart) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  core::Event a = MakeEvent("a", "2025-07-02", 14, -8), b = MakeEvent("b", "2025-07-06", 14, -8),
              c = MakeEvent("c", "2025-07-07", 14, -8);
  a.fatalities = 3;
  b.fatalities = 0;
  Insert(st.get(), {a, b, c});
  auto monthly = st->Stats({});
  ASSERT_TRUE(monthly.ok()) << monthly.status().ToString();
  ASSERT_EQ(monthly->size(), 1u);
  EXPECT_EQ((*monthly)[0].period, "2025-07");
  EXPECT_EQ((*monthly)[0].events, 3);
  EXPECT_EQ((*monthly)[0].fatalities, 3);
  EXPECT_EQ((*monthly)[0].fatalities_known, 2);
  EXPECT_EQ((*monthly)[0].country, "Mali");
  auto weekly = st->Stats({}, {false, true});
  ASSERT_TRUE(weekly.ok());
  ASSERT_EQ(weekly->size(), 2u);
  EXPECT_EQ((*weekly)[0].period, "2025-06-30");  // the Monday of 2 and 6 July
  EXPECT_EQ((*weekly)[0].events, 2);
  EXPECT_EQ((*weekly)[1].period, "2025-07-07");
}

TEST_P(Conformance, LookupLinksRevisionsAndNearby) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  auto batch = st->BeginImport();
  ASSERT_TRUE(batch.ok());
  ImportBatch& b = **batch;
  EXPECT_FALSE(*b.SourceHasRows("test"));
  const int64_t file = *b.AddSourceFile("test", "/a.csv", "fp1", 100, "head");
  const int64_t id = *b.InsertEvent(MakeEvent("x1", "2025-05-01", 14.0, -8.0));
  NewSourceRecord rec{id, "test", "x1", 1, 2, 777, {"raw,row,1", 0, 0}};
  ASSERT_TRUE(b.AddSourceRecords(file, std::span(&rec, 1)).ok());
  // Found within the batch, with its row's hash.
  auto ex = b.Lookup("test", "x1");
  ASSERT_TRUE(ex.ok() && *ex) << ex.status().ToString();
  EXPECT_EQ((*ex)->event_id, id);
  EXPECT_EQ((*ex)->revision, 1);
  EXPECT_EQ((*ex)->row_hashes, std::vector<uint64_t>{777});
  EXPECT_FALSE(*b.Lookup("test", "nope"));
  // A link from another source; linking the event's own id changes nothing.
  ASSERT_TRUE(b.LinkSource(id, {"acled", "MLI9", 2}).ok());
  ASSERT_TRUE(b.LinkSource(id, {"test", "x1", 1}).ok());
  auto linked = b.Lookup("acled", "MLI9");
  ASSERT_TRUE(linked.ok() && *linked);
  EXPECT_EQ((*linked)->event_id, id);
  EXPECT_EQ((*linked)->revision, 2);
  // A revision.
  core::Event e = *b.GetEvent(id);
  e.revision = 2;
  e.fatalities = 9;
  ASSERT_TRUE(b.UpdateEvent(e).ok());
  core::Event missing = e;
  missing.id = id + 999;
  EXPECT_EQ(b.UpdateEvent(missing).code(), core::Code::kNotFound);
  // Nearby events of other sources, not yet linked to the asking source.
  auto near = b.FindNearby(*core::Date::Parse("2025-04-28"), *core::Date::Parse("2025-05-04"),
                           BBox{-8.1, 13.9, -7.9, 14.1}, "ucdp");
  ASSERT_TRUE(near.ok()) << near.status().ToString();
  ASSERT_EQ(near->size(), 1u);
  EXPECT_EQ((*near)[0].id, id);
  EXPECT_TRUE(b.FindNearby(*core::Date::Parse("2025-04-28"), *core::Date::Parse("2025-05-04"),
                           BBox{-8.1, 13.9, -7.9, 14.1}, "acled")
                  ->empty());  // already holds an acled id
  EXPECT_TRUE(b.FindNearby(*core::Date::Parse("2025-04-28"), *core::Date::Parse("2025-05-04"),
                           BBox{-8.1, 13.9, -7.9, 14.1}, "test")
                  ->empty());  // its own source
  ASSERT_TRUE(b.FinishSourceFile(file, FileSummary{1, 1, 0, 0, 0, 0, 0}).ok());
  ASSERT_TRUE(b.Commit().ok());
  auto got = st->GetEvent(id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->revision, 2);
  EXPECT_EQ(got->fatalities, 9);
  ASSERT_EQ(got->sources.size(), 2u);
  EXPECT_EQ(got->sources[1], (core::SourceRef{"acled", "MLI9", 2}));
  EXPECT_EQ(*st->CountRows("event_sources"), 1);
  // After the commit, from the tables.
  auto again = st->BeginImport();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*(*again)->SourceHasRows("test"));
  EXPECT_TRUE(*(*again)->SourceHasRows("acled"));
  EXPECT_TRUE(*(*again)->OtherSourcesPresent("acled"));
  EXPECT_FALSE(*(*again)->OtherSourcesPresent("test"));
  auto stored = (*again)->Lookup("test", "x1");
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->revision, 2);
  EXPECT_EQ((*stored)->row_hashes, std::vector<uint64_t>{777});
}

TEST_P(Conformance, ProvenanceReadsInlineRowsAndRowsInsideBlocks) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  auto batch = st->BeginImport();
  ASSERT_TRUE(batch.ok());
  ImportBatch& b = **batch;
  const int64_t file = *b.AddSourceFile("test", "/b.csv", "fp2", 100, "id,notes");
  const std::string block = "r1,first\nr2,\"two\nlines\"\nr3,third\n";
  std::vector<NewSourceRecord> created;
  const int64_t first = *b.InsertEvent(MakeEvent("r1", "2025-01-01", 14, -8));
  const int64_t second = *b.InsertEvent(MakeEvent("r2", "2025-01-02", 14, -8));
  const std::string_view text(block);
  created.push_back({first, "test", "r1", 1, 2, 11, {text.substr(0, 8), 0, 0}});
  created.push_back({second, "test", "r2", 1, 3, 12, {text.substr(9, 14), 0, 9}});
  if (second != first + 1) created.pop_back();  // blocks take consecutive ids only
  std::string packed;
  core::ZstdCompress(block, &packed, 3);
  auto chunk = b.AddSourceChunk(file, 3, static_cast<int64_t>(block.size()), packed, created);
  ASSERT_TRUE(chunk.ok()) << chunk.status().ToString();
  NewSourceRecord later{first, "test", "r1", 2, 4, 13, {text.substr(24, 8), *chunk, 24}};
  NewSourceRecord inline_row{first, "test", "r1", 3, 5, 14, {"r1,inline", 0, 0}};
  ASSERT_TRUE(b.AddSourceRecords(file, std::span(&later, 1)).ok());
  ASSERT_TRUE(b.AddSourceRecords(file, std::span(&inline_row, 1)).ok());
  ASSERT_TRUE(b.Commit().ok());
  auto prov = st->Provenance(first);
  ASSERT_TRUE(prov.ok()) << prov.status().ToString();
  ASSERT_EQ(prov->size(), 3u);
  EXPECT_EQ((*prov)[0].raw, "r1,first");
  EXPECT_EQ((*prov)[0].line, 2);
  EXPECT_EQ((*prov)[0].file_path, "/b.csv");
  EXPECT_EQ((*prov)[0].header, "id,notes");
  EXPECT_EQ((*prov)[1].raw, "r3,third");
  EXPECT_EQ((*prov)[1].revision, 2);
  EXPECT_EQ((*prov)[2].raw, "r1,inline");
  if (created.size() == 2) {
    auto p2 = st->Provenance(second);
    ASSERT_TRUE(p2.ok());
    ASSERT_EQ(p2->size(), 1u);
    EXPECT_EQ((*p2)[0].raw, "r2,\"two\nlines\"");
  }
}

TEST_P(Conformance, DistinctValuesCoverageAndSnapshots) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  core::Event a = MakeEvent("a", "2024-01-05", 14, -8), b = MakeEvent("b", "2025-02-01", 13, -7);
  b.admin1 = "Segou";
  b.source = "other";
  b.sources = {{"other", "b", 1}};
  Insert(st.get(), {a, b});
  EXPECT_EQ(*st->DistinctValues("admin1"), (std::vector<std::string>{"Kayes", "Segou"}));
  EXPECT_EQ(*st->DistinctValues("source"), (std::vector<std::string>{"other", "test"}));
  EXPECT_FALSE(st->DistinctValues("notes").ok());
  EXPECT_FALSE(st->DistinctValues("reference_admin1")->empty());
  auto cov = st->Coverage();
  ASSERT_TRUE(cov.ok());
  ASSERT_EQ(cov->size(), 2u);
  EXPECT_EQ((*cov)[1].source, "test");
  EXPECT_EQ((*cov)[1].first.ToIso(), "2024-01-05");
  EXPECT_EQ((*cov)[1].events, 1);

  ModelSnapshot m;
  m.model = "hawkes";
  m.as_of = *core::Date::Parse("2025-01-01");
  m.window_start = *core::Date::Parse("2023-01-01");
  m.selection = "{}";
  m.params = "{\"mu\":1}";
  m.fingerprint = "fp";
  m.catalogue = std::string("\0\x01\xff binary", 10);
  auto id = st->SaveSnapshot(m);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  m.as_of = *core::Date::Parse("2025-02-01");
  ASSERT_TRUE(st->SaveSnapshot(m).ok());
  auto found = st->FindSnapshot("hawkes", *core::Date::Parse("2025-01-01"), m.window_start, "{}", "fp");
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->id, *id);
  EXPECT_EQ((*found)->catalogue, m.catalogue);
  EXPECT_EQ((*found)->params, m.params);
  EXPECT_FALSE(*st->FindSnapshot("hawkes", *core::Date::Parse("2025-01-01"), m.window_start, "{}", "other"));
  auto latest = st->LatestSnapshot("hawkes");
  ASSERT_TRUE(latest.ok() && *latest);
  EXPECT_EQ((*latest)->as_of.ToIso(), "2025-02-01");
  EXPECT_FALSE(*st->LatestSnapshot("none"));
}

TEST_P(Conformance, AQueryPastItsBudgetStopsWithUnavailable) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  std::vector<core::Event> many;
  for (int i = 0; i < 300; ++i) many.push_back(MakeEvent("b" + std::to_string(i), "2025-01-01", 14, -8));
  Insert(st.get(), many);
  EventStore::QueryBudget budget;
  budget.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  budget.max_steps = 1;
  st->SetQueryBudget(budget);
  EventFilter scan;  // a filter no index answers: every row is read
  scan.actors = {"nobody"};
  auto r = st->QueryEvents(scan);
  EXPECT_EQ(r.status().code(), core::Code::kUnavailable) << r.status().ToString();
  st->ClearQueryBudget();
  EXPECT_EQ(*st->CountEvents({}), 300);
}

// The real importer on both backends: the same file gives the same events,
// a second import of it changes nothing, an edited row makes a revision.
TEST_P(Conformance, ImporterGivesTheSameEventsOnEveryBackend) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  std::string csv = testing::kAcledHeader;
  for (int i = 0; i < 300; ++i)
    csv += testing::AcledRow("MLI" + std::to_string(1000 + i), "2024-0" + std::to_string(1 + i % 9) + "-1" +
                                                                    std::to_string(i % 10),
                             i % 3 ? "Battles" : "Violence against civilians", i % 3 ? "Armed clash" : "Attack",
                             "JNIM: Group for Support of Islam and Muslims", "Military Forces of Mali (2021-)",
                             std::to_string(12.0 + (i % 40) * 0.05), std::to_string(-8.0 - (i % 30) * 0.05),
                             std::to_string(i % 4), i % 7 ? "plain notes" : "\"two\nlines, \"\"quoted\"\"\"");
  ingest::Importer importer(st.get(), testing::Ref());
  auto first = importer.ImportFile(ingest::SourceKind::kAcled, dir_.Write("a.csv", csv), {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->summary.rows_new, 300);
  auto events = st->QueryEvents({});
  ASSERT_EQ(events->size(), 300u);
  // Compared with a SQLite import of the same file.
  TempDir ref_dir;
  auto ref = testing::FreshStore(ref_dir);
  ingest::Importer ref_importer(ref.get(), testing::Ref());
  ASSERT_TRUE(ref_importer.ImportFile(ingest::SourceKind::kAcled, ref_dir.Write("a.csv", csv), {}).ok());
  auto expected = ref->QueryEvents({});
  ASSERT_EQ(expected->size(), events->size());
  for (size_t i = 0; i < events->size(); ++i) ExpectSameEvent((*events)[i], (*expected)[i]);
  auto prov = st->Provenance((*events)[0].id);
  ASSERT_TRUE(prov.ok() && !prov->empty());
  EXPECT_EQ((*prov)[0].raw, (*ref->Provenance((*expected)[0].id))[0].raw);

  auto again = importer.ImportFile(ingest::SourceKind::kAcled, dir_.Write("a2.csv", csv), {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->summary.rows_unchanged, 300);
  EXPECT_EQ(*st->CountEvents({}), 300);
  const std::string edited = csv.substr(0, csv.find("plain notes")) + "edited notes" +
                             csv.substr(csv.find("plain notes") + std::string("plain notes").size());
  auto third = importer.ImportFile(ingest::SourceKind::kAcled, dir_.Write("a3.csv", edited), {});
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->summary.rows_revised, 1);
  EXPECT_EQ(third->summary.rows_unchanged, 299);
}

// An ACLED-format file of `n` fictional rows with ids prefix0..prefix(n-1),
// spread over a box of western Mali.
// Accounts and the audit log (auth/account_store.h) through Accounts, the
// policy layer the server uses: the same answers on both backends.
TEST_P(Conformance, AccountsTokensSessionsAndTheAuditChain) {
  auto st = Fresh();
  ASSERT_TRUE(st);
  auto acc = auth::Accounts::Open(url_);
  ASSERT_TRUE(acc.ok()) << acc.status().ToString();
  auth::Accounts& a = **acc;
  ASSERT_TRUE(a.AddUser("amadou", auth::Role::kAnalyst, "a-long-password-1").ok());
  ASSERT_TRUE(a.AddUser("fanta", auth::Role::kViewer, "").ok());
  EXPECT_EQ(a.AddUser("amadou", auth::Role::kAdmin, "another-password-2").status().code(), core::Code::kConflict);
  auto users = a.ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "amadou");
  EXPECT_TRUE((*users)[0].has_password);
  EXPECT_FALSE((*users)[1].has_password);
  EXPECT_EQ(a.SetRole("nobody", auth::Role::kAdmin).code(), core::Code::kNotFound);
  ASSERT_TRUE(a.SetRole("fanta", auth::Role::kResponder).ok());

  auto tok = a.CreateToken("fanta", "field laptop");
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  auto who = a.CheckToken(tok->token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->name, "fanta");
  EXPECT_EQ(who->role, auth::Role::kResponder);
  EXPECT_EQ(a.CheckToken(tok->token + "x").status().code(), core::Code::kUnauthenticated);
  ASSERT_TRUE(a.RevokeToken(tok->id).ok());
  EXPECT_EQ(a.CheckToken(tok->token).status().code(), core::Code::kUnauthenticated);
  EXPECT_EQ(a.RevokeToken(tok->id + 100).code(), core::Code::kNotFound);
  auto tokens = a.ListTokens();
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].label, "field laptop");
  EXPECT_FALSE((*tokens)[0].revoked_at.empty());

  auto me = a.CheckPassword("amadou", "a-long-password-1");
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  EXPECT_EQ(a.CheckPassword("amadou", "wrong-password-99").status().code(), core::Code::kUnauthenticated);
  auto session = a.CreateSession(me->user_id, 3600);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto in = a.CheckSession(session->id);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->csrf, session->csrf);
  // A new password ends the sessions opened with the old one.
  ASSERT_TRUE(a.SetPassword("amadou", "a-new-long-password").ok());
  EXPECT_FALSE(a.CheckSession(session->id).ok());
  auto again = a.CreateSession(me->user_id, 3600);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(a.EndSession(again->id).ok());
  EXPECT_FALSE(a.CheckSession(again->id).ok());
  auto expired = a.CreateSession(me->user_id, 0);  // expires at once
  ASSERT_TRUE(expired.ok());
  EXPECT_FALSE(a.CheckSession(expired->id).ok());

  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(a.Audit(*me, "POST /api/v1/events", "events", "row " + std::to_string(i), "127.0.0.1", 201).ok());
  auto log = a.ListAudit(2);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].detail, "row 2");
  auto check = a.VerifyAudit();
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_TRUE(check->ok) << check->problem;
  EXPECT_EQ(check->rows, 3);

  // Someone with the database's owner rights removes the last row: the
  // recorded head shows that rows were cut off the end.
  if (pg()) {
    auto c = pg::Conn::Open(url_);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->Exec("ALTER TABLE audit_log DISABLE TRIGGER USER; DELETE FROM audit_log WHERE id = 3").ok());
  } else {
    auto db = Db::Open(url_, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3").ok());
  }
  auto cut = a.VerifyAudit();
  ASSERT_TRUE(cut.ok());
  EXPECT_FALSE(cut->ok);
  EXPECT_NE(cut->problem.find("cut off"), std::string::npos) << cut->problem;
}

std::string SyntheticAcled(const std::string& prefix, int n) {
  std::string csv = testing::kAcledHeader;
  csv.reserve(static_cast<size_t>(n) * 330);
  for (int i = 0; i < n; ++i)
    csv += testing::AcledRow(prefix + std::to_string(i),
                             "2023-" + std::string(i % 12 < 9 ? "0" : "") + std::to_string(1 + i % 12) + "-1" +
                                 std::to_string(i % 10),
                             i % 3 ? "Battles" : "Violence against civilians", i % 3 ? "Armed clash" : "Attack",
                             "JNIM: Group for Support of Islam and Muslims", "Military Forces of Mali (2021-)",
                             std::to_string(11.0 + (i % 997) * 0.004), std::to_string(-11.0 + (i % 991) * 0.006),
                             std::to_string(i % 4));
  return csv;
}

// Must-show of the PostgreSQL backend: one import of 200,000 rows while 32
// readers query. No reader fails, and each sees the events (and the events
// in a box) either as they were before the import or as they are after it,
// never part of it.
TEST(PostgresConcurrency, ReadersSeeTheOldOrTheNewStateOfA200kImport) {
  auto* cluster = testing::SharedPgCluster();
  ASSERT_TRUE(cluster);
  auto url = cluster->CreateDatabase("concurrency");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  auto st = EventStore::Open(*url, true);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ASSERT_TRUE(ingest::InitDatabase(st->get(), *testing::Ref()).ok());
  TempDir dir;
  ingest::Importer importer(st->get(), testing::Ref());
  ASSERT_TRUE(importer.ImportFile(ingest::SourceKind::kAcled, dir.Write("old.csv", SyntheticAcled("OLD", 1000)), {}).ok());
  // What readers count: a month of events (an index range holding a twelfth
  // of the file) and a box (the map's query).
  EventFilter month, box;
  month.from = *core::Date::Parse("2023-03-01");
  month.to = *core::Date::Parse("2023-03-31");
  box.bbox = BBox{-10.0, 12.0, -8.0, 14.0};
  ASSERT_EQ(*(*st)->CountEvents({}), 1000);
  const int64_t old_all = *(*st)->CountEvents(month), old_box = *(*st)->CountEvents(box);

  const std::string big = dir.Write("new.csv", SyntheticAcled("NEW", 200000));
  std::atomic<bool> done{false};
  std::atomic<int64_t> reads{0};
  std::mutex mu;
  std::vector<std::string> errors;
  std::vector<std::pair<int64_t, int64_t>> seen;  // (in the month, in the box) per read
  std::vector<std::thread> readers;
  for (int r = 0; r < 32; ++r) {
    readers.emplace_back([&] {
      auto reader = EventStore::Open(*url, false);
      if (!reader.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        errors.push_back(reader.status().ToString());
        return;
      }
      std::vector<std::pair<int64_t, int64_t>> mine;
      for (bool last = false; !last;) {
        last = done.load();
        auto all = (*reader)->CountEvents(month);
        auto in_box = (*reader)->CountEvents(box);
        EventFilter page = box;
        page.limit = 50;
        auto rows = (*reader)->QueryEvents(page);
        ++reads;
        if (!all.ok() || !in_box.ok() || !rows.ok() || rows->size() != 50) {
          std::lock_guard<std::mutex> lock(mu);
          errors.push_back(!all.ok()      ? all.status().ToString()
                           : !in_box.ok() ? in_box.status().ToString()
                           : !rows.ok()   ? rows.status().ToString()
                                          : "a page of " + std::to_string(rows->size()) + " events");
          continue;
        }
        mine.emplace_back(*all, *in_box);
        // 32 clients at about 4 reads a second each (a busy office server),
        // not a tight loop: on two cores the import still gets its share.
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(seen.end(), mine.begin(), mine.end());
    });
  }
  auto imported = importer.ImportFile(ingest::SourceKind::kAcled, big, {});
  done = true;
  for (auto& t : readers) t.join();
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->summary.rows_new, 200000);
  EXPECT_EQ(*(*st)->CountEvents({}), 201000);
  const int64_t new_all = *(*st)->CountEvents(month), new_box = *(*st)->CountEvents(box);
  EXPECT_GT(new_all, old_all);
  EXPECT_GT(new_box, old_box);
  EXPECT_TRUE(errors.empty()) << errors.size() << " reader errors, first: " << errors.front();
  // Each statement saw the state before the import or after it.
  int64_t before = 0, after = 0;
  for (const auto& [all, in_box] : seen) {
    EXPECT_TRUE(all == old_all || all == new_all) << "a reader counted " << all << " events in the month";
    EXPECT_TRUE(in_box == old_box || in_box == new_box) << "a reader counted " << in_box << " in the box";
    before += all == old_all;
    after += all == new_all;
  }
  EXPECT_GE(seen.size(), 32u);
  EXPECT_GT(before, 0);  // readers ran during the import
  EXPECT_GT(after, 0);   // and after its commit
}

// Two imports of different files at once, each with its own connection:
// both commit, nothing is lost or doubled, ids stay unique.
TEST(PostgresConcurrency, TwoImportsOfDifferentFilesAtOnce) {
  auto* cluster = testing::SharedPgCluster();
  ASSERT_TRUE(cluster);
  auto url = cluster->CreateDatabase("two_writers");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  {
    auto st = EventStore::Open(*url, true);
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(ingest::InitDatabase(st->get(), *testing::Ref()).ok());
  }
  TempDir dir;
  const std::string a = dir.Write("a.csv", SyntheticAcled("A", 20000)), b = dir.Write("b.csv", SyntheticAcled("B", 20000));
  core::Status results[2];
  std::thread writers[2];
  for (int w = 0; w < 2; ++w) {
    writers[w] = std::thread([&, w] {
      auto st = EventStore::Open(*url, false);
      if (!st.ok()) {
        results[w] = st.status();
        return;
      }
      ingest::Importer importer(st->get(), testing::Ref());
      auto r = importer.ImportFile(ingest::SourceKind::kAcled, w ? b : a, {});
      results[w] = r.ok() ? core::Status() : r.status();
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_TRUE(results[0].ok()) << results[0].ToString();
  EXPECT_TRUE(results[1].ok()) << results[1].ToString();
  auto st = EventStore::Open(*url, false);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(*(*st)->CountEvents({}), 40000);
  EXPECT_EQ(*(*st)->CountRows("source_files"), 2);
  EXPECT_EQ(*(*st)->CountRows("source_records"), 40000);
  auto ev = (*st)->QueryEvents({});
  std::set<int64_t> ids;
  for (const auto& e : *ev) ids.insert(e.id);
  EXPECT_EQ(ids.size(), 40000u);
}

// `vigil migrate`: a SQLite database with imported rows, a cross-source
// link, a revision and a snapshot moves to PostgreSQL and back; every
// event, source row and snapshot reads the same on all three, the ids and
// fingerprints too, and new imports into the copy continue the ids.
TEST(MoveDatabase, SqliteToPostgresAndBackKeepsEverything) {
  TempDir dir;
  auto a = testing::FreshStore(dir, "a.db");
  ingest::Importer importer(a.get(), testing::Ref());
  ASSERT_TRUE(importer.ImportFile(ingest::SourceKind::kAcled, dir.Write("m.csv", SyntheticAcled("M", 3000)), {}).ok());
  const std::string edited = SyntheticAcled("M", 10);
  ASSERT_TRUE(importer.ImportFile(ingest::SourceKind::kAcled,
                                  dir.Write("m2.csv", edited.substr(0, edited.size() - 3) + "9\n"), {})
                  .ok());
  {
    auto batch = a->BeginImport();
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE((*batch)->LinkSource(5, {"ucdp", "U5", 1}).ok());
    ASSERT_TRUE((*batch)->Commit().ok());
  }
  ModelSnapshot m;
  m.model = "hawkes";
  m.as_of = *core::Date::Parse("2024-01-01");
  m.window_start = *core::Date::Parse("2022-01-01");
  m.selection = "{}";
  m.params = "{}";
  m.fingerprint = *a->EventsFingerprint();
  m.catalogue = std::string("\0\1\2", 3);
  ASSERT_TRUE(a->SaveSnapshot(m).ok());

  auto* cluster = testing::SharedPgCluster();
  ASSERT_TRUE(cluster);
  auto url = cluster->CreateDatabase("moved");
  ASSERT_TRUE(url.ok());
  auto b = EventStore::Open(*url, true);
  ASSERT_TRUE(b.ok());
  auto moved = MoveDatabase(a.get(), b->get());
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->events, 3000);
  EXPECT_EQ(moved->links, 1);
  EXPECT_EQ(moved->source_rows, 3001);  // every row, and the edited row's revision
  EXPECT_EQ(moved->source_files, 2);
  EXPECT_EQ(moved->snapshots, 1);
  EXPECT_EQ(*(*b)->EventsFingerprint(), *a->EventsFingerprint());
  EXPECT_TRUE((*b)->CheckCurrent().ok());
  // A second move into the now full target writes nothing.
  auto again = MoveDatabase(a.get(), b->get());
  EXPECT_EQ(again.status().code(), core::Code::kConflict);
  EXPECT_EQ(*(*b)->CountEvents({}), 3000);
  // The snapshot is found as the model would look for it.
  auto snap = (*b)->FindSnapshot("hawkes", m.as_of, m.window_start, "{}", m.fingerprint);
  ASSERT_TRUE(snap.ok() && *snap);
  EXPECT_EQ((*snap)->catalogue, m.catalogue);

  auto c = EventStore::Open(dir.path() + "/back.db", true);
  ASSERT_TRUE(c.ok());
  auto back = MoveDatabase(b->get(), c->get());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->digest, moved->digest);
  // Imports into the copy go on from the moved ids.
  ingest::Importer next(b->get(), testing::Ref());
  auto more = next.ImportFile(ingest::SourceKind::kAcled, dir.Write("n.csv", SyntheticAcled("N", 5)), {});
  ASSERT_TRUE(more.ok()) << more.status().ToString();
  EXPECT_EQ(*(*b)->CountEvents({}), 3005);
}

// The accounts half of `vigil migrate`: users, tokens and the chained audit
// log move with their ids and hashes, so a token issued on the laptop works
// against the office server and the chain still verifies there.
TEST(MoveAccounts, SqliteToPostgresKeepsUsersTokensAndTheChain) {
  TempDir dir;
  auto a = testing::FreshStore(dir, "a.db");
  const std::string from = dir.path() + "/a.db";
  auto acc = auth::Accounts::Open(from);
  ASSERT_TRUE(acc.ok());
  ASSERT_TRUE((*acc)->AddUser("kadia", auth::Role::kAdmin, "a-long-password-1").ok());
  ASSERT_TRUE((*acc)->AddUser("oumar", auth::Role::kViewer, "").ok());
  auto token = (*acc)->CreateToken("oumar", "phone");
  ASSERT_TRUE(token.ok());
  auto old = (*acc)->CreateToken("kadia", "old");
  ASSERT_TRUE((*acc)->RevokeToken(old->id).ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE((*acc)->Audit(std::nullopt, "test", "t" + std::to_string(i), "", "", 0).ok());

  auto* cluster = testing::SharedPgCluster();
  ASSERT_TRUE(cluster);
  auto url = cluster->CreateDatabase("moved_accounts");
  ASSERT_TRUE(url.ok());
  {
    auto b = EventStore::Open(*url, true);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE((*b)->Migrate().ok());
  }
  auto src = auth::AccountStore::Open(from);
  auto dst = auth::AccountStore::Open(*url);
  ASSERT_TRUE(src.ok() && dst.ok()) << dst.status().ToString();
  auto moved = auth::MoveAccounts(src->get(), dst->get());
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->users, 2);
  EXPECT_EQ(moved->tokens, 2);
  EXPECT_EQ(moved->audit_rows, 4);
  EXPECT_FALSE(moved->already_there);

  auto there = auth::Accounts::Open(*url);
  ASSERT_TRUE(there.ok());
  auto who = (*there)->CheckToken(token->token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->name, "oumar");
  EXPECT_FALSE((*there)->CheckToken(old->token).ok());  // still revoked
  EXPECT_TRUE((*there)->CheckPassword("kadia", "a-long-password-1").ok());
  auto chain = (*there)->VerifyAudit();
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->ok) << chain->problem;
  EXPECT_EQ(chain->rows, 4);
  auto source_chain = (*acc)->VerifyAudit();
  EXPECT_EQ(chain->head_hash, source_chain->head_hash);
  // New rows continue the ids and the chain.
  ASSERT_TRUE((*there)->AddUser("awa", auth::Role::kAnalyst, "").ok());
  ASSERT_TRUE((*there)->Audit(std::nullopt, "test", "after", "", "", 0).ok());
  EXPECT_TRUE((*there)->VerifyAudit()->ok);

  // Again: the target now differs from the source (awa), so nothing is
  // written; a target holding exactly the source's rows is left as it is.
  auto again = auth::MoveAccounts(src->get(), dst->get());
  EXPECT_EQ(again.status().code(), core::Code::kConflict);
  auto url2 = cluster->CreateDatabase("moved_accounts2");
  ASSERT_TRUE(url2.ok());
  {
    auto b = EventStore::Open(*url2, true);
    ASSERT_TRUE(b.ok() && (*b)->Migrate().ok());
  }
  auto dst2 = auth::AccountStore::Open(*url2);
  ASSERT_TRUE(dst2.ok());
  ASSERT_TRUE(auth::MoveAccounts(src->get(), dst2->get()).ok());
  auto twice = auth::MoveAccounts(src->get(), dst2->get());
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();
  EXPECT_TRUE(twice->already_there);
}

INSTANTIATE_TEST_SUITE_P(Backends, Conformance, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vigil::store
