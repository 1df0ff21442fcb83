#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>

#include "util/result.h"

// Namespace-aware reading of pugixml trees (internal to src/events). pugixml keeps names as
// written ("dm:person"); senders choose their own prefixes (chan_sip writes pp:/ep:, chan_pjsip
// dm:/rpid:), so elements are matched on (namespace URI, local name) resolved through the
// xmlns declarations in scope (Namespaces in XML 1.0, section 6), never on prefixes.
namespace ccsip::events::xml {

// The part of the element name after the prefix.
std::string_view localName(pugi::xml_node node);

// The namespace URI the element's prefix (or the default namespace) is bound to; empty when
// unbound.
std::string_view namespaceUri(pugi::xml_node node);

inline bool is(pugi::xml_node node, std::string_view ns, std::string_view local) {
  return node.type() == pugi::node_element && localName(node) == local && namespaceUri(node) == ns;
}

// The first child element {ns}local, or an empty node.
pugi::xml_node child(pugi::xml_node parent, std::string_view ns, std::string_view local);

// The element's text content, with surrounding XML white space removed.
std::string_view text(pugi::xml_node node);

// "{namespace}local" for error messages.
std::string describe(pugi::xml_node node);

// Parses body into doc (no DTD, no entity expansion beyond the predefined five: pugixml does
// neither, so a hostile body cannot blow up) and returns the single root element.
util::Result<pugi::xml_node> loadDocument(pugi::xml_document& doc, std::string_view body,
                                          std::string_view what);

}  // namespace ccsip::events::xml
