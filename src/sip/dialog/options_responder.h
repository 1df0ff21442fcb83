#pragma once

// Answers OPTIONS addressed to the server itself (RFC 3261 11.2): capabilities in Allow, Accept,
// Accept-Encoding, Accept-Language, Supported and Allow-Events, no body. Asterisk's qualify
// and SIP load balancers (Kamailio dispatcher) probe ccsip this way; the answer is cheap and
// needs no state.

#include <string>
#include <string_view>
#include <vector>

#include "sip/message.h"
#include "util/random.h"

namespace ccsip::sip::dialog {

struct OptionsResponderOptions {
  std::string server = "ccsip";  // Server header; empty: none
  // The application sets these lists from what it has wired; the defaults are the methods,
  // extensions and event packages the SIP core implements.
  std::vector<std::string> allow = {"INVITE",   "ACK",       "BYE",    "CANCEL", "OPTIONS",
                                    "REGISTER", "SUBSCRIBE", "NOTIFY", "INFO",   "UPDATE"};
  std::vector<std::string> accept = {"application/sdp"};
  std::vector<std::string> acceptEncoding = {"identity"};
  std::vector<std::string> acceptLanguage = {"en"};
  std::vector<std::string> supported = {"path"};
  std::vector<std::string> allowEvents = {"presence", "dialog", "message-summary"};
};

class OptionsResponder {
 public:
  explicit OptionsResponder(OptionsResponderOptions options = {});

  // RFC 3261 11.2: the status the request would get as an INVITE (200 for the server itself;
  // a caller routing OPTIONS to a DN may pass 404 or 486), with the capability headers on every
  // answer. A Require naming an extension not in `supported` gets 420 (RFC 3261 8.2.2.3).
  sip::Message respond(const sip::Message& request, int statusCode = 200);

  const OptionsResponderOptions& options() const { return options_; }

 private:
  OptionsResponderOptions options_;
  util::Random random_;
  // Joined once: the lists do not change after construction.
  std::string allow_;
  std::string accept_;
  std::string acceptEncoding_;
  std::string acceptLanguage_;
  std::string supported_;
  std::string allowEvents_;
};

}  // namespace ccsip::sip::dialog
