// RenderHtml and FigureSvg (render.h).
#include <cairo-svg.h>

#include <map>
#include <vector>

#include "report/render.h"

namespace vigil::report {

namespace {

std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  return out;
}

std::string HtmlInline(const Inline& text) {
  std::string out;
  for (const Span& s : text) {
    if (s.bold)
      out += "<strong>" + Escape(s.text) + "</strong>";
    else if (s.italic)
      out += "<em>" + Escape(s.text) + "</em>";
    else
      out += Escape(s.text);
  }
  return out;
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The name after each occurrence of `mark` in `svg`, up to `end`.
std::vector<std::string> NamesAfter(const std::string& svg, const std::string& mark, char end) {
  std::vector<std::string> out;
  for (size_t p = svg.find(mark); p != std::string::npos; p = svg.find(mark, p + 1)) {
    const size_t a = p + mark.size(), b = svg.find(end, a);
    if (b != std::string::npos) out.push_back(svg.substr(a, b - a));
  }
  return out;
}

// cairo numbers its ids (surfaces, clips, glyphs) from counters that live
// as long as the process: the ids are renamed in order of appearance, with
// the figure's prefix, so a figure's SVG depends on the figure alone and two
// figures of one page never share an id.
std::string RenameIds(const std::string& svg, const std::string& prefix) {
  std::map<std::string, std::string> names;
  for (const auto& id : NamesAfter(svg, "id=\"", '"')) names.emplace(id, prefix + std::to_string(names.size() + 1));
  std::string out;
  out.reserve(svg.size());
  size_t i = 0;
  while (i < svg.size()) {
    size_t best = std::string::npos, mark_len = 0;
    char end = '"';
    for (const auto& [mark, stop] : {std::pair<const char*, char>{"id=\"", '"'}, {"href=\"#", '"'}, {"url(#", ')'}}) {
      const size_t p = svg.find(mark, i);
      if (p < best) best = p, mark_len = std::char_traits<char>::length(mark), end = stop;
    }
    if (best == std::string::npos) break;
    const size_t a = best + mark_len, b = svg.find(end, a);
    if (b == std::string::npos) break;
    auto it = names.find(svg.substr(a, b - a));
    out.append(svg, i, a - i);
    out += it == names.end() ? svg.substr(a, b - a) : it->second;
    i = b;
  }
  out.append(svg, i, std::string::npos);
  return out;
}

constexpr const char* kStyle =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:48em;margin:0 auto;padding:1em;"
    "line-height:1.45;color:#1f2d3a;background:#fff}"
    "h1{font-size:1.45em;margin:.2em 0 .4em}h2{font-size:1.12em;margin-top:1.5em;border-bottom:1px solid #ccd1d1}"
    "ul{padding-left:1.2em}li{margin:.2em 0}"
    ".notice{border:2px solid #c0392b;color:#c0392b;padding:.5em .8em;font-weight:bold}"
    "figure{margin:1em 0}figure svg{width:100%;height:auto;display:block}"
    "figcaption{font-size:.85em;color:#566573;margin-top:.3em}";

}  // namespace

std::string FigureSvg(const Figure& f, const std::string& id_prefix) {
  std::string svg;
  cairo_surface_t* surface = cairo_svg_surface_create_for_stream(Append, &svg, f.width_pt, f.height_pt);
  cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1);
  cairo_t* cr = cairo_create(surface);
  f.draw(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
  if (svg.rfind("<?xml", 0) == 0) svg.erase(0, svg.find('\n') + 1);
  return RenameIds(svg, id_prefix);
}

std::string RenderHtml(const Doc& doc, const Figures& figures, const PageSetup& page) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"" + Escape(doc.lang) +
                  "\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                  Escape(page.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  const auto& b = doc.blocks;
  int n_figure = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    const std::string t = HtmlInline(b[i].text);
    switch (b[i].kind) {
      case Block::Kind::kTitle:
        h += "<h1>" + t + "</h1>\n";
        break;
      case Block::Kind::kHeading:
        h += "<h2>" + t + "</h2>\n";
        break;
      case Block::Kind::kParagraph:
        h += "<p>" + t + "</p>\n";
        break;
      case Block::Kind::kNotice:
        h += "<p class=\"notice\">" + t + "</p>\n";
        break;
      case Block::Kind::kFigure: {
        auto it = figures.find(b[i].figure);
        if (it == figures.end()) break;
        const std::string prefix = "f" + std::to_string(++n_figure) + "-";
        h += "<figure id=\"" + Escape(b[i].figure) + "\">\n" + FigureSvg(it->second, prefix) + "<figcaption>" + t +
             "</figcaption>\n</figure>\n";
        break;
      }
      case Block::Kind::kBullet:
        if (i == 0 || b[i - 1].kind != Block::Kind::kBullet) h += "<ul>\n";
        h += "<li>" + t + "</li>\n";
        if (i + 1 == b.size() || b[i + 1].kind != Block::Kind::kBullet) h += "</ul>\n";
        break;
    }
  }
  h += "<footer><p><small>" + Escape(page.footer) + "</small></p></footer>\n</body>\n</html>\n";
  return h;
}

}  // namespace vigil::report
