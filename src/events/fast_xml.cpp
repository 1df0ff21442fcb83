#include "events/fast_xml.h"

#include <cstring>

#include "events/text_util.h"

namespace ccsip::events::xml {

namespace {

// Beyond these the body is no plain event body: pugixml reads it (and its namespace lookups
// walk the tree on demand instead of once per element here).
constexpr std::size_t kMaxElements = 1024;
constexpr std::size_t kMaxDepth = 32;

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

// Room for a typical presence document without growing (Asterisk's has 11 elements).
constexpr std::size_t kTypicalElements = 16;

// No byte outside 7-bit ASCII and no NUL (see xml_names.cpp on encodings), eight bytes a step.
bool isPlainAscii(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    // A high bit set, or a zero byte (the classic "has zero byte" test on 7-bit bytes).
    if ((word & kHighBits) != 0 || ((word - kOnes) & ~word & kHighBits) != 0) return false;
  }
  for (; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0 || byte >= 0x80) return false;
  }
  return true;
}

bool isNameStart(char c) {
  return isAlpha(c) || c == '_' || c == ':';
}

bool isNameChar(char c) {
  return isNameStart(c) || isDigit(c) || c == '-' || c == '.';
}

class Reader {
 public:
  Reader(std::string_view body, FastDocument& document) : body_(body), document_(document) {}

  bool read() {
    document_.elements.clear();
    document_.attributes.clear();
    document_.elements.reserve(kTypicalElements);
    document_.attributes.reserve(kTypicalElements);
    if (!isPlainAscii(body_)) return false;
    // The XML declaration, skipped as pugixml skips it (parse_declaration is not set).
    if (body_.starts_with("<?xml") && body_.size() > 5 && isXmlSpace(body_[5])) {
      const std::size_t end = body_.find("?>", 5);
      if (end == std::string_view::npos) return false;
      pos_ = end + 2;
    }
    while (pos_ < body_.size()) {
      if (body_[pos_] != '<') {
        if (!readText()) return false;
      } else if (pos_ + 1 < body_.size() && body_[pos_ + 1] == '/') {
        if (!readEndTag()) return false;
      } else {
        if (!readStartTag()) return false;
      }
    }
    return rootClosed_ && open_.empty();
  }

 private:
  FastElement& element(std::uint32_t index) { return document_.elements[index]; }

  bool readText() {
    std::size_t end = body_.find('<', pos_);
    if (end == std::string_view::npos) end = body_.size();
    const std::string_view text = body_.substr(pos_, end - pos_);
    pos_ = end;
    if (trimXml(text).empty()) return true;  // pugixml keeps no white-space-only text
    if (open_.empty()) return false;         // text outside the root element
    // pugixml would expand references and turn CR LF into LF: not the raw bytes then.
    if (text.find('&') != std::string_view::npos || text.find('\r') != std::string_view::npos) {
      return false;
    }
    FastElement& current = element(open_.back());
    if (current.text.empty()) current.text = text;
    return true;
  }

  std::string_view readName() {
    const std::size_t start = pos_;
    if (pos_ >= body_.size() || !isNameStart(body_[pos_])) return {};
    while (pos_ < body_.size() && isNameChar(body_[pos_])) ++pos_;
    return body_.substr(start, pos_ - start);
  }

  bool skipSpace() {
    const std::size_t start = pos_;
    while (pos_ < body_.size() && isXmlSpace(body_[pos_])) ++pos_;
    return pos_ != start;
  }

  bool readEndTag() {
    if (open_.empty()) return false;
    pos_ += 2;
    const std::string_view name = readName();
    if (name.empty() || name != element(open_.back()).name) return false;
    skipSpace();
    if (pos_ >= body_.size() || body_[pos_] != '>') return false;
    ++pos_;
    open_.pop_back();
    lastChild_.pop_back();
    if (open_.empty()) rootClosed_ = true;
    return true;
  }

  bool readStartTag() {
    // Comments, CDATA, DOCTYPE and processing instructions are pugixml's.
    if (pos_ + 1 >= body_.size() || body_[pos_ + 1] == '!' || body_[pos_ + 1] == '?') return false;
    if (rootClosed_) return false;  // a second root element
    if (document_.elements.size() >= kMaxElements || open_.size() >= kMaxDepth) return false;
    ++pos_;
    FastElement added;
    added.name = readName();
    if (added.name.empty()) return false;
    added.parent = open_.empty() ? FastElement::kNone : open_.back();
    added.firstAttribute = static_cast<std::uint32_t>(document_.attributes.size());
    bool selfClosing = false;
    while (true) {
      const bool spaced = skipSpace();
      if (pos_ >= body_.size()) return false;
      const char c = body_[pos_];
      if (c == '>') {
        ++pos_;
        break;
      }
      if (c == '/') {
        if (pos_ + 1 >= body_.size() || body_[pos_ + 1] != '>') return false;
        pos_ += 2;
        selfClosing = true;
        break;
      }
      if (!spaced || !readAttribute()) return false;
      ++added.attributeCount;
    }
    const auto index = static_cast<std::uint32_t>(document_.elements.size());
    document_.elements.push_back(added);
    if (!open_.empty()) {
      std::uint32_t& last = lastChild_.back();
      if (last == FastElement::kNone) {
        element(open_.back()).firstChild = index;
      } else {
        element(last).nextSibling = index;
      }
      last = index;
    }
    element(index).ns = resolveNamespace(index);
    if (selfClosing) {
      if (open_.empty()) rootClosed_ = true;
    } else {
      open_.push_back(index);
      lastChild_.push_back(FastElement::kNone);
    }
    return true;
  }

  bool readAttribute() {
    const std::string_view name = readName();
    if (name.empty()) return false;
    skipSpace();
    if (pos_ >= body_.size() || body_[pos_] != '=') return false;
    ++pos_;
    skipSpace();
    if (pos_ >= body_.size() || (body_[pos_] != '"' && body_[pos_] != '\'')) return false;
    const char quote = body_[pos_++];
    const std::size_t end = body_.find(quote, pos_);
    if (end == std::string_view::npos) return false;
    const std::string_view value = body_.substr(pos_, end - pos_);
    // pugixml expands references and turns TAB, CR and LF into spaces in attribute values.
    for (const char c : value) {
      if (c == '<' || c == '&' || c == '\t' || c == '\r' || c == '\n') return false;
    }
    document_.attributes.push_back({name, value});
    pos_ = end + 1;
    return true;
  }

  // Namespaces in XML 1.0 section 6: the nearest declaration of the element's prefix (or of the
  // default namespace) on it or an ancestor, as xml::namespaceUri reads a pugixml tree.
  std::string_view resolveNamespace(std::uint32_t index) {
    const std::string_view name = element(index).name;
    const std::size_t colon = name.find(':');
    const std::string_view prefix =
        colon == std::string_view::npos ? std::string_view{} : name.substr(0, colon);
    if (prefix == "xml") return kXmlNamespace;
    for (std::uint32_t n = index; n != FastElement::kNone; n = element(n).parent) {
      const FastElement& holder = element(n);
      for (std::uint32_t a = 0; a < holder.attributeCount; ++a) {
        const FastAttribute& attribute = document_.attributes[holder.firstAttribute + a];
        if (prefix.empty()) {
          if (attribute.name == "xmlns") return attribute.value;
        } else if (attribute.name.size() == prefix.size() + 6 &&
                   attribute.name.starts_with("xmlns:") && attribute.name.substr(6) == prefix) {
          return attribute.value;
        }
      }
    }
    return {};
  }

  std::string_view body_;
  FastDocument& document_;
  std::size_t pos_ = 0;
  std::vector<std::uint32_t> open_;       // the elements not yet closed, outermost first
  std::vector<std::uint32_t> lastChild_;  // per open element: its last child so far
  bool rootClosed_ = false;
};

}  // namespace

bool readFast(std::string_view body, FastDocument& document) {
  return Reader(body, document).read();
}

std::string_view FastNode::attribute(std::string_view name) const {
  const FastElement& e = element();
  for (std::uint32_t a = 0; a < e.attributeCount; ++a) {
    const FastAttribute& attribute = document_->attributes[e.firstAttribute + a];
    if (attribute.name == name) return attribute.value;
  }
  return {};
}

bool FastNode::hasAttribute(std::string_view name) const {
  const FastElement& e = element();
  for (std::uint32_t a = 0; a < e.attributeCount; ++a) {
    if (document_->attributes[e.firstAttribute + a].name == name) return true;
  }
  return false;
}

}  // namespace ccsip::events::xml
