// Helpers shared by vigil's tests: temporary folders, files, the reference
// data (loaded once per process) and a fresh initialised store.
#pragma once

#include <memory>
#include <string>

#include "geo/reference.h"
#include "store/store.h"

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
// A new database in `dir`, migrated and with reference data loaded.
std::unique_ptr<store::EventStore> FreshStore(const TempDir& dir, const std::string& name = "t.db");
std::string SharedDir();

}  // namespace vigil::testing
