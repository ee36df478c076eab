// vigil::core — actor names.
//
// Sources spell the same armed group many ways ("JNIM: Group for Support of
// Islam and Muslims", "Jama'at Nusrat al-Islam wal-Muslimin", "GSIM", UCDP's
// "JNIM"). NormaliseActor maps a source's name to vigil's canonical name (the
// names of ../shared/gold/SCHEMA.md); the original is kept beside it.
// The dictionary is data/actors.tsv-like but compiled in, so the importers and
// the extractor agree; docs/data-formats.md lists it.
#pragma once

#include <string>
#include <string_view>

namespace vigil::core {

// Canonical name for a source's actor name. Unknown names are returned with
// ACLED's parenthesised period or country suffix removed
// ("Police Forces of Mali (2021-)" -> "Police Forces of Mali").
// Empty input gives "".
std::string NormaliseActor(std::string_view name);

}  // namespace vigil::core
