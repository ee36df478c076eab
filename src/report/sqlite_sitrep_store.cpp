#include <algorithm>

#include "core/compress.h"
#include "report/sitrep_store.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace vigil::report {

using core::Result;
using core::Status;
using store::Db;

namespace {

// The HTML (mostly SVG paths) is kept compressed; the PDF's streams are
// compressed already.
class SqliteSitrepStore final : public SitrepStore {
 public:
  explicit SqliteSitrepStore(Db db) : db_(std::move(db)) {}

  Result<int64_t> Save(const StoredSitrep& s) override {
    std::string html;
    core::ZstdCompress(s.html, &html, 3);
    VIGIL_ASSIGN_OR_RETURN(auto st,
                           db_.Prepare("INSERT INTO sitreps (area, period_from, period_to, lang, generated_at, "
                                       "markdown, html_zstd, pdf) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                       "ON CONFLICT (area, period_from, period_to, lang) DO UPDATE SET "
                                       "generated_at = excluded.generated_at, markdown = excluded.markdown, "
                                       "html_zstd = excluded.html_zstd, pdf = excluded.pdf RETURNING id"));
    st.Bind(1, s.area).Bind(2, s.from.ToIso()).Bind(3, s.to.ToIso()).Bind(4, s.lang).Bind(5, s.generated_at);
    st.Bind(6, s.markdown).BindBlobStatic(7, html).BindBlobStatic(8, s.pdf);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return core::DatabaseError("saving a brief returned no id");
    return st.Int(0);
  }

  Result<bool> Has(const std::string& area, core::Date from, core::Date to, const std::string& lang) override {
    VIGIL_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT 1 FROM sitreps WHERE area = ? AND period_from = ? AND "
                                                "period_to = ? AND lang = ?"));
    st.Bind(1, area).Bind(2, from.ToIso()).Bind(3, to.ToIso()).Bind(4, lang);
    return st.Step();
  }

  Result<std::vector<StoredSitrep>> List(const std::string& area, int limit) override {
    VIGIL_ASSIGN_OR_RETURN(
        auto st, db_.Prepare(std::string(kHead) + " FROM sitreps WHERE (? = '' OR area = ?) ORDER BY period_to DESC, "
                                                  "area, lang LIMIT ?"));
    st.Bind(1, area).Bind(2, area).Bind(3, static_cast<int64_t>(std::clamp(limit, 1, 1000)));
    std::vector<StoredSitrep> out;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(Head(st));
    }
    return out;
  }

  Result<std::optional<StoredSitrep>> Get(int64_t id) override {
    VIGIL_ASSIGN_OR_RETURN(auto st,
                           db_.Prepare(std::string(kHead) + ", markdown, html_zstd, pdf FROM sitreps WHERE id = ?"));
    st.Bind(1, id);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<StoredSitrep>();
    StoredSitrep s = Head(st);
    s.markdown = std::string(st.Text(6));
    VIGIL_ASSIGN_OR_RETURN(s.html, core::ZstdDecompress(st.Blob(7)));
    s.pdf = std::string(st.Blob(8));
    return std::optional<StoredSitrep>(std::move(s));
  }

 private:
  static constexpr const char* kHead = "SELECT id, area, period_from, period_to, lang, generated_at";

  static StoredSitrep Head(const store::Stmt& st) {
    StoredSitrep s;
    s.id = st.Int(0);
    s.area = std::string(st.Text(1));
    auto from = core::Date::Parse(st.Text(2)), to = core::Date::Parse(st.Text(3));
    if (from.ok()) s.from = *from;
    if (to.ok()) s.to = *to;
    s.lang = std::string(st.Text(4));
    s.generated_at = st.Int(5);
    return s;
  }

  Db db_;
};

}  // namespace

Result<std::unique_ptr<SitrepStore>> SitrepStore::Open(const std::string& db_url) {
  VIGIL_ASSIGN_OR_RETURN(std::string path, store::SqlitePathFromUrl(db_url));
  VIGIL_ASSIGN_OR_RETURN(Db db, Db::Open(path, false));
  VIGIL_ASSIGN_OR_RETURN(int64_t v, db.QueryInt("PRAGMA user_version"));
  if (v < 15)
    return Status(core::Code::kConflict, "the database at " + path + " has no sitreps table (schema " +
                                             std::to_string(v) + "); run 'vigil init' to upgrade it");
  return std::unique_ptr<SitrepStore>(new SqliteSitrepStore(std::move(db)));
}

}  // namespace vigil::report
