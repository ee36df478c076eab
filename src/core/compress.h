// vigil::core — block compression (zstd) for stored source rows.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil::core {

// Compresses `in` into one zstd frame (level 1: about 500 MB/s on CSV text,
// a tenth of its size). Appends to *out.
void ZstdCompress(std::string_view in, std::string* out, int level = 1);

// Decompresses one zstd frame written by ZstdCompress. A corrupt or
// truncated frame is a kDatabase error (it only comes from the store).
Result<std::string> ZstdDecompress(std::string_view in);

}  // namespace vigil::core
