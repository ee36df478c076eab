#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ingest/setup.h"

namespace vigil::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "vigil-test-XXXXXX").string();
  char* p = mkdtemp(tmpl.data());
  path_ = p ? p : "/tmp";
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  const std::string p = path_ + "/" + name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::shared_ptr<const geo::Reference> Ref() {
  static std::shared_ptr<const geo::Reference> ref = [] {
    auto r = geo::Reference::Load(VIGIL_TEST_DATA_DIR);
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      std::abort();
    }
    return *r;
  }();
  return ref;
}

const text::Lexicon& Lex() {
  static std::shared_ptr<const text::Lexicon> lex = [] {
    auto l = text::Lexicon::Load(VIGIL_TEST_DATA_DIR);
    if (!l.ok()) {
      ADD_FAILURE() << l.status().ToString();
      std::abort();
    }
    return *l;
  }();
  return *lex;
}

std::unique_ptr<store::EventStore> FreshStore(const TempDir& dir, const std::string& name) {
  auto st = store::EventStore::Open(dir.path() + "/" + name, true);
  EXPECT_TRUE(st.ok()) << st.status().ToString();
  auto init = ingest::InitDatabase(st->get(), *Ref());
  EXPECT_TRUE(init.ok()) << init.status().ToString();
  return std::move(*st);
}

std::string SharedDir() { return VIGIL_TEST_SHARED_DIR; }

const char* const kAcledHeader =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";

std::string AcledRow(const std::string& id, const std::string& date, const std::string& type, const std::string& sub,
                     const std::string& actor1, const std::string& actor2, const std::string& lat,
                     const std::string& lon, const std::string& fat, const std::string& notes) {
  return id + "," + date + ",2025,1,Political violence," + type + "," + sub + "," + actor1 + ",,2," + actor2 +
         ",,1,12,,466,Western Africa,Mali,Kayes,Kayes,Kayes,Kayes," + lat + "," + lon + ",1,Test source,Local," +
         notes + "," + fat + ",,1700000000\n";
}

std::vector<std::string> EnglishRunsIn(const report::Phrases& p, const std::string& text, bool skip_terms) {
  std::vector<std::string> out;
  for (const auto& [key, t] : p.by_key) {
    if (skip_terms && key.rfind("ev_", 0) == 0) continue;
    const std::string& en = t.first;
    for (size_t a = 0; a < en.size();) {
      const size_t b = en.find('{', a);
      const std::string run = en.substr(a, b == std::string::npos ? std::string::npos : b - a);
      if (run.size() >= 14 && text.find(run) != std::string::npos) out.push_back(key + ": '" + run + "'");
      if (b == std::string::npos) break;
      a = en.find('}', b) + 1;
    }
  }
  return out;
}

}  // namespace vigil::testing
