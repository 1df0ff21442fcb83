#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sip/method.h"
#include "sip/uri.h"
#include "util/result.h"

namespace ccsip::sip {

// Typed views of the headers the stack needs on every message. All views point into the owning
// Message's storage (or the text handed to the parse function).

// name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route, ...
struct NameAddr {
  std::string_view text;         // the whole header value
  std::string_view displayName;  // without quotes; escapes kept; "" if none
  Uri uri;
  std::string_view params;  // raw header params after the URI (without leading ';')
                            // addr-spec form (no <>): everything after the first ';'
  std::string_view tag;     // the "tag" param, "" if none
  bool wildcard = false;    // Contact: *
  std::optional<std::string_view> param(std::string_view name) const;
};

// RFC 3261 20.42 Via, RFC 3581 rport.
struct Via {
  std::string_view text;
  std::string_view protocol;   // "SIP/2.0" (also when sent with LWS around the slashes)
  std::string_view transport;  // "UDP", "TCP", "TLS", "SCTP", ... as sent
  std::string_view host;       // sent-by host (brackets kept for IPv6)
  std::uint16_t port = 0;      // sent-by port, 0 if absent
  std::string_view params;     // raw, without leading ';'
  std::string_view branch;
  std::string_view received;
  bool hasRport = false;               // "rport" present, with or without a value
  std::optional<std::uint16_t> rport;  // its value when present
  std::optional<std::string_view> param(std::string_view name) const;
  // RFC 3261 8.1.1.7: branches of RFC 3261 elements begin with the magic cookie.
  bool hasMagicCookie() const { return branch.starts_with("z9hG4bK"); }
};

struct CSeq {
  std::uint32_t number = 0;
  Method method = Method::Unknown;
  std::string_view methodText;
};

// A value with header parameters: Event ("presence;id=4"), Subscription-State
// ("active;expires=3600"), Content-Type ("application/sdp;charset=utf-8"), Content-Disposition.
struct ValueWithParams {
  std::string_view text;    // the whole header value
  std::string_view value;   // before the first ';', LWS-trimmed ("presence", "application/sdp")
  std::string_view params;  // raw, without leading ';'
  std::optional<std::string_view> param(std::string_view name) const;
};

// Header parameter lookup in raw params (LWS allowed around ';' and '=', names
// case-insensitive). A flag parameter yields ""; a quoted value is returned without its quotes
// (escapes kept); absence yields nullopt.
std::optional<std::string_view> findParam(std::string_view params, std::string_view name);

util::Result<NameAddr> parseNameAddr(std::string_view text);
util::Result<Via> parseVia(std::string_view text);
util::Result<CSeq> parseCSeq(std::string_view text);
util::Result<ValueWithParams> parseValueWithParams(std::string_view text);
// Splits a list header value at top-level commas (not inside quotes or <...>), trimming LWS.
std::vector<std::string_view> splitList(std::string_view value);

}  // namespace ccsip::sip
