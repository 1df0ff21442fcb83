#pragma once

#include <string>

#include "sip/message.h"

namespace ccsip::sip {

// Appends the wire form of `message` to `out` (a reusable buffer: clear() keeps its capacity).
// Writes headers in stored order, Content-Length computed from the body.
void serialize(const Message& message, std::string& out);
std::string toString(const Message& message);

// RFC 3261 8.2.6.2: a response to `request` copying Via(s), From, To (adding toTag when the
// request's To has none and toTag is not empty), Call-ID and CSeq. For 2xx..6xx, and 1xx other
// than 100, the caller supplies the To tag. Record-Route is copied when copyRecordRoute is set
// (RFC 3261 12.1.1, dialog-creating 2xx/1xx).
Message makeResponse(const Message& request, int statusCode, std::string_view reasonPhrase,
                     std::string_view toTag = {}, bool copyRecordRoute = false);

// The RFC 3261 21 reason phrase for a status code ("Not Found"); "" when unknown.
std::string_view defaultReasonPhrase(int statusCode);

}  // namespace ccsip::sip
