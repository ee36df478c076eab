#include "store/store.h"

#include <gtest/gtest.h>

#include "core/priogrid.h"
#include "store/audit.h"
#include "store/chunk_records.h"
#include "store/event_codec.h"
#include "store/migrations.h"
#include "store/postgres/pg.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace vigil::store {
namespace {

using testing::TempDir;

core::Event MakeEvent(const std::string& id, const char* date, double lat, double lon) {
  core::Event e;
  e.source = "test";
  e.source_id = id;
  e.date_start = e.date_end = *core::Date::Parse(date);
  e.latitude = lat;
  e.longitude = lon;
  e.event_type = "Battles";
  e.sub_event_type = "Armed clash";
  e.admin1 = "Kayes";
  e.sources = {{"test", id, 1}};
  return e;
}

TEST(Store, MigratingTwiceIsSafe) {
  TempDir dir;
  auto st = EventStore::Open(dir.path() + "/a.db", true);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(*(*st)->Migrate(), 0);
  EXPECT_EQ(*(*st)->Migrate(), SchemaVersion());
  EXPECT_TRUE((*st)->CheckCurrent().ok());
}

// Migration 9 packs the fields no query filters on: a row of the old
// layout, with every field set and separators inside its texts, reads back
// the same, and what pointed at it still does.
TEST(Store, PackingMigrationKeepsEveryField) {
  TempDir dir;
  const std::string path = dir.path() + "/old.db";
  {
    auto db = Db::Open(path, true);
    ASSERT_TRUE(db.ok());
    for (const auto& m : SqliteMigrations()) {
      if (m.version < 9) {
        ASSERT_TRUE(db->Exec(m.sql).ok()) << m.version;
      }
    }
    ASSERT_TRUE(
        db->Exec("PRAGMA user_version = 8;"
                 "INSERT INTO events (id, source, source_id, revision, date_start, date_end, date_precision, "
                 "latitude, longitude, geo_precision, place_id, location, country, admin1, admin2, admin1_pcode, "
                 "admin2_pcode, gid, event_type, sub_event_type, actor1, actor2, actor1_original, "
                 "actor2_original, assoc_actor1, assoc_actor2, fatalities, fatalities_low, fatalities_high, "
                 "hostages, tags, notes, evidence_doc, evidence_start, evidence_end, confidence, n_sources, "
                 "ingested_at) VALUES (7, 'report', 'doc#1', 2, '2025-07-01', '2025-07-03', 'week', 14.45, "
                 "-11.44, 2, 2453348, 'Kayes', 'Mali', 'Kayes', 'Kayes', 'ML01', 'ML0101', 152000, 'Battles', "
                 "'Armed clash', 'JNIM', 'Military Forces of Mali', 'JNIM' || char(31) || 'x', "
                 "'FAMa' || char(27), 'Wagner Group; Dozo', '', 12, 10, 15, 3, 'convoy,blockade', "
                 "'notes' || char(31) || char(10) || 'second line', 'doc.txt', 5, 42, 0.85, 2, "
                 "'2026-01-01T00:00:00Z');"
                 "INSERT INTO event_sources VALUES ('acled', 'MLI9', 7, 1);"
                 "INSERT INTO source_records (event_id, source, source_id, revision, row_hash, raw) "
                 "VALUES (7, 'report', 'doc#1', 2, 1, 'row')")
            .ok());
  }
  auto st = EventStore::Open(path, false);
  ASSERT_TRUE(st.ok());
  auto migrated = (*st)->Migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  EXPECT_EQ(*migrated, 8);
  auto e = (*st)->GetEvent(7);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->revision, 2);
  EXPECT_EQ(e->date_end.ToIso(), "2025-07-03");
  EXPECT_EQ(e->date_precision, core::DatePrecision::kWeek);
  EXPECT_EQ(e->geo_precision, 2);
  EXPECT_EQ(e->place_id, 2453348);
  EXPECT_EQ(e->location, "Kayes");
  EXPECT_EQ(e->admin1_pcode, "ML01");
  EXPECT_EQ(e->admin2_pcode, "ML0101");
  EXPECT_EQ(e->actor1_original, "JNIM\x1fx");
  EXPECT_EQ(e->actor2_original, "FAMa\x1b");
  EXPECT_EQ(e->assoc_actor1, "Wagner Group; Dozo");
  EXPECT_EQ(e->assoc_actor2, "");
  EXPECT_EQ(*e->fatalities, 12);
  EXPECT_EQ(*e->fatalities_low, 10);
  EXPECT_EQ(*e->fatalities_high, 15);
  EXPECT_EQ(*e->hostages, 3);
  EXPECT_EQ(e->tags, (std::vector<std::string>{"convoy", "blockade"}));
  EXPECT_EQ(e->notes, "notes\x1f\nsecond line");
  EXPECT_EQ(e->evidence_doc, "doc.txt");
  EXPECT_EQ(e->evidence_start, 5);
  EXPECT_EQ(e->evidence_end, 42);
  EXPECT_DOUBLE_EQ(e->confidence, 0.85);
  ASSERT_EQ(e->sources.size(), 2u);
  EXPECT_EQ(e->sources[1].source_id, "MLI9");
  // The actor filter still searches the original and associated names.
  EventFilter f;
  f.actors = {"Dozo"};
  EXPECT_EQ((*st)->QueryEvents(f)->size(), 1u);
  EXPECT_EQ((*st)->Provenance(7)->size(), 1u);
  auto db = Db::Open(path, false);
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM pragma_index_list('events')"), 4);
}

TEST(EventCodec, RoundTripAndDamage) {
  core::Event e = MakeEvent("x", "2024-02-29", 14, -11);
  e.date_end = *core::Date::Parse("2024-02-27");  // before the start: kept as given
  e.date_precision = core::DatePrecision::kUnknown;
  e.place_id = -5;
  e.notes = std::string("nul\0inside", 11);
  e.tags = {"a", "", "c"};
  e.fatalities_low = -1;
  e.actor1_original =
      "\x1b\x1f\x1b"
      "0";  // an escape byte followed by '0' reads back as such
  e.assoc_actor2 = "last";
  std::string detail, actors;
  EncodeDetail(e, &detail);
  EncodeActors(e, &actors);
  core::Event back;
  back.date_start = e.date_start;
  ASSERT_TRUE(DecodeDetail(detail, &back).ok());
  DecodeActors(actors, &back);
  EXPECT_EQ(back.date_end, e.date_end);
  EXPECT_EQ(back.date_precision, e.date_precision);
  EXPECT_EQ(back.place_id, -5);
  EXPECT_EQ(back.notes, e.notes);
  EXPECT_EQ(back.tags, e.tags);
  EXPECT_EQ(back.fatalities_low, e.fatalities_low);
  EXPECT_FALSE(back.hostages.has_value());
  EXPECT_EQ(back.actor1_original, e.actor1_original);
  EXPECT_EQ(back.assoc_actor2, "last");
  EXPECT_EQ(back.actor2_original, "");
  for (size_t cut = 0; cut < detail.size(); ++cut) EXPECT_FALSE(DecodeDetail(detail.substr(0, cut), &back).ok());
  EXPECT_FALSE(DecodeDetail(detail + "x", &back).ok());
  std::string newer = detail;
  newer[0] = 9;
  auto status = DecodeDetail(newer, &back);
  EXPECT_NE(status.message().find("upgrade vigil"), std::string::npos);
}

TEST(Store, OpeningAMissingDatabaseSaysRunInit) {
  TempDir dir;
  auto st = EventStore::Open(dir.path() + "/missing.db", false);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), core::Code::kNotFound);
  EXPECT_NE(st.status().message().find("vigil init"), std::string::npos);
}

TEST(Store, NotADatabaseIsAClearError) {
  TempDir dir;
  const std::string p = dir.Write("junk.db", std::string(8192, 'x'));
  auto st = EventStore::Open(p, false);
  if (st.ok()) {
    EXPECT_FALSE((*st)->Migrate().ok());
  } else {
    EXPECT_EQ(st.status().code(), core::Code::kDatabase);
  }
}

// No server on the port: a retryable error that says what to check. The
// SQLite-only tables refuse a PostgreSQL URL with a message.
TEST(Store, UnreachablePostgresIsUnavailableWithAClearMessage) {
  auto st = EventStore::Open("postgresql://vigil@127.0.0.1:1/vigil?connect_timeout=5", true);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), core::Code::kUnavailable);
  EXPECT_NE(st.status().message().find("cannot connect to PostgreSQL"), std::string::npos) << st.status().ToString();
  EXPECT_EQ(pg::RedactUrl("postgresql://vigil:s3cret@db:5432/vigil"), "postgresql://vigil:***@db:5432/vigil");
  EXPECT_EQ(pg::RedactUrl("postgresql://vigil@db/vigil"), "postgresql://vigil@db/vigil");
  EXPECT_EQ(pg::RedactUrl("/srv/a:b@c.db"), "/srv/a:b@c.db");
  auto path = SqlitePathFromUrl("postgresql://localhost/vigil");
  EXPECT_EQ(path.status().code(), core::Code::kInvalidArgument);
  EXPECT_NE(path.status().message().find("SQLite"), std::string::npos);
}

TEST(Store, UncommittedBatchLeavesNothing) {
  TempDir dir;
  auto st = testing::FreshStore(dir);
  {
    auto b = st->BeginImport();
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE((*b)->InsertEvent(MakeEvent("1", "2025-07-01", 14.4, -11.4)).ok());
    // destroyed without Commit
  }
  EXPECT_EQ(*st->CountRows("events"), 0);
}

// Distinct values are remembered, but never past a change: by this
// connection or by another one.
TEST(Store, DistinctValuesFollowWritesFromAnyConnection) {
  TempDir dir;
  auto a = testing::FreshStore(dir);
  auto insert = [](EventStore* st, const std::string& id, const std::string& country) {
    auto b = st->BeginImport();
    ASSERT_TRUE(b.ok());
    auto e = MakeEvent(id, "2025-07-01", 14.4, -11.4);
    e.country = country;
    ASSERT_TRUE((*b)->InsertEvent(e).ok());
    ASSERT_TRUE((*b)->Commit().ok());
  };
  insert(a.get(), "1", "Mali");
  EXPECT_EQ(*a->DistinctValues("country"), std::vector<std::string>{"Mali"});
  insert(a.get(), "2", "Niger");  // this connection
  EXPECT_EQ(*a->DistinctValues("country"), (std::vector<std::string>{"Mali", "Niger"}));
  auto b = EventStore::Open(dir.path() + "/t.db", false);
  ASSERT_TRUE(b.ok());
  insert(b->get(), "3", "Burkina Faso");  // another connection
  EXPECT_EQ(*a->DistinctValues("country"), (std::vector<std::string>{"Burkina Faso", "Mali", "Niger"}));
}

TEST(Store, FiltersByBoxDatesTypeAndActor) {
  TempDir dir;
  auto st = testing::FreshStore(dir);
  auto b = st->BeginImport();
  ASSERT_TRUE(b.ok());
  auto e1 = MakeEvent("1", "2025-07-01", 14.45, -11.44);
  e1.actor1 = "JNIM";
  auto e2 = MakeEvent("2", "2025-06-01", 14.79, -1.32);
  e2.event_type = "Violence against civilians";
  e2.sub_event_type = "Attack";
  auto e3 = MakeEvent("3", "2024-09-17", 12.65, -8.0);
  e3.fatalities = 70;
  auto e4 = MakeEvent("4", "2024-09-20", 12.65, -8.0);  // its count unknown
  for (const auto& e : {e1, e2, e3, e4}) ASSERT_TRUE((*b)->InsertEvent(e).ok());
  ASSERT_TRUE((*b)->Commit().ok());

  EventFilter f;
  f.bbox = BBox{-12, 14, -11, 15};
  auto r = st->QueryEvents(f);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].source_id, "1");
  EXPECT_EQ((*r)[0].gid, core::PrioGid(14.45, -11.44));

  EventFilter d;
  d.from = *core::Date::Parse("2025-01-01");
  EXPECT_EQ(*st->CountEvents(d), 2);
  EventFilter t;
  t.event_types = {"Violence against civilians"};
  EXPECT_EQ(*st->CountEvents(t), 1);
  EventFilter a;
  a.actors = {"jni"};
  EXPECT_EQ(*st->CountEvents(a), 1);
  EventFilter inj;
  inj.actors = {"%' OR 1=1 --"};
  EXPECT_EQ(*st->CountEvents(inj), 0);
  EventFilter m;
  m.min_fatalities = 10;
  EXPECT_EQ(*st->CountEvents(m), 1);
  EventFilter lim;
  lim.limit = 2;
  auto newest = st->QueryEvents(lim);
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].date_start.ToIso(), "2025-07-01");

  auto stats = st->Stats({});
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->size(), 3u);
  EXPECT_EQ((*stats)[0].period, "2024-09");
  EXPECT_EQ((*stats)[0].events, 2);
  EXPECT_EQ((*stats)[0].fatalities, 70);
  EXPECT_EQ((*stats)[0].fatalities_known, 1);  // the unknown one is not a zero
  EXPECT_EQ((*stats)[1].fatalities_known, 0);
}

}  // namespace
}  // namespace vigil::store

namespace vigil::store {
namespace {

// The newest-in-a-box query takes a k-way merge over PRIO-GRID cells; it must
// return exactly what the general query returns (forced here by a filter
// that changes nothing: min_fatalities 0), in the same order, with paging.
TEST(Store, BoxMergeMatchesTheGeneralQuery) {
  TempDir dir;
  auto st = testing::FreshStore(dir);
  auto b = st->BeginImport();
  ASSERT_TRUE(b.ok());
  uint64_t x = 88172645463325252ull;
  auto rnd = [&x] {  // xorshift64, fixed seed
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<double>(x % 1000000) / 1e6;
  };
  const auto start = *core::Date::Parse("2023-01-01");
  for (int i = 0; i < 6000; ++i) {
    const double lat = 11 + rnd() * 6, lon = -12 + rnd() * 8;
    auto e = MakeEvent(std::to_string(i), "2023-01-01", lat, lon);
    e.date_start = e.date_end = start + static_cast<int>(rnd() * 400);  // many events share a day
    e.gid = core::PrioGid(lat, lon);
    ASSERT_TRUE((*b)->InsertEvent(e).ok());
  }
  ASSERT_TRUE((*b)->Commit().ok());
  for (int q = 0; q < 60; ++q) {
    EventFilter f;
    const double w = 0.2 + rnd() * 4, h = 0.2 + rnd() * 4;
    const double west = -12.5 + rnd() * 8, south = 10.5 + rnd() * 6;
    f.bbox = BBox{west, south, west + w, south + h};
    f.limit = 1 + static_cast<int64_t>(rnd() * 150);
    if (q % 3 == 0) f.from = start + static_cast<int>(rnd() * 200);
    if (q % 4 == 0) f.to = start + 200 + static_cast<int>(rnd() * 200);
    EventFilter g = f;
    g.min_fatalities = 0;  // no effect on the result, but not the merge path
    // Two pages by keyset.
    for (int page = 0; page < 2; ++page) {
      auto fast = st->QueryEvents(f);
      auto slow = st->QueryEvents(g);
      ASSERT_TRUE(fast.ok() && slow.ok());
      ASSERT_EQ(fast->size(), slow->size()) << "query " << q << " page " << page;
      for (size_t i = 0; i < fast->size(); ++i) ASSERT_EQ((*fast)[i].id, (*slow)[i].id) << "query " << q;
      if (fast->empty()) break;
      f.after_key = g.after_key = std::make_pair(fast->back().date_start.ToIso(), fast->back().id);
    }
  }
}

TEST(ChunkRecords, RoundTripAndDamageIsAnError) {
  std::vector<ChunkRecord> recs;
  int64_t offset = 0;
  for (int i = 0; i < 3000; ++i) {
    const int64_t len = 100 + (i * 37) % 900;
    // Gaps between rows (rows of the block that are recorded elsewhere)
    // and lines that jump (multi-line rows).
    offset += (i % 5 == 0) ? 250 : 0;
    recs.push_back({2 + i + i / 7, offset, len, 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(i + 1)});
    offset += len;
  }
  const std::string blob = EncodeChunkRecords(recs);
  EXPECT_LT(blob.size(), recs.size() * 16);
  auto back = DecodeChunkRecords(blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), recs.size());
  for (size_t i = 0; i < recs.size(); ++i) {
    EXPECT_EQ((*back)[i].line, recs[i].line);
    EXPECT_EQ((*back)[i].offset, recs[i].offset);
    EXPECT_EQ((*back)[i].length, recs[i].length);
    EXPECT_EQ((*back)[i].row_hash, recs[i].row_hash);
  }
  EXPECT_TRUE(DecodeChunkRecords(EncodeChunkRecords({}))->empty());
  // Truncated, trailing bytes, unknown version: errors, never a crash.
  EXPECT_FALSE(DecodeChunkRecords(blob.substr(0, blob.size() - 3)).ok());
  EXPECT_FALSE(DecodeChunkRecords(blob + "x").ok());
  EXPECT_FALSE(DecodeChunkRecords("").ok());
  std::string v2 = blob;
  v2[0] = 2;
  auto unknown = DecodeChunkRecords(v2);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown format"), std::string::npos);
}

// The audit chain: every row checks against the one before, and the head
// recorded in meta catches rows cut off the end.
TEST(AuditLog, ChainDetectsEditedInsertedAndDeletedRows) {
  TempDir dir;
  (void)testing::FreshStore(dir);
  auto db = Db::Open(dir.path() + "/t.db", false);
  ASSERT_TRUE(db.ok());
  for (int i = 0; i < 5; ++i) {
    Transaction tx(&*db);
    ASSERT_TRUE(AppendAudit(&*db, {"ana", "analyst", "POST /x", "t" + std::to_string(i), "d", "127.0.0.1", 201}).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  auto ok = VerifyAudit(&*db);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ok) << ok->problem;
  EXPECT_EQ(ok->rows, 5);
  // The triggers refuse edits through SQL; someone with the file drops them.
  EXPECT_FALSE(db->Exec("UPDATE audit_log SET detail = 'x' WHERE id = 2").ok());
  ASSERT_TRUE(db->Exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete").ok());
  ASSERT_TRUE(db->Exec("UPDATE audit_log SET detail = 'forged' WHERE id = 2").ok());
  auto edited = VerifyAudit(&*db);
  EXPECT_FALSE(edited->ok);
  EXPECT_EQ(edited->first_bad_id, 2);
  ASSERT_TRUE(db->Exec("UPDATE audit_log SET detail = 'd' WHERE id = 2").ok());
  EXPECT_TRUE(VerifyAudit(&*db)->ok);
  ASSERT_TRUE(db->Exec("DELETE FROM audit_log WHERE id = 3").ok());
  auto gap = VerifyAudit(&*db);
  EXPECT_FALSE(gap->ok);
  EXPECT_EQ(gap->first_bad_id, 4) << gap->problem;
}

TEST(AuditLog, CuttingRowsOffTheEndIsDetected) {
  TempDir dir;
  (void)testing::FreshStore(dir);
  auto db = Db::Open(dir.path() + "/t.db", false);
  for (int i = 0; i < 3; ++i) {
    Transaction tx(&*db);
    ASSERT_TRUE(AppendAudit(&*db, {"", "", "alert.escalate", "A-" + std::to_string(i), "", "", 0}).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  ASSERT_TRUE(db->Exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3").ok());
  auto c = VerifyAudit(&*db);
  EXPECT_FALSE(c->ok);
  EXPECT_NE(c->problem.find("cut off"), std::string::npos) << c->problem;
}

}  // namespace
}  // namespace vigil::store
