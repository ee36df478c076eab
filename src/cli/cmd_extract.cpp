// vigil extract / vigil eval extract: reports to events.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/json.h"
#include "text/eval.h"
#include "text/extractor.h"

namespace vigil::cli {

namespace {

core::Result<std::string> ReadInput(const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read " + path);
  ss << in.rdbuf();
  return ss.str();
}

struct ExtractFlags {
  std::string file, doc_date, lang = "auto", doc;
};

int RunExtract(const Globals& g, const ExtractFlags& f) {
  if (f.lang != "auto" && f.lang != "en" && f.lang != "fr")
    return Fail(core::InvalidArgument("--lang must be auto, en or fr"));
  text::ExtractOptions opt;
  opt.lang = f.lang;
  opt.doc = !f.doc.empty() ? f.doc : (f.file == "-" ? "stdin" : f.file.substr(f.file.find_last_of('/') + 1));
  if (!f.doc_date.empty()) {
    auto d = core::Date::Parse(f.doc_date);
    if (!d.ok()) return Fail(core::InvalidArgument("--doc-date: " + d.status().message()));
    opt.doc_date = *d;
  }
  auto input = ReadInput(f.file);
  if (!input.ok()) return Fail(input.status());
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  auto events = text::Extract(*input, (*ref)->gazetteer(), opt);
  if (!events.ok()) return Fail(core::Status(events.status().code(), f.file + ": " + events.status().message()));
  for (const auto& e : *events) std::printf("%s\n", text::ToJson(e).dump().c_str());
  return 0;
}

struct EvalFlags {
  std::string gold, docs, format = "table";
};

int RunEval(const Globals& g, const EvalFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  std::ifstream in(f.gold);
  if (!in) return Fail(core::NotFound("cannot read --gold " + f.gold));
  std::vector<core::Json> gold;
  std::vector<std::string> docs;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    auto parsed = core::ParseJson(line);
    if (!parsed.ok())
      return Fail(core::ParseError(f.gold + ":" + std::to_string(lineno) + ": " + parsed.status().message()));
    core::Json j = std::move(*parsed);
    if (!j.is_object() || !j.contains("doc") || !j["doc"].is_string())
      return Fail(core::ParseError(f.gold + ":" + std::to_string(lineno) + ": not a gold event (JSON with \"doc\")"));
    const std::string doc = j["doc"].get<std::string>();
    if (std::find(docs.begin(), docs.end(), doc) == docs.end()) docs.push_back(doc);
    gold.push_back(std::move(j));
  }
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  std::vector<text::ExtractedEvent> pred;
  for (const auto& doc : docs) {
    auto input = ReadInput(f.docs + "/" + doc);
    if (!input.ok()) return Fail(input.status());
    text::ExtractOptions opt;
    opt.doc = doc;
    auto ev = text::Extract(*input, (*ref)->gazetteer(), opt);
    if (!ev.ok()) return Fail(core::Status(ev.status().code(), doc + ": " + ev.status().message()));
    pred.insert(pred.end(), ev->begin(), ev->end());
  }
  const auto s = text::ScoreExtraction(gold, pred, (*ref)->gazetteer());
  if (*fmt == Format::kJson) {
    std::printf("%s\n", s.ToJson().dump().c_str());
    return 0;
  }
  std::printf("documents %zu, gold events %lld, extracted %lld, matched %lld\n", docs.size(),
              static_cast<long long>(s.gold), static_cast<long long>(s.predicted), static_cast<long long>(s.matched));
  std::printf("precision %.3f  recall %.3f  F1 %.3f\n", s.precision, s.recall, s.f1);
  for (const auto& [k, v] : s.field_accuracy) std::printf("  %-15s accuracy %.3f\n", k.c_str(), v);
  return 0;
}

}  // namespace

void AddExtract(CLI::App& app, Globals& g, int& rc) {
  {
    auto f = std::make_shared<ExtractFlags>();
    auto* cmd = app.add_subcommand("extract", "report text (English or French) -> events as JSON Lines");
    cmd->add_option("file", f->file, "text file, or - for standard input")->required();
    cmd->add_option("--doc-date", f->doc_date, "the document's date (resolves years and relative dates)");
    cmd->add_option("--lang", f->lang, "auto (default), en or fr");
    cmd->add_option("--doc", f->doc, "document name written into each event");
    cmd->callback([&g, &rc, f] { rc = RunExtract(g, *f); });
  }
  {
    auto f = std::make_shared<EvalFlags>();
    auto* ev = app.add_subcommand("eval", "evaluate a component against gold annotations");
    auto* cmd = ev->add_subcommand("extract", "score extraction against gold events (../shared/gold/SCHEMA.md)");
    ev->require_subcommand(1);
    cmd->add_option("--gold", f->gold, "gold JSON Lines")->required();
    cmd->add_option("--docs", f->docs, "folder holding the documents the gold names")->required();
    cmd->add_option("--format", f->format, "table or json");
    cmd->callback([&g, &rc, f] { rc = RunEval(g, *f); });
  }
}

}  // namespace vigil::cli
