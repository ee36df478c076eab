// Helpers shared by vigil's tests: temporary folders, files, the reference
// data (loaded once per process) and a fresh initialised store.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "geo/reference.h"
#include "report/sitrep.h"
#include "store/store.h"
#include "text/lexicon.h"

namespace vigil::testing {

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

std::shared_ptr<const geo::Reference> Ref();
// The extractor's vocabulary from the same data directory (loaded once).
const text::Lexicon& Lex();
// A new database in `dir`, migrated and with reference data loaded.
std::unique_ptr<store::EventStore> FreshStore(const TempDir& dir, const std::string& name = "t.db");
std::string SharedDir();

// The header of an ACLED CSV export (31 columns, dyadic) and one fictional
// row in that format (not real ACLED data; `notes` as written, quote it
// yourself when it needs quotes).
extern const char* const kAcledHeader;
std::string AcledRow(const std::string& id, const std::string& date, const std::string& type, const std::string& sub,
                     const std::string& actor1, const std::string& actor2, const std::string& lat,
                     const std::string& lon, const std::string& fat, const std::string& notes = "test notes");

// The runs of English text of the brief's sentence table (between its
// placeholders, 14 characters or more) found in `text`, as "key: 'run'";
// ACLED's own terms (the ev_ keys) left out when `skip_terms`.
std::vector<std::string> EnglishRunsIn(const report::Phrases& p, const std::string& text, bool skip_terms);

}  // namespace vigil::testing
