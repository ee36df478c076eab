// vigil::scenario — a scenario's result as a document (report/doc.h), in
// English or French, from its JSON (engine.h, SummaryJson) so that a stored
// result reads the same as a fresh one: the period and model, the changes,
// events and fatalities by region with P(at least K), the cercles whose risk
// changes most, the weeks that differ and the method (the file itself is in
// the JSON, "spec").
// Sentences come from data/report/scenario.tsv.
#pragma once

#include <string>

#include "core/json.h"
#include "report/doc.h"
#include "report/sitrep.h"

namespace vigil::scenario {

report::Doc ComposeScenario(const core::Json& summary, const report::Phrases& p, const std::string& lang);

}  // namespace vigil::scenario
