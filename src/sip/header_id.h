#pragma once

#include <cstdint>
#include <string_view>

namespace ccsip::sip {

// Headers the stack knows by name. Everything else is HeaderId::Other and kept verbatim.
enum class HeaderId : std::uint8_t {
  Other,
  Accept,
  AcceptEncoding,
  AcceptLanguage,
  AlertInfo,
  Allow,
  AllowEvents,
  Authorization,
  CallId,
  CallInfo,
  Contact,
  ContentDisposition,
  ContentEncoding,
  ContentLanguage,
  ContentLength,
  ContentType,
  CSeq,
  Date,
  ErrorInfo,
  Event,
  Expires,
  From,
  InReplyTo,
  MaxForwards,
  MimeVersion,
  MinExpires,
  MinSE,
  Organization,
  Priority,
  ProxyAuthenticate,
  ProxyAuthorization,
  ProxyRequire,
  Reason,
  RecordRoute,
  ReferTo,
  ReferredBy,
  ReplyTo,
  Require,
  RetryAfter,
  Route,
  RSeq,
  RAck,
  Server,
  SessionExpires,
  Subject,
  SubscriptionState,
  Supported,
  Timestamp,
  To,
  Unsupported,
  UserAgent,
  Via,
  Warning,
  WwwAuthenticate,
  Count_,  // not a header: the number of ids
};

// Case-insensitive; understands the compact forms of RFC 3261 7.3.3 and RFC 6665 (o, u, ...).
HeaderId headerIdFromName(std::string_view name);
// The canonical long name ("Call-ID", "CSeq", "WWW-Authenticate"); "" for Other.
std::string_view headerName(HeaderId id);
// Headers whose value is a comma-separated list that may be split across lines
// (RFC 3261 7.3.1). Via, Contact, Route, Record-Route, Allow, Supported, ...
bool isListHeader(HeaderId id);

}  // namespace ccsip::sip
