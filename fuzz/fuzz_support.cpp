#include "fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "ingest/importer.h"
#include "ingest/setup.h"
#include "store/sqlite.h"

namespace vigil::fuzz {

namespace {
[[noreturn]] void Die(const core::Status& s) {
  std::fprintf(stderr, "fuzz set-up failed: %s\n", s.ToString().c_str());
  std::abort();
}
}  // namespace

std::shared_ptr<const geo::Reference> Reference() {
  static std::shared_ptr<const geo::Reference> ref = [] {
    auto r = geo::Reference::Load(VIGIL_FUZZ_DATA_DIR);
    if (!r.ok()) Die(r.status());
    return *r;
  }();
  return ref;
}

server::Server* HttpServer() {
  static server::Server* server = [] {
    store::ConfigureSqliteOnce();
    char dir[] = "/tmp/vigil-fuzz-XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    const std::string db = std::string(dir) + "/fuzz.db";
    {
      auto st = store::EventStore::Open(db, true);
      if (!st.ok()) Die(st.status());
      if (auto s = ingest::InitDatabase(st->get(), *Reference()); !s.ok()) Die(s.status());
      ingest::Importer imp(st->get(), Reference());
      auto r = imp.ImportFile(ingest::SourceKind::kJsonl,
                              std::string(VIGIL_FUZZ_DATA_DIR) + "/events/seed_events.jsonl", {});
      if (!r.ok()) Die(r.status());
    }
    server::ServerOptions o;
    o.db = db;
    o.port = 0;
    o.public_read = true;
    o.rate_limit = 0;
    o.max_body_bytes = 256 << 10;
    auto s = server::Server::Create(o, Reference());
    if (!s.ok()) Die(s.status());
    return s->release();  // lives for the process
  }();
  return server;
}

}  // namespace vigil::fuzz
