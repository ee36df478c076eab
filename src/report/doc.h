// vigil::report — a document as a list of blocks: what a brief says, apart
// from how it is drawn. One composer fills a Doc (sitrep.cpp); the renderers
// write it as Markdown (here), self-contained HTML (html.h) or PDF (pdf.h),
// so the three formats say the same thing in the same order.
//
// Text is plain UTF-8 in spans that are bold or italic; renderers escape it
// for their format. A figure block names a figure (map.h, chart.h) that the
// HTML and PDF renderers draw and Markdown leaves out.
#pragma once

#include <string>
#include <vector>

namespace vigil::report {

struct Span {
  std::string text;
  bool bold = false;
  bool italic = false;
};
using Inline = std::vector<Span>;

struct Block {
  enum class Kind {
    kTitle,      // the document's title (one, first)
    kHeading,    // a section heading
    kParagraph,  // running text
    kBullet,     // an item; consecutive items form one list
    kNotice,     // a warning set apart (e.g. SIMULATED DATA)
    kFigure,     // figure `figure`, with `text` as its caption
  };
  Kind kind = Kind::kParagraph;
  Inline text;
  std::string figure;  // kFigure only: "map" or "trend"
};

struct Doc {
  std::string lang;  // "en" or "fr"
  std::vector<Block> blocks;

  void Title(std::string t) { blocks.push_back({Block::Kind::kTitle, {{std::move(t)}}, {}}); }
  void Heading(std::string t) { blocks.push_back({Block::Kind::kHeading, {{std::move(t)}}, {}}); }
  void Paragraph(Inline t) { blocks.push_back({Block::Kind::kParagraph, std::move(t), {}}); }
  void Bullet(Inline t) { blocks.push_back({Block::Kind::kBullet, std::move(t), {}}); }
  void Notice(std::string t) { blocks.push_back({Block::Kind::kNotice, {{std::move(t), true}}, {}}); }
  void Figure(std::string id, std::string caption) {
    blocks.push_back({Block::Kind::kFigure, {{std::move(caption)}}, std::move(id)});
  }
};

// The spans' text joined, without marks.
std::string PlainText(const Inline& text);

// Markdown: "# " title, "## " headings, "- " items, "> " notices, **bold**,
// _italic_; figures are left out (Markdown carries no drawing).
std::string RenderMarkdown(const Doc& doc);

}  // namespace vigil::report
