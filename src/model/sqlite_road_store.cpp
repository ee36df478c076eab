#include <ctime>

#include "core/compress.h"
#include "geo/road_import.h"
#include "model/road_store.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace vigil::model {

using core::Result;
using core::Status;
using store::Db;

namespace {

class SqliteRoadStore final : public RoadStore {
 public:
  explicit SqliteRoadStore(Db db) : db_(std::move(db)) {}

  Result<int64_t> Replace(const StoredRoadNetwork& meta, const geo::RoadNetwork& net) override {
    std::string packed;
    core::ZstdCompress(geo::NetworkToJson(net), &packed, 3);
    store::Transaction txn(&db_);
    VIGIL_RETURN_IF_ERROR(txn.begin_status());
    VIGIL_RETURN_IF_ERROR(db_.Exec("UPDATE road_networks SET active = 0 WHERE active = 1"));
    VIGIL_ASSIGN_OR_RETURN(auto st,
                           db_.Prepare("INSERT INTO road_networks (name, source_path, fingerprint, imported_at, "
                                       "nodes, edges, km, active, data) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)"));
    char when[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    st.Bind(1, meta.name).Bind(2, meta.source_path).Bind(3, meta.fingerprint).Bind(4, std::string(when));
    st.Bind(5, static_cast<int64_t>(net.nodes().size())).Bind(6, static_cast<int64_t>(net.edges().size()));
    st.Bind(7, net.TotalKm()).BindBlobStatic(8, packed);
    VIGIL_RETURN_IF_ERROR(st.Step().status());
    const int64_t id = db_.LastInsertRowid();
    VIGIL_RETURN_IF_ERROR(txn.Commit());
    return id;
  }

  Result<std::optional<StoredRoadNetwork>> ActiveInfo() override {
    VIGIL_ASSIGN_OR_RETURN(auto st,
                           db_.Prepare(std::string(kColumns) + kFrom + " WHERE active = 1 ORDER BY id DESC LIMIT 1"));
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<StoredRoadNetwork>();
    return std::optional<StoredRoadNetwork>(Meta(st));
  }

  Result<std::optional<std::pair<StoredRoadNetwork, geo::RoadNetwork>>> Active() override {
    VIGIL_ASSIGN_OR_RETURN(
        auto st, db_.Prepare(std::string(kColumns) + ", data" + kFrom + " WHERE active = 1 ORDER BY id DESC LIMIT 1"));
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    using Out = std::optional<std::pair<StoredRoadNetwork, geo::RoadNetwork>>;
    if (!row) return Out();
    VIGIL_ASSIGN_OR_RETURN(std::string json, core::ZstdDecompress(st.Blob(8)));
    VIGIL_ASSIGN_OR_RETURN(geo::RoadNetwork net, geo::NetworkFromJson(json));
    return Out(std::pair<StoredRoadNetwork, geo::RoadNetwork>(Meta(st), std::move(net)));
  }

  Status UseBundled() override { return db_.Exec("UPDATE road_networks SET active = 0 WHERE active = 1"); }

 private:
  static constexpr const char* kColumns = "SELECT id, name, source_path, fingerprint, imported_at, nodes, edges, km";
  static constexpr const char* kFrom = " FROM road_networks";
  static StoredRoadNetwork Meta(const store::Stmt& st) {
    StoredRoadNetwork m;
    m.id = st.Int(0);
    m.name = std::string(st.Text(1));
    m.source_path = std::string(st.Text(2));
    m.fingerprint = std::string(st.Text(3));
    m.imported_at = std::string(st.Text(4));
    m.nodes = st.Int(5);
    m.edges = st.Int(6);
    m.km = st.Double(7);
    return m;
  }
  Db db_;
};

}  // namespace

Result<std::unique_ptr<RoadStore>> RoadStore::Open(const std::string& db_url) {
  VIGIL_ASSIGN_OR_RETURN(std::string path, store::SqlitePathFromUrl(db_url));
  VIGIL_ASSIGN_OR_RETURN(Db db, Db::Open(path, false));
  VIGIL_ASSIGN_OR_RETURN(int64_t v, db.QueryInt("PRAGMA user_version"));
  if (v < 13)
    return Status(core::Code::kConflict, "the database at " + path + " has no road network table (schema " +
                                             std::to_string(v) + "); run 'vigil init' to upgrade it");
  return std::unique_ptr<RoadStore>(new SqliteRoadStore(std::move(db)));
}

}  // namespace vigil::model
