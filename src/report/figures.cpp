#include "report/figures.h"

#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::report {

namespace {

struct Rgb {
  double r, g, b;
};

constexpr Rgb Hex(unsigned v) { return {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0}; }

// The dashboard's colours (web/app.js), so a brief and the map agree.
constexpr double kBreaks[] = {0, 5, 10, 25, 50, 75, 100};
constexpr Rgb kClassColours[] = {Hex(0xffffb2), Hex(0xfed976), Hex(0xfeb24c),
                                 Hex(0xfd8d3c), Hex(0xf03b20), Hex(0xbd0026)};
constexpr const char* kTypes[] = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
                                  "Riots",   "Strategic developments"};
constexpr Rgb kTypeColours[] = {Hex(0xc0392b), Hex(0xe67e22), Hex(0x8e44ad),
                                Hex(0x2e86c1), Hex(0xb7950b), Hex(0x707b7c)};
constexpr Rgb kRoadColours[] = {Hex(0x27ae60), Hex(0xe67e22), Hex(0xc0392b)};
constexpr Rgb kInk = Hex(0x1f2d3a);
constexpr double kLegendHeight = 70;

void SetColour(cairo_t* cr, Rgb c, double alpha = 1) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }

Rgb TypeColour(const std::string& type) {
  for (size_t i = 0; i < std::size(kTypes); ++i)
    if (type == kTypes[i]) return kTypeColours[i];
  return kTypeColours[5];
}

// Text at (x, y) (its top-left corner unless `centre`), in DejaVu Sans;
// returns its size in points.
std::pair<double, double> Text(cairo_t* cr, double x, double y, const std::string& s, double size, bool bold = false,
                               bool centre = false) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, "DejaVu Sans");
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_layout_set_text(layout, s.c_str(), -1);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  const double tw = static_cast<double>(w) / PANGO_SCALE, th = static_cast<double>(h) / PANGO_SCALE;
  SetColour(cr, kInk);
  cairo_move_to(cr, centre ? x - tw / 2 : x, centre ? y - th / 2 : y);
  pango_cairo_show_layout(cr, layout);
  cairo_new_path(cr);
  pango_font_description_free(font);
  g_object_unref(layout);
  return {tw, th};
}

std::string Percent(double v, bool fr) { return std::to_string(static_cast<int>(v)) + (fr ? "\u00a0%" : "%"); }

// Equirectangular projection of the view into a box, north up, with the
// east-west scale of the view's middle latitude.
class Projection {
 public:
  Projection(const MapLayers& m, double x0, double y0, double w, double h) : m_(m) {
    kx_ = std::cos((m.min_lat + m.max_lat) / 2 * M_PI / 180);
    const double dlon = std::max(1e-6, (m.max_lon - m.min_lon) * kx_), dlat = std::max(1e-6, m.max_lat - m.min_lat);
    k_ = std::min(w / dlon, h / dlat);
    ox_ = x0 + (w - dlon * k_) / 2;
    oy_ = y0 + (h - dlat * k_) / 2;
  }
  double X(double lon) const { return ox_ + (lon - m_.min_lon) * kx_ * k_; }
  double Y(double lat) const { return oy_ + (m_.max_lat - lat) * k_; }
  double PointsPerKm() const { return k_ / 111.32; }

 private:
  const MapLayers& m_;
  double kx_ = 1, k_ = 1, ox_ = 0, oy_ = 0;
};

// A ring's vertices closer than `tolerance` points (Manhattan) to the last
// one drawn are skipped: the same outline at print size, far fewer bytes in
// the PDF and the SVG.
void PolygonPath(cairo_t* cr, const Projection& p, const geo::PolygonFeature& f, double tolerance = 0.6) {
  for (const auto& ring : f.rings) {
    if (ring.empty()) continue;
    double lx = p.X(ring[0].lon), ly = p.Y(ring[0].lat);
    cairo_move_to(cr, lx, ly);
    for (size_t i = 1; i < ring.size(); ++i) {
      const double x = p.X(ring[i].lon), y = p.Y(ring[i].lat);
      if (std::abs(x - lx) + std::abs(y - ly) < tolerance && i + 1 < ring.size()) continue;
      cairo_line_to(cr, x, y);
      lx = x, ly = y;
    }
    cairo_close_path(cr);
  }
}

void Hatch(cairo_t* cr, double w, double h) {
  cairo_save(cr);
  cairo_clip(cr);
  SetColour(cr, Hex(0x95a5a6), 0.7);
  cairo_set_line_width(cr, 0.5);
  for (double d = -h; d < w; d += 6) {
    cairo_move_to(cr, d, h);
    cairo_line_to(cr, d + h, 0);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

void DrawUnits(cairo_t* cr, const Projection& p, const MapLayers& m, double w, double h) {
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  for (const auto& u : m.units) {
    PolygonPath(cr, p, *u.polygon);
    if (u.p_any) {
      SetColour(cr, kClassColours[ForecastClass(*u.p_any)], 0.85);
      cairo_fill_preserve(cr);
    } else {
      SetColour(cr, Hex(0xecf0f1));
      cairo_fill_preserve(cr);
      Hatch(cr, w, h);
      PolygonPath(cr, p, *u.polygon);
    }
    SetColour(cr, Hex(0x7b241c), 0.6);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
  }
}

void DrawOutlines(cairo_t* cr, const Projection& p, const std::vector<const geo::PolygonFeature*>& fs, double width,
                  Rgb colour) {
  for (const auto* f : fs) PolygonPath(cr, p, *f, 1.2);
  SetColour(cr, colour);
  cairo_set_line_width(cr, width);
  cairo_stroke(cr);
}

void DrawRoads(cairo_t* cr, const Projection& p, const MapLayers& m) {
  for (int state = 0; state < 3; ++state) {
    for (const auto& r : m.roads)
      if (r.state == state) {
        cairo_move_to(cr, p.X(r.lon0), p.Y(r.lat0));
        cairo_line_to(cr, p.X(r.lon1), p.Y(r.lat1));
      }
    SetColour(cr, kRoadColours[state]);
    cairo_set_line_width(cr, state == 0 ? 1.0 : 2.2);
    cairo_stroke(cr);
  }
}

void DrawEvents(cairo_t* cr, const Projection& p, const MapLayers& m) {
  for (const auto& e : m.events) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, p.X(e.lon), p.Y(e.lat), 2.4, 0, 2 * M_PI);
    SetColour(cr, TypeColour(e.event_type), 0.85);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
  }
}

// Town labels, largest first, none overlapping another or leaving the map.
void DrawTowns(cairo_t* cr, const Projection& p, const MapLayers& m, double w, double h) {
  std::vector<std::array<double, 4>> taken;
  std::vector<MapLabel> towns = m.towns;
  std::stable_sort(towns.begin(), towns.end(), [](const MapLabel& a, const MapLabel& b) { return a.rank < b.rank; });
  for (const auto& t : towns) {
    const double x = p.X(t.lon), y = p.Y(t.lat);
    const double tw = 5.2 * static_cast<double>(t.text.size()), th = 9;
    const std::array<double, 4> box = {x + 3, y - th, x + 3 + tw, y + 1};
    if (box[0] < 0 || box[2] > w || box[1] < 0 || box[3] > h) continue;
    bool clash = false;
    for (const auto& b : taken) clash = clash || !(box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3]);
    if (clash) continue;
    taken.push_back(box);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, 1.6, 0, 2 * M_PI);
    SetColour(cr, kInk);
    cairo_fill(cr);
    Text(cr, x + 3, y - th, t.text, 7.5);
  }
}

void DrawSites(cairo_t* cr, const Projection& p, const MapLayers& m) {
  for (const auto& s : m.sites) {
    const double x = p.X(s.lon), y = p.Y(s.lat);
    cairo_new_path(cr);
    cairo_move_to(cr, x, y - 5);
    cairo_line_to(cr, x + 4.5, y + 3);
    cairo_line_to(cr, x - 4.5, y + 3);
    cairo_close_path(cr);
    SetColour(cr, Hex(0x117a65));
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    Text(cr, x + 5, y - 1, s.name, 7, true);
  }
}

void ScaleBar(cairo_t* cr, const Projection& p, double x, double y, double max_w) {
  double km = 1000;
  for (double k : {500.0, 200.0, 100.0, 50.0, 20.0, 10.0, 5.0})
    if (k * p.PointsPerKm() <= max_w) {
      km = k;
      break;
    }
  const double len = km * p.PointsPerKm();
  SetColour(cr, kInk);
  cairo_set_line_width(cr, 1);
  cairo_move_to(cr, x, y - 3);
  cairo_line_to(cr, x, y);
  cairo_line_to(cr, x + len, y);
  cairo_line_to(cr, x + len, y - 3);
  cairo_stroke(cr);
  char b[32];
  std::snprintf(b, sizeof b, "%.0f km", km);
  Text(cr, x + len + 4, y - 8, b, 7.5);
}

void Swatch(cairo_t* cr, double x, double y, Rgb c) {
  cairo_rectangle(cr, x, y, 14, 9);
  SetColour(cr, c, 0.85);
  cairo_fill_preserve(cr);
  SetColour(cr, Hex(0x7b241c), 0.6);
  cairo_set_line_width(cr, 0.4);
  cairo_stroke(cr);
}

// Legend entries flow left to right and wrap at the figure's width.
class LegendFlow {
 public:
  LegendFlow(cairo_t* cr, double y, double width) : cr_(cr), y_(y), width_(width) {}
  // Starts a new row with a bold title.
  void Row(const std::string& title) {
    if (x_ > 4) y_ += 14;
    x_ = 4;
    x_ += Text(cr_, x_, y_, title, 7.5, true).first + 6;
  }
  // Reserves room for a key `key_w` wide and its label; returns the key's x.
  double Entry(const std::string& label, double key_w) {
    const double w = key_w + 3 + 5.6 * static_cast<double>(label.size());
    if (x_ + w > width_) y_ += 14, x_ = 14;
    const double at = x_;
    x_ += key_w + 3 + Text(cr_, x_ + key_w + 3, y_, label, 7).first + 8;
    return at;
  }
  double Top() const { return y_; }

 private:
  cairo_t* cr_;
  double x_ = 4, y_, width_;
};

void Legend(cairo_t* cr, double y, double w, const MapLayers& m, const FigureText& t) {
  LegendFlow flow(cr, y, w);
  flow.Row(t.legend_forecast);
  for (int k = 0; k < 6; ++k) {
    const std::string label = std::to_string(static_cast<int>(kBreaks[k])) + "–" + Percent(kBreaks[k + 1], t.fr);
    const double x = flow.Entry(label, 14);
    Swatch(cr, x, flow.Top() + 1, kClassColours[k]);
  }
  const double x = flow.Entry(t.legend_no_forecast, 14);
  cairo_save(cr);
  cairo_rectangle(cr, x, flow.Top() + 1, 14, 9);
  SetColour(cr, Hex(0xecf0f1));
  cairo_fill_preserve(cr);
  Hatch(cr, w, flow.Top() + 12);
  cairo_restore(cr);
  flow.Row(t.legend_events);
  for (size_t i = 0; i < std::size(kTypes); ++i) {
    const bool present =
        std::any_of(m.events.begin(), m.events.end(), [&](const MapPoint& e) { return e.event_type == kTypes[i]; });
    if (!present) continue;
    auto it = t.event_types.find(kTypes[i]);
    const double at = flow.Entry(it == t.event_types.end() ? kTypes[i] : it->second, 8);
    cairo_new_sub_path(cr);
    cairo_arc(cr, at + 4, flow.Top() + 5.5, 3, 0, 2 * M_PI);
    SetColour(cr, kTypeColours[i]);
    cairo_fill(cr);
  }
  if (!m.sites.empty()) {
    const double at = flow.Entry(t.legend_sites, 10);
    cairo_new_path(cr);
    cairo_move_to(cr, at + 5, flow.Top() + 1);
    cairo_line_to(cr, at + 9.5, flow.Top() + 9);
    cairo_line_to(cr, at + 0.5, flow.Top() + 9);
    cairo_close_path(cr);
    SetColour(cr, Hex(0x117a65));
    cairo_fill(cr);
  }
  if (m.roads.empty()) return;
  flow.Row("");
  for (int st = 0; st < 3 && st < static_cast<int>(t.corridor_states.size()); ++st) {
    const double at = flow.Entry(t.corridor_states[st], 16);
    cairo_move_to(cr, at, flow.Top() + 5.5);
    cairo_line_to(cr, at + 16, flow.Top() + 5.5);
    SetColour(cr, kRoadColours[st]);
    cairo_set_line_width(cr, st == 0 ? 1.0 : 2.2);
    cairo_stroke(cr);
  }
}

}  // namespace

int ForecastClass(double p_any) {
  int k = 0;
  while (k < 5 && 100 * p_any >= kBreaks[k + 1]) ++k;
  return k;
}

void DrawMap(cairo_t* cr, double width, double height, const MapLayers& m, const FigureText& t) {
  const double map_h = height - kLegendHeight;
  cairo_save(cr);
  cairo_rectangle(cr, 0, 0, width, map_h);
  SetColour(cr, Hex(0xe9e6df));  // neighbours: land, not sea
  cairo_fill_preserve(cr);
  cairo_clip(cr);
  const Projection p(m, 4, 4, width - 8, map_h - 8);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  DrawUnits(cr, p, m, width, map_h);
  DrawOutlines(cr, p, m.regions, 0.9, Hex(0x5d6d7e));
  DrawOutlines(cr, p, m.countries, 1.3, Hex(0x2c3e50));
  DrawRoads(cr, p, m);
  DrawEvents(cr, p, m);
  DrawTowns(cr, p, m, width, map_h);
  DrawSites(cr, p, m);
  ScaleBar(cr, p, 10, map_h - 10, width / 4);
  cairo_restore(cr);
  cairo_rectangle(cr, 0.25, 0.25, width - 0.5, map_h - 0.5);
  SetColour(cr, Hex(0x7f8c8d));
  cairo_set_line_width(cr, 0.5);
  cairo_stroke(cr);
  Legend(cr, map_h + 6, width, m, t);
}

void DrawTrend(cairo_t* cr, double width, double height, const std::vector<TrendWeek>& weeks, core::Date from,
               core::Date to, const FigureText& t) {
  if (weeks.empty()) return;
  int64_t top = 1;
  for (const auto& w : weeks) top = std::max(top, w.events);
  const double left = 30, bottom = height - 16, plot_h = bottom - 14, plot_w = width - left - 6;
  const double bar = plot_w / static_cast<double>(weeks.size());
  for (size_t i = 0; i < weeks.size(); ++i) {  // the brief's period
    const core::Date end = weeks[i].start + 6;
    if (end < from || weeks[i].start > to) continue;
    cairo_rectangle(cr, left + bar * static_cast<double>(i), 14, bar, plot_h);
    SetColour(cr, Hex(0xd5dbdb));
    cairo_fill(cr);
  }
  for (size_t i = 0; i < weeks.size(); ++i) {
    const double h = plot_h * static_cast<double>(weeks[i].events) / static_cast<double>(top);
    cairo_rectangle(cr, left + bar * static_cast<double>(i) + bar * 0.1, bottom - h, bar * 0.8, h);
    SetColour(cr, kInk);
    cairo_fill(cr);
  }
  SetColour(cr, kInk);
  cairo_set_line_width(cr, 0.6);
  cairo_move_to(cr, left, 14);
  cairo_line_to(cr, left, bottom);
  cairo_line_to(cr, width - 6, bottom);
  cairo_stroke(cr);
  Text(cr, 2, bottom - 9, "0", 7);
  Text(cr, 2, 10, std::to_string(top), 7);
  Text(cr, left + 4, 0, t.axis_events_week, 7.5, true);
  Text(cr, left, bottom + 3, weeks.front().start.ToIso(), 7);
  const std::string last = (weeks.back().start + 6).ToIso();
  Text(cr, width - 6 - 5.0 * static_cast<double>(last.size()), bottom + 3, last, 7);
}

}  // namespace vigil::report
