// Fault injection (store/fault_vfs.h): what an import does when the disk
// fills, an fsync fails, another writer holds the database or a reader
// holds an old snapshot. The promise each time: a clear error, and the
// database exactly as it was or fully updated — never half — and a re-run
// after the fault reaches the right state.
#include <gtest/gtest.h>

#include "alert/config.h"
#include "alert/keys.h"
#include "alert/service.h"
#include "ingest/importer.h"
#include "store/fault_vfs.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace vigil {
namespace {

using testing::AcledRow;
using testing::kAcledHeader;
using testing::Ref;
using testing::TempDir;

std::string ManyRows(int n) {
  std::string csv = kAcledHeader;
  for (int i = 0; i < n; ++i)
    csv += AcledRow("MLI" + std::to_string(i), "2025-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10),
                    "Battles", "Armed clash", "JNIM", "Military Forces of Mali (2021-)",
                    std::to_string(12.0 + (i % 300) * 0.01), std::to_string(-8.0 - (i % 200) * 0.01), "1",
                    "fault test row " + std::to_string(i));
  return csv;
}

int64_t Count(const std::string& db, const char* sql) {
  auto d = store::Db::Open(db, false);
  EXPECT_TRUE(d.ok());
  auto v = d->QueryInt(sql);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : -1;
}

std::string Integrity(const std::string& db) {
  auto d = store::Db::Open(db, false);
  auto st = d->Prepare("PRAGMA integrity_check");
  EXPECT_TRUE(st.ok() && st->Step().ok());
  return std::string(st->Text(0));
}

// A fresh database under the fault VFS, disarmed between tests.
class FaultFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    store::FaultVfs::Install();
    store::FaultVfs::Disarm();
    db_ = dir_.path() + "/t.db";
    (void)testing::FreshStore(dir_);
  }
  void TearDown() override { store::FaultVfs::Disarm(); }

  TempDir dir_;
  std::string db_;
};

class FaultTest : public FaultFixture {
 protected:
  void SetUp() override {
    FaultFixture::SetUp();
    file_ = dir_.Write("rows.csv", ManyRows(3000));
  }

  core::Result<ingest::ImportReport> Import(int64_t bulk_min_bytes = 16 << 20) {
    auto st = store::EventStore::Open(db_, false);
    EXPECT_TRUE(st.ok());
    ingest::Importer imp(st->get(), Ref());
    ingest::ImportOptions o;
    o.bulk_min_bytes = bulk_min_bytes;
    return imp.ImportFile(ingest::SourceKind::kAcled, file_, o);
  }

  std::string file_;
};

TEST_F(FaultTest, DiskFullDuringImportLeavesTheDatabaseAsItWas) {
  for (int64_t budget : {int64_t{64} << 10, int64_t{256} << 10, int64_t{1} << 20}) {
    store::FaultVfs::Arm({.fail_writes_after_bytes = budget});
    auto r = Import();
    store::FaultVfs::Disarm();
    ASSERT_FALSE(r.ok()) << "budget " << budget;
    EXPECT_NE(r.status().message().find("disk is full"), std::string::npos) << r.status().message();
    EXPECT_GT(store::FaultVfs::faults(), 0);
    EXPECT_EQ(Integrity(db_), "ok");
    EXPECT_EQ(Count(db_, "SELECT count(*) FROM events"), 0) << "half an import stayed after a full disk";
    EXPECT_EQ(Count(db_, "SELECT count(*) FROM source_files"), 0);
  }
  auto again = Import();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->summary.rows_new, 3000);
}

TEST_F(FaultTest, DiskFullDuringABulkLoadLeavesTheDatabaseAsItWas) {
  store::FaultVfs::Arm({.fail_writes_after_bytes = int64_t{1} << 20});
  auto r = Import(/*bulk_min_bytes=*/1);
  store::FaultVfs::Disarm();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Integrity(db_), "ok");
  EXPECT_EQ(Count(db_, "SELECT count(*) FROM events"), 0);
  auto again = Import(1);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(Count(db_, "SELECT count(*) FROM events"), 3000);
}

TEST_F(FaultTest, FailedFsyncAtCommitIsAnErrorAndNeverHalfAnImport) {
  int failed = 0;
  for (int64_t nth : {1, 2, 3}) {
    store::FaultVfs::Arm({.fail_sync_at = nth});
    auto r = Import();
    store::FaultVfs::Disarm();
    failed += r.ok() ? 0 : 1;
    const int64_t n = Count(db_, "SELECT count(*) FROM events");
    EXPECT_EQ(Integrity(db_), "ok");
    if (r.ok()) {
      EXPECT_EQ(n, 3000);  // the failing sync came after the commit was safe
    } else {
      EXPECT_TRUE(n == 0 || n == 3000) << n << " events after a failed fsync";
    }
  }
  EXPECT_GT(failed, 0) << "no sync failure reached the import";
  auto again = Import();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(Count(db_, "SELECT count(*) FROM events"), 3000);
}

TEST_F(FaultTest, AReaderHoldingAnOldSnapshotSeesItWhileAnImportCommits) {
  auto reader = store::Db::Open(db_, false);
  ASSERT_TRUE(reader->Exec("BEGIN").ok());
  ASSERT_EQ(*reader->QueryInt("SELECT count(*) FROM events"), 0);  // the read transaction starts here
  auto r = Import();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*reader->QueryInt("SELECT count(*) FROM events"), 0) << "the reader saw a change mid-transaction";
  ASSERT_TRUE(reader->Exec("COMMIT").ok());
  EXPECT_EQ(*reader->QueryInt("SELECT count(*) FROM events"), 3000);
}

TEST_F(FaultTest, AnotherWriterHoldingTheDatabaseGivesARetryableError) {
  auto holder = store::Db::Open(db_, false);
  ASSERT_TRUE(holder->Exec("BEGIN IMMEDIATE").ok());
  auto st = store::EventStore::Open(db_, false);
  (*st)->SetBusyTimeout(200);
  ingest::Importer imp(st->get(), Ref());
  auto r = imp.ImportFile(ingest::SourceKind::kAcled, file_, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kUnavailable) << r.status().ToString();
  EXPECT_NE(r.status().message().find("retry"), std::string::npos);
  ASSERT_TRUE(holder->Exec("ROLLBACK").ok());
  auto again = imp.ImportFile(ingest::SourceKind::kAcled, file_, {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
}

// Report intake under the same faults: a villager's report is either
// stored whole (report, cluster, audit row, idempotency answer) or refused
// with an error the client can retry, and the retry with the same
// Idempotency-Key stores it exactly once.
class ReportFaultTest : public FaultFixture {
 protected:
  void SetUp() override {
    FaultFixture::SetUp();
    ASSERT_TRUE(alert::InitKeys(dir_.path() + "/keys").ok());
    auto cfg = alert::ParseAlertConfig("keys_dir = \"" + dir_.path() +
                                           "/keys\"\n[[areas]]\nid = \"kayes\"\nadmin1 = [\"Kayes\"]\n"
                                           "  [[areas.tiers]]\n  name = \"field\"\n  users = [\"r1\"]\n",
                                       "alerts.toml", dir_.path());
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    alert::ServiceOptions o;
    o.db_url = db_;
    o.ref = Ref();
    o.data_dir = Ref()->data_dir();
    o.keys = *alert::LoadServerKeys(dir_.path() + "/keys");
    o.config = std::make_shared<const alert::AlertConfig>(std::move(*cfg));
    auto svc = alert::AlertService::Create(std::move(o));
    ASSERT_TRUE(svc.ok()) << svc.status().ToString();
    svc_ = std::move(*svc);
  }

  core::Result<alert::Submitted> Submit(int i) {
    alert::ReportInput in;
    in.text = "Des hommes armés vus près de Kita, signalement " + std::to_string(i);
    in.place = "Kita";
    in.contact = "+2237600" + std::to_string(1000 + i);
    in.channel = alert::Channel::kWeb;
    return svc_->SubmitReport(in, "web:fault", "key-" + std::to_string(i), {"focal", "reporter", "test"});
  }
  // Everything a stored report brings with it, in one count each.
  void ExpectWhole(int64_t reports) {
    EXPECT_EQ(Integrity(db_), "ok");
    EXPECT_EQ(Count(db_, "SELECT count(*) FROM reports"), reports);
    EXPECT_EQ(Count(db_, "SELECT count(*) FROM idempotency"), reports) << "an answer without its report";
    EXPECT_EQ(Count(db_, "SELECT count(*) FROM reports WHERE cluster_id IS NULL"), 0) << "a report without cluster";
    auto d = store::Db::Open(db_, false);
    auto v = store::VerifyAudit(&*d);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->ok) << "audit chain broken after a fault";
  }

  std::unique_ptr<alert::AlertService> svc_;
};

TEST_F(ReportFaultTest, DiskFullDuringIntakeRefusesTheReportAndTheRetryStoresItOnce) {
  ASSERT_TRUE(Submit(0).ok());
  int refused = 0;
  for (int i = 1; i <= 20; ++i) {
    store::FaultVfs::Arm({.fail_writes_after_bytes = 512 * (i % 5)});
    auto r = Submit(i);
    store::FaultVfs::Disarm();
    if (!r.ok()) {
      ++refused;
      EXPECT_NE(r.status().code(), core::Code::kInvalidArgument) << r.status().ToString();
    }
    ExpectWhole(r.ok() ? Count(db_, "SELECT count(*) FROM reports") : i);  // refused: nothing of it stayed
    auto again = Submit(i);                                                // the client's retry, same key
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    ExpectWhole(i + 1);
  }
  EXPECT_GT(refused, 0) << "no write failure reached the intake";
}

TEST_F(ReportFaultTest, FailedFsyncDuringIntakeIsAnErrorAndNeverHalfAReport) {
  int refused = 0;
  for (int i = 0; i < 10; ++i) {
    store::FaultVfs::Arm({.fail_sync_at = 1 + i % 3});
    auto r = Submit(i);
    store::FaultVfs::Disarm();
    refused += r.ok() ? 0 : 1;
    const int64_t n = Count(db_, "SELECT count(*) FROM reports");
    EXPECT_TRUE(n == i || n == i + 1) << n;
    ExpectWhole(n);
    auto again = Submit(i);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    ExpectWhole(i + 1);
  }
  EXPECT_GT(refused, 0) << "no sync failure reached the intake";
}

}  // namespace
}  // namespace vigil
