// RenderFiguresPng (render.h): the figures stacked on a white image under a
// title line, written as PNG by cairo.
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "report/render.h"

namespace vigil::report {

namespace {

constexpr double kMargin = 12, kTitleSize = 13, kGap = 8;

cairo_status_t AppendPng(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};

// The title as a pango layout `width` points wide; its height in *h.
std::unique_ptr<PangoLayout, LayoutDeleter> TitleLayout(cairo_t* cr, const std::string& title, double width,
                                                        double* h) {
  std::unique_ptr<PangoLayout, LayoutDeleter> layout(pango_cairo_create_layout(cr));
  PangoFontDescription* font = pango_font_description_from_string("DejaVu Sans Bold");
  pango_font_description_set_absolute_size(font, kTitleSize * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout.get(), title.c_str(), -1);
  int pw = 0, ph = 0;
  pango_layout_get_size(layout.get(), &pw, &ph);
  *h = title.empty() ? 0 : static_cast<double>(ph) / PANGO_SCALE;
  return layout;
}

}  // namespace

core::Result<std::string> RenderFiguresPng(const Figures& figures, const std::vector<std::string>& ids,
                                           const std::string& title, double scale) {
  std::vector<const Figure*> shown;
  double width = 0, height = 0;
  for (const auto& id : ids) {
    auto it = figures.find(id);
    if (it == figures.end()) continue;
    shown.push_back(&it->second);
    width = std::max(width, it->second.width_pt);
    height += it->second.height_pt + kGap;
  }
  if (shown.empty()) return core::InvalidArgument("no figure to draw");
  // The title's height needs a context: measure on a scratch surface.
  double title_h = 0;
  {
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> scratch(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1));
    std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(scratch.get()));
    TitleLayout(cr.get(), title, width, &title_h);
  }
  const double total_w = width + 2 * kMargin, total_h = height + title_h + 2 * kMargin + (title_h > 0 ? kGap : 0);
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(cairo_image_surface_create(
      CAIRO_FORMAT_RGB24, static_cast<int>(std::lround(total_w * scale)), static_cast<int>(std::lround(total_h * scale))));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return core::Internal("cairo: no image surface");
  std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
  cairo_scale(cr.get(), scale, scale);
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_set_source_rgb(cr.get(), 0.1, 0.1, 0.1);
  cairo_move_to(cr.get(), kMargin, kMargin);
  auto layout = TitleLayout(cr.get(), title, width, &title_h);
  pango_cairo_show_layout(cr.get(), layout.get());
  double y = kMargin + title_h + (title_h > 0 ? kGap : 0);
  for (const Figure* f : shown) {
    cairo_save(cr.get());
    cairo_translate(cr.get(), kMargin, y);
    f->draw(cr.get());
    cairo_restore(cr.get());
    y += f->height_pt + kGap;
  }
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) return core::Internal("cairo: drawing failed");
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), AppendPng, &png) != CAIRO_STATUS_SUCCESS)
    return core::Internal("cairo: could not write the PNG");
  return png;
}

}  // namespace vigil::report
