#include "cti/json_writer.h"

#include <charconv>
#include <cstdint>

#include <boost/json/serialize.hpp>

namespace ccsip::cti {

namespace json = boost::json;

namespace {

// Nesting beyond this is written by boost::json itself (its own stack, no recursion here):
// events nest two or three levels; a client's userData is limited to kMaxJsonDepth on input.
constexpr int kMaxRecursion = 32;

// RFC 8259 7: '"', '\\' and the control characters must be escaped.
bool needsEscape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

template <class Integer>
void appendInteger(std::string& out, Integer value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void appendValue(std::string& out, const json::value& value, int depth);

void appendObject(std::string& out, const json::object& object, int depth) {
  out += '{';
  bool first = true;
  for (const auto& member : object) {
    if (!first) out += ',';
    first = false;
    appendJsonString(out, std::string_view(member.key().data(), member.key().size()));
    out += ':';
    appendValue(out, member.value(), depth + 1);
  }
  out += '}';
}

void appendValue(std::string& out, const json::value& value, int depth) {
  if (depth > kMaxRecursion) {
    out += json::serialize(value);
    return;
  }
  switch (value.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      appendInteger(out, value.get_int64());
      return;
    case json::kind::uint64:
      appendInteger(out, value.get_uint64());
      return;
    case json::kind::double_:
      out += json::serialize(value);
      return;
    case json::kind::string: {
      const json::string& text = value.get_string();
      appendJsonString(out, std::string_view(text.data(), text.size()));
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& element : value.get_array()) {
        if (!first) out += ',';
        first = false;
        appendValue(out, element, depth + 1);
      }
      out += ']';
      return;
    }
    case json::kind::object:
      appendObject(out, value.get_object(), depth);
      return;
  }
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!needsEscape(c)) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(escaped, sizeof escaped);
        break;
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void appendJson(std::string& out, const json::value& value) {
  appendValue(out, value, 0);
}

void appendJson(std::string& out, const json::object& object) {
  appendObject(out, object, 0);
}

}  // namespace ccsip::cti
