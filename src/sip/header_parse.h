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

}  // namespace ccsip::sip::detail
