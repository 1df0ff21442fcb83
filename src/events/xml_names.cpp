#include "events/xml_names.h"

#include "events/text_util.h"

namespace ccsip::events::xml {

namespace {

// Asterisk declares encoding="ISO-8859-1", which makes pugixml's automatic detection convert
// the whole body from Latin-1 into a new buffer (about half of the parse time of a PIDF body).
// A body of 7-bit characters without NUL reads the same in Latin-1 and UTF-8, and cannot be
// UTF-16/32 (their ASCII characters come with zero bytes, their byte-order marks are 8-bit):
// such a body is parsed as UTF-8 directly. Anything else keeps the detection.
pugi::xml_encoding encodingOf(std::string_view body) {
  for (const char c : body) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0 || byte >= 0x80) return pugi::encoding_auto;
  }
  return pugi::encoding_utf8;
}

}  // namespace

std::string_view localName(pugi::xml_node node) {
  std::string_view name = node.name();
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view namespaceUri(pugi::xml_node node) {
  std::string_view name = node.name();
  const std::size_t colon = name.find(':');
  const std::string_view prefix =
      colon == std::string_view::npos ? std::string_view{} : name.substr(0, colon);
  // Namespaces in XML 1.0 section 3: "xml" is bound by definition.
  if (prefix == "xml") return "http://www.w3.org/XML/1998/namespace";
  for (pugi::xml_node n = node; n.type() == pugi::node_element; n = n.parent()) {
    for (pugi::xml_attribute attr : n.attributes()) {
      std::string_view attrName = attr.name();
      if (prefix.empty()) {
        if (attrName == "xmlns") return attr.value();
      } else if (attrName.size() == prefix.size() + 6 && attrName.starts_with("xmlns:") &&
                 attrName.substr(6) == prefix) {
        return attr.value();
      }
    }
  }
  return {};
}

pugi::xml_node child(pugi::xml_node parent, std::string_view ns, std::string_view local) {
  for (pugi::xml_node node : parent.children()) {
    if (is(node, ns, local)) return node;
  }
  return {};
}

std::string_view text(pugi::xml_node node) {
  return trimXml(node.text().get());
}

std::string describe(pugi::xml_node node) {
  return "{" + std::string(namespaceUri(node)) + "}" + std::string(localName(node));
}

util::Result<pugi::xml_node> loadDocument(pugi::xml_document& doc, std::string_view body,
                                          std::string_view what) {
  // parse_default: elements, attributes, CDATA, escapes, end-of-line normalisation; no
  // processing instructions, comments or DOCTYPE nodes are kept.
  const pugi::xml_parse_result result =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, encodingOf(body));
  if (!result) {
    return util::makeError(400, std::string(what) + ": not well-formed XML (" +
                                    result.description() + " at offset " +
                                    std::to_string(result.offset) + ")");
  }
  pugi::xml_node root;
  for (pugi::xml_node node : doc.children()) {
    if (node.type() != pugi::node_element) continue;
    if (root) return util::makeError(400, std::string(what) + ": more than one root element");
    root = node;
  }
  if (!root) return util::makeError(400, std::string(what) + ": no root element");
  return root;
}

}  // namespace ccsip::events::xml
