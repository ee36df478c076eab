// vigil::auth — the PostgreSQL backend of AccountStore. AccountStore::Open
// calls it for postgresql:// URLs.
#pragma once

#include <memory>
#include <string>

#include "auth/account_store.h"

namespace vigil::auth {

// kConflict when the database has no accounts tables ("run vigil init").
core::Result<std::unique_ptr<AccountStore>> OpenPgAccountStore(const std::string& url);

}  // namespace vigil::auth
