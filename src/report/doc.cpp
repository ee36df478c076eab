#include "report/doc.h"

namespace vigil::report {

namespace {

std::string MarkdownInline(const Inline& text) {
  std::string out;
  for (const Span& s : text) {
    if (s.text.empty()) continue;
    const char* mark = s.bold ? "**" : s.italic ? "_" : "";
    out += mark + s.text + mark;
  }
  return out;
}

}  // namespace

std::string PlainText(const Inline& text) {
  std::string out;
  for (const Span& s : text) out += s.text;
  return out;
}

std::string RenderMarkdown(const Doc& doc) {
  std::string md;
  const auto& b = doc.blocks;
  for (size_t i = 0; i < b.size(); ++i) {
    const std::string t = MarkdownInline(b[i].text);
    switch (b[i].kind) {
      case Block::Kind::kTitle:
        md += "# " + t + "\n\n";
        break;
      case Block::Kind::kHeading:
        md += "## " + t + "\n\n";
        break;
      case Block::Kind::kParagraph:
        md += t + "\n\n";
        break;
      case Block::Kind::kNotice:
        md += "> " + t + "\n\n";
        break;
      case Block::Kind::kFigure:
        break;
      case Block::Kind::kBullet:
        md += "- " + t + "\n";
        if (i + 1 == b.size() || b[i + 1].kind != Block::Kind::kBullet) md += "\n";
        break;
    }
  }
  // One newline at the end, as a text file has.
  while (md.size() >= 2 && md[md.size() - 1] == '\n' && md[md.size() - 2] == '\n') md.pop_back();
  return md;
}

}  // namespace vigil::report
