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
  // RFC 4475 3.1.2: some malformed requests are better dropped than answered.
  bool drop = false;
};

struct ParseResult {
  // Always set for an input that began with a recognisable start line; on error it holds what
  // could be parsed, so a 400 can be built when message.canBuildResponse().
  Message message;
  std::optional<ParseError> error;
  bool ok() const { return !error.has_value(); }
};

// Parses one message, taking ownership of the bytes (no copy).
ParseResult parseMessage(std::string bytes, Framing framing = Framing::Datagram);

}  // namespace ccsip::sip
