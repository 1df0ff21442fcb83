#pragma once

// Character classes and small scanners of the RFC 3261 25.1 grammar, shared by the URI, header
// and message parsers. Internal to src/sip: everything is inline so the hot path stays tight.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace ccsip::sip::syntax {

enum CharClass : std::uint32_t {
  kAlnum = 1 << 0,
  kToken = 1 << 1,          // token (RFC 3261 25.1)
  kWord = 1 << 2,           // word (Call-ID)
  kUnreserved = 1 << 3,     // alphanum / mark
  kUserExtra = 1 << 4,      // user-unreserved: & = + $ , ; ? /
  kParamExtra = 1 << 5,     // param-unreserved: [ ] / : & + $
  kHeaderExtra = 1 << 6,    // hnv-unreserved: [ ] / ? : + $
  kPasswordExtra = 1 << 7,  // & = + $ ,
  kHost = 1 << 8,           // hostname / IPv4 characters (alnum - . and the common '_')
  kHex = 1 << 9,
  kDigit = 1 << 10,
  kReserved = 1 << 11,    // ; / ? : @ & = + $ ,
  kWsp = 1 << 12,         // SP / HTAB
  kLws = 1 << 13,         // SP / HTAB / CR / LF
  kCallIdChar = 1 << 14,  // word / "@" (Call-ID, RFC 3261 25.1)
  kParamValue = 1 << 15,  // token / ":" / "[" / "]": unquoted gen-value (host and IPv6 forms)
  kUserChar = 1 << 16,    // unreserved / user-unreserved: an unescaped URI user octet
};

namespace detail {
constexpr std::array<std::uint32_t, 256> makeTable() {
  std::array<std::uint32_t, 256> t{};
  auto add = [&t](std::string_view chars, std::uint32_t cls) {
    for (char c : chars) t[static_cast<unsigned char>(c)] |= cls;
  };
  for (int c = 0; c < 256; ++c) {
    bool digit = c >= '0' && c <= '9';
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (digit || alpha) t[c] |= kAlnum | kToken | kWord | kUnreserved | kHost;
    if (digit) t[c] |= kDigit | kHex;
    if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) t[c] |= kHex;
  }
  add("-.!%*_+`'~", kToken | kWord);
  add("()<>:\\\"/[]?{}", kWord);
  add("-_.!~*'()", kUnreserved);
  add("&=+$,;?/", kUserExtra);
  add("[]/:&+$", kParamExtra);
  add("[]/?:+$", kHeaderExtra);
  add("&=+$,", kPasswordExtra);
  add("-._", kHost);
  add(";/?:@&=+$,", kReserved);
  add(" \t", kWsp);
  add(" \t\r\n", kLws);
  add("@", kCallIdChar);
  add(":[]", kParamValue);
  for (auto& cls : t) {
    if (cls & kWord) cls |= kCallIdChar;
    if (cls & kToken) cls |= kParamValue;
    if (cls & (kUnreserved | kUserExtra)) cls |= kUserChar;
  }
  return t;
}
inline constexpr std::array<std::uint32_t, 256> kTable = makeTable();

constexpr std::array<char, 256> makeLower() {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  return t;
}
// A lookup instead of a range test: names and parameters are compared case-insensitively on
// every message (RFC 3261 7.3.1, 19.1.4).
inline constexpr std::array<char, 256> kLower = makeLower();
}  // namespace detail

inline bool is(char c, std::uint32_t cls) {
  return (detail::kTable[static_cast<unsigned char>(c)] & cls) != 0;
}
inline bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
inline bool isWsp(char c) {
  return c == ' ' || c == '\t';
}
inline bool isTokenChar(char c) {
  return is(c, kToken);
}
constexpr char toLower(char c) {
  return detail::kLower[static_cast<unsigned char>(c)];
}
inline int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (toLower(a[i]) != toLower(b[i])) return false;
  }
  return true;
}

// Whitespace here includes CR/LF: folded lines are already unfolded in parsed messages, but
// views handed to the public parse functions may still contain them.
inline bool isLws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

inline std::string_view trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && isLws(s[b])) ++b;
  while (e > b && isLws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

inline std::size_t skipLws(std::string_view s, std::size_t i) {
  while (i < s.size() && isLws(s[i])) ++i;
  return i;
}

// True when every octet of s is in one of the classes of cls. Valid input is the common case,
// so for a single class the classes of four octets are and-ed together and tested once.
inline bool allOf(std::string_view s, std::uint32_t cls) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  if (std::has_single_bit(cls)) {
    const auto& t = detail::kTable;
    std::uint32_t acc = cls;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      acc &= t[p[i]] & t[p[i + 1]] & t[p[i + 2]] & t[p[i + 3]];
    }
    for (; i < n; ++i) acc &= t[p[i]];
    return acc != 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!is(static_cast<char>(p[i]), cls)) return false;
  }
  return true;
}

inline bool isToken(std::string_view s) {
  return !s.empty() && allOf(s, kToken);
}

// Index of the first octet of s[i..] not in cls (a single class bit), or s.size(). Four octets
// per step while all of them are in the class: tokens, hosts and parameter values are mostly
// longer than that.
inline std::size_t scan(std::string_view s, std::size_t i, std::uint32_t cls) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const auto& t = detail::kTable;
  while (i + 4 <= n && (t[p[i]] & t[p[i + 1]] & t[p[i + 2]] & t[p[i + 3]] & cls) != 0) i += 4;
  while (i < n && (t[p[i]] & cls) != 0) ++i;
  return i;
}

// 1*DIGIT into an unsigned value no larger than max; nullopt on anything else or overflow.
inline std::optional<std::uint64_t> parseNumber(std::string_view s, std::uint64_t max) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  if (s.size() <= 19) {  // at most 19 digits cannot overflow 64 bits: one check at the end
    for (char c : s) {
      auto digit = static_cast<unsigned char>(c - '0');
      if (digit > 9) return std::nullopt;
      v = v * 10 + digit;
    }
    return v <= max ? std::optional<std::uint64_t>(v) : std::nullopt;
  }
  for (char c : s) {  // leading zeros can make a valid number this long
    if (!isDigit(c)) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > max) return std::nullopt;
  }
  return v;
}

// Scans a quoted-string starting at s[i] == '"' (RFC 3261 25.1 quoted-pair allows any octet
// but CR/LF after '\'). Returns the index just past the closing quote, or npos if unterminated.
inline std::size_t skipQuoted(std::string_view s, std::size_t i) {
  ++i;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      if (i + 1 >= s.size()) return std::string_view::npos;
      i += 2;
      continue;
    }
    ++i;
  }
  return std::string_view::npos;
}

// "%XX" escapes must carry two hex digits (RFC 3261 25.1 escaped).
inline bool validEscapes(std::string_view s, std::uint32_t allowed) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return false;
      if (hexValue(s[i + 1]) < 0 || hexValue(s[i + 2]) < 0) return false;
      i += 2;
      continue;
    }
    if (!is(c, allowed)) return false;
  }
  return true;
}

// Index of the first octet equal to c in s[i..], or s.size(). Eight octets per step (SWAR: the
// "has a zero byte" trick on s ^ c; its lowest flag is exact), so short scans cost one
// predictable branch instead of one per octet.
inline std::size_t findByte(std::string_view s, std::size_t i, char c) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::uint64_t pattern = kOnes * static_cast<unsigned char>(c);
  const std::size_t n = s.size();
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    w ^= pattern;
    std::uint64_t m = (w - kOnes) & ~w & kHigh;
    if (m != 0) {
      if constexpr (std::endian::native == std::endian::little) {
        return i + static_cast<std::size_t>(std::countr_zero(m)) / 8;
      } else {
        return i + static_cast<std::size_t>(std::countl_zero(m)) / 8;
      }
    }
    i += 8;
  }
  while (i < n && s[i] != c) ++i;
  return i;
}

// One generic-param of a header (RFC 3261 25.1 generic-param), as read by ParamReader.
struct Param {
  std::string_view name;
  std::string_view value;  // without the quotes of a quoted-string; escapes kept
  bool hasValue = false;
  bool quoted = false;
};

// Reads ";"-separated header parameters, allowing LWS around ';' and '=' (RFC 3261 25.1 SEMI,
// EQUAL). Input is the text after the first ';'. Malformed parameters (empty names, bad
// values, unterminated quotes) set malformed() and are skipped, so lenient callers can still
// find the well-formed ones.
class ParamReader {
 public:
  explicit ParamReader(std::string_view params) : s_(params) {}

  bool next(Param& out) {
    while (true) {
      i_ = skipLws(s_, i_);
      if (i_ >= s_.size()) return false;
      if (s_[i_] == ';') {  // an empty parameter (";;")
        malformed_ = true;
        ++i_;
        continue;
      }
      std::size_t start = i_;
      i_ = scan(s_, i_, kToken);
      out = Param{};
      out.name = s_.substr(start, i_ - start);
      i_ = skipLws(s_, i_);
      bool ok = !out.name.empty();
      if (ok && i_ < s_.size() && s_[i_] == '=') {
        i_ = skipLws(s_, i_ + 1);
        out.hasValue = true;
        if (i_ < s_.size() && s_[i_] == '"') {
          std::size_t end = skipQuoted(s_, i_);
          if (end == std::string_view::npos) {
            malformed_ = true;
            i_ = s_.size();
            return false;
          }
          out.value = s_.substr(i_ + 1, end - i_ - 2);
          out.quoted = true;
          i_ = end;
        } else {
          std::size_t vs = i_;
          i_ = scan(s_, i_, kParamValue);
          out.value = s_.substr(vs, i_ - vs);
          ok = !out.value.empty();
        }
        i_ = skipLws(s_, i_);
      }
      if (ok && (i_ >= s_.size() || s_[i_] == ';')) {
        if (i_ < s_.size()) ++i_;
        return true;
      }
      // Garbage: skip to the next ';' and go on.
      malformed_ = true;
      while (i_ < s_.size() && s_[i_] != ';') ++i_;
    }
  }

  bool malformed() const { return malformed_; }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  bool malformed_ = false;
};

inline std::optional<std::string_view> findHeaderParam(std::string_view params,
                                                       std::string_view name) {
  ParamReader reader(params);
  Param p;
  while (reader.next(p)) {
    if (iequals(p.name, name)) return p.value;
  }
  return std::nullopt;
}

// Validates every parameter of a header (true when well-formed or empty).
inline bool validHeaderParams(std::string_view params) {
  ParamReader reader(params);
  Param p;
  while (reader.next(p)) {
  }
  return !reader.malformed();
}

}  // namespace ccsip::sip::syntax
