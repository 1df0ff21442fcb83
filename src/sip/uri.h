#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ccsip::sip {

enum class UriScheme : std::uint8_t { Sip, Sips, Tel, Other };

// A parsed URI (RFC 3261 19.1, RFC 3966 for tel). Zero-copy: every view points into the text it
// was parsed from, which must outlive the Uri (inside a Message it is the message's own buffer).
// Escapes (%XX) are kept as on the wire; compare with uriEquivalent(), which unescapes.
struct Uri {
  std::string_view text;  // the whole URI as parsed
  UriScheme scheme = UriScheme::Other;
  std::string_view schemeText;  // "sip", "SIP", "tel", "mailto", ...
  std::string_view user;        // tel: the number; other schemes: empty
  std::string_view password;
  std::string_view host;     // IPv6 references keep their brackets: "[2001:db8::10]"
  std::uint16_t port = 0;    // 0: no port given
  std::string_view params;   // raw ";a=b;c" (without the leading ';'), "" if none
  std::string_view headers;  // raw "a=b&c=d" after '?', "" if none

  bool isSip() const { return scheme == UriScheme::Sip || scheme == UriScheme::Sips; }
  bool isIpv6() const { return !host.empty() && host.front() == '['; }
  // Parameter lookup, names case-insensitive (RFC 3261 19.1.4). A flag parameter ("lr")
  // yields an empty value; absence yields nullopt.
  std::optional<std::string_view> param(std::string_view name) const;
  bool hasParam(std::string_view name) const { return param(name).has_value(); }
  // "transport" parameter, lower-cased by the caller's comparison; "" if absent.
  std::string_view transportParam() const { return param("transport").value_or(""); }
};

// Parses a complete URI. Error.code is 400 with a reason naming what is wrong.
util::Result<Uri> parseUri(std::string_view text);

// RFC 3261 19.1.4 comparison rules (escapes, case of host/params, parameters present in one).
bool uriEquivalent(const Uri& a, const Uri& b);

// Compares two URI components (user, password, parameter names or values, header values) with
// the RFC 3261 19.1.4 escape rule: "%61" equals "a", but an escaped reserved character does not
// equal the unescaped one. Hosts and parameters compare with ignoreCase.
bool uriComponentEqual(std::string_view a, std::string_view b, bool ignoreCase);

// Decodes %XX escapes (malformed escapes are kept as they are).
std::string uriUnescape(std::string_view text);

// "sip:user@host:port" rebuilt without params/headers, for logging and AOR keys.
std::string addressOfRecord(const Uri& uri);

}  // namespace ccsip::sip
