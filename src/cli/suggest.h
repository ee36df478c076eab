// vigil::cli — "did you mean" for a mistyped command or option: walks the
// command line the way CLI11 does and, at the first word it would refuse,
// names the closest commands or options of that command.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace vigil::cli {

// "" when every word is known; else one line such as "unknown command
// 'evnets'; did you mean 'events'?" or "unknown option '--admin' for vigil
// events; did you mean '--admin1' or '--admin2'?".
std::string Suggestion(CLI::App& root, int argc, const char* const* argv);

}  // namespace vigil::cli
