// vigil::geo — which events touch which roads, and each corridor's status:
// open, disrupted or blockaded, with a confidence and the evidence.
//
// An event touches an edge when its point lies within the corridor buffer
// (default 10 km, distance to the straight hop through Boost.Geometry in a
// local kilometre projection) and it is placed at least near a town
// (geo_precision 1 or 2), or when its location or notes name a corridor (an
// alias of data/roads/corridors.csv or a route id), whatever its precision.
// A declared blockade (tag `blockade`) of a town touches every hop into it.
//
// Status as of D (docs/corridors.md gives the rules and their false-alarm
// rate, measured):
//   blockaded — a blockade declared on the corridor in [D - hold, D), or
//               at least `road_blockaded` incidents on the road itself in the
//               last `window_days`;
//   disrupted — an on-road incident in the window, or a sustained excess of
//               political violence on the corridor: n >= min_excess events on
//               at least two days in the window and P(N >= n) < alpha under
//               a Poisson count at the corridor's own baseline rate over the
//               year before the window;
//   open      — otherwise.
//
// Thread-safety: pure functions; the lexicon is immutable after Load().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/event.h"
#include "core/status.h"
#include "geo/roads.h"

namespace vigil::geo {

// What makes an event an incident on the road itself (data/lexicon/
// road_incidents.tsv): convoys, trucks, tankers, drivers, checkpoints,
// ambushes, IEDs, in English and French.
class RoadIncidentLexicon {
 public:
  static core::Result<RoadIncidentLexicon> Load(const std::string& data_dir);
  static RoadIncidentLexicon FromLines(const std::string& tsv);  // tests
  bool IsRoadIncident(const core::Event& e) const;

 private:
  std::vector<std::string> sub_event_types_;
  std::vector<std::string> phrases_;  // folded, padded with spaces
};

struct CorridorConfig {
  double buffer_km = 10;         // an event this close to a hop touches it
  double town_km = 15;           // a town's blockade: the event within this of the node
  int window_days = 30;          // recent incidents
  int baseline_days = 365;       // the corridor's own baseline, before the window
  int blockade_hold_days = 120;  // a declared blockade holds this long
  double alpha = 0.001;          // the excess test's level
  int min_excess = 3;            // and its minimum count
  int road_blockaded = 3;        // on-road incidents in the window that make a de facto blockade
};

// One event touching one edge.
struct RoadHit {
  uint32_t event = 0;  // index into the events given
  uint32_t edge = 0;
  double distance_km = 0;  // to the hop (0 when matched by name)
  bool road_incident = false;
  bool blockade = false;
  bool by_name = false;
};

// Every (event, edge) pair that touches, sorted by event then edge.
std::vector<RoadHit> MatchEventsToRoads(const RoadNetwork& net, const std::vector<core::Event>& events,
                                        const RoadIncidentLexicon& lexicon, const CorridorConfig& config);

// Distance in km from a point to an edge (its shape, else the straight hop).
double DistanceToEdgeKm(const RoadNetwork& net, uint32_t edge, double lat, double lon);

// Political violence as the forecasts count it: Battles, Explosions/Remote
// violence, Violence against civilians.
bool IsPoliticalViolence(const core::Event& e);

enum class CorridorState { kOpen, kDisrupted, kBlockaded };
const char* CorridorStateName(CorridorState s);

struct CorridorEvidence {
  uint32_t event = 0;  // index into the events given
  std::string why;     // "declared blockade", "on-road incident", "in the excess"
};

struct CorridorStatus {
  const Corridor* corridor = nullptr;
  CorridorState state = CorridorState::kOpen;
  double confidence = 0;
  std::string reason_en, reason_fr;
  int incidents = 0;                       // political violence touching it in the window
  double baseline = 0;                     // expected in the window at its baseline rate
  double p_value = 1;                      // P(N >= incidents) at the baseline
  int road_incidents = 0;                  // on the road itself, in the window
  int blockade_reports = 0;                // declared blockades in force
  std::vector<CorridorEvidence> evidence;  // newest first
};

// The status of every corridor (named ones first, then routes) as of D.
// Only events with date_start < D count.
std::vector<CorridorStatus> AssessCorridors(const RoadNetwork& net, const std::vector<core::Event>& events,
                                            const std::vector<RoadHit>& hits, core::Date as_of,
                                            const CorridorConfig& config);

// P(N >= n) for N ~ Poisson(lambda).
double PoissonUpperTail(int n, double lambda);

}  // namespace vigil::geo
