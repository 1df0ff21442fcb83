#pragma once

// A minimal response built textually from a request head the parser never sees: used for
// 513 Message Too Large on a stream (RFC 3261 18.3 / 21.5.14), where the message is refused
// before it is complete.

#include <optional>
#include <string>
#include <string_view>

namespace ccsip::sip::transport {

// RFC 3261 8.2.6.2: copies every Via (in order), From, To, Call-ID and CSeq of the request
// head, adds `toTag` to a To without a tag (when toTag is not empty) and Content-Length: 0.
// nullopt when the head is a response, an ACK (RFC 3261 17: never answered), or lacks a Via,
// From, To, Call-ID or CSeq among its complete lines. Never throws on any input.
std::optional<std::string> buildStatelessResponse(std::string_view requestHead, int status,
                                                  std::string_view reason, std::string_view toTag);

inline std::optional<std::string> buildTooLargeResponse(std::string_view requestHead,
                                                        std::string_view toTag) {
  return buildStatelessResponse(requestHead, 513, "Message Too Large", toTag);
}

}  // namespace ccsip::sip::transport
