#include "scenario/scenario_store.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace vigil::scenario {

using core::Result;
using core::Status;
using store::Db;

namespace {

class SqliteScenarioStore final : public ScenarioStore {
 public:
  explicit SqliteScenarioStore(Db db) : db_(std::move(db)) {}

  Result<int64_t> Save(const core::Json& summary) override {
    VIGIL_ASSIGN_OR_RETURN(
        auto st, db_.Prepare("INSERT INTO scenarios (title, as_of, runs, created_at, result) VALUES (?, ?, ?, "
                             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?)"));
    st.Bind(1, summary.value("title", std::string()))
        .Bind(2, summary.value("as_of", std::string()))
        .Bind(3, summary.value("runs", int64_t{1}))
        .Bind(4, summary.dump());
    VIGIL_RETURN_IF_ERROR(st.Step().status());
    return db_.LastInsertRowid();
  }

  Result<std::optional<StoredScenario>> Get(int64_t id) override {
    VIGIL_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string(kSelect) + ", result FROM scenarios WHERE id = ?"));
    st.Bind(1, id);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<StoredScenario>();
    StoredScenario s = Row(st);
    s.result = core::Json::parse(st.Text(5), nullptr, false);
    if (s.result.is_discarded()) return core::Internal("scenario " + std::to_string(id) + " is not JSON");
    return std::optional<StoredScenario>(std::move(s));
  }

  Result<std::vector<StoredScenario>> List() override {
    VIGIL_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string(kSelect) + " FROM scenarios ORDER BY id DESC"));
    std::vector<StoredScenario> out;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(Row(st));
    }
    return out;
  }

 private:
  static constexpr const char* kSelect = "SELECT id, title, as_of, runs, created_at";

  static StoredScenario Row(const store::Stmt& st) {
    StoredScenario s;
    s.id = st.Int(0);
    s.title = std::string(st.Text(1));
    s.as_of = std::string(st.Text(2));
    s.runs = static_cast<int>(st.Int(3));
    s.created_at = std::string(st.Text(4));
    return s;
  }

  Db db_;
};

}  // namespace

Result<std::unique_ptr<ScenarioStore>> ScenarioStore::Open(const std::string& db_url) {
  VIGIL_ASSIGN_OR_RETURN(std::string path, store::SqlitePathFromUrl(db_url));
  VIGIL_ASSIGN_OR_RETURN(Db db, Db::Open(path, false));
  VIGIL_ASSIGN_OR_RETURN(int64_t v, db.QueryInt("PRAGMA user_version"));
  if (v < 17)
    return Status(core::Code::kConflict, "the database at " + path + " has no scenarios table (schema " +
                                             std::to_string(v) + "); run 'vigil init' to upgrade it");
  return std::unique_ptr<ScenarioStore>(new SqliteScenarioStore(std::move(db)));
}

}  // namespace vigil::scenario
