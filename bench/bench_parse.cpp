// Parsing alone: pass 1 reads the file with the CSV reader only; pass 2
// reads an ACLED-format CSV with vigil's CSV reader and
// converts every row with the ACLED adapter (dates, numbers, actors), no
// database. Prints MB/s and rows/s.
//
// usage: bench_parse FILE.csv
#include <chrono>
#include <cstdio>

#include "core/csv.h"
#include "ingest/adapter.h"

// Pass 1: the CSV reader alone (records and fields).
static int CsvOnly(const char* path) {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = vigil::core::CsvReader::Open(path);
  if (!r.ok()) return 1;
  long rows = 0, fields = 0;
  while (true) {
    auto next = r->Next();
    if (!next.ok() || !*next) break;
    ++rows;
    fields += static_cast<long>(r->size());
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double mb = static_cast<double>(r->bytes_consumed()) / 1e6;
  std::printf("parse (CSV reader): %ld records, %ld fields, %.1f MB in %.3f s = %.1f MB/s\n", rows, fields, mb, s,
              mb / s);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_parse FILE.csv\n");
    return 2;
  }
  if (CsvOnly(argv[1]) != 0) return 1;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = vigil::core::CsvReader::Open(argv[1]);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().message().c_str());
    return 1;
  }
  auto adapter = vigil::ingest::MakeAcledAdapter();
  if (!*r->Next() || !adapter->SetHeader(r->fields()).ok()) return 1;
  long rows = 0, bad = 0;
  while (true) {
    auto next = r->Next();
    if (!next.ok() || !*next) break;
    ++rows;
    if (!adapter->Convert(r->fields()).ok()) ++bad;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double mb = static_cast<double>(r->bytes_consumed()) / 1e6;
  std::printf("parse+convert: %ld rows (%ld bad), %.1f MB in %.3f s = %.1f MB/s, %.0f rows/s\n", rows, bad, mb, s,
              mb / s, rows / s);
  return 0;
}
