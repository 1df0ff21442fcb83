// RFC 3261 19.1.4 URI comparison, RFC 3966 4 for tel, and address-of-record keys.

#include <array>

#include "sip/syntax.h"
#include "sip/uri.h"

namespace ccsip::sip {

namespace {

// Reads one character of a URI component, decoding a "%XX" escape.
struct Decoded {
  char c = 0;
  bool escaped = false;
};

Decoded decodeAt(std::string_view s, std::size_t& i) {
  if (s[i] == '%' && i + 2 < s.size()) {
    int hi = syntax::hexValue(s[i + 1]);
    int lo = syntax::hexValue(s[i + 2]);
    if (hi >= 0 && lo >= 0) {
      i += 3;
      return {static_cast<char>(hi * 16 + lo), true};
    }
  }
  return {s[i++], false};
}

struct RawParam {
  std::string_view name;
  std::string_view value;
  bool found = false;
};

template <class Fn>
void forEachUriParam(std::string_view params, char separator, Fn&& fn) {
  std::size_t i = 0;
  while (i < params.size()) {
    std::size_t end = params.find(separator, i);
    if (end == std::string_view::npos) end = params.size();
    std::string_view p = params.substr(i, end - i);
    std::size_t eq = p.find('=');
    fn(p.substr(0, eq), eq == std::string_view::npos ? std::string_view() : p.substr(eq + 1));
    i = end + 1;
  }
}

RawParam findRaw(std::string_view params, char separator, std::string_view name) {
  RawParam out;
  forEachUriParam(params, separator, [&](std::string_view n, std::string_view v) {
    if (!out.found && uriComponentEqual(n, name, true)) out = {n, v, true};
  });
  return out;
}

// RFC 3261 19.1.4: these parameters, present in either URI, must be present and equal in both.
constexpr std::array<std::string_view, 5> kMustMatch = {"user", "ttl", "method", "maddr",
                                                        "transport"};

bool sipParamsEquivalent(std::string_view a, std::string_view b) {
  bool ok = true;
  forEachUriParam(a, ';', [&](std::string_view name, std::string_view value) {
    // A repeated parameter counts by its first occurrence, as Uri::param() reads it, so that
    // every URI stays equivalent to itself.
    if (findRaw(a, ';', name).name.data() != name.data()) return;
    RawParam other = findRaw(b, ';', name);
    if (other.found) {
      if (!uriComponentEqual(value, other.value, true)) ok = false;
      return;
    }
    for (std::string_view special : kMustMatch) {
      if (uriComponentEqual(name, special, true)) ok = false;
    }
  });
  if (!ok) return false;
  for (std::string_view special : kMustMatch) {
    if (findRaw(b, ';', special).found && !findRaw(a, ';', special).found) return false;
  }
  return true;
}

std::size_t countParts(std::string_view s, char separator) {
  if (s.empty()) return 0;
  std::size_t n = 1;
  for (char c : s) n += c == separator ? 1 : 0;
  return n;
}

// Every header (or tel parameter) of a must be in b with an equal value, and no more.
bool sameSet(std::string_view a, std::string_view b, char separator, bool valueIgnoreCase) {
  if (countParts(a, separator) != countParts(b, separator)) return false;
  bool ok = true;
  forEachUriParam(a, separator, [&](std::string_view name, std::string_view value) {
    if (findRaw(a, separator, name).name.data() != name.data()) return;  // as above
    RawParam other = findRaw(b, separator, name);
    if (!other.found || !uriComponentEqual(value, other.value, valueIgnoreCase)) ok = false;
  });
  return ok;
}

// RFC 3966 4: visual separators do not count, hex digits compare case-insensitively.
bool telNumbersEqual(std::string_view a, std::string_view b) {
  auto visual = [](char c) { return c == '-' || c == '.' || c == '(' || c == ')'; };
  std::size_t i = 0;
  std::size_t j = 0;
  while (true) {
    while (i < a.size() && visual(a[i])) ++i;
    while (j < b.size() && visual(b[j])) ++j;
    if (i >= a.size() || j >= b.size()) return i >= a.size() && j >= b.size();
    Decoded x = decodeAt(a, i);
    Decoded y = decodeAt(b, j);
    if (syntax::toLower(x.c) != syntax::toLower(y.c)) return false;
  }
}

}  // namespace

bool uriComponentEqual(std::string_view a, std::string_view b, bool ignoreCase) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    Decoded x = decodeAt(a, i);
    Decoded y = decodeAt(b, j);
    char cx = ignoreCase ? syntax::toLower(x.c) : x.c;
    char cy = ignoreCase ? syntax::toLower(y.c) : y.c;
    if (cx != cy) return false;
    // An escaped reserved character is data, the unescaped one a delimiter.
    if (x.escaped != y.escaped && syntax::is(x.c, syntax::kReserved)) return false;
  }
  return i == a.size() && j == b.size();
}

bool uriEquivalent(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme) return false;
  switch (a.scheme) {
    case UriScheme::Sip:
    case UriScheme::Sips:
      // RFC 3261 19.1.4: userinfo case-sensitive, host case-insensitive, a port present in one
      // only makes them differ (5060 may not be where the other resolves).
      return uriComponentEqual(a.user, b.user, false) &&
             uriComponentEqual(a.password, b.password, false) && syntax::iequals(a.host, b.host) &&
             a.port == b.port && sipParamsEquivalent(a.params, b.params) &&
             sameSet(a.headers, b.headers, '&', false);
    case UriScheme::Tel:
      return telNumbersEqual(a.user, b.user) && sameSet(a.params, b.params, ';', true);
    case UriScheme::Other:
      return syntax::iequals(a.schemeText, b.schemeText) &&
             a.text.substr(a.schemeText.size()) == b.text.substr(b.schemeText.size());
  }
  return false;
}

std::string addressOfRecord(const Uri& uri) {
  std::string out;
  out.reserve(uri.schemeText.size() + uri.user.size() + uri.host.size() + 8);
  for (char c : uri.schemeText) out.push_back(syntax::toLower(c));
  out.push_back(':');
  if (uri.scheme == UriScheme::Other) {
    out.append(uri.text.substr(std::min(uri.text.size(), uri.schemeText.size() + 1)));
    return out;
  }
  out.append(uri.user);
  if (uri.scheme == UriScheme::Tel) return out;
  if (!uri.user.empty()) out.push_back('@');
  for (char c : uri.host) out.push_back(syntax::toLower(c));
  if (uri.port != 0) {
    out.push_back(':');
    out.append(std::to_string(uri.port));
  }
  return out;
}

}  // namespace ccsip::sip
