// vigil::core — a streaming RFC 4180 CSV reader.
//
// Reads a file in 4 MiB chunks (memory stays flat whatever the file size),
// strips a UTF-8 byte-order mark, accepts LF, CRLF and CR-only line ends
// (detected from the first 4 KiB), quoted fields with embedded commas,
// quotes ("") and newlines. A quote opens a quoted field only at the start
// of a field; inside an unquoted field it is an ordinary character, so a
// stray quote never swallows the rows after it. Each record keeps the line it
// starts on and its raw text (for provenance and error messages).
//
// Thread-safety: one reader per thread. Field views stay valid until the
// next call to Next().
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::core {

class CsvReader {
 public:
  ~CsvReader();
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) = delete;
  CsvReader(const CsvReader&) = delete;

  // Fails with kNotFound / kIo when the file cannot be opened.
  static Result<CsvReader> Open(const std::string& path);
  static CsvReader FromString(std::string data);

  // Reads the next record. Returns false at end of input. Fails with kParse
  // on a quoted field that never closes (a truncated file, or a record past
  // 8 MiB: memory stays bounded) and kIo on a read error.
  Result<bool> Next();

  const std::vector<std::string_view>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  std::string_view operator[](size_t i) const { return i < fields_.size() ? fields_[i] : std::string_view(); }
  // 1-based line number on which the current record starts.
  int64_t line() const { return line_; }
  // The current record as it appears in the file, without the line ending.
  std::string_view raw() const { return raw_; }
  // Bytes consumed so far (for progress bars).
  int64_t bytes_consumed() const { return consumed_; }
  // True if the first bytes of the input contain NUL or many control bytes.
  bool looks_binary() const { return looks_binary_; }

 private:
  CsvReader() = default;
  Status Fill();  // reads more input, keeping buf_[pos_..]
  void Split(std::string_view rec);

  std::FILE* file_ = nullptr;
  std::string buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool started_ = false;
  bool looks_binary_ = false;
  char eol_ = '\n';  // '\r' for CR-only files
  int64_t line_ = 0, next_line_ = 1, consumed_ = 0;
  std::string_view raw_;
  std::vector<std::string_view> fields_;
  std::deque<std::string> unescaped_;
};

}  // namespace vigil::core
