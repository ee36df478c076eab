// vigil::report — the brief's figures, drawn with cairo on any surface: the
// PDF's pages (vector) and SVG for the HTML brief, from one drawing code.
//
// A map of the area: neighbouring countries and regions for context, the
// area's cercles shaded by the forecast's fixed probability classes (the
// dashboard's: 0–5–10–25–50–75–100 %, ColorBrewer YlOrRd) or hatched grey
// as "no forecast", road corridors coloured by status, the period's events
// as dots by ACLED type, the largest towns labelled, a scale bar and a
// legend. A weekly trend chart: bars per week with the brief's period
// shaded.
//
// Thread-safety: pure functions of their inputs; a cairo_t is not shared.
#pragma once

#include <cairo.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "geo/geojson.h"

namespace vigil::report {

// A figure as the renderers see it: a size in points and how to draw it
// into a box of that size whose top-left corner is the origin.
struct Figure {
  double width_pt = 0, height_pt = 0;
  std::function<void(cairo_t*)> draw;
};
using Figures = std::map<std::string, Figure>;

// The words the figures print, in the brief's language.
struct FigureText {
  std::string legend_forecast, legend_no_forecast, legend_events, axis_events_week, legend_sites;
  std::map<std::string, std::string> event_types;  // ACLED type -> shown name
  std::vector<std::string> corridor_states;        // open, disrupted, blockaded
  bool fr = false;                                 // decimal comma
};

struct MapUnit {
  const geo::PolygonFeature* polygon = nullptr;
  std::optional<double> p_any;  // nullopt: no forecast here
};

struct MapRoad {
  double lat0 = 0, lon0 = 0, lat1 = 0, lon1 = 0;
  int state = 0;  // 0 open, 1 disrupted, 2 blockaded
};

struct MapPoint {
  double lat = 0, lon = 0;
  std::string event_type;
};

struct MapSite {
  double lat = 0, lon = 0;
  std::string name;
};

struct MapLabel {
  double lat = 0, lon = 0;
  std::string text;
  int rank = 0;  // 0 the largest; labels are placed in rank order, none overlapping
};

struct MapLayers {
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;  // the view
  std::vector<const geo::PolygonFeature*> countries;          // context, outlines
  std::vector<const geo::PolygonFeature*> regions;            // admin1 outlines
  std::vector<MapUnit> units;                                 // the area's cercles
  std::vector<MapRoad> roads;
  std::vector<MapPoint> events;
  std::vector<MapLabel> towns;
  std::vector<MapSite> sites;  // watched sites: triangles with their names
};

// The forecast class of a probability: 0..5 for 0–5, 5–10, 10–25, 25–50,
// 50–75, 75–100 %.
int ForecastClass(double p_any);

// Draws the map into [0, width] x [0, height] points.
void DrawMap(cairo_t* cr, double width, double height, const MapLayers& m, const FigureText& t);

// Draws events per week; weeks in [from, to] are shaded.
struct TrendWeek {
  core::Date start;
  int64_t events = 0;
};
void DrawTrend(cairo_t* cr, double width, double height, const std::vector<TrendWeek>& weeks, core::Date from,
               core::Date to, const FigureText& t);

}  // namespace vigil::report
