#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/message.h"
#include "util/result.h"

namespace ccsip::sip {

enum class Framing {
  // RFC 3261 18.3: over UDP a missing Content-Length means "the rest of the datagram", and
  // octets beyond Content-Length are discarded (RFC 4475 3.1.1.11 dblreq).
  Datagram,
  // Over TCP the framer has already cut the message to headers + Content-Length octets.
  Stream,
};

struct ParseError {
  int status = 400;    // the status to answer a request with (400, 505, 413, ...)
  std::string reason;  // a reason phrase naming what is wrong ("Bad CSeq", ...)
  // Nothing should be sent back: a response (RFC 4475 3.1.2.19 bigcode), no recognisable
  // start line, or a request whose top Via or CSeq did not parse (no response can be routed
  // or matched). Otherwise answer `status` with `reason` (message.canBuildResponse() is true).
  bool drop = false;
};

struct ParseResult {
  // Always set for an input that began with a recognisable start line; on error it holds what
  // could be parsed, so a 400 can be built when message.canBuildResponse().
  Message message;
  std::optional<ParseError> error;
  bool ok() const { return !error.has_value(); }
};

// Parses one message, taking ownership of the bytes (no copy): folded lines are unfolded in
// place, Via, Contact, Route and Record-Route are split into one field per value (other list
// headers stay one field per line: Message::headerValues splits them), and the essential
// headers (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length, Content-Type, Contact,
// Route, Record-Route, Event, Subscription-State, Date) are validated. Never throws.
ParseResult parseMessage(std::string bytes, Framing framing = Framing::Datagram);

}  // namespace ccsip::sip
