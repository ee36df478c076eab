// vigil::alert — the early-warning loop (docs/warnings.md):
//
//   report (web, app, SMS, CLI) -> triage (language, warning signs, place)
//   -> cluster (reports within R km and H hours) -> credibility -> rules
//   -> alert (CAP 1.2) -> notify tier 1 -> no acknowledgement by the
//   deadline -> escalate to tier 2 ... -> acknowledged with a disposition
//   -> resolved.
//
// Every change is one durable transaction: the report, its cluster, the
// alert, its CAP message, the outbox rows that will tell people and the
// audit rows that record it commit together, or nothing does. Messages
// leave through the outbox (DeliverDue), at least once, each always with
// its idempotency key.
//
// Time comes from the injected Clock: tests run escalation in simulated
// time; the server ticks on the system clock.
//
// Thread-safety: all methods may be called from any thread. Writes are
// serialised inside (one write connection); the slow parts of intake
// (triage, extraction) run before the lock.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "alert/alert_store.h"
#include "alert/cap.h"
#include "alert/config.h"
#include "alert/keys.h"
#include "alert/phrases.h"
#include "alert/triage.h"
#include "core/clock.h"
#include "geo/reference.h"
#include "store/audit_log.h"
#include "store/store.h"

namespace vigil::model {
struct Roads;
}  // namespace vigil::model

namespace vigil::alert {

// Sends one message for real (webhook, SMS gateway, SMTP). `recipient` is
// in clear (opened from the outbox). Returns OK once the receiver accepted
// it; any error is retried later.
class Sender {
 public:
  virtual ~Sender() = default;
  virtual core::Status Send(const OutboxMessage& m, const std::string& recipient, const AlertConfig& cfg) = 0;
};

struct ServiceOptions {
  std::string db_url;
  std::shared_ptr<const geo::Reference> ref;
  std::shared_ptr<const AlertConfig> config;
  std::optional<ServerKeys> keys;  // needed to accept reporters' contacts and to reply
  const core::Clock* clock = &core::SystemClock::Get();
  std::string data_dir;  // for the lexicons
};

// Who asks, for the audit log and permission notes.
struct Actor {
  std::string user, role, client;
};

struct Submitted {
  int status = 201;  // 201, or the first answer's status for a replayed key
  std::string body;  // the JSON answer (reference, state, cluster)
  bool replayed = false;
  int64_t report_id = 0;
};

struct TickStats {
  int escalated = 0, reminded = 0, forecast_alerts = 0, event_alerts = 0, corridor_alerts = 0;
};

struct DeliveryStats {
  int sent = 0, failed = 0, dead = 0;
};

class AlertService {
 public:
  static core::Result<std::unique_ptr<AlertService>> Create(ServiceOptions opt);

  // A community report. `scope` + `idempotency_key` (may be empty): the same
  // pair again returns the first answer and stores nothing. Fails with
  // kInvalidArgument / kTooLarge for bad input (nothing stored),
  // kUnavailable when the database is busy.
  core::Result<Submitted> SubmitReport(const ReportInput& in, const std::string& scope,
                                       const std::string& idempotency_key, const Actor& who);
  // An SMS gateway's webhook: signature, timestamp and replay checked first
  // (kUnauthenticated, nothing stored), then SubmitReport and a reply to the
  // reporter in the report's language.
  core::Result<Submitted> SubmitSms(const std::string& gateway, std::string_view timestamp_header,
                                    std::string_view signature_header, std::string_view body, const Actor& who);

  // A responder's decision on a report. kVerified with `events` set stores it
  // as an event (source "community", id R-<n>) with provenance.
  core::Status SetReportState(int64_t report_id, ReportState state, const std::string& note, const Actor& who,
                              store::EventStore* events);
  // Opens a report's contact with the responders' private key (audited).
  core::Result<std::string> RevealContact(int64_t report_id, const std::string& keys_dir, const Actor& who);

  // kNotFound, kConflict (already acknowledged or closed).
  core::Status Acknowledge(int64_t alert_id, Disposition d, const std::string& note, const Actor& who);
  core::Status Resolve(int64_t alert_id, const std::string& note, const Actor& who);
  // A CAP Ack message (cap.h): finds the alert it references and acknowledges it.
  core::Result<int64_t> AcknowledgeCap(std::string_view xml, const Actor& who);

  // Escalates what is past its deadline and runs the forecast and event
  // rules against the event store. Call every second or so.
  core::Result<TickStats> Tick(store::EventStore* events);
  // Sends due messages through `sender`, recording each attempt.
  core::Result<DeliveryStats> DeliverDue(Sender& sender, int64_t limit = 100);

  // Reads (each on the calling thread's own connection is better for a
  // server; these use the service's read connection under the lock).
  AlertStore& reads();
  const AlertConfig& config() const { return *opt_.config; }
  CapContext cap_context() const;
  const core::Clock& clock() const { return *opt_.clock; }
  // For a server that checkpoints on a background thread (EventStore::Checkpoint).
  void DeferCheckpoints();
  // Checkpoints the WAL in the writers' turn, so that no report's commit
  // syncs the log while a checkpoint writes and syncs the database file
  // (on ext4 the two syncs wait for each other).
  core::Status CheckpointInTurn();

 private:
  explicit AlertService(ServiceOptions opt) : opt_(std::move(opt)) {}
  struct Draft;
  core::Result<Submitted> Store(const ReportInput& in, const Triage& t, const std::string& scope,
                                const std::string& key, const Actor& who, const std::string& reply_gateway);
  core::Result<Submitted> StoreIn(AlertTxn& tx, const ReportInput& in, const Triage& t, const std::string& scope,
                                  const std::string& key, const Actor& who, const std::string& reply_gateway);
  core::Status GroupWrite(const std::function<core::Status(AlertTxn&)>& work);
  core::Status Cluster(AlertTxn& tx, Report* r, int64_t now);
  core::Status RecountCluster(AlertTxn& tx, int64_t cluster_id);
  core::Status ClusterRules(AlertTxn& tx, const Report& r, int64_t now);
  core::Result<int64_t> RaiseOrUpdate(AlertTxn& tx, const RuleConfig& rule, const std::string& key, Draft d,
                                      int64_t now);
  core::Status Notify(AlertTxn& tx, const Alert& a, int tier, const std::string& purpose, int64_t now);
  core::Status SendCap(AlertTxn& tx, Alert* a, const std::string& msg_type, int64_t now, const std::string& note);
  core::Status Escalate(AlertTxn& tx, Alert a, int64_t now, TickStats* stats);
  core::Status ForecastRules(store::EventStore* events, int64_t now, TickStats* stats);
  core::Status EventRules(store::EventStore* events, int64_t now, TickStats* stats);
  core::Status CorridorRules(store::EventStore* events, int64_t now, TickStats* stats);
  std::optional<double> PriorAt(double lat, double lon);
  void RefreshPrior(store::EventStore* events);
  core::Result<std::string> Instance();
  core::Status LoadRoadsForRules();
  core::Status CheckSitesForRules();
  core::Result<std::vector<Subscription>> Watched(const RuleConfig& rule);
  core::Result<std::vector<std::vector<Subscription>>> WatchedByRule(const std::string& kind);
  core::Result<std::string> ReadMeta(const std::string& key);  // in the writer's turn

  ServiceOptions opt_;
  TriageLexicon lexicon_;
  Phrases phrases_;
  struct PendingWrite {
    const std::function<core::Status(AlertTxn&)>* work;
    core::Status result;
    bool done;
  };
  std::mutex queue_mu_;  // guards queue_ and PendingWrite::result/done
  std::deque<PendingWrite*> queue_;
  std::mutex tick_mu_;  // one Tick at a time; guards prior_snapshot_, roads_ use, corridor_version_
  std::mutex mu_;       // the writer's turn; guards store_ and prior_by_gid_, instance_
  std::unique_ptr<AlertStore> store_;
  std::string instance_;
  int64_t prior_snapshot_ = -1;
  std::unordered_map<int64_t, double> prior_by_gid_;
  std::shared_ptr<const ::vigil::model::Roads> roads_;  // loaded when a corridor rule exists
  int64_t corridor_version_ = -1;                       // the events' DataVersion last assessed
};

// Seconds to wait before attempt `attempt` (1 = the first retry):
// base * 2^(attempt-1), capped at max, with "full jitter" drawn from a hash
// of the message's key, so the schedule is the same after a restart.
int64_t RetryDelay(int attempt, int64_t base_s, int64_t max_s, const std::string& key);

}  // namespace vigil::alert
