#include "fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "alert/keys.h"
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
    // Early warning on, so its endpoints are fuzzed too.
    const std::string keys = std::string(dir) + "/keys";
    if (auto k = alert::InitKeys(keys); !k.ok()) Die(k);
    const std::string cfg = std::string(dir) + "/alerts.toml";
    std::FILE* f = std::fopen(cfg.c_str(), "w");
    std::fprintf(f,
                 "keys_dir = \"%s\"\n[[gateways]]\nname = \"gw\"\nshape = \"form\"\nsecret = "
                 "\"fuzz-gateway-secret-0123456789\"\n[[areas]]\nid = \"all\"\nfallback = true\n  "
                 "[[areas.tiers]]\n  name = \"t\"\n  users = [\"u\"]\n[[rules]]\nid = \"r\"\nkind = "
                 "\"report_cluster\"\nmin_reporters = 2\n",
                 keys.c_str());
    std::fclose(f);
    server::ServerOptions o;
    o.alerts_config = cfg;
    o.alerts_tick_ms = 0;
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
