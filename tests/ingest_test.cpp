#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/event_json.h"
#include "core/strings.h"
#include "ingest/importer.h"
#include "ingest/reports.h"
#include "store/migrations.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace vigil::ingest {
namespace {

using testing::Ref;
using testing::TempDir;

using testing::AcledRow;
using testing::kAcledHeader;

struct Fixture {
  TempDir dir;
  std::unique_ptr<store::EventStore> st = testing::FreshStore(dir);
  Importer importer{st.get(), Ref()};

  core::Result<ImportReport> Import(SourceKind kind, const std::string& name, const std::string& content,
                                    bool strict = false) {
    ImportOptions opt;
    opt.strict = strict;
    return importer.ImportFile(kind, dir.Write(name, content), opt);
  }
  int64_t Count(const char* table) { return *st->CountRows(table); }
  // Source rows stored: in source_records, and inside blocks.
  int64_t InBlocks() {
    auto db = store::Db::Open(dir.path() + "/t.db", false);
    auto q = db->QueryInt("SELECT coalesce(sum(last_event - first_event + 1), 0) FROM source_chunks");
    return q.ok() ? *q : -1;
  }
  int64_t StoredRows() { return Count("source_records") + InBlocks(); }
};

std::string TwoGoodRows() {
  return std::string(kAcledHeader) +
         AcledRow("MLI1", "01 July 2025", "Battles", "Armed clash", "JNIM: Group for Support of Islam and Muslims",
                  "Military Forces of Mali (2021-)", "14.4469", "-11.4445", "5",
                  "\"Fighters attacked, then left.\nSecond line, with \"\"quotes\"\".\"") +
         AcledRow("MLI2", "2025-07-02", "Violence against civilians", "Abduction/forced disappearance",
                  "JNIM: Group for Support of Islam and Muslims", "Civilians (Mali)", "14.0858", "-10.8041", "0");
}

TEST(AcledImport, ReadsBothDateFormsQuotedNotesAndNormalisesActors) {
  Fixture fx;
  auto r = fx.Import(SourceKind::kAcled, "a.csv", TwoGoodRows());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->summary.rows_new, 2);
  EXPECT_EQ(r->summary.rows_rejected, 0);
  auto events = fx.st->QueryEvents({});
  ASSERT_EQ(events->size(), 2u);
  const auto& e = (*events)[1];  // oldest last
  EXPECT_EQ(e.source_id, "MLI1");
  EXPECT_EQ(e.date_start.ToIso(), "2025-07-01");
  EXPECT_EQ(e.actor1, "JNIM");
  EXPECT_EQ(e.actor1_original, "JNIM: Group for Support of Islam and Muslims");
  EXPECT_EQ(e.actor2, "Military Forces of Mali");
  EXPECT_EQ(e.notes, "Fighters attacked, then left.\nSecond line, with \"quotes\".");
  EXPECT_EQ(e.admin1_pcode, "ML01");
  EXPECT_EQ(*e.fatalities, 5);
  // Provenance: the raw row and its file are kept.
  auto prov = fx.st->Provenance(e.id);
  ASSERT_EQ(prov->size(), 1u);
  EXPECT_EQ((*prov)[0].line, 2);
  EXPECT_NE((*prov)[0].raw.find("Second line"), std::string::npos);
  EXPECT_NE((*prov)[0].header.find("event_id_cnty"), std::string::npos);
}

TEST(AcledImport, AcceptsBomAndExportsWithoutActor2Columns) {
  Fixture fx;
  std::string header = kAcledHeader;
  for (const char* col : {"actor2,", "assoc_actor_2,", "inter2,"})
    header.erase(header.find(col), std::string(col).size());
  std::string row = AcledRow("MLI9", "2025-07-01", "Battles", "Armed clash", "JNIM", "X", "14.4", "-11.4", "1");
  // Drop the actor2, assoc_actor_2 and inter2 values (fields 11..13).
  std::vector<std::string> parts;
  std::stringstream ss(row.substr(0, row.size() - 1));
  for (std::string p; std::getline(ss, p, ',');) parts.push_back(p);
  parts.erase(parts.begin() + 10, parts.begin() + 13);
  std::string joined;
  for (size_t i = 0; i < parts.size(); ++i) joined += (i ? "," : "") + parts[i];
  auto r = fx.Import(SourceKind::kAcled, "b.csv", "\xEF\xBB\xBF" + header + joined + "\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->summary.rows_new, 1);
  EXPECT_EQ((*fx.st->QueryEvents({}))[0].actor2, "");
}

// A monadic export (no actor2 columns, one row per actor): an event's later
// row is the other side unless its inter1 is the first row's in a two-sided
// interaction of two different codes (an ally); rows may be scattered.
TEST(AcledImport, MonadicRowsNameTheOtherSide) {
  Fixture fx;
  const std::string header =
      "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,interaction,"
      "country,admin1,admin2,location,latitude,longitude,geo_precision,notes,fatalities\n";
  auto row = [](const std::string& id, const std::string& actor, const std::string& assoc, int inter, int interaction) {
    return id + ",2020-03-01,1,Battles,Armed clash," + actor + "," + assoc + "," + std::to_string(inter) + "," +
           std::to_string(interaction) + ",Mali,Mopti,Bandiagara,Sangha,14.47,-3.30,1,notes,2\n";
  };
  const std::string csv = header + row("MLI1", "JNIM", "", 2, 12) + row("MLI2", "Dan Na Ambassagou", "", 4, 47) +
                          row("MLI1", "Military Forces of Mali (2016-2020)", "Wagner Group", 1, 12) +
                          row("MLI2", "Civilians (Mali)", "", 7, 47) + row("MLI1", "Katiba Macina", "", 2, 12) +
                          row("MLI3", "Military Forces of Mali (2016-2020)", "", 1, 10);
  auto r = fx.Import(SourceKind::kAcled, "monadic.csv", csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->summary.rows_new, 3);
  auto events = fx.st->QueryEvents({});
  ASSERT_TRUE(events.ok());
  std::map<std::string, core::Event> by_id;
  for (auto& e : *events) by_id[e.source_id] = e;
  ASSERT_EQ(by_id.size(), 3u);
  EXPECT_EQ(by_id["MLI1"].actor1_original, "JNIM");
  EXPECT_EQ(by_id["MLI1"].actor2_original, "Military Forces of Mali (2016-2020)");
  EXPECT_EQ(by_id["MLI1"].assoc_actor2, "Wagner Group");
  EXPECT_EQ(by_id["MLI1"].assoc_actor1, "Katiba Macina");  // same inter1 as JNIM: an ally
  EXPECT_EQ(by_id["MLI2"].actor2_original, "Civilians (Mali)");
  EXPECT_EQ(by_id["MLI3"].actor2_original, "");  // one-sided
  // Importing it again changes nothing.
  auto again = fx.Import(SourceKind::kAcled, "monadic.csv", csv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->summary.rows_unchanged, 6);
}

TEST(AcledImport, SeveralRowsOfOneEventAreOneEventWithAllActors) {
  Fixture fx;
  std::string csv =
      std::string(kAcledHeader) +
      AcledRow("MLI5", "2025-07-01", "Battles", "Armed clash", "JNIM", "Military Forces of Mali", "14.4", "-11.4",
               "3") +
      AcledRow("MLI5", "2025-07-01", "Battles", "Armed clash", "Katiba Macina", "Wagner Group", "14.4", "-11.4", "3");
  auto r = fx.Import(SourceKind::kAcled, "m.csv", csv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->summary.rows_new, 1);
  EXPECT_EQ(r->summary.rows_merged, 1);
  auto events = fx.st->QueryEvents({});
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].assoc_actor1, "Katiba Macina");
  EXPECT_EQ((*events)[0].assoc_actor2, "Wagner Group");
  EXPECT_EQ(fx.st->Provenance((*events)[0].id)->size(), 2u);
  // Importing it again changes nothing.
  auto again = fx.Import(SourceKind::kAcled, "m.csv", csv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->summary.rows_unchanged, 2);
  EXPECT_EQ(fx.Count("events"), 1);
  EXPECT_EQ(fx.Count("source_records"), 2);
}

TEST(AcledImport, SameFileTwiceChangesNothingAndAChangedRowIsARevision) {
  Fixture fx;
  ASSERT_TRUE(fx.Import(SourceKind::kAcled, "a.csv", TwoGoodRows()).ok());
  auto again = fx.Import(SourceKind::kAcled, "a.csv", TwoGoodRows());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->summary.rows_unchanged, 2);
  EXPECT_EQ(again->summary.rows_new, 0);
  EXPECT_EQ(fx.Count("events"), 2);
  EXPECT_EQ(fx.Count("source_records"), 2);

  std::string changed = TwoGoodRows();
  changed.replace(changed.find(",5,,"), 4, ",7,,");  // MLI1's fatalities 5 -> 7
  auto rev = fx.Import(SourceKind::kAcled, "a2.csv", changed);
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(rev->summary.rows_revised, 1);
  EXPECT_EQ(rev->summary.rows_unchanged, 1);
  EXPECT_EQ(fx.Count("events"), 2);
  store::EventFilter f;
  f.actors = {"Military Forces"};
  auto e = fx.st->QueryEvents(f);
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0].revision, 2);
  EXPECT_EQ(*(*e)[0].fatalities, 7);
  EXPECT_EQ(fx.st->Provenance((*e)[0].id)->size(), 2u);  // both revisions kept
}

// A file of `n` fictional rows, large enough for compressed blocks: every
// 7th row has a multi-line quoted note, every 50th event has a second row
// (ACLED's one row per actor). Returns the file and each row's exact text
// by source id (first row).
std::string ManyRows(int n, std::map<std::string, std::string>* rows, int changed = -1) {
  std::string out = kAcledHeader;
  for (int i = 0; i < n; ++i) {
    const std::string id = "MLI" + std::to_string(100000 + i);
    const std::string notes = i % 7 == 0 ? "\"Row " + std::to_string(i) + " attacked,\nthen \"\"left\"\".\""
                                         : "Row " + std::to_string(i) + (i == changed ? " corrected" : "");
    const std::string lat = std::to_string(12.0 + (i % 400) * 0.01), lon = std::to_string(-8.0 - (i % 300) * 0.01);
    std::string row = AcledRow(id, "2024-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10), "Battles",
                               "Armed clash", "JNIM: Group for Support of Islam and Muslims",
                               "Military Forces of Mali (2021-)", lat, lon, std::to_string(i % 5), notes);
    out += row;
    (*rows)[id] = row.substr(0, row.size() - 1);
    if (i % 50 == 0)
      out += AcledRow(id, "2024-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10), "Battles",
                      "Armed clash", "Wagner Group", "Military Forces of Mali (2021-)", lat, lon, "1", "second row");
  }
  return out;
}

TEST(AcledImport, LargeFilesKeepEveryRowInCompressedBlocks) {
  Fixture fx;
  std::map<std::string, std::string> rows;
  const std::string csv = ManyRows(3000, &rows);
  auto r = fx.Import(SourceKind::kAcled, "big.csv", csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->summary.rows_new, 3000);
  EXPECT_EQ(r->summary.rows_merged, 60);
  EXPECT_EQ(fx.StoredRows(), 3060);
  // Rows that created events are recorded inside their blocks.
  EXPECT_GE(fx.InBlocks(), 2048);
  const int64_t chunks = fx.Count("source_chunks");
  EXPECT_GE(chunks, 2);  // 3,060 rows in batches of 2,048
  // Every row reads back exactly, multi-line notes and second rows included.
  auto events = fx.st->QueryEvents({});
  ASSERT_EQ(events->size(), 3000u);
  int checked = 0;
  for (const auto& e : *events) {
    auto prov = fx.st->Provenance(e.id);
    ASSERT_TRUE(prov.ok()) << prov.status().ToString();
    ASSERT_FALSE(prov->empty());
    EXPECT_EQ((*prov)[0].raw, rows[e.source_id]) << e.source_id;
    if (prov->size() > 1) {
      EXPECT_NE((*prov)[1].raw.find("Wagner Group"), std::string::npos);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 3000);
  // The same file again changes nothing; one changed row is one revision,
  // stored on its own (no new block for one row).
  auto again = fx.Import(SourceKind::kAcled, "big.csv", csv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->summary.rows_unchanged, 3060);
  EXPECT_EQ(fx.StoredRows(), 3060);
  EXPECT_EQ(fx.Count("source_chunks"), chunks);
  std::map<std::string, std::string> changed_rows;
  auto changed = fx.Import(SourceKind::kAcled, "big2.csv", ManyRows(3000, &changed_rows, 1234));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->summary.rows_revised, 1);
  EXPECT_EQ(fx.Count("source_chunks"), chunks);
  store::EventFilter f;
  f.actors = {"JNIM"};
  f.limit = 0;
  auto jnim = fx.st->QueryEvents(f);
  ASSERT_TRUE(jnim.ok());
  for (const auto& e : *jnim) {
    if (e.source_id != "MLI101234") continue;
    EXPECT_EQ(e.revision, 2);
    EXPECT_EQ(e.notes, "Row 1234 corrected");
    auto prov = fx.st->Provenance(e.id);
    ASSERT_EQ(prov->size(), 2u);
    EXPECT_EQ((*prov)[0].raw, rows["MLI101234"]);
    EXPECT_EQ((*prov)[1].raw, changed_rows["MLI101234"]);
  }
}

// The bulk path (an empty store and a large file) stores exactly what the
// row-by-row path stores: events, links, provenance.
TEST(AcledImport, BulkLoadStoresWhatRowByRowImportStores) {
  std::map<std::string, std::string> rows;
  const std::string csv = ManyRows(2500, &rows);
  auto dump = [](store::EventStore* st) {
    std::ostringstream out;
    store::EventFilter f;
    f.limit = 0;
    auto events = st->QueryEvents(f);
    for (const auto& e : *events) {
      out << core::EventToJson(e).dump() << "\n";
      auto prov = st->Provenance(e.id);
      for (const auto& p : *prov)
        out << p.source << "/" << p.source_id << "/" << p.revision << "/" << p.line << ": " << p.raw << "\n";
    }
    return out.str();
  };
  Fixture slow, bulk;
  ImportOptions opt;
  auto a = slow.importer.ImportFile(SourceKind::kAcled, slow.dir.Write("x.csv", csv), opt);
  opt.bulk_min_bytes = 0;
  auto b = bulk.importer.ImportFile(SourceKind::kAcled, bulk.dir.Write("x.csv", csv), opt);
  ASSERT_TRUE(a.ok() && b.ok()) << (a.ok() ? b.status().ToString() : a.status().ToString());
  EXPECT_FALSE(a->bulk_load);
  EXPECT_TRUE(b->bulk_load);
  // Own ids are found in events: no links for single-source events.
  EXPECT_EQ(slow.Count("event_sources"), 0);
  EXPECT_EQ(bulk.Count("event_sources"), 0);
  const std::string da = dump(slow.st.get()), db = dump(bulk.st.get());
  EXPECT_GT(da.size(), 500000u);
  EXPECT_EQ(da, db);
  // A bulk-loaded store takes row-by-row imports afterwards.
  std::map<std::string, std::string> changed_rows;
  auto c = bulk.importer.ImportFile(SourceKind::kAcled, bulk.dir.Write("y.csv", ManyRows(2500, &changed_rows, 8)),
                                    ImportOptions{});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->summary.rows_revised, 1);
  EXPECT_EQ(c->summary.rows_unchanged, 2549);
}

// Rows of one event that follow each other are merged while parsing; the
// same rows apart are merged by the writer: both give the same events.
TEST(AcledImport, AdjacentAndScatteredRowsOfOneEventGiveTheSameEvents) {
  std::map<std::string, std::string> rows;
  const std::string adjacent = ManyRows(600, &rows);
  // The same rows, second rows of events moved to the end of the file.
  std::string firsts, seconds;
  std::istringstream in(adjacent.substr(std::string(kAcledHeader).size()));
  std::string line, record;
  std::set<std::string> seen;
  while (std::getline(in, line)) {
    record += line + "\n";
    if (std::count(record.begin(), record.end(), '"') % 2) continue;  // inside a quoted note
    const std::string id = record.substr(0, record.find(','));
    (seen.insert(id).second ? firsts : seconds) += record;
    record.clear();
  }
  ASSERT_EQ(seen.size(), 600u);
  ASSERT_FALSE(seconds.empty());
  const std::string scattered = std::string(kAcledHeader) + firsts + seconds;
  auto events = [](Fixture& fx) {
    store::EventFilter f;
    f.limit = 0;
    std::string out;
    auto all = fx.st->QueryEvents(f);
    EXPECT_TRUE(all.ok());
    for (const auto& e : *all) {
      out += core::EventToJson(e).dump() + "\n";
      auto prov = fx.st->Provenance(e.id);
      EXPECT_TRUE(prov.ok());
      for (const auto& p : *prov) out += p.raw + "\n";
    }
    return out;
  };
  for (int64_t bulk_min : {int64_t{1} << 40, int64_t{0}}) {
    Fixture a, b;
    ImportOptions opt;
    opt.bulk_min_bytes = bulk_min;
    auto ra = a.importer.ImportFile(SourceKind::kAcled, a.dir.Write("a.csv", adjacent), opt);
    auto rb = b.importer.ImportFile(SourceKind::kAcled, b.dir.Write("b.csv", scattered), opt);
    ASSERT_TRUE(ra.ok() && rb.ok());
    EXPECT_EQ(ra->summary.rows_merged, 12);
    EXPECT_EQ(rb->summary.rows_merged, 12);
    const std::string ea = events(a), eb = events(b);
    EXPECT_NE(ea.find("Wagner Group"), std::string::npos);
    EXPECT_EQ(ea, eb);
    // Re-importing the other order changes nothing.
    auto again = a.importer.ImportFile(SourceKind::kAcled, a.dir.Write("b.csv", scattered), ImportOptions{});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->summary.rows_unchanged, 612);
  }
}

// New databases hash source rows with XXH3; databases that had rows before
// the algorithm was recorded keep FNV-1a, so re-imports still match.
TEST(AcledImport, RowHashAlgorithmFollowsTheDatabase) {
  Fixture fresh;
  EXPECT_EQ(*fresh.st->RowHashAlgorithm(), "xxh3");
  Fixture old;
  {
    auto db = store::Db::Open(old.dir.path() + "/t.db", false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("UPDATE meta SET value = 'fnv1a64' WHERE key = 'row_hash'").ok());
  }
  for (Fixture* fx : {&fresh, &old}) {
    auto r = fx->Import(SourceKind::kAcled, "a.csv", TwoGoodRows());
    ASSERT_TRUE(r.ok());
    auto again = fx->Import(SourceKind::kAcled, "a.csv", TwoGoodRows());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->summary.rows_unchanged, 2);
  }
  auto stored_hash = [](Fixture& fx) {
    auto db = store::Db::Open(fx.dir.path() + "/t.db", false);
    auto st = db->Prepare("SELECT row_hash, raw FROM source_records ORDER BY id LIMIT 1");
    EXPECT_TRUE(st.ok() && *st->Step());
    return std::make_pair(static_cast<uint64_t>(st->Int(0)), std::string(st->Text(1)));
  };
  auto [h_new, raw_new] = stored_hash(fresh);
  EXPECT_EQ(h_new, core::Xxh3(raw_new));
  auto [h_old, raw_old] = stored_hash(old);
  EXPECT_EQ(h_old, core::Fnv1a64(raw_old));
  // Migration 6 itself: a database with rows is recorded as FNV-1a.
  auto db = store::Db::Open(fresh.dir.path() + "/t.db", false);
  ASSERT_TRUE(db->Exec(std::string(store::SqliteMigrations()[5].sql)).ok());
  EXPECT_EQ(*fresh.st->RowHashAlgorithm(), "fnv1a64");
}

TEST(AcledImport, BadRowsAreReportedWithLineAndGoodRowsKept) {
  Fixture fx;
  std::string csv = TwoGoodRows() +
                    AcledRow("MLI3", "30 February 2025", "Battles", "Armed clash", "JNIM", "", "14", "-11", "0") +
                    AcledRow("MLI4", "2025-07-01", "Battles", "Armed clash", "JNIM", "", "95.0", "-11", "0") +
                    AcledRow("MLI6", "2025-07-01", "Fights", "Armed clash", "JNIM", "", "14", "-11", "0") +
                    "MLI7,2025-07-01,too,few\n";
  auto r = fx.Import(SourceKind::kAcled, "bad.csv", csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->summary.rows_new, 2);
  EXPECT_EQ(r->summary.rows_rejected, 4);
  ASSERT_EQ(r->rejections.size(), 4u);
  EXPECT_EQ(r->rejections[0].line, 5);  // the notes of row 1 span two lines
  EXPECT_NE(r->rejections[0].reason.find("impossible date"), std::string::npos);
  EXPECT_NE(r->rejections[1].reason.find("coordinates out of range"), std::string::npos);
  EXPECT_NE(r->rejections[2].reason.find("unknown event_type"), std::string::npos);
  EXPECT_NE(r->rejections[3].reason.find("expected 31 fields"), std::string::npos);
  EXPECT_EQ(fx.Count("events"), 2);
}

TEST(AcledImport, StrictModeRejectsTheWholeFileAndLeavesTheDatabaseUnchanged) {
  Fixture fx;
  ASSERT_TRUE(fx.Import(SourceKind::kAcled, "ok.csv", TwoGoodRows()).ok());
  const int64_t files = fx.Count("source_files");
  std::string csv = std::string(kAcledHeader) +
                    AcledRow("MLI8", "2025-07-03", "Battles", "Armed clash", "JNIM", "", "14", "-11", "0") +
                    AcledRow("MLI3", "2025-02-30", "Battles", "Armed clash", "JNIM", "", "14", "-11", "0");
  auto r = fx.Import(SourceKind::kAcled, "strict.csv", csv, /*strict=*/true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("strict.csv:3"), std::string::npos);
  EXPECT_EQ(fx.Count("events"), 2);
  EXPECT_EQ(fx.Count("source_files"), files);
  EXPECT_EQ(fx.Count("source_records"), 2);
}

TEST(AcledImport, MalformedFilesFailClearlyAndWriteNothing) {
  Fixture fx;
  struct Case {
    const char* name;
    std::string content;
    const char* expect;
  };
  std::string truncated = TwoGoodRows() + "MLI9,2025-07-01,2025,1,Political violence,Battles,Armed clash,\"JNIM";
  const Case cases[] = {
      {"empty.csv", "", "is empty"},
      {"binary.csv", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(200, '\0'), "binary"},
      {"header.csv", "id,date,what\n1,2,3\n", "missing column"},
      {"truncated.csv", truncated, "unterminated quoted field"},
      {"latin1.csv", std::string("event_id_cnty,event_d\xE9te\n"), "not valid UTF-8"},
  };
  for (const auto& c : cases) {
    auto r = fx.Import(SourceKind::kAcled, c.name, c.content);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << c.name << ": " << r.status().message();
    EXPECT_EQ(fx.Count("events"), 0) << c.name;
    EXPECT_EQ(fx.Count("source_files"), 0) << c.name;
  }
  auto missing = fx.importer.ImportFile(SourceKind::kAcled, fx.dir.path() + "/nope.csv", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), core::Code::kNotFound);
}

TEST(UcdpImport, ImportsTheRealGedSample) {
  Fixture fx;
  auto r = fx.importer.ImportFile(SourceKind::kUcdp, testing::SharedDir() + "/data/ucdp/ged_v23_1_sample_1000.csv", {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->summary.rows_read, 1000);
  EXPECT_EQ(r->summary.rows_rejected, 0) << (r->rejections.empty() ? "" : r->rejections[0].reason);
  EXPECT_EQ(fx.Count("events") + r->summary.rows_linked, 1000);
  // Mapping: the first data row (id 300380) is state-based in Syria, exact
  // date and place, best = 2.
  store::EventFilter f;
  f.countries = {"Syria"};
  bool found = false;
  ASSERT_TRUE(fx.st
                  ->ForEachEvent(f,
                                 [&](const core::Event& e) {
                                   if (e.source_id != "300380") return true;
                                   found = true;
                                   EXPECT_EQ(e.event_type, "Battles");
                                   EXPECT_EQ(e.actor1, "Government of Syria");
                                   EXPECT_EQ(e.actor2, "Syrian insurgents");
                                   EXPECT_EQ(e.geo_precision, 1);
                                   EXPECT_EQ(e.date_precision, core::DatePrecision::kDay);
                                   EXPECT_EQ(*e.fatalities, 2);
                                   EXPECT_EQ(e.admin1, "Idlib");
                                   EXPECT_EQ(e.gid, 181154);  // the PRIO-GRID cell UCDP gives
                                   return false;
                                 })
                  .ok());
  EXPECT_TRUE(found);
  auto again =
      fx.importer.ImportFile(SourceKind::kUcdp, testing::SharedDir() + "/data/ucdp/ged_v23_1_sample_1000.csv", {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->summary.rows_unchanged, 1000);
}

TEST(CrossSource, SameIncidentInTwoSourcesIsOneEventWithTwoLinks) {
  Fixture fx;
  ASSERT_TRUE(fx.Import(SourceKind::kAcled, "a.csv", TwoGoodRows()).ok());
  // A UCDP row 3 km from MLI1, one day later, state-based: the same incident.
  std::ifstream in(testing::SharedDir() + "/data/ucdp/ged_v23_1_sample_1000.csv");
  std::string header;
  std::getline(in, header);
  const std::string row =
      "999001,\"MLI-2025-1-1-1\",2025,1,\"Clear\",1,1,1,\"Mali: Government\",1,1,\"Government of Mali - JNIM\",1,1,"
      "\"Government of Mali\",2,2,\"JNIM\",1,\"\",\"\",\"\",\"\",\"\",1,\"Kayes town\",\"Kayes town\",\"Kayes "
      "region\",\"Kayes cercle\",14.47,-11.43,\"POINT (-11.43 14.47)\",0,\"Mali\",432,\"Africa\",1,1,2025-07-02,"
      "2025-07-02,1,2,0,0,3,4,3,432,";
  auto r = fx.Import(SourceKind::kUcdp, "u.csv", header + "\n" + row + "\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->summary.rows_rejected, 0) << (r->rejections.empty() ? "" : r->rejections[0].reason);
  EXPECT_EQ(r->summary.rows_linked, 1);
  EXPECT_EQ(fx.Count("events"), 2);
  store::EventFilter f;
  f.actors = {"Military Forces"};
  auto e = fx.st->QueryEvents(f);
  ASSERT_EQ(e->size(), 1u);
  ASSERT_EQ((*e)[0].sources.size(), 2u);
  EXPECT_EQ((*e)[0].sources[1].source, "ucdp");
  EXPECT_EQ(fx.st->Provenance((*e)[0].id)->size(), 2u);
  // Only the link of the other source's id is stored; importing the UCDP
  // row again finds it and changes nothing.
  EXPECT_EQ(fx.Count("event_sources"), 1);
  auto again = fx.Import(SourceKind::kUcdp, "u.csv", header + "\n" + row + "\n");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->summary.rows_unchanged, 1);
  EXPECT_EQ(fx.Count("events"), 2);
  const std::string before = core::EventToJson((*e)[0]).dump();

  // A database of schema 7 linked every event to its own id as well:
  // migration 8 removes those links and indexes own ids in events.
  {
    auto db = store::Db::Open(fx.dir.path() + "/t.db", false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("DROP INDEX events_source; INSERT INTO event_sources SELECT source, source_id, id, revision "
                         "FROM events")
                    .ok());
    ASSERT_EQ(*db->QueryInt("SELECT count(*) FROM event_sources"), 3);
    const auto& m8 = store::SqliteMigrations()[7];
    ASSERT_EQ(m8.version, 8);
    ASSERT_TRUE(db->Exec(m8.sql).ok());
  }
  EXPECT_EQ(fx.Count("event_sources"), 1);
  auto after = fx.st->QueryEvents(f);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(core::EventToJson((*after)[0]).dump(), before);
}

// Exported lines without the database-local id, sorted.
std::vector<std::string> ExportLines(store::EventStore* st) {
  std::vector<std::string> lines;
  EXPECT_TRUE(st->ForEachEvent({}, [&](const core::Event& e) {
                  core::Json j = core::EventToJson(e);
                  j.erase("id");
                  lines.push_back(j.dump());
                  return true;
                }).ok());
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(JsonlImport, RoundTripThroughExportIsLossless) {
  Fixture fx;
  ASSERT_TRUE(
      fx.importer.ImportFile(SourceKind::kJsonl, std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl", {})
          .ok());
  std::string first;
  ASSERT_TRUE(fx.st
                  ->ForEachEvent({},
                                 [&](const core::Event& e) {
                                   first += core::EventToJson(e).dump() + "\n";
                                   return true;
                                 })
                  .ok());
  // Import the export into a second database and export again.
  TempDir dir2;
  auto st2 = testing::FreshStore(dir2);
  Importer imp2(st2.get(), Ref());
  auto r = imp2.ImportFile(SourceKind::kJsonl, dir2.Write("export.jsonl", first), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->summary.rows_rejected, 0);
  const auto a = ExportLines(fx.st.get());
  const auto b = ExportLines(st2.get());
  ASSERT_EQ(a.size(), 25u);  // every line of data/events/seed_events.jsonl
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
  // The corroborated Karaga kidnapping keeps both reports as sources.
  EXPECT_NE(first.find("004_7d08a7046506f262.txt#1"), std::string::npos);
}

TEST(ReportImport, SeedReportsAreStoredOnceAndCorroborate) {
  Fixture fx;
  int64_t stored = 0;
  for (const char* doc : {"000_805c8920e24dbc74.txt", "001_195fcfe3db870911.txt"}) {
    auto r = ImportReportFile(fx.importer, *Ref(), testing::SharedDir() + "/seeds/" + doc, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_GT(r->extracted, 0);
    stored += r->report.summary.rows_new;
  }
  EXPECT_EQ(fx.Count("events"), stored);
  // The same incident told by two reports (written for this test, English
  // and French): one event, two sources, a corroboration count of 2.
  const std::string en = fx.dir.Write(
      "wire.txt", "On 1 July 2025, armed men abducted three Indian workers at the cement factory in Diamou.\n");
  const std::string fr = fx.dir.Write(
      "bulletin.txt",
      "Le 1er juillet 2025, des hommes arm\u00e9s ont enlev\u00e9 trois ouvriers indiens \u00e0 l'usine de ciment de "
      "Diamou.\n");
  const int64_t before = fx.Count("events");
  ASSERT_TRUE(ImportReportFile(fx.importer, *Ref(), en, {}).ok());
  ASSERT_TRUE(ImportReportFile(fx.importer, *Ref(), fr, {}).ok());
  EXPECT_EQ(fx.Count("events"), before + 1);
  store::EventFilter f;
  f.from = f.to = *core::Date::Parse("2025-07-01");
  int corroborated = 0;
  ASSERT_TRUE(fx.st
                  ->ForEachEvent(f,
                                 [&](const core::Event& e) {
                                   if (e.location == "Diamou") {
                                     EXPECT_EQ(e.sources.size(), 2u);
                                     if (e.sources.size() == 2) {
                                       EXPECT_NE(e.sources[0].source, e.sources[1].source);
                                       ++corroborated;
                                     }
                                     EXPECT_EQ(e.hostages, 3);
                                   }
                                   return true;
                                 })
                  .ok());
  EXPECT_EQ(corroborated, 1);
  ++stored;
  // Importing a report again changes nothing.
  auto again = ImportReportFile(fx.importer, *Ref(), testing::SharedDir() + "/seeds/000_805c8920e24dbc74.txt", {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->report.summary.rows_new, 0);
  EXPECT_EQ(again->report.summary.rows_unchanged, again->extracted - again->undated - again->unlocated);
  EXPECT_EQ(fx.Count("events"), stored);
  // Binary input is refused and stores nothing.
  auto bin = ImportReportFile(fx.importer, *Ref(), fx.dir.Write("x.txt", std::string("\0\1\2\3", 4)), {});
  EXPECT_FALSE(bin.ok());
  EXPECT_EQ(fx.Count("events"), stored);
}

TEST(JsonlImport, BadLinesAreRejectedWithReasons) {
  Fixture fx;
  std::string good =
      R"({"source":"t","source_id":"1","date_start":"2025-07-01","latitude":14.4,"longitude":-11.4,"event_type":"Battles"})";
  auto r = fx.Import(
      SourceKind::kJsonl, "x.jsonl",
      good + "\n{not json\n" +
          R"({"source":"t","source_id":"2","date_start":"2025-07-01","latitude":"x","longitude":-11.4,"event_type":"Battles"})" +
          "\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->summary.rows_new, 1);
  ASSERT_EQ(r->rejections.size(), 2u);
  EXPECT_EQ(r->rejections[0].line, 2);
  EXPECT_NE(r->rejections[1].reason.find("latitude"), std::string::npos);
}

// JSON Lines whose events have several sources (corroborated reports): the
// bulk path links and counts them as the row-by-row path does.
TEST(JsonlImport, BulkLoadKeepsEverySourceOfAnEvent) {
  Fixture seed;
  ASSERT_TRUE(
      seed.importer.ImportFile(SourceKind::kJsonl, std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl", {})
          .ok());
  std::string lines;
  for (const auto& l : ExportLines(seed.st.get())) lines += l + "\n";
  ASSERT_NE(lines.find("004_7d08a7046506f262.txt#1"), std::string::npos);
  Fixture slow, bulk;
  ImportOptions opt;
  ASSERT_TRUE(slow.importer.ImportFile(SourceKind::kJsonl, slow.dir.Write("e.jsonl", lines), opt).ok());
  opt.bulk_min_bytes = 0;
  auto b = bulk.importer.ImportFile(SourceKind::kJsonl, bulk.dir.Write("e.jsonl", lines), opt);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(b->bulk_load);
  const auto got = ExportLines(bulk.st.get()), want = ExportLines(slow.st.get());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << "event " << i;
  EXPECT_EQ(bulk.Count("event_sources"), slow.Count("event_sources"));
}

}  // namespace
}  // namespace vigil::ingest
