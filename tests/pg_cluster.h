// A throwaway PostgreSQL server for tests: initdb in a temporary directory,
// pg_ctl start on a free port of 127.0.0.1 (and a socket in that directory),
// stopped and removed on destruction. Debian's postgresql and PostGIS
// packages provide the binaries (scripts/install-deps.sh installs them).
// PostgreSQL refuses to run as root: under root the server runs as the
// `postgres` account the package created.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace vigil::testing {

class PgCluster {
 public:
  // Starts a server; fails with what went wrong (binaries missing, initdb
  // or start failed, with the server's log).
  static core::Result<std::unique_ptr<PgCluster>> Start();
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // Creates an empty database and returns its postgresql:// URL.
  core::Result<std::string> CreateDatabase(const std::string& name);
  std::string Url(const std::string& database) const;
  int port() const { return port_; }

 private:
  PgCluster() = default;
  std::string dir_, bindir_;
  int port_ = 0;
  bool started_ = false;
};

// One cluster per test process, started on first use (nullptr and a
// failed test when it cannot start).
PgCluster* SharedPgCluster();

}  // namespace vigil::testing
