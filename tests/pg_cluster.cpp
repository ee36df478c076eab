#include "pg_cluster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <gtest/gtest.h>

#include "store/postgres/pg.h"

namespace vigil::testing {

namespace {

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A port nobody listens on now (the kernel's choice for port 0).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

std::string FindBindir() {
  namespace fs = std::filesystem;
  std::string best;
  std::error_code ec;
  for (const auto& d : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string bin = d.path().string() + "/bin";
    if (fs::exists(bin + "/initdb") && bin > best) best = bin;
  }
  return best;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

core::Result<std::unique_ptr<PgCluster>> PgCluster::Start() {
  std::unique_ptr<PgCluster> c(new PgCluster());
  c->bindir_ = FindBindir();
  if (c->bindir_.empty())
    return core::NotFound("no PostgreSQL server binaries under /usr/lib/postgresql: run scripts/install-deps.sh");
  char tmpl[] = "/tmp/vigil-pg-XXXXXX";
  if (!mkdtemp(tmpl)) return core::IoError("cannot make a temporary directory");
  c->dir_ = tmpl;
  const bool root = geteuid() == 0;
  const std::string as = root ? "runuser -u postgres -- " : "";
  if (root && std::system(("chown postgres " + Quote(c->dir_)).c_str()) != 0)
    return core::IoError("cannot give " + c->dir_ + " to the postgres account");
  const std::string data = c->dir_ + "/data", log = c->dir_ + "/server.log";
  const std::string init = as + Quote(c->bindir_ + "/initdb") + " -D " + Quote(data) +
                           " -A trust -U vigil -E UTF8 --locale=C.UTF-8 > " + Quote(c->dir_ + "/initdb.log") +
                           " 2>&1";
  if (std::system(init.c_str()) != 0)
    return core::Internal("initdb failed: " + ReadFile(c->dir_ + "/initdb.log"));
  for (int attempt = 0; attempt < 5 && !c->started_; ++attempt) {
    c->port_ = FreePort();
    const std::string opts = "-p " + std::to_string(c->port_) + " -k " + c->dir_ +
                             " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off "
                             "-c max_connections=100 -c shared_buffers=128MB";
    const std::string start = as + Quote(c->bindir_ + "/pg_ctl") + " -D " + Quote(data) + " -l " + Quote(log) +
                              " -w -t 120 -o " + Quote(opts) + " start > /dev/null 2>&1";
    c->started_ = std::system(start.c_str()) == 0;
  }
  if (!c->started_) return core::Internal("pg_ctl start failed: " + ReadFile(log));
  return c;
}

PgCluster::~PgCluster() {
  if (started_) {
    const std::string as = geteuid() == 0 ? "runuser -u postgres -- " : "";
    const std::string stop =
        as + Quote(bindir_ + "/pg_ctl") + " -D " + Quote(dir_ + "/data") + " -m immediate -w stop > /dev/null 2>&1";
    (void)std::system(stop.c_str());
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string PgCluster::Url(const std::string& database) const {
  return "postgresql://vigil@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

core::Result<std::string> PgCluster::CreateDatabase(const std::string& name) {
  VIGIL_ASSIGN_OR_RETURN(auto conn, store::pg::Conn::Open(Url("postgres")));
  VIGIL_RETURN_IF_ERROR(conn->Exec("DROP DATABASE IF EXISTS \"" + name + "\""));
  VIGIL_RETURN_IF_ERROR(conn->Exec("CREATE DATABASE \"" + name + "\""));
  return Url(name);
}

PgCluster* SharedPgCluster() {
  static std::once_flag once;
  static PgCluster* cluster = nullptr;
  static std::string error;
  std::call_once(once, [] {
    auto c = PgCluster::Start();
    if (c.ok()) {
      cluster = c->release();
      std::atexit([] { delete cluster; });
    } else {
      error = c.status().ToString();
    }
  });
  if (!cluster) ADD_FAILURE() << "cannot start the test PostgreSQL: " << error;
  return cluster;
}

}  // namespace vigil::testing
