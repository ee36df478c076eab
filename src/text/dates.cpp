#include "text/dates.h"

#include <algorithm>

#include "core/strings.h"

namespace vigil::text {

using core::Date;

namespace {

// "du 6 au 7 janvier", "between 27 and 31 March", "entre le 27 et le 31
// mars", "from 4 to 5 June", "the night of 4 to 5 June": a range of days is
// dated by its first. Returns the first day's token, or `day` when the day
// at `day` ends no range.
size_t RangeStart(const std::vector<Token>& t, size_t a, size_t day, const Lexicon& lex) {
  size_t k = day;
  if (k > a && t[k - 1].folded == "le") --k;
  if (k <= a) return day;
  const std::string& link = t[k - 1].folded;
  if (!lex.Cues("range_to").Has(link) && link != "and" && link != "et") return day;
  --k;
  if (k <= a || !TokenNumber(t[k - 1], 1, 31)) return day;
  const size_t first = k - 1;
  size_t o = first;
  if (o > a && t[o - 1].folded == "le") --o;
  return o > a && lex.Cues("range_open").Has(t[o - 1].folded) ? first : day;
}

}  // namespace

void FindStoryOffsets(const std::vector<Token>& t, size_t a, size_t b, const Date& told, const Lexicon& lex,
                      std::vector<DateMention>* out) {
  for (size_t i = a; i < b; ++i) {
    if (size_t n = lex.Cues("next_day").MatchAt(t, i, b)) {
      out->push_back({i, told + 1, "day", true});
      i += n - 1;
      continue;
    }
    if (size_t n = lex.Cues("previous_day").MatchAt(t, i, b)) {
      out->push_back({i, told - 1, "day", true});
      i += n - 1;
      continue;
    }
    // "two days later", "trois jours plus tôt".
    int64_t k = 0;
    if (!core::ParseInt64(t[i].text, &k)) k = lex.Number(t[i].folded);
    if (k <= 0 || k > 60 || i + 2 >= b || !lex.Cues("day_unit").Has(t[i + 1].folded)) continue;
    if (lex.Cues("later").MatchAt(t, i + 2, b) > 0)
      out->push_back({i, told + static_cast<int32_t>(k), "day", true});
    else if (lex.Cues("earlier").MatchAt(t, i + 2, b) > 0)
      out->push_back({i, told - static_cast<int32_t>(k), "day", true});
  }
}

void FindRelativeDates(const std::vector<Token>& t, size_t a, size_t b, const Date& ref, bool writing_date,
                       const Lexicon& lex, std::vector<DateMention>* out) {
  const CueSet& before = lex.Cues("day_before");
  const CueSet& same = lex.Cues("same_day");
  const CueSet& last_week = lex.Cues("last_week");
  // A relative day is a date word of this kind.
  auto is_day_word = [&](const std::string& w) { return lex.Weekday(w) >= 0 || before.Has(w) || same.Has(w); };
  for (size_t i = a; i < b; ++i) {
    const std::string& f = t[i].folded;
    // "la nuit de samedi à dimanche", "d'hier à aujourd'hui", "from Friday
    // to Saturday": the range is its first day.
    bool range_end = false;
    if (is_day_word(f) && i > a && lex.Cues("range_to").Has(t[i - 1].folded))
      for (size_t k = i > a + 3 ? i - 3 : a; k + 1 < i && !range_end; ++k) range_end = is_day_word(t[k].folded);
    if (range_end) continue;
    const int wd = lex.Weekday(f);
    if (wd >= 0) {
      // "lundi 18 mars": the written date says it all.
      if (i + 1 < b && TokenNumber(t[i + 1], 1, 31) > 0) continue;
      const int ref_wd = ((ref.days() % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
      out->push_back({i, ref - ((ref_wd - wd + 7) % 7), "day", true});
    } else if (!writing_date) {
      continue;
    } else if (before.Has(f)) {
      out->push_back({i, ref - 1, "day", true});
    } else if (same.Has(f)) {
      out->push_back({i, ref, "day", true});
    } else if (size_t n = last_week.MatchAt(t, i, b)) {
      auto m = Date::FromYmd((ref - 7).year(), (ref - 7).month(), 1);
      if (m.ok()) out->push_back({i, *m, "month", true});
      i += n - 1;
    }
  }
}

std::vector<DateMention> FindDates(const std::vector<Token>& t, size_t a, size_t b, int year, const Lexicon& lex) {
  std::vector<DateMention> out;
  auto num = [&](size_t i, int lo, int hi) { return i < b ? TokenNumber(t[i], lo, hi) : 0; };
  auto year_at = [&](size_t i) { return num(i, 1990, 2035); };
  auto add = [&](size_t at, int y, int m, int d) {
    if (y == 0) return;
    if (d == 0) {
      auto dt = Date::FromYmd(y, m, 1);
      if (dt.ok()) out.push_back({at, *dt, "month"});
      return;
    }
    auto dt = Date::FromYmd(y, m, d);
    if (dt.ok()) out.push_back({at, *dt, "day"});
  };
  for (size_t i = a; i < b; ++i) {
    // "mi-juin", "mid-June": one token, a part of a month.
    if (const size_t dash = t[i].folded.find_first_of("- "); dash != std::string::npos)
      if (const int m = lex.Month(t[i].folded.substr(dash + 1));
          m && lex.Cues("month_part").Has(t[i].folded.substr(0, dash)))
        add(i, year, m, 0);
    const int m = lex.Month(t[i].folded);
    if (!m || (!t[i].capitalised && t[i].folded == "may")) continue;
    // Month first: "July 1, 2025", "June 1 and 5", "January 6-7", "July 2025",
    // "Aug. 9, 2020".
    const size_t after = i + 1 < b && t[i + 1].text == "." ? i + 2 : i + 1;
    if (int d = num(after, 1, 31)) {
      std::vector<int> days{d};
      size_t j = after + 1;
      while (j + 1 < b && (t[j].folded == "and" || t[j].folded == "et" || t[j].text == "," || t[j].text == "-")) {
        if (int d2 = num(j + 1, 1, 31)) {
          if (t[j].text != "-") days.push_back(d2);
          j += 2;
        } else {
          break;
        }
      }
      // "January 6-7" tokenises as "6-7": handled by num failing; take "6".
      int y = 0;
      if (j < b && t[j].text == ",") y = year_at(j + 1);
      if (!y) y = year_at(j);
      for (int dd : days) add(i, y ? y : year, m, dd);
      continue;
    }
    // Day first: "1 July 2025", "1er juillet", "du 6 au 7 janvier".
    if (i > a) {
      int d = num(i - 1, 1, 31);
      if (!d && i > a && t[i - 1].text.find('-') != std::string::npos) {  // "6-7 January"
        int64_t v = 0;
        if (core::ParseInt64(t[i - 1].text.substr(0, t[i - 1].text.find('-')), &v) && v >= 1 && v <= 31)
          d = static_cast<int>(v);
      }
      if (d) {
        size_t first = i - 1;
        if (size_t from = RangeStart(t, a, i - 1, lex); from != i - 1) {
          d = num(from, 1, 31);
          first = from;
        }
        int y = year_at(i + 1);
        add(first, y ? y : year, m, d);
        continue;
      }
    }
    // Month and year: "September 2025", "juillet 2025".
    if (int y = year_at(i + 1)) {
      add(i, y, m, 0);
      continue;
    }
    // A part of a month: "early August", "at the end of April", "fin avril",
    // "mi-novembre" (tokenised "mi", "novembre"): month precision.
    if (lex.Cues("month_part").MatchEndingAt(t, a, i) > 0) add(i, year, m, 0);
  }
  // Month-first with a hyphenated range: "January 6-7".
  for (size_t i = a; i + 1 < b; ++i) {
    const int m = lex.Month(t[i].folded);
    if (!m || t[i + 1].text.find('-') == std::string::npos) continue;
    int64_t v = 0;
    if (core::ParseInt64(t[i + 1].text.substr(0, t[i + 1].text.find('-')), &v) && v >= 1 && v <= 31) {
      int y = i + 2 < b && t[i + 2].text == "," ? year_at(i + 3) : 0;
      add(i, y ? y : year, m, static_cast<int>(v));
    }
  }
  // New Year's Day ("on New Year's Day", "le jour de l'an").
  for (size_t i = a; i < b; ++i)
    if (lex.Cues("new_year").MatchAt(t, i, b)) add(i, year, 1, 1);
  // Numeric dates: ISO "2025-04-03" (one token) and day first "12/02/2020"
  // (French and British order; tokens 12 / 02 / 2020).
  for (size_t i = a; i < b; ++i) {
    const std::string& w = t[i].text;
    if (w.size() == 10 && w[4] == '-' && w[7] == '-') {
      auto dt = Date::Parse(w);
      if (dt.ok()) out.push_back({i, *dt, "day"});
      continue;
    }
    // Day first with slashes or dots: "20/11/2023", "25.09.2020".
    if (i + 4 < b &&
        ((t[i + 1].text == "/" && t[i + 3].text == "/") || (t[i + 1].text == "." && t[i + 3].text == "."))) {
      const int d = num(i, 1, 31), m = num(i + 2, 1, 12), y = year_at(i + 4);
      if (d && m && y) add(i, y, m, d);
    }
  }
  std::sort(out.begin(), out.end(), [](const DateMention& x, const DateMention& y) { return x.token < y.token; });
  return out;
}

int DocumentYear(const std::vector<Token>& t) {
  int best = 0;
  for (const auto& tok : t) {
    int64_t v = 0;
    if (tok.number && tok.text.size() == 4 && core::ParseInt64(tok.text, &v) && v >= 1990 && v <= 2035)
      best = std::max(best, static_cast<int>(v));
  }
  return best;
}

}  // namespace vigil::text
