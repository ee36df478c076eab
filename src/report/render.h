// vigil::report — a document (doc.h) with its figures (figures.h) as one
// self-contained HTML file or an A4 PDF; the figures alone as a PNG.
//
// HTML: inline CSS, each figure as inline SVG drawn by cairo (its ids
// prefixed per figure so two figures never share one), readable on a
// phone (the figures scale to the screen's width); no script, no external
// resource. Text is escaped: a document cannot inject markup.
//
// PDF: A4 portrait, cairo + pango with DejaVu Sans embedded (subset),
// vector figures, a heading kept with what follows it, and on every page a
// footer with the generation date, the data cut-off and "page N of M". The
// file's creation date is `created` (not the clock), so the same document
// gives the same bytes.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "report/doc.h"
#include "report/figures.h"

namespace vigil::report {

struct PageSetup {
  std::string title;          // the document's title (HTML <title>, PDF metadata)
  std::string footer;         // printed at the foot of every PDF page
  std::string page_template;  // e.g. "page {1} of {2}"
  core::Date created;         // the PDF's creation date
};

// A figure block whose id is not in `figures` is left out.
std::string RenderHtml(const Doc& doc, const Figures& figures, const PageSetup& page);

// kInternal when cairo fails (e.g. out of memory).
core::Result<std::string> RenderPdf(const Doc& doc, const Figures& figures, const PageSetup& page);

// The figures `ids` (those present in `figures`) stacked top to bottom
// under a title line, as one PNG at `scale` pixels per point (2: sharp on a
// slide): a map with its legend and the trend chart, ready for a brief.
// kInvalidArgument when none is present, kInternal when cairo fails.
core::Result<std::string> RenderFiguresPng(const Figures& figures, const std::vector<std::string>& ids,
                                           const std::string& title, double scale = 2);

// The figure as an SVG document (cairo's SVG surface), ids prefixed with
// `id_prefix`.
std::string FigureSvg(const Figure& f, const std::string& id_prefix);

}  // namespace vigil::report
