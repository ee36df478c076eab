#include "cli/suggest.h"

#include <algorithm>
#include <vector>

#include "geo/normalize.h"

namespace vigil::cli {
namespace {

// The closest of `names` to `word` (edit distance at most a third of its
// length plus one, at most 3; 1 for words of three letters or fewer), best
// first, at most three; else `otherwise`.
std::string DidYouMean(const std::string& word, const std::vector<std::string>& names, const std::string& otherwise) {
  const size_t letters = word.size() - std::min(word.find_first_not_of('-'), word.size());  // "--" aside
  const int cap = letters <= 3 ? 1 : std::min(3, static_cast<int>(letters) / 3 + 1);
  std::vector<std::pair<int, std::string>> close;
  for (const auto& n : names) {
    int d = geo::EditDistance(word, n, cap);
    // A prefix is as good as a near miss: --admin for --admin1.
    if (n.size() > word.size() && n.compare(0, word.size(), word) == 0 && word.size() >= 3) d = std::min(d, 1);
    if (d <= cap) close.emplace_back(d, n);
  }
  std::sort(close.begin(), close.end());
  if (close.empty()) return otherwise;
  std::string out = "; did you mean ";
  for (size_t i = 0; i < close.size() && i < 3; ++i)
    out += (i ? (i + 1 == std::min<size_t>(close.size(), 3) ? " or " : ", ") : "") + ("'" + close[i].second + "'");
  return out + "?";
}

CLI::App* Subcommand(CLI::App* app, const std::string& name) {
  auto subs = app->get_subcommands([&](CLI::App* s) { return s->check_name(name); });
  return subs.empty() ? nullptr : subs.front();
}

// The option called `name` on `app` or, as vigil's commands fall through to
// their parents, on a parent.
const CLI::Option* FindOption(CLI::App* app, const std::string& name) {
  for (CLI::App* a = app; a; a = a->get_parent())
    if (const CLI::Option* o = a->get_option_no_throw(name)) return o;
  return nullptr;
}

std::vector<std::string> OptionNames(CLI::App* app) {
  std::vector<std::string> out;
  for (CLI::App* a = app; a; a = a->get_parent())
    for (const CLI::Option* o : a->get_options())
      for (const auto& l : o->get_lnames()) out.push_back("--" + l);
  return out;
}

std::vector<std::string> SubcommandNames(CLI::App* app) {
  std::vector<std::string> out;
  for (CLI::App* s : app->get_subcommands([](CLI::App*) { return true; })) out.push_back(s->get_name());
  return out;
}

std::string CommandPath(CLI::App* app) {
  std::string path;
  for (CLI::App* a = app; a; a = a->get_parent()) path = a->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

}  // namespace

std::string Suggestion(CLI::App& root, int argc, const char* const* argv) {
  CLI::App* cur = &root;
  bool positional_seen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    if (a.size() > 2 && a[0] == '-' && a[1] == '-') {
      const std::string name = a.substr(0, a.find('='));
      const CLI::Option* o = FindOption(cur, name);
      if (!o)
        return "unknown option '" + name + "' for " + CommandPath(cur) +
               DidYouMean(name, OptionNames(cur), " (see " + CommandPath(cur) + " --help)");
      if (a.find('=') == std::string::npos && o->get_items_expected_max() > 0) ++i;
      continue;
    }
    if (a.size() > 1 && a[0] == '-') {  // short flags: CLI11's own message is clear
      const CLI::Option* o = FindOption(cur, a.substr(0, 2));
      if (o && a.size() == 2 && o->get_items_expected_max() > 0) ++i;
      continue;
    }
    if (CLI::App* sub = Subcommand(cur, a)) {
      cur = sub;
      positional_seen = false;
      continue;
    }
    const auto subs = SubcommandNames(cur);
    if (!subs.empty() && !positional_seen) {
      std::string all;
      for (const auto& n : subs) all += (all.empty() ? "" : ", ") + n;
      return "unknown command '" + a + "' for " + CommandPath(cur) +
             DidYouMean(a, subs, " (expected one of: " + all + ")");
    }
    positional_seen = true;
  }
  return "";
}

}  // namespace vigil::cli
