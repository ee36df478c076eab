// vigil::store::pg — the PostgreSQL schema as numbered migrations. Applied
// versions are rows of schema_migrations; each migration runs in its own
// transaction under an advisory lock, so two processes migrating at once
// apply each step once.
#pragma once

#include <string_view>
#include <vector>

namespace vigil::store::pg {

struct Migration {
  int version;
  std::string_view sql;
};

const std::vector<Migration>& Migrations();
inline int PgSchemaVersion() { return Migrations().back().version; }

}  // namespace vigil::store::pg
