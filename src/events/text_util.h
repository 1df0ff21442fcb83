#pragma once

#include <cstddef>
#include <string_view>

// Small ASCII helpers shared by the event-body parsers (internal to src/events).
namespace ccsip::events {

constexpr bool isLinearSpace(char c) {
  return c == ' ' || c == '\t';
}
constexpr bool isXmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
constexpr bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

constexpr char toLowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (toLowerAscii(a[i]) != toLowerAscii(b[i])) return false;
  }
  return true;
}

// Strips SP and HTAB at both ends (header values).
constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && isLinearSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isLinearSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Strips XML white space (SP, HTAB, CR, LF) at both ends (element text).
constexpr std::string_view trimXml(std::string_view s) {
  while (!s.empty() && isXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 3261 25.1 token.
constexpr bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (isAlpha(c) || isDigit(c)) continue;
    switch (c) {
      case '-':
      case '.':
      case '!':
      case '%':
      case '*':
      case '_':
      case '+':
      case '`':
      case '\'':
      case '~':
        continue;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace ccsip::events
