#include "alert/cap.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdio>
#include <memory>

#include "core/clock.h"
#include "core/strings.h"

namespace vigil::alert {

namespace {

constexpr const char* kCapNs = "urn:oasis:names:tc:emergency:cap:1.2";

std::string Num(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void Element(std::string* out, const char* name, std::string_view text, int indent) {
  out->append(static_cast<size_t>(indent), ' ');
  *out += '<';
  *out += name;
  *out += '>';
  *out += XmlEscape(text);
  *out += "</";
  *out += name;
  *out += ">\n";
}

std::string MessageId(const Alert& a, int version) { return a.identifier + "." + std::to_string(version); }

const char* ResponseType(const Alert& a) {
  if (a.state == AlertState::kResolved || a.state == AlertState::kCancelled) return "AllClear";
  return a.severity == Severity::kExtreme ? "Avoid" : "Monitor";
}

void Info(std::string* out, const Alert& a, bool french, const CapContext& ctx) {
  *out += "  <info>\n";
  Element(out, "language", french ? "fr-FR" : "en-US", 4);
  Element(out, "category", "Security", 4);
  Element(out, "event", french ? "Alerte de sécurité" : "Security alert", 4);
  Element(out, "responseType", ResponseType(a), 4);
  Element(out, "urgency", Name(a.urgency), 4);
  Element(out, "severity", Name(a.severity), 4);
  Element(out, "certainty", Name(a.certainty), 4);
  Element(out, "senderName", "vigil", 4);
  Element(out, "headline", french ? a.headline_fr : a.headline_en, 4);
  Element(out, "description", french ? a.description_fr : a.description_en, 4);
  Element(out, "instruction",
          french ? "Accusez réception dans vigil (" + a.Reference() + ") avec votre évaluation."
                 : "Acknowledge in vigil (" + a.Reference() + ") with your assessment.",
          4);
  Element(out, "web", ctx.public_url + "/#alert=" + a.Reference(), 4);
  *out += "    <parameter>\n";
  Element(out, "valueName", "vigil:alert", 6);
  Element(out, "value", a.Reference(), 6);
  *out += "    </parameter>\n";
  *out += "    <area>\n";
  Element(out, "areaDesc", a.area.description.empty() ? "Sahel" : a.area.description, 6);
  if (!a.area.polygon.empty()) {
    std::string p;
    for (const auto& [lat, lon] : a.area.polygon) p += (p.empty() ? "" : " ") + Num(lat, 4) + "," + Num(lon, 4);
    Element(out, "polygon", p, 6);
  }
  if (a.area.circle)
    Element(out, "circle",
            Num(a.area.circle->lat, 4) + "," + Num(a.area.circle->lon, 4) + " " + Num(a.area.circle->radius_km, 1), 6);
  *out += "    </area>\n";
  *out += "  </info>\n";
}

struct XmlDocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string Text(xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return std::string(core::Trim(s));
}

xmlNode* Child(xmlNode* parent, const char* name) {
  for (xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, reinterpret_cast<const xmlChar*>(name)) == 0) return c;
  return nullptr;
}

}  // namespace

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most C0 controls even escaped: drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string CapTime(int64_t t) {
  std::string s = core::FormatUtc(t);  // ...Z
  s.pop_back();
  return s + "-00:00";
}

std::string AlertIdentifierOf(const std::string& id) {
  const size_t dot = id.rfind('.');
  return dot == std::string::npos ? id : id.substr(0, dot);
}

std::string RenderCap(const Alert& a, const std::string& msg_type, int64_t sent, const CapContext& ctx,
                      const std::vector<CapMessage>& earlier, const std::string& note) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += std::string("<alert xmlns=\"") + kCapNs + "\">\n";
  Element(&out, "identifier", MessageId(a, a.version), 2);
  Element(&out, "sender", ctx.sender, 2);
  Element(&out, "sent", CapTime(sent), 2);
  Element(&out, "status", "Actual", 2);
  Element(&out, "msgType", msg_type, 2);
  Element(&out, "scope", "Restricted", 2);
  Element(&out, "restriction", "Responders of the vigil deployment (area " + a.area_id + ")", 2);
  if (!note.empty()) Element(&out, "note", note, 2);
  if (!earlier.empty()) {
    std::string refs;
    for (const auto& m : earlier)
      refs += (refs.empty() ? "" : " ") + ctx.sender + "," + m.identifier + "," + CapTime(m.sent);
    Element(&out, "references", refs, 2);
  }
  Element(&out, "incidents", a.identifier, 2);
  Info(&out, a, false, ctx);
  Info(&out, a, true, ctx);
  out += "</alert>\n";
  return out;
}

std::string RenderAtom(const std::vector<Alert>& alerts, int64_t updated, const CapContext& ctx) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  Element(&out, "title", "vigil alerts", 2);
  Element(&out, "id", ctx.public_url + "/api/v1/alerts.atom", 2);
  Element(&out, "updated", core::FormatUtc(updated), 2);
  out += "  <author><name>vigil</name></author>\n";
  out += "  <link rel=\"self\" href=\"" + XmlEscape(ctx.public_url + "/api/v1/alerts.atom") + "\"/>\n";
  for (const auto& a : alerts) {
    out += "  <entry>\n";
    Element(&out, "id", "urn:vigil:" + a.identifier, 4);
    Element(&out, "title", "[" + std::string(Name(a.severity)) + "] " + a.headline_en + " / " + a.headline_fr, 4);
    Element(&out, "updated", core::FormatUtc(a.updated_at), 4);
    Element(&out, "summary", a.description_en, 4);
    out += "    <category term=\"" + std::string(Name(a.state)) + "\"/>\n";
    out += "    <link rel=\"alternate\" type=\"application/cap+xml\" href=\"" +
           XmlEscape(ctx.public_url + "/api/v1/alerts/" + a.Reference() + ".cap") + "\"/>\n";
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

core::Result<CapAck> ParseCapAck(std::string_view xml) {
  if (xml.size() > (256 << 10)) return core::TooLarge("a CAP message over 256 KiB is not an acknowledgement");
  if (xml.find("<!DOCTYPE") != std::string_view::npos || xml.find("<!ENTITY") != std::string_view::npos)
    return core::InvalidArgument("CAP messages with a DOCTYPE or entities are refused; send plain CAP 1.2 XML");
  std::unique_ptr<xmlDoc, XmlDocDeleter> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "ack.xml", "UTF-8",
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS));
  if (!doc) return core::InvalidArgument("the body is not well-formed XML");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || xmlStrcmp(root->name, reinterpret_cast<const xmlChar*>("alert")) != 0 || !root->ns ||
      xmlStrcmp(root->ns->href, reinterpret_cast<const xmlChar*>(kCapNs)) != 0)
    return core::InvalidArgument(std::string("not a CAP 1.2 message (root <alert xmlns=\"") + kCapNs + "\">)");
  CapAck ack;
  xmlNode* type = Child(root, "msgType");
  if (!type || Text(type) != "Ack")
    return core::InvalidArgument("this endpoint takes msgType Ack (acknowledgements); got " +
                                 (type ? "'" + Text(type).substr(0, 20) + "'" : std::string("none")));
  if (xmlNode* id = Child(root, "identifier")) ack.identifier = Text(id);
  if (xmlNode* s = Child(root, "sender")) ack.sender = Text(s);
  xmlNode* refs = Child(root, "references");
  if (!refs) return core::InvalidArgument("an Ack needs <references> naming the alert message it acknowledges");
  const std::string refs_text = Text(refs);  // Split returns views into it
  for (auto triple : core::Split(refs_text, ' ')) {
    auto parts = core::Split(triple, ',');
    if (parts.size() == 3 && !parts[1].empty()) ack.refs.emplace_back(parts[1]);
  }
  if (ack.refs.empty()) return core::InvalidArgument("<references> must hold sender,identifier,sent triples");
  xmlNode* note = Child(root, "note");
  const std::string text = note ? Text(note) : "";
  const size_t colon = text.find(':');
  auto d = ParseDisposition(core::Trim(std::string_view(text).substr(0, colon)));
  if (!d.ok())
    return core::InvalidArgument(
        "the Ack's <note> must start with a disposition (no_impact, some_impact, "
        "significant_impact, duplicate or false_positive), e.g. \"some_impact: ...\"");
  ack.disposition = *d;
  if (colon != std::string::npos) ack.note = std::string(core::Trim(std::string_view(text).substr(colon + 1)));
  return ack;
}

}  // namespace vigil::alert
