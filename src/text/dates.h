// vigil::text — pass 2 of the extractor: date expressions and the
// document's time anchor.
//
// Absolute dates: "July 1, 2025", "1 July 2025", "1er juillet", "June 1 and
// 5", "January 6-7", "la nuit du 6 au 7 janvier", "Aug. 9, 2020",
// "2025-04-03", "12/02/2020", "25.09.2020", "September 2025", month parts
// ("early August", "fin avril": month precision). Relative dates resolve
// against an anchor: weekdays (the latest such day on or before it),
// yesterday/hier, today/aujourd'hui, last week (month precision).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "text/lexicon.h"
#include "text/tokens.h"

namespace vigil::text {

struct DateMention {
  size_t token = 0;  // where it starts
  core::Date date;
  std::string precision;  // day, month
  bool relative = false;  // resolved against an anchor
};

// Absolute dates in tokens [a, b), sorted by position. Missing years come
// from `year` (0: unknown -> such dates are skipped).
std::vector<DateMention> FindDates(const std::vector<Token>& t, size_t a, size_t b, int year, const Lexicon& lex);

// Relative dates in tokens [a, b) against `anchor`, appended to *out.
// "yesterday", "today" and "last week" count from the date of writing: they
// are read only when `anchor` is that date (a dateline), not a date the
// text wrote out (then only weekdays resolve against it).
void FindRelativeDates(const std::vector<Token>& t, size_t a, size_t b, const core::Date& anchor,
                       bool anchor_is_writing_date, const Lexicon& lex, std::vector<DateMention>* out);

// Days counted from the last day the text told (`told`), appended to *out:
// "the following day", "le lendemain", "the day before", "la veille", "two
// days later", "trois jours plus tôt".
void FindStoryOffsets(const std::vector<Token>& t, size_t a, size_t b, const core::Date& told, const Lexicon& lex,
                      std::vector<DateMention>* out);

// The document's year: the latest plausible year written in it (reports
// name older years as background; their own year is the newest).
int DocumentYear(const std::vector<Token>& t);

}  // namespace vigil::text
