// vigil::report — situation reports: a short brief on one area and period,
// written from the store in English or French (docs/sitrep.md).
//
// BuildSitrep gathers the figures (headline counts against the previous
// period and the same period a year before, key events, the signals of
// signals.h, the forecast outlook from the latest model snapshot, the
// weekly counts and the events for the map); ComposeSitrep writes them as a
// document with the sentences of data/report/sitrep.tsv, which doc.h,
// html.h and pdf.h render as Markdown, HTML or PDF.
// A section with nothing to show says so rather than disappear.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "geo/reference.h"
#include "report/doc.h"
#include "report/figures.h"
#include "report/render.h"
#include "report/signals.h"
#include "store/store.h"

namespace vigil::alert {
class AlertStore;
}
namespace vigil::model {
class SiteStore;
}

namespace vigil::report {

struct PeriodCount {
  int64_t events = 0, fatalities = 0, known = 0;
};

struct OutlookRow {
  std::string unit;  // cercle
  double p_any = 0, expected = 0;
  double p10 = -1, p90 = -1;  // the count's 80 % range (Monte Carlo); -1 when absent
  int64_t observed = 0;       // events in the 30 days before the snapshot's date
};

// The model's momentum (self-excitation) from the latest snapshot.
struct Momentum {
  bool known = false;         // false without a snapshot
  double branching = 0;       // direct follow-on events per event, whole window
  double half_life_days = 0;  // of the triggering
  double scale_km = 0;        // spatial scale of the triggering
  bool area_known = false;    // the area's own figure (regions only)
  double area_offspring = 0;  // follow-on events per event of the area
  double area_triggered = 0;  // share of the area's events read as follow-ons
  int64_t area_events = 0;
  bool caution = false;  // on a bound, not converged, or thin
};

// An early-warning alert (src/alert) in the area during the period or still
// open at its end; no coordinates and no reporter, only what a responder
// reads in the inbox.
struct BriefAlert {
  std::string reference, severity, state, headline_en, headline_fr;
  core::Date raised;
};

struct Sitrep {
  Signals signals;  // area, period and the signals
  core::Date data_until;
  bool simulated = false;
  PeriodCount now, previous, year_before;
  std::map<std::string, int64_t> by_type;
  std::vector<core::Event> key_events;  // most severe first, at most 8
  std::vector<std::string> sources;     // distinct source names of the period's events
  std::vector<OutlookRow> outlook;      // highest first, at most 6; empty without a snapshot
  std::vector<OutlookRow> rises;        // expected minus observed, largest first, at most 3 (> 0 only)
  int64_t snapshot_id = 0;
  core::Date snapshot_as_of;
  // For the figures (map.h, chart.h):
  std::vector<TrendWeek> weekly;               // oldest first, the last ending on the period's last day
  std::vector<MapPoint> map_events;            // the period's events with coordinates
  std::map<std::string, double> cercle_p_any;  // every forecast cercle's P(>= 1 event in 30 days)
  std::vector<MapRoad> roads;                  // road segments with their corridors' worst status
  struct CorridorCut {
    std::string name_en, name_fr, state;  // "disrupted" or "blockaded"
  };
  std::vector<CorridorCut> corridors_cut;  // named corridors not open the day after the period
  Momentum momentum;
  std::vector<BriefAlert> alerts;  // newest first, at most 10
  bool alerts_read = false;        // false when the database has no alert tables
  std::vector<MapSite> sites;      // watched sites in the area (vigil site), for the map
};

// What a brief reads beside the events; each may be null (the alerts
// section then says they were not read; the map shows no sites).
struct BriefSources {
  alert::AlertStore* alerts = nullptr;
  model::SiteStore* sites = nullptr;
};

core::Result<Sitrep> BuildSitrep(store::EventStore* store, const geo::Reference& ref, const SignalRequest& req,
                                 const BriefSources& more = {});

// The sentence table; kNotFound / kInvalidArgument naming the file and line.
struct Phrases {
  std::map<std::string, std::pair<std::string, std::string>> by_key;  // key -> (en, fr)
};
core::Result<Phrases> LoadPhrases(const std::string& path);

// "1 July 2025" / "1er juillet 2025".
std::string LongDate(core::Date d, const std::string& lang);

// The brief as a document (doc.h) in `lang`, its sentences from `p`;
// `generated` is the generation date printed in it. The renderers of
// doc.h, html.h and pdf.h write it out.
Doc ComposeSitrep(const Sitrep& s, const Phrases& p, const std::string& lang, core::Date generated);

// The map and the trend chart of a brief, in `lang`.
Figures SitrepFigures(const Sitrep& s, const geo::Reference& ref, const Phrases& p, const std::string& lang);

// The title, footer and page numbering of the HTML and PDF briefs (render.h).
PageSetup SitrepPage(const Sitrep& s, const Phrases& p, const std::string& lang, core::Date generated);

// RenderMarkdown(ComposeSitrep(...)).
std::string RenderMarkdown(const Sitrep& s, const Phrases& p, const std::string& lang, core::Date generated);

}  // namespace vigil::report
