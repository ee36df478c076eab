// vigil::report — the weekly briefs the server writes on its schedule
// (docs/sitrep.md, "Weekly briefs"): for each region of Mali that has
// events in the store, in English and in French, a brief on the last whole
// week (Monday to Sunday) before `today`, rendered as Markdown, HTML and PDF
// and kept in the SitrepStore. A brief already kept is not written again,
// so calling this every hour costs one lookup per region and language.
//
// Thread-safety: the stores are the caller's (one per thread).
#pragma once

#include "geo/reference.h"
#include "report/sitrep.h"
#include "report/sitrep_store.h"
#include "store/store.h"

namespace vigil::report {

struct WeeklyRun {
  core::Date from, to;  // the week briefed
  int written = 0;      // briefs written now (one per region and language)
  int kept = 0;         // already there
};

// The week (Monday to Sunday) that ended before `today`.
std::pair<core::Date, core::Date> LastWholeWeek(core::Date today);

// Writes the missing weekly briefs; `generated_at` (Unix seconds) is stamped
// on them and their generation date printed. Fails on the first brief that
// cannot be built or saved (those written before it stay).
core::Result<WeeklyRun> WriteWeeklyBriefs(store::EventStore* store, const geo::Reference& ref, const Phrases& p,
                                          SitrepStore* briefs, int64_t generated_at, const BriefSources& more = {});

}  // namespace vigil::report
