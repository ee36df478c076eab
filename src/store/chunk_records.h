// vigil::store — the records of a block of source rows, kept inside the
// block (source_chunks.records) instead of one source_records row each.
//
// A block of consecutive rows of a file creates events with consecutive
// ids (first_event, first_event + 1, ...): each of those rows is the first
// revision of its event's own (source, source_id), so all a row needs to
// say is its line, where its text is in the block, and its hash. Rows that
// feed an existing event (a second row of a multi-row event, a revision, a
// link from another source) stay in source_records.
//
// Encoding (version 1): a version byte, the count, then per row the line
// and the offset as zig-zag varint deltas (from the previous row's line and
// the end of its text), the length as a varint and the hash as 8 bytes,
// little-endian: about 14 bytes per row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::store {

struct ChunkRecord {
  int64_t line = 0;
  int64_t offset = 0, length = 0;  // the row's text in the decompressed block
  uint64_t row_hash = 0;
};

std::string EncodeChunkRecords(const std::vector<ChunkRecord>& records);
// Fails (a database error naming the block) on a damaged or unknown blob.
core::Result<std::vector<ChunkRecord>> DecodeChunkRecords(std::string_view blob);

// The text of the last block read, kept: consecutive events' rows share a
// block, and decompressing one costs more than reading its rows. Keyed by
// the block's id and a hash of its compressed bytes (a SQLite rowid can be
// reused after a rollback).
class BlockCache {
 public:
  core::Result<const std::string*> Text(int64_t id, std::string_view compressed);

 private:
  int64_t id_ = 0;
  uint64_t hash_ = 0;
  std::string text_;
};

}  // namespace vigil::store
