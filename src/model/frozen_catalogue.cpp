#include "model/frozen_catalogue.h"

#include <cstdint>
#include <cstring>
#include <map>

#include "core/compress.h"

namespace vigil::model {

namespace {

constexpr std::string_view kMagic = "VGC1";

template <typename T>
void Put(std::string* out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out->append(buf, sizeof(T));
}

// Reads values off a byte range; any read past its end fails the reader.
class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  template <typename T>
  bool Get(T* v) {
    if (b_.size() - at_ < sizeof(T)) return false;
    std::memcpy(v, b_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }
  bool Bytes(size_t n, std::string* s) {
    if (b_.size() - at_ < n) return false;
    s->assign(b_.data() + at_, n);
    at_ += n;
    return true;
  }
  bool Done() const { return at_ == b_.size(); }

 private:
  std::string_view b_;
  size_t at_ = 0;
};

}  // namespace

std::string EncodeCatalogue(const std::vector<ModelEvent>& events) {
  std::map<std::string, uint32_t> index;
  std::vector<const std::string*> names;
  for (const auto& e : events)
    if (index.emplace(e.admin1, static_cast<uint32_t>(index.size())).second) names.push_back(&e.admin1);
  std::string raw(kMagic);
  Put<uint32_t>(&raw, static_cast<uint32_t>(events.size()));
  Put<uint32_t>(&raw, static_cast<uint32_t>(names.size()));
  for (const auto* n : names) {
    const auto len = static_cast<uint16_t>(std::min<size_t>(n->size(), 65535));
    Put<uint16_t>(&raw, len);
    raw.append(n->data(), len);
  }
  for (const auto& e : events) {
    Put<double>(&raw, e.t);
    Put<double>(&raw, e.lat);
    Put<double>(&raw, e.lon);
    Put<uint8_t>(&raw, static_cast<uint8_t>(e.cls));
    Put<uint8_t>(&raw, e.precise ? 1 : 0);
    Put<float>(&raw, e.loc_km);
    Put<int64_t>(&raw, e.gid);
    Put<uint32_t>(&raw, index.at(e.admin1));
  }
  std::string out;
  core::ZstdCompress(raw, &out, 3);
  return out;
}

core::Result<std::vector<ModelEvent>> DecodeCatalogue(std::string_view blob) {
  auto raw = core::ZstdDecompress(blob);
  if (!raw.ok()) return core::ParseError("snapshot catalogue: " + raw.status().message());
  Reader r(*raw);
  std::string magic;
  uint32_t n = 0, n_names = 0;
  if (!r.Bytes(kMagic.size(), &magic) || magic != kMagic)
    return core::ParseError("snapshot catalogue: not a version-1 catalogue (refit with vigil fit)");
  if (!r.Get(&n) || !r.Get(&n_names)) return core::ParseError("snapshot catalogue: truncated header");
  std::vector<std::string> names(n_names);
  for (auto& name : names) {
    uint16_t len = 0;
    if (!r.Get(&len) || !r.Bytes(len, &name)) return core::ParseError("snapshot catalogue: truncated names");
  }
  std::vector<ModelEvent> out(n);
  for (auto& e : out) {
    uint8_t cls = 0;
    uint8_t precise = 0;
    uint32_t name = 0;
    if (!r.Get(&e.t) || !r.Get(&e.lat) || !r.Get(&e.lon) || !r.Get(&cls) || !r.Get(&precise) || !r.Get(&e.loc_km) ||
        !r.Get(&e.gid) || !r.Get(&name) || name >= names.size() || cls > kOtherClass)
      return core::ParseError("snapshot catalogue: truncated or damaged events");
    e.cls = static_cast<int>(cls);
    e.precise = precise != 0;
    e.admin1 = names[name];
  }
  if (!r.Done()) return core::ParseError("snapshot catalogue: trailing bytes");
  return out;
}

}  // namespace vigil::model
