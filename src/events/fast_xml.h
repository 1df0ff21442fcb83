#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

// A quick reader for the plain XML that event bodies are in practice (internal to
// src/events). It builds a small element tree over the body's own bytes, with each element's
// namespace resolved, for exactly the documents whose tree pugixml (parse_default) would build
// the same from the raw bytes; for anything else it declines and the caller parses with
// pugixml, so the results, errors included, never depend on which reader ran.
//
// Declined: bytes outside 7-bit ASCII or NUL (see xml_names.cpp on encodings), comments, CDATA,
// DOCTYPE, processing instructions other than a leading XML declaration, entity or character
// references ('&'), CR/LF/TAB in attribute values (pugixml normalises them), CR in element text
// that is not only white space, names outside [A-Za-z_:][A-Za-z0-9_:.-]*, text outside the root
// element, more than one root, and every well-formedness error.
namespace ccsip::events::xml {

struct FastAttribute {
  std::string_view name;
  std::string_view value;
};

struct FastElement {
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;

  std::string_view name;  // as written, prefix included
  std::string_view ns;    // the namespace URI its prefix (or the default) is bound to; "" when none
  // The first text inside the element that is not only white space (pugixml's text()), "" if
  // none.
  std::string_view text;
  std::uint32_t parent = kNone;
  std::uint32_t firstChild = kNone;  // child elements only
  std::uint32_t nextSibling = kNone;
  std::uint32_t firstAttribute = 0;  // index into FastDocument::attributes
  std::uint32_t attributeCount = 0;
};

struct FastDocument {
  std::vector<FastElement> elements;  // [0] is the root, then document order
  std::vector<FastAttribute> attributes;
};

// False when the body is not one the reader takes (see above); `document` is then meaningless.
bool readFast(std::string_view body, FastDocument& document);

// An element of a FastDocument with the accessors parsePidf reads (as on pugi::xml_node).
class FastNode {
 public:
  FastNode() = default;
  FastNode(const FastDocument* document, std::uint32_t index)
      : document_(document), index_(index) {}

  explicit operator bool() const { return document_ != nullptr && index_ != FastElement::kNone; }
  std::string_view name() const { return element().name; }
  std::string_view namespaceUri() const { return element().ns; }
  std::string_view text() const { return element().text; }
  // The value of the first attribute of that name, "" when none (pugixml's attribute().value()).
  std::string_view attribute(std::string_view name) const;
  bool hasAttribute(std::string_view name) const;
  FastNode firstChild() const { return {document_, element().firstChild}; }
  FastNode nextSibling() const { return {document_, element().nextSibling}; }
  FastNode parent() const { return {document_, element().parent}; }

 private:
  const FastElement& element() const { return document_->elements[index_]; }

  const FastDocument* document_ = nullptr;
  std::uint32_t index_ = FastElement::kNone;
};

}  // namespace ccsip::events::xml
