#include "store/chunk_records.h"

#include "core/compress.h"
#include "core/strings.h"

#include "store/varint.h"

namespace vigil::store {

namespace {

constexpr uint8_t kVersion = 1;

}  // namespace

std::string EncodeChunkRecords(const std::vector<ChunkRecord>& records) {
  std::string out;
  out.reserve(4 + records.size() * 14);
  out.push_back(static_cast<char>(kVersion));
  PutVarint(&out, records.size());
  int64_t line = 0, end = 0;
  for (const auto& r : records) {
    PutVarint(&out, ZigZag(r.line - line));
    PutVarint(&out, ZigZag(r.offset - end));
    PutVarint(&out, static_cast<uint64_t>(r.length));
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((r.row_hash >> (8 * i)) & 0xff));
    line = r.line;
    end = r.offset + r.length;
  }
  return out;
}

core::Result<std::vector<ChunkRecord>> DecodeChunkRecords(std::string_view blob) {
  VarintReader in(blob);
  uint8_t version = 0;
  uint64_t n = 0;
  if (!in.Byte(&version) || version != kVersion)
    return core::DatabaseError("a block of source rows has records in an unknown format (version " +
                               std::to_string(version) + "; upgrade vigil)");
  if (!in.Varint(&n) || n > blob.size()) return core::DatabaseError("a block's row records are damaged");
  std::vector<ChunkRecord> out(n);
  int64_t line = 0, end = 0;
  for (auto& r : out) {
    uint64_t dline, doff, len;
    if (!in.Varint(&dline) || !in.Varint(&doff) || !in.Varint(&len) || !in.Fixed64(&r.row_hash))
      return core::DatabaseError("a block's row records are damaged");
    r.line = line + UnZigZag(dline);
    r.offset = end + UnZigZag(doff);
    r.length = static_cast<int64_t>(len);
    if (r.offset < 0 || r.length < 0) return core::DatabaseError("a block's row records are damaged");
    line = r.line;
    end = r.offset + r.length;
  }
  if (!in.AtEnd()) return core::DatabaseError("a block's row records are damaged");
  return out;
}

core::Result<const std::string*> BlockCache::Text(int64_t id, std::string_view compressed) {
  const uint64_t hash = core::Xxh3(compressed);
  if (id != id_ || hash != hash_ || text_.empty()) {
    id_ = 0;
    VIGIL_ASSIGN_OR_RETURN(text_, core::ZstdDecompress(compressed));
    id_ = id;
    hash_ = hash;
  }
  return &text_;
}

}  // namespace vigil::store
