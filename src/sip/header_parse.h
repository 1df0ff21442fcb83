#pragma once

// Lenient variants of the public header parsers, for the message parser: they fill in what
// could be parsed so that a 400 can still be answered, and report what was wrong. Internal.

#include <string_view>

#include "sip/header_id.h"
#include "sip/headers.h"

namespace ccsip::sip::detail {

// isListHeader(), inline for the parser's hot path.
constexpr bool listHeader(HeaderId id) {
  // RFC 3261 7.3.1: the headers whose grammar is a comma-separated list. The authentication
  // headers are not: their parameters are separated by commas.
  switch (id) {
    case HeaderId::Accept:
    case HeaderId::AcceptEncoding:
    case HeaderId::AcceptLanguage:
    case HeaderId::AlertInfo:
    case HeaderId::Allow:
    case HeaderId::AllowEvents:
    case HeaderId::CallInfo:
    case HeaderId::Contact:
    case HeaderId::ContentEncoding:
    case HeaderId::ContentLanguage:
    case HeaderId::ErrorInfo:
    case HeaderId::InReplyTo:
    case HeaderId::ProxyRequire:
    case HeaderId::Reason:
    case HeaderId::RecordRoute:
    case HeaderId::Require:
    case HeaderId::Route:
    case HeaderId::Supported:
    case HeaderId::Unsupported:
    case HeaderId::Via:
    case HeaderId::Warning:
      return true;
    default:
      return false;
  }
}

// The list headers the parser splits into one field per value: the stack reads every value of
// these on every message (Via to route responses, RFC 3261 18.2.2; Contact, Route and
// Record-Route for targets, route sets and dialogs, RFC 3261 12.1, 16.12). The other list
// headers (Allow, Supported, Require, Accept, ...) stay one field per line, split only when
// read (Message::headerValues): most messages never look at them, and a typical INVITE's Allow
// line alone holds a dozen values.
constexpr bool splitOnParse(HeaderId id) {
  return id == HeaderId::Via || id == HeaderId::Contact || id == HeaderId::Route ||
         id == HeaderId::RecordRoute;
}

enum class ViaStatus : std::uint8_t { Ok, BadParams, Bad };
// Bad: nothing usable. BadParams: sent-protocol and sent-by are usable, a parameter is not.
ViaStatus parseViaInto(std::string_view text, Via& via);

// Fills number and method as far as they parse; true when the whole value is valid.
bool parseCSeqInto(std::string_view text, CSeq& cseq);

bool parseNameAddrInto(std::string_view text, NameAddr& out);

// parseUri without the Result: nullptr on success, else what is wrong.
const char* parseUriInto(std::string_view text, Uri& uri);

// RFC 3261 25.1 callid = word [ "@" word ]
bool validCallId(std::string_view text);
// RFC 3261 20.17: rfc1123-date, always in GMT.
bool validDate(std::string_view text);
// RFC 3261 20.15 media-type = m-type SLASH m-subtype *(SEMI m-parameter)
bool validMediaType(std::string_view text);
// token *(SEMI generic-param): Event (RFC 6665 8.2.1), Subscription-State.
bool validTokenWithParams(std::string_view text);

// Index of the first ',', '"' or '<' in s[i..], or s.size().
std::size_t findListSpecial(std::string_view s, std::size_t i);

// Splits a list header value at top-level commas; items LWS-trimmed (possibly empty).
class ListSplitter {
 public:
  explicit ListSplitter(std::string_view value) : s_(value) {}
  bool next(std::string_view& item);

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  bool done_ = false;
};

// Calls f(value) for every value a field holds, as Message counts them: the field's value
// itself, except that a list header kept whole (!splitOnParse) yields each non-empty element.
// An empty value is one (empty) value: "Accept:" is present and accepts nothing (RFC 3261
// 20.1). Returns false as soon as f does.
template <class F>
bool forEachValue(HeaderId id, std::string_view value, F&& f) {
  if (value.empty() || !listHeader(id) || splitOnParse(id) ||
      findListSpecial(value, 0) == value.size()) {
    return f(value);
  }
  ListSplitter splitter(value);
  std::string_view item;
  while (splitter.next(item)) {
    if (!item.empty() && !f(item)) return false;
  }
  return true;
}

}  // namespace ccsip::sip::detail
