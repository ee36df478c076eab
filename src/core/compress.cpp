#include "core/compress.h"

#include <zstd.h>

#include <memory>

namespace vigil::core {

void ZstdCompress(std::string_view in, std::string* out, int level) {
  const size_t start = out->size();
  out->resize(start + ZSTD_compressBound(in.size()));
  // One context per thread, freed when the thread ends: creating one costs
  // more than compressing a small block.
  struct FreeCtx {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_CCtx, FreeCtx> ctx(ZSTD_createCCtx());
  const size_t n = ZSTD_compressCCtx(ctx.get(), out->data() + start, out->size() - start, in.data(), in.size(), level);
  // Cannot fail with a bound-sized buffer and a valid level.
  out->resize(ZSTD_isError(n) ? start : start + n);
}

Result<std::string> ZstdDecompress(std::string_view in) {
  const unsigned long long size = ZSTD_getFrameContentSize(in.data(), in.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ULL << 31))
    return DatabaseError("a stored block of source rows is corrupt (not a zstd frame)");
  std::string out(size, '\0');
  const size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(n) || n != size)
    return DatabaseError(std::string("a stored block of source rows is corrupt: ") + ZSTD_getErrorName(n));
  return out;
}

}  // namespace vigil::core
