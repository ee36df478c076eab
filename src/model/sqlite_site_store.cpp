#include <ctime>
#include <set>

#include "core/strings.h"
#include "geo/normalize.h"
#include "model/site_store.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace vigil::model {

using core::Result;
using core::Status;
using store::Db;

namespace {

// Names compare folded (case and accents): "Usine de Diamou" = "usine de diamou".
std::string NameKey(const std::string& name) { return geo::FoldName(name); }

std::string NowIso() {
  char when[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return when;
}

class SqliteSiteStore final : public SiteStore {
 public:
  explicit SqliteSiteStore(Db db) : db_(std::move(db)) {}

  Result<std::vector<int64_t>> Add(const std::vector<geo::Site>& sites, bool replace) override {
    std::set<std::string> seen;
    for (const auto& s : sites)
      if (!seen.insert(NameKey(s.name)).second)
        return Status(core::Code::kConflict, "site '" + s.name + "' is given twice; names must be unique");
    store::Transaction txn(&db_);
    VIGIL_RETURN_IF_ERROR(txn.begin_status());
    const std::string when = NowIso();
    std::vector<int64_t> ids;
    for (const auto& s : sites) {
      VIGIL_ASSIGN_OR_RETURN(auto existing, FindByKey(NameKey(s.name)));
      if (existing && !replace)
        return Status(core::Code::kConflict, "a site named '" + existing->name + "' exists already (id " +
                                                 std::to_string(existing->id) +
                                                 "); choose another name, or replace it (vigil site add --replace, ?replace=true in the API)");
      VIGIL_ASSIGN_OR_RETURN(
          auto st, db_.Prepare(existing ? "UPDATE sites SET name = ?, type = ?, owner = ?, lat = ?, lon = ?, "
                                          "radius_km = ? WHERE name_key = ?"
                                        : "INSERT INTO sites (name, type, owner, lat, lon, radius_km, name_key, "
                                          "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
      st.Bind(1, s.name).Bind(2, s.type).Bind(3, s.owner).Bind(4, s.lat).Bind(5, s.lon).Bind(6, s.radius_km);
      st.Bind(7, NameKey(s.name));
      if (!existing) st.Bind(8, when);
      VIGIL_RETURN_IF_ERROR(st.Step().status());
      ids.push_back(existing ? existing->id : db_.LastInsertRowid());
    }
    VIGIL_RETURN_IF_ERROR(txn.Commit());
    return ids;
  }

  Result<std::vector<geo::Site>> List() override {
    VIGIL_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string(kSelect) + " ORDER BY name_key"));
    std::vector<geo::Site> out;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(Row(st));
    }
    return out;
  }

  Result<std::optional<geo::Site>> Find(const std::string& id_or_name) override {
    int64_t id;
    if (core::ParseInt64(core::Trim(id_or_name), &id)) {
      VIGIL_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string(kSelect) + " WHERE id = ?"));
      st.Bind(1, id);
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (row) return std::optional<geo::Site>(Row(st));
    }
    return FindByKey(NameKey(id_or_name));
  }

  Status Remove(const std::string& id_or_name) override {
    VIGIL_ASSIGN_OR_RETURN(auto site, Find(id_or_name));
    if (!site) return core::NotFound("no site '" + id_or_name + "'; see `vigil site list`");
    VIGIL_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM sites WHERE id = ?"));
    st.Bind(1, site->id);
    return st.Step().status();
  }

 private:
  static constexpr const char* kSelect = "SELECT id, name, type, owner, lat, lon, radius_km, added_at FROM sites";

  Result<std::optional<geo::Site>> FindByKey(const std::string& key) {
    VIGIL_ASSIGN_OR_RETURN(auto st, db_.Prepare(std::string(kSelect) + " WHERE name_key = ?"));
    st.Bind(1, key);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<geo::Site>();
    return std::optional<geo::Site>(Row(st));
  }

  static geo::Site Row(const store::Stmt& st) {
    geo::Site s;
    s.id = st.Int(0);
    s.name = std::string(st.Text(1));
    s.type = std::string(st.Text(2));
    s.owner = std::string(st.Text(3));
    s.lat = st.Double(4);
    s.lon = st.Double(5);
    s.radius_km = st.Double(6);
    s.added_at = std::string(st.Text(7));
    return s;
  }

  Db db_;
};

}  // namespace

Result<std::unique_ptr<SiteStore>> SiteStore::Open(const std::string& db_url) {
  VIGIL_ASSIGN_OR_RETURN(std::string path, store::SqlitePathFromUrl(db_url));
  VIGIL_ASSIGN_OR_RETURN(Db db, Db::Open(path, false));
  VIGIL_ASSIGN_OR_RETURN(int64_t v, db.QueryInt("PRAGMA user_version"));
  if (v < 14)
    return Status(core::Code::kConflict, "the database at " + path + " has no sites table (schema " +
                                             std::to_string(v) + "); run 'vigil init' to upgrade it");
  return std::unique_ptr<SiteStore>(new SqliteSiteStore(std::move(db)));
}

}  // namespace vigil::model
