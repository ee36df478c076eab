// vigil extract / vigil eval extract: reports to events.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/json.h"
#include "core/strings.h"
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
  auto lex = text::Lexicon::Cached((*ref)->data_dir());
  if (!lex.ok()) return Fail(lex.status());
  auto events = text::Extract(*input, (*ref)->gazetteer(), **lex, opt);
  if (!events.ok()) return Fail(core::Status(events.status().code(), f.file + ": " + events.status().message()));
  for (const auto& e : *events) std::printf("%s\n", text::ToJson(e).dump().c_str());
  return 0;
}

struct EvalFlags {
  std::string gold, docs, places, half = "all", format = "table";
  bool verbose = false, by_field = false;
};

// The documents of --docs: every *.txt file, sorted by name.
core::Result<std::vector<std::string>> ListDocuments(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".txt") out.push_back(e.path().filename().string());
  if (ec) return core::NotFound("cannot list --docs " + dir + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

// "odd" / "even": the documents whose name's last number is odd / even
// (dev_07.txt is odd), so rules can be developed on one half and checked on
// the other. Names without a number belong to neither half.
bool InHalf(const std::string& doc, const std::string& half) {
  if (half == "all") return true;
  const size_t end = doc.find_last_of("0123456789");
  if (end == std::string::npos) return false;
  const bool odd = (doc[end] - '0') % 2 == 1;
  return half == "odd" ? odd : !odd;
}

core::Result<std::vector<core::Json>> ReadGold(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read --gold " + path);
  std::vector<core::Json> gold;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    auto parsed = core::ParseJson(line);
    if (!parsed.ok()) return core::ParseError(path + ":" + std::to_string(lineno) + ": " + parsed.status().message());
    core::Json j = std::move(*parsed);
    if (!j.is_object() || !j.contains("doc") || !j["doc"].is_string())
      return core::ParseError(path + ":" + std::to_string(lineno) + ": not a gold event (JSON with \"doc\")");
    gold.push_back(std::move(j));
  }
  return gold;
}

void PrintVerbose(const text::ExtractionScores& s, const std::vector<core::Json>& gold,
                  const std::vector<text::ExtractedEvent>& pred) {
  auto g_text = [&](size_t i) {
    const auto& g = gold[i];
    auto str = [&](const char* k) { return g.contains(k) && g[k].is_string() ? g[k].get<std::string>() : "-"; };
    return str("date") + " " + str("location") + " " + str("event_type");
  };
  for (const auto& d : s.by_document) {
    std::printf("%s: %zu matched, %zu missed, %zu extra\n", d.doc.c_str(), d.matched.size(), d.missed.size(),
                d.extra.size());
    for (size_t i : d.missed) std::printf("  missed  %s\n", core::EscapeControl(g_text(i)).c_str());
    for (size_t j : d.extra) {
      const auto& p = pred[j];
      std::printf("  extra   %s %s %s\n", p.date ? p.date->ToIso().c_str() : "-",
                  core::EscapeControl(p.location).c_str(), p.event_type.c_str());
    }
    for (const auto& w : d.wrong_fields) std::printf("  wrong   %s\n", core::EscapeControl(w).c_str());
  }
}

int RunEval(const Globals& g, const EvalFlags& f) {
  auto fmt = ParseFormat(f.format, {Format::kTable, Format::kJson});
  if (!fmt.ok()) return Fail(fmt.status());
  if (f.half != "all" && f.half != "odd" && f.half != "even")
    return Fail(core::InvalidArgument("--half must be all, odd or even"));
  auto all_gold = ReadGold(f.gold);
  if (!all_gold.ok()) return Fail(all_gold.status());
  auto listed = ListDocuments(f.docs);
  if (!listed.ok()) return Fail(listed.status());
  std::vector<std::string> docs;
  for (const auto& d : *listed)
    if (InHalf(d, f.half)) docs.push_back(d);
  std::vector<core::Json> gold;
  for (auto& j : *all_gold) {
    const std::string doc = j["doc"].get<std::string>();
    if (!InHalf(doc, f.half)) continue;
    if (std::find(docs.begin(), docs.end(), doc) == docs.end())
      return Fail(core::NotFound("the gold names " + doc + ", which is not a .txt file in --docs " + f.docs));
    gold.push_back(std::move(j));
  }
  std::optional<text::GoldPlaces> places;
  if (!f.places.empty()) {
    auto p = text::GoldPlaces::Load(f.places);
    if (!p.ok()) return Fail(p.status());
    places = std::move(*p);
  }
  auto ref = LoadReference(g);
  if (!ref.ok()) return Fail(ref.status());
  auto lex = text::Lexicon::Cached((*ref)->data_dir());
  if (!lex.ok()) return Fail(lex.status());
  std::vector<text::ExtractedEvent> pred;
  for (const auto& doc : docs) {
    auto input = ReadInput(f.docs + "/" + doc);
    if (!input.ok()) return Fail(input.status());
    text::ExtractOptions opt;
    opt.doc = doc;
    auto ev = text::Extract(*input, (*ref)->gazetteer(), **lex, opt);
    if (!ev.ok()) return Fail(core::Status(ev.status().code(), doc + ": " + ev.status().message()));
    pred.insert(pred.end(), ev->begin(), ev->end());
  }
  const auto s = text::ScoreExtraction(docs, gold, pred, (*ref)->gazetteer(), places ? &*places : nullptr);
  if (*fmt == Format::kJson) {
    std::printf("%s\n", s.ToJson().dump().c_str());
    return 0;
  }
  if (f.verbose) PrintVerbose(s, gold, pred);
  std::printf("documents %lld%s, gold events %lld, extracted %lld, matched %lld\n", static_cast<long long>(s.documents),
              f.half == "all" ? "" : (" (" + f.half + " half)").c_str(), static_cast<long long>(s.gold),
              static_cast<long long>(s.predicted), static_cast<long long>(s.matched));
  std::printf("precision %.3f  recall %.3f  F1 %.3f\n", s.precision, s.recall, s.f1);
  for (const auto& [k, v] : s.field_accuracy) {
    if (f.by_field)
      std::printf("  %-15s accuracy %.3f (%lld of %lld matches)\n", k.c_str(), v,
                  static_cast<long long>(s.field_correct.at(k)), static_cast<long long>(s.matched));
    else
      std::printf("  %-15s accuracy %.3f\n", k.c_str(), v);
  }
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
    auto* cmd = ev->add_subcommand("extract",
                                   "score extraction against gold events (../shared/gold/SCHEMA.md); every *.txt "
                                   "in --docs counts, with or without gold events");
    ev->require_subcommand(1);
    cmd->add_option("--gold", f->gold, "gold JSON Lines")->required();
    cmd->add_option("--docs", f->docs, "folder holding the documents the gold names")->required();
    cmd->add_option("--places", f->places, "gold coordinates: CSV doc,location,latitude,longitude");
    cmd->add_option("--half", f->half, "all (default), odd or even: documents by their number's parity");
    cmd->add_flag("--verbose", f->verbose, "list each document's misses, extras and wrong fields");
    cmd->add_flag("--by-field", f->by_field, "field accuracy with its counts");
    cmd->add_option("--format", f->format, "table or json");
    cmd->callback([&g, &rc, f] { rc = RunEval(g, *f); });
  }
}

}  // namespace vigil::cli
