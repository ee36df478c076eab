// vigil::alert — OASIS CAP 1.2 (Common Alerting Protocol) and Atom.
//
// Each change of an alert is one CAP message: Alert when raised, Update
// when its evidence grows, when it is acknowledged or escalated, Cancel
// when it is resolved or dismissed. Message identifiers are
// "<alert identifier>.<version>"; an Update or Cancel references every
// earlier message of the alert ("sender,identifier,sent" triples). Each
// message carries an <info> block in English and one in French, category
// Security, the alert's urgency/severity/certainty, and its area as a CAP
// circle or polygon (public positions: never a reporter's own point).
// Validated against CAP-v1.2.xsd in the tests.
//
// Acknowledgement is accepted as a CAP message too: msgType Ack with
// <references> naming a message of the alert and a <note> starting with a
// disposition ("some_impact: roads closed at Diboli").
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "alert/alert_store.h"
#include "alert/model.h"
#include "core/status.h"

namespace vigil::alert {

struct CapContext {
  std::string sender;      // <sender>
  std::string public_url;  // base for <web> links
};

// CAP time: "2025-07-01T06:30:00-00:00".
std::string CapTime(int64_t unix_seconds);

// The CAP message of `msg_type` ("Alert", "Update", "Cancel") for the alert
// in its current state, as version a.version, referencing `earlier`.
std::string RenderCap(const Alert& a, const std::string& msg_type, int64_t sent, const CapContext& ctx,
                      const std::vector<CapMessage>& earlier, const std::string& note = "");

// An Atom feed of the given alerts, each linking to its latest CAP message.
std::string RenderAtom(const std::vector<Alert>& alerts, int64_t updated, const CapContext& ctx);

struct CapAck {
  std::string identifier;         // the Ack message's own identifier
  std::string sender;             // who acknowledged (as the message says)
  std::vector<std::string> refs;  // referenced message identifiers
  Disposition disposition = Disposition::kNoImpact;
  std::string note;  // the note after the disposition
};

// Parses a CAP 1.2 Ack. Refuses DTDs and entities (no external or nested
// entity expansion), other message types, and Acks without a disposition,
// with kInvalidArgument saying what to send instead.
core::Result<CapAck> ParseCapAck(std::string_view xml);

// The alert identifier part of a message identifier ("vigil.A-12.3" ->
// "vigil.A-12").
std::string AlertIdentifierOf(const std::string& message_identifier);

// Text escaped for XML character data and attribute values.
std::string XmlEscape(std::string_view s);

}  // namespace vigil::alert
