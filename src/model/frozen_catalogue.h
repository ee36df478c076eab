// vigil::model — a snapshot's frozen catalogue: the model events a Hawkes
// fit was made on, stored with the snapshot (store::ModelSnapshot::catalogue)
// so that its forecast is a pure function of (snapshot, horizon, units):
// events imported later — into its window or after it — never change it,
// and the background density is rebuilt from exactly the points it was
// fitted on.
//
// Encoding (version 1): zstd of "VGC1", the event count and the admin1 names
// (u32 each, names as u16 length + bytes), then per event t, lat, lon
// (float64), class (uint8), precise (uint8), loc_km (float32), gid (int64)
// and the admin1 index (uint32), little-endian. Decoding checks the magic,
// the version and every length: a damaged blob is kParse, never a crash.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/catalogue.h"

namespace vigil::model {

std::string EncodeCatalogue(const std::vector<ModelEvent>& events);
core::Result<std::vector<ModelEvent>> DecodeCatalogue(std::string_view blob);

}  // namespace vigil::model
