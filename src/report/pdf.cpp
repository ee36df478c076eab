// RenderPdf (render.h): lays the blocks out on A4 pages with pango, then
// draws them; two passes, so every footer knows the number of pages.
#include <cairo-pdf.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <memory>

#include "report/render.h"

namespace vigil::report {

namespace {

constexpr double kPageW = 595.28, kPageH = 841.89;  // A4 in points
constexpr double kLeft = 50, kRight = 50, kTop = 54, kBottom = 64;
constexpr double kWidth = kPageW - kLeft - kRight;
constexpr double kBulletIndent = 13;

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

// One block placed: its layout (text) or figure, height and page position.
struct Placed {
  const Block* block = nullptr;
  LayoutPtr layout;
  const Figure* figure = nullptr;
  double scale = 1;   // figure only
  double height = 0;  // including the caption
  double before = 0;  // space above
  int page = 0;
  double y = 0;
};

std::string Esc(const std::string& text) {
  gchar* esc = g_markup_escape_text(text.c_str(), -1);
  std::string out(esc);
  g_free(esc);
  return out;
}

std::string Markup(const Inline& text) {
  std::string out;
  for (const Span& s : text)
    out += s.bold ? "<b>" + Esc(s.text) + "</b>" : s.italic ? "<i>" + Esc(s.text) + "</i>" : Esc(s.text);
  return out;
}

LayoutPtr MakeLayout(cairo_t* cr, const std::string& markup, double size, bool bold, double width) {
  LayoutPtr layout(pango_cairo_create_layout(cr));
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, "DejaVu Sans");
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup(layout.get(), markup.c_str(), -1);
  return layout;
}

double Height(PangoLayout* l) {
  int w = 0, h = 0;
  pango_layout_get_size(l, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

Placed Lay(cairo_t* cr, const Block& b, const Figures& figures) {
  Placed p;
  p.block = &b;
  const std::string m = Markup(b.text);
  switch (b.kind) {
    case Block::Kind::kTitle:
      p.layout = MakeLayout(cr, m, 17, true, kWidth), p.before = 0;
      break;
    case Block::Kind::kHeading:
      p.layout = MakeLayout(cr, m, 12.5, true, kWidth), p.before = 14;
      break;
    case Block::Kind::kParagraph:
      p.layout = MakeLayout(cr, m, 9.5, false, kWidth), p.before = 5;
      break;
    case Block::Kind::kBullet:
      p.layout = MakeLayout(cr, m, 9.5, false, kWidth - kBulletIndent), p.before = 3;
      break;
    case Block::Kind::kNotice:
      p.layout = MakeLayout(cr, m, 10, true, kWidth - 16), p.before = 8;
      break;
    case Block::Kind::kFigure: {
      auto it = figures.find(b.figure);
      if (it == figures.end()) return p;
      p.figure = &it->second;
      p.scale = std::min(1.0, kWidth / p.figure->width_pt);
      p.layout = MakeLayout(cr, "<i>" + m + "</i>", 8, false, kWidth);
      p.before = 10;
      p.height = p.figure->height_pt * p.scale + 4 + Height(p.layout.get());
      return p;
    }
  }
  p.height = Height(p.layout.get()) + (b.kind == Block::Kind::kNotice ? 12 : 0);
  return p;
}

// Assigns pages; a heading moves to the next page with what follows it.
int Paginate(std::vector<Placed>* items) {
  int page = 0;
  double y = kTop;
  const double bottom = kPageH - kBottom;
  for (size_t i = 0; i < items->size(); ++i) {
    Placed& p = (*items)[i];
    double need = p.before + p.height;
    if (p.block->kind == Block::Kind::kHeading && i + 1 < items->size())
      need += (*items)[i + 1].before + (*items)[i + 1].height;
    if (y + need > bottom && y > kTop) ++page, y = kTop;
    p.page = page;
    p.y = y + (y > kTop ? p.before : 0);
    y = p.y + p.height;
  }
  return page + 1;
}

void DrawPlaced(cairo_t* cr, const Placed& p) {
  cairo_set_source_rgb(cr, 0x1f / 255.0, 0x2d / 255.0, 0x3a / 255.0);
  switch (p.block->kind) {
    case Block::Kind::kFigure:
      cairo_save(cr);
      cairo_translate(cr, kLeft, p.y);
      cairo_scale(cr, p.scale, p.scale);
      p.figure->draw(cr);
      cairo_restore(cr);
      cairo_set_source_rgb(cr, 0.34, 0.4, 0.45);
      cairo_move_to(cr, kLeft, p.y + p.figure->height_pt * p.scale + 4);
      pango_cairo_show_layout(cr, p.layout.get());
      cairo_new_path(cr);
      return;
    case Block::Kind::kBullet:
      cairo_new_path(cr);
      cairo_arc(cr, kLeft + 4, p.y + 6.5, 1.8, 0, 2 * G_PI);
      cairo_fill(cr);
      cairo_move_to(cr, kLeft + kBulletIndent, p.y);
      break;
    case Block::Kind::kNotice:
      cairo_set_source_rgb(cr, 0.75, 0.22, 0.17);
      cairo_set_line_width(cr, 1.5);
      cairo_rectangle(cr, kLeft, p.y, kWidth, p.height);
      cairo_stroke(cr);
      cairo_move_to(cr, kLeft + 8, p.y + 6);
      break;
    default:
      cairo_move_to(cr, kLeft, p.y);
  }
  pango_cairo_show_layout(cr, p.layout.get());
  cairo_new_path(cr);
  if (p.block->kind == Block::Kind::kHeading) {
    cairo_set_source_rgb(cr, 0.8, 0.82, 0.82);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, kLeft, p.y + p.height + 1.5);
    cairo_line_to(cr, kLeft + kWidth, p.y + p.height + 1.5);
    cairo_stroke(cr);
  }
}

std::string PageOf(const std::string& tmpl, int n, int total) {
  std::string s = tmpl;
  auto put = [&s](const std::string& mark, int v) {
    const auto p = s.find(mark);
    if (p != std::string::npos) s.replace(p, mark.size(), std::to_string(v));
  };
  put("{1}", n);
  put("{2}", total);
  return s;
}

void Footer(cairo_t* cr, const PageSetup& page, int n, int total) {
  cairo_set_source_rgb(cr, 0.34, 0.4, 0.45);
  LayoutPtr left = MakeLayout(cr, Esc(page.footer), 7.5, false, kWidth * 0.75);
  cairo_move_to(cr, kLeft, kPageH - kBottom + 22);
  pango_cairo_show_layout(cr, left.get());
  LayoutPtr right = MakeLayout(cr, Esc(PageOf(page.page_template, n, total)), 7.5, false, kWidth);
  pango_layout_set_alignment(right.get(), PANGO_ALIGN_RIGHT);
  cairo_move_to(cr, kLeft, kPageH - kBottom + 22);
  pango_cairo_show_layout(cr, right.get());
  cairo_new_path(cr);
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

core::Result<std::string> RenderPdf(const Doc& doc, const Figures& figures, const PageSetup& page) {
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &pdf, kPageW, kPageH);
  const std::string date = page.created.ToIso() + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, page.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "vigil");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  cairo_t* cr = cairo_create(surface);
  std::vector<Placed> items;
  for (const Block& b : doc.blocks) {
    Placed p = Lay(cr, b, figures);
    if (p.layout) items.push_back(std::move(p));
  }
  const int pages = Paginate(&items);
  size_t next = 0;
  for (int n = 0; n < pages; ++n) {
    for (; next < items.size() && items[next].page == n; ++next) DrawPlaced(cr, items[next]);
    Footer(cr, page, n + 1, pages);
    cairo_show_page(cr);
  }
  items.clear();
  const cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t finished = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS || finished != CAIRO_STATUS_SUCCESS)
    return core::Internal(std::string("cannot draw the PDF: ") +
                          cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : finished));
  return pdf;
}

}  // namespace vigil::report
