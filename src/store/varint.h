// vigil::store — varints for the packed formats of the SQLite backend
// (store/chunk_records.h, store/event_codec.h): 7 bits a byte, low first;
// signed values zig-zag encoded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::store {

inline void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
inline uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// Reads what PutVarint and friends wrote; every read says whether the
// bytes were there (a damaged blob is an error, never an overrun).
class VarintReader {
 public:
  explicit VarintReader(std::string_view s) : s_(s) {}
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= s_.size()) return false;
      const auto b = static_cast<uint8_t>(s_[pos_++]);
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool Signed(int64_t* v) {
    uint64_t u;
    if (!Varint(&u)) return false;
    *v = UnZigZag(u);
    return true;
  }
  bool Byte(uint8_t* b) {
    if (pos_ >= s_.size()) return false;
    *b = static_cast<uint8_t>(s_[pos_++]);
    return true;
  }
  // Eight bytes, little-endian.
  bool Fixed64(uint64_t* v) {
    if (s_.size() - pos_ < 8) return false;
    *v = 0;
    for (int i = 0; i < 8; ++i) *v |= static_cast<uint64_t>(static_cast<uint8_t>(s_[pos_++])) << (8 * i);
    return true;
  }
  // A varint length, then that many bytes.
  bool Text(std::string* out) {
    uint64_t n;
    if (!Varint(&n) || n > s_.size() - pos_) return false;
    out->assign(s_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool AtEnd() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace vigil::store
