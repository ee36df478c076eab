// vigil::report — events as rows: the CSV and HXL columns shared by
// `vigil events --format csv|hxl` and `GET /api/v1/events?format=csv|hxl`,
// so a download from the dashboard and one from the command line agree.
//
// CSV: RFC 4180 (quoted when a field holds a comma, a quote or a line
// break; CRLF is not used: lines end with \n as the CLI always wrote).
// HXL: a header row, then the HXL hashtag row (hxlstandard.org, 1.1), then
// the data.
#pragma once

#include <string>
#include <vector>

#include "core/event.h"

namespace vigil::report {

const std::vector<std::string>& EventCsvHeader();
std::vector<std::string> EventCsvRow(const core::Event& e);

const std::vector<std::string>& EventHxlHeader();
const std::vector<std::string>& EventHxlTags();
std::vector<std::string> EventHxlRow(const core::Event& e);

// RFC 4180 quoting of one field.
std::string CsvField(const std::string& s);
// Appends the fields as one CSV line ending in \n.
void AppendCsvLine(std::string* out, const std::vector<std::string>& fields);

// A coordinate with at most 6 decimals and no trailing zeros.
std::string Coordinate(double v);

}  // namespace vigil::report
