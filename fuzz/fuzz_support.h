// What several fuzz targets share, built once per process: the reference
// data and a server over a temporary database with the bundled events.
#pragma once

#include <memory>

#include "geo/reference.h"
#include "server/server.h"

namespace vigil::fuzz {

std::shared_ptr<const geo::Reference> Reference();
// A server (not listening) with public reads over a fresh database.
server::Server* HttpServer();

}  // namespace vigil::fuzz
