// vigil::analysis — signals analysts write about in prose, computed from the
// event store: coordinated waves, repeat targeting, diffusion and onsets,
// the drift of the activity centre, territorial control (docs/signals.md).
//
// Every function takes the events it needs as a span (callers query the
// store) and explicit dates; none reads the clock or the store.
//
// Thread-safety: functions are pure.
#pragma once

#include <string>

#include "core/event.h"

namespace vigil::analysis {

// ACLED's "political violence" event types: Battles, Explosions/Remote
// violence, Violence against civilians (protests, riots and strategic
// developments are not strikes).
bool IsPoliticalViolence(const core::Event& e);

// The grouping name of an event's actor1: its normalised name, or
// "unattributed" when the source names none or an unidentified group.
std::string ActorGroup(const core::Event& e);

// State forces: ACLED's "Military Forces of ...", "Police Forces of ...".
bool IsStateActor(const std::string& actor);

// Kilometres east and north of (lat0, lon0), equirectangular: exact enough
// for the few hundred km of a region (< 0.5% error at 600 km).
struct Km {
  double east = 0, north = 0;
};
Km ToKm(double lat, double lon, double lat0, double lon0);
double KmDistance(Km a, Km b);

// "2025-Q3".
std::string QuarterOf(core::Date d);

}  // namespace vigil::analysis
