#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sip/header_id.h"
#include "sip/message.h"
#include "sip/method.h"

namespace ccsip::sip {

// What this UAS supports: the inputs of the RFC 3261 8.2 checks. The defaults describe ccsip's
// SIP core; the application narrows or widens them.
struct ValidationPolicy {
  // RFC 3261 8.2.1: anything else gets 405 with Allow. ACK and CANCEL are never refused.
  std::vector<Method> supportedMethods = {Method::Invite,    Method::Ack,     Method::Bye,
                                          Method::Cancel,    Method::Options, Method::Register,
                                          Method::Subscribe, Method::Notify,  Method::Info,
                                          Method::Update,    Method::Refer};
  // RFC 3261 8.2.2.3: option tags this UAS implements (a Require outside the list gets 420).
  std::vector<std::string> supportedOptionTags;
  // RFC 3261 8.2.3: body types understood (media type without parameters, case-insensitive).
  std::vector<std::string> acceptedContentTypes = {
      "application/sdp",
      "application/pidf+xml",
      "application/dialog-info+xml",
      "application/simple-message-summary",
      "application/dtmf-relay",
      "message/sipfrag",
  };
  // RFC 3261 8.2.3: content codings understood besides "identity".
  std::vector<std::string> acceptedContentEncodings;
  // RFC 3261 8.2.2.1: Request-URI schemes served (case-insensitive); others get 416.
  std::vector<std::string> supportedUriSchemes = {"sip", "sips"};
  // Body types this UAS can put in an answer to INVITE. An INVITE whose Accept lists none of
  // them cannot be answered with a session description: 406 (RFC 4475 3.3.15 sdp01).
  std::vector<std::string> answerContentTypes = {"application/sdp"};
  // RFC 3261 16.3 step 3: a B2BUA forwards requests, so Max-Forwards 0 gets 483 ...
  bool rejectZeroMaxForwards = true;
  // ... except an OPTIONS, which RFC 3261 11 / RFC 4475 3.3.14 (zeromf) let the element answer
  // itself when it is the target.
  bool answerOptionsWithZeroMaxForwards = false;
};

struct RejectionHeader {
  HeaderId id = HeaderId::Other;
  std::string value;
};

// The response a request must get instead of being processed.
struct Rejection {
  int status = 400;
  std::string reason;                    // reason phrase for the response
  std::vector<RejectionHeader> headers;  // Allow, Unsupported, Accept, Accept-Encoding
};

// RFC 3261 8.2 request inspection, run on a request the parser accepted, in the RFC's order:
// 400 (missing or repeated mandatory headers, CSeq method mismatch, duplicate tags), 405, 416,
// 483, 420, 415 (or 400 for a body without Content-Type), 406. nullopt: go on processing.
// An ACK never gets a response (RFC 3261 17): a Rejection for an ACK means "discard it".
// Responses are not inspected here (nullopt).
std::optional<Rejection> validateRequest(const Message& request, const ValidationPolicy& policy);

}  // namespace ccsip::sip
