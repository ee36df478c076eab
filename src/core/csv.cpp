#include "core/csv.h"

#include <cerrno>
#include <cstring>

#include "core/strings.h"

namespace vigil::core {

namespace {
constexpr size_t kChunk = 4 << 20;
// No real record comes near this; an unbalanced quote would otherwise make
// one record of the rest of the file.
constexpr size_t kMaxRecordBytes = 8 << 20;

// Classic Mac files end lines with CR alone: true when the sample has CRs
// and no LF at all.
bool CrOnlyLineEnds(std::string_view sample) {
  return sample.find('\n') == std::string_view::npos && sample.find('\r') != std::string_view::npos;
}
}  // namespace

CsvReader::~CsvReader() {
  if (file_) std::fclose(file_);
}

CsvReader::CsvReader(CsvReader&& o) noexcept
    : file_(o.file_),
      buf_(std::move(o.buf_)),
      pos_(o.pos_),
      end_(o.end_),
      eof_(o.eof_),
      started_(o.started_),
      looks_binary_(o.looks_binary_),
      eol_(o.eol_),
      line_(o.line_),
      next_line_(o.next_line_),
      consumed_(o.consumed_) {
  o.file_ = nullptr;
}

Result<CsvReader> CsvReader::Open(const std::string& path) {
  CsvReader r;
  r.file_ = std::fopen(path.c_str(), "rb");
  if (!r.file_) {
    const int err = errno;
    if (err == ENOENT) return NotFound("file not found: " + path);
    return IoError("cannot open " + path + ": " + std::strerror(err));
  }
  r.buf_.resize(kChunk);
  return r;
}

CsvReader CsvReader::FromString(std::string data) {
  CsvReader r;
  r.buf_ = std::move(data);
  r.end_ = r.buf_.size();
  r.eof_ = true;
  return r;
}

Status CsvReader::Fill() {
  if (eof_ || !file_) {
    eof_ = true;
    return Status::Ok();
  }
  // Move the unread tail to the front; grow if a single record fills it.
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  const size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
  if (n == 0) {
    if (std::ferror(file_)) return IoError(std::string("read error: ") + std::strerror(errno));
    eof_ = true;
  }
  end_ += n;
  return Status::Ok();
}

Result<bool> CsvReader::Next() {
  fields_.clear();
  unescaped_.clear();
  if (!started_) {
    started_ = true;
    if (end_ < 4096 && !eof_) VIGIL_RETURN_IF_ERROR(Fill());
    if (end_ - pos_ >= 3 && std::memcmp(buf_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) {
      pos_ += 3;
      consumed_ += 3;
    }
    const std::string_view sample(buf_.data() + pos_, std::min<size_t>(end_ - pos_, 4096));
    looks_binary_ = LooksBinary(sample);
    if (CrOnlyLineEnds(sample)) eol_ = '\r';
  }
  while (true) {
    // Find the end of the record: a newline outside quotes.
    const char* base = buf_.data();
    size_t i = pos_;
    bool in_quotes = false;
    int64_t newlines = 0;
    bool found = false;
    while (i < end_) {
      if (!in_quotes) {
        const void* nl = std::memchr(base + i, eol_, end_ - i);
        const size_t stop = nl ? static_cast<size_t>(static_cast<const char*>(nl) - base) : end_;
        // Only a quote that starts a field opens a quoted field; one inside
        // an unquoted field is an ordinary character (as Split reads it).
        const void* q = nullptr;
        for (size_t j = i; j < stop;) {
          q = std::memchr(base + j, '"', stop - j);
          if (!q) break;
          const size_t qi = static_cast<size_t>(static_cast<const char*>(q) - base);
          if (qi == pos_ || base[qi - 1] == ',') break;
          q = nullptr;
          j = qi + 1;
        }
        if (!q) {
          i = stop;
          if (nl) {
            found = true;
          }
          break;
        }
        i = static_cast<size_t>(static_cast<const char*>(q) - base) + 1;
        in_quotes = true;
      } else {
        const void* q = std::memchr(base + i, '"', end_ - i);
        if (!q) {
          i = end_;
          break;
        }
        const size_t qi = static_cast<size_t>(static_cast<const char*>(q) - base);
        for (size_t k = i; k < qi; ++k) newlines += base[k] == eol_;
        if (qi + 1 < end_ && base[qi + 1] == '"') {
          i = qi + 2;
          continue;
        }
        if (qi + 1 >= end_ && !eof_) {
          i = end_;
          break;
        }  // need more input to decide
        i = qi + 1;
        in_quotes = false;
      }
    }
    if (!found && !eof_) {
      if (end_ - pos_ > kMaxRecordBytes)
        return ParseError("the record starting at line " + std::to_string(next_line_) + " runs past " +
                          std::to_string(kMaxRecordBytes >> 20) +
                          " MiB: a quoted field probably never closes (an unbalanced '\"'); fix that quote and "
                          "import again");
      VIGIL_RETURN_IF_ERROR(Fill());
      continue;
    }
    if (pos_ >= end_) return false;
    if (in_quotes)
      return ParseError("unterminated quoted field in the record starting at line " + std::to_string(next_line_) +
                        " (the file may be truncated)");
    size_t rec_end = i;  // at '\n' or end_
    std::string_view rec(base + pos_, rec_end - pos_);
    const size_t advance = rec_end - pos_ + (rec_end < end_ ? 1 : 0);
    if (eol_ == '\n' && !rec.empty() && rec.back() == '\r') rec.remove_suffix(1);
    line_ = next_line_;
    next_line_ += 1 + newlines;
    pos_ += advance;
    consumed_ += static_cast<int64_t>(advance);
    raw_ = rec;
    Split(rec);
    return true;
  }
}

void CsvReader::Split(std::string_view rec) {
  size_t i = 0;
  const size_t n = rec.size();
  while (true) {
    if (i < n && rec[i] == '"') {
      // Quoted field.
      size_t j = i + 1;
      bool escaped = false;
      while (j < n) {
        if (rec[j] == '"') {
          if (j + 1 < n && rec[j + 1] == '"') {
            escaped = true;
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      std::string_view inner = rec.substr(i + 1, j - i - 1);
      if (escaped) {
        std::string s;
        s.reserve(inner.size());
        for (size_t k = 0; k < inner.size(); ++k) {
          s += inner[k];
          if (inner[k] == '"' && k + 1 < inner.size() && inner[k + 1] == '"') ++k;
        }
        unescaped_.push_back(std::move(s));
        inner = unescaped_.back();
      }
      // Anything between the closing quote and the next comma is kept
      // verbatim (lenient with malformed exports).
      size_t k = j + 1;
      const size_t comma = rec.find(',', std::min(k, n));
      if (comma != std::string_view::npos && comma > k && k <= n) {
        std::string s(inner);
        s += rec.substr(k, comma - k);
        unescaped_.push_back(std::move(s));
        inner = unescaped_.back();
      }
      fields_.push_back(inner);
      if (comma == std::string_view::npos) return;
      i = comma + 1;
    } else {
      const size_t comma = rec.find(',', i);
      if (comma == std::string_view::npos) {
        fields_.push_back(rec.substr(std::min(i, n)));
        return;
      }
      fields_.push_back(rec.substr(i, comma - i));
      i = comma + 1;
    }
  }
}

}  // namespace vigil::core
