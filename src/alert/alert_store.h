// vigil::alert — the store of community reports, report clusters, alerts,
// CAP messages, the outbox and idempotency records: its own repository
// beside store::EventStore, in the same database (migration 12). The SQLite
// backend is sqlite_alert_store.cpp; nothing here names SQLite.
//
// Writes happen inside a Txn: one transaction, committed by Commit(), rolled
// back if the Txn is destroyed first; audit rows written through a Txn
// commit with its changes (store/audit.h). Commits are durable.
//
// Thread-safety: an AlertStore and its Txn are used from one thread; open
// one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alert/model.h"
#include "core/status.h"
#include "store/audit_log.h"

namespace vigil::alert {

struct Cluster {
  int64_t id = 0;
  double lat = 0, lon = 0;  // mean of the located members
  int64_t first_seen = 0, last_seen = 0;
  int n_reports = 0, n_reporters = 0, n_located = 0;
  std::vector<std::string> signs;  // union over the members
  std::string location, admin1, admin2, country;
};

// What earlier reports of one reporter came to.
struct ReporterRecord {
  int verified = 0, dismissed = 0, total = 0;
};

struct StoredResponse {
  int status = 0;
  std::string body;
};

struct ReportFilter {
  std::optional<ReportState> state;
  int64_t cluster_id = 0;
  int64_t since = 0;  // seen_at >= since
  int64_t limit = 100;
};

struct AlertFilter {
  std::vector<AlertState> states;  // empty: all
  std::string area_id;
  int64_t limit = 100;
};

struct CapMessage {
  int64_t id = 0, alert_id = 0;
  std::string msg_type, identifier, xml;
  int64_t sent = 0;
};

class AlertTxn {
 public:
  virtual ~AlertTxn() = default;

  // Idempotency: the first answer given for (scope, key), if any.
  virtual core::Result<std::optional<StoredResponse>> FindResponse(const std::string& scope,
                                                                   const std::string& key) = 0;
  virtual core::Status SaveResponse(const std::string& scope, const std::string& key, const StoredResponse& r,
                                    int64_t now) = 0;
  // Records an SMS gateway's message id; false when it was seen before.
  virtual core::Result<bool> MarkSmsSeen(const std::string& gateway, const std::string& message_id, int64_t now) = 0;

  // Inserts a report (r.id ignored); returns its id. `reporter_key` groups a
  // reporter's reports (the contact hash, else the submitting account).
  virtual core::Result<int64_t> InsertReport(const Report& r, const std::string& reporter_key) = 0;
  virtual core::Status UpdateReport(const Report& r) = 0;
  virtual core::Result<Report> GetReport(int64_t id) = 0;
  // Reports seen in [from, to] within the box around (lat, lon).
  virtual core::Result<std::vector<Report>> ReportsNear(double lat, double lon, double km, int64_t from,
                                                        int64_t to) = 0;
  virtual core::Result<std::vector<Report>> ReportsOfCluster(int64_t cluster_id) = 0;
  // Clusters whose centre lies within the box around (lat, lon) and whose
  // span [first_seen, last_seen] overlaps [from, to].
  virtual core::Result<std::vector<Cluster>> ClustersNear(double lat, double lon, double km, int64_t from,
                                                          int64_t to) = 0;
  // True when another report of the cluster (not `except_report`) has this reporter.
  virtual core::Result<bool> ClusterHasReporter(int64_t cluster_id, const std::string& reporter_key,
                                                int64_t except_report) = 0;
  // Distinct reporter keys of a cluster's live reports, at most `limit`.
  virtual core::Result<std::vector<std::string>> ReportersOfCluster(int64_t cluster_id, int limit) = 0;
  // Ids of a cluster's live reports, oldest first, at most `limit`.
  virtual core::Result<std::vector<int64_t>> ReportIdsOfCluster(int64_t cluster_id, int limit) = 0;
  // The reporter's earlier reports, excluding those of `cluster_id`.
  virtual core::Result<ReporterRecord> RecordOf(const std::string& reporter_key, int64_t cluster_id) = 0;
  virtual core::Result<std::string> ReporterKeyOf(int64_t report_id) = 0;

  virtual core::Result<int64_t> InsertCluster(const Cluster& c) = 0;
  virtual core::Status UpdateCluster(const Cluster& c) = 0;
  virtual core::Result<Cluster> GetCluster(int64_t id) = 0;

  // The open or acknowledged alert of (rule, dedupe_key), if any.
  virtual core::Result<std::optional<Alert>> FindLiveAlert(const std::string& rule, const std::string& dedupe_key) = 0;
  // Inserts (a.id ignored); returns the id.
  virtual core::Result<int64_t> InsertAlert(const Alert& a) = 0;
  virtual core::Status UpdateAlert(const Alert& a, int reminders) = 0;
  virtual core::Result<Alert> GetAlert(int64_t id) = 0;
  virtual core::Result<int> RemindersOf(int64_t alert_id) = 0;
  virtual core::Status AddCapMessage(const CapMessage& m) = 0;

  virtual core::Result<int64_t> Enqueue(const OutboxMessage& m) = 0;
  virtual core::Status UpdateOutbox(const OutboxMessage& m) = 0;

  virtual core::Status Audit(const store::AuditRecord& r) = 0;
  // One level of nested undo inside the transaction (group commit).
  virtual core::Status Savepoint() = 0;
  virtual core::Status ReleaseSavepoint() = 0;
  // Undoes everything since Savepoint() and ends it.
  virtual core::Status RollbackToSavepoint() = 0;
  virtual core::Status Commit() = 0;
};

class AlertStore {
 public:
  virtual ~AlertStore() = default;
  // Opens the alert tables of the vigil database at `db_url` (schema current).
  static core::Result<std::unique_ptr<AlertStore>> Open(const std::string& db_url);

  // Starts a write transaction; kUnavailable when another writer holds the
  // database past the busy timeout.
  virtual core::Result<std::unique_ptr<AlertTxn>> Begin() = 0;

  virtual core::Result<std::vector<Report>> ListReports(const ReportFilter& f) = 0;
  virtual core::Result<Report> GetReport(int64_t id) = 0;
  virtual core::Result<std::vector<Alert>> ListAlerts(const AlertFilter& f) = 0;
  virtual core::Result<Alert> GetAlert(int64_t id) = 0;
  virtual core::Result<std::vector<CapMessage>> CapMessages(int64_t alert_id) = 0;
  // Open alerts whose deadline is at or before `now`, oldest first.
  virtual core::Result<std::vector<Alert>> DueEscalations(int64_t now) = 0;
  // Pending messages due at or before `now`, at most `limit`.
  virtual core::Result<std::vector<OutboxMessage>> DueMessages(int64_t now, int64_t limit) = 0;
  // Messages of an alert (or all when 0), newest first, for inspection.
  virtual core::Result<std::vector<OutboxMessage>> Messages(int64_t alert_id, int64_t limit) = 0;
  // A small key-value memory (last event id seen by the rules, ...).
  virtual core::Result<std::string> GetMeta(const std::string& key) = 0;
  virtual core::Status SetMeta(const std::string& key, const std::string& value) = 0;
  virtual void SetBusyTimeout(int milliseconds) = 0;
  // Commits stop checkpointing the WAL (store::EventStore::Checkpoint on
  // another connection does it).
  virtual void DeferCheckpoints() = 0;
  // A passive WAL checkpoint on this connection (copies what no reader needs).
  virtual core::Status Checkpoint() = 0;
};

}  // namespace vigil::alert
