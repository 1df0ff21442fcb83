#pragma once

// Walks the header fields of a message head textually, for the few headers the transport must
// read before (or without) the parser: Content-Length for framing, and the headers a 513 copies.

#include <cstddef>
#include <string_view>

namespace ccsip::sip::transport {

struct HeaderField {
  std::string_view raw;    // the whole field, continuation lines included, line end excluded
  std::string_view name;   // before the colon, surrounding whitespace trimmed; empty: no colon
  std::string_view value;  // after the colon, untrimmed (may hold folded line breaks)
};

// Iterates the fields after the start line. Only complete lines (ending in LF) are returned,
// so a head cut at the size limit yields no half line; stops at the empty line ending the head.
// RFC 3261 7.3.1: a line starting with SP or HT continues the previous field.
class HeadFields {
 public:
  explicit HeadFields(std::string_view head) : head_(head) {
    const std::size_t eol = head_.find('\n');
    startLine_ = trimCr(head_.substr(0, eol));
    pos_ = eol == std::string_view::npos ? head_.size() : eol + 1;
  }

  std::string_view startLine() const { return startLine_; }

  bool next(HeaderField& field) {
    if (pos_ >= head_.size()) return false;
    const std::size_t begin = pos_;
    std::size_t scan = begin;
    std::size_t eol = 0;
    for (;;) {
      eol = head_.find('\n', scan);
      if (eol == std::string_view::npos) {  // an incomplete last line: not a field
        pos_ = head_.size();
        return false;
      }
      const bool emptyLine =
          scan == begin && (eol == begin || (eol == begin + 1 && head_[begin] == '\r'));
      const bool folded =
          eol + 1 < head_.size() && (head_[eol + 1] == ' ' || head_[eol + 1] == '\t');
      if (emptyLine || !folded) break;
      scan = eol + 1;
    }
    pos_ = eol + 1;
    std::string_view raw = trimCr(head_.substr(begin, eol - begin));
    if (raw.empty()) {  // the empty line: end of head
      pos_ = head_.size();
      return false;
    }
    field.raw = raw;
    const std::size_t colon = raw.find(':');
    if (colon == std::string_view::npos) {
      field.name = {};
      field.value = raw;
    } else {
      field.name = trim(raw.substr(0, colon));
      field.value = raw.substr(colon + 1);
    }
    return true;
  }

  static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  static std::string_view trim(std::string_view s) {
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
  }
  static bool equalsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i];
      char y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  }

 private:
  static std::string_view trimCr(std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
  }

  std::string_view head_;
  std::string_view startLine_;
  std::size_t pos_ = 0;
};

}  // namespace ccsip::sip::transport
