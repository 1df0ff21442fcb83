#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "sip/dialog/digest_authenticator.h"
#include "sip/transport/transport.h"
#include "util/time.h"

namespace ccsip::control {

// The application-wide no-answer defaults (options.extn-no-answer-*, options.agent-no-answer-*,
// DESIGN.md "No answer"). An unset timeout falls back to CallControlOptions::noAnswerTimeout.
struct NoAnswerDefaults {
  std::optional<util::Duration> extnTimeout;   // a DN without a logged-in agent
  std::optional<util::Duration> agentTimeout;  // a DN with a logged-in agent
  config::OverflowTarget extnOverflow{config::OverflowKind::Recall, ""};
  config::OverflowTarget agentOverflow{config::OverflowKind::Recall, ""};
  config::NoAnswerAction agentAction = config::NoAnswerAction::None;
};

struct CallControlOptions {
  // The switch (Asterisk) agent legs are sent to: INVITE sip:<dn>@<switchHost>:<switchPort>.
  std::string switchHost = "127.0.0.1";
  std::uint16_t switchPort = 5060;
  // switch.transport tcp: the legs to the switch say ;transport=tcp (RFC 3263 4.1).
  bool switchTcp = false;
  // Sources allowed to send calls to routing points (the switch); anything else gets 403.
  // A port of 0 accepts any source port of that address.
  std::vector<sip::transport::Address> trustedSources;
  // Address blocks whose every address is trusted on any port (switch.trusted: "10.0.0.0/24",
  // a cluster of Asterisk boxes behind one prefix).
  std::vector<config::IpNetwork> trustedNetworks;
  // An agent leg without a 2xx after this long is cancelled and reported to the router
  // (DESIGN.md "no-answer-timeout"), counted from the INVITE; a DN's own noAnswerTimeout wins.
  util::Duration noAnswerTimeout = std::chrono::seconds(15);
  // What applies before it, and where unanswered calls go (control/overflow.h).
  NoAnswerDefaults noAnswer;
  // MakeCall's RFC 3725 flow (options.makecall-flow): I, the seed's, or IV.
  config::MakeCallFlow makeCallFlow = config::MakeCallFlow::Flow1;
  // Phones registered on ccsip (docs/call-flows.md "Phones registered on ccsip"):
  // without a `switch` section DNs on the switch cannot be called (480);
  bool hasSwitch = true;
  // sip.domain: a phone's address-of-record is sip:<dn>@<domain>, as the registrar keys it;
  std::string domain = "ccsip.local";
  // the digest that INVITEs of those phones must carry (the registrar's realm and algorithms).
  sip::dialog::DigestAuthenticatorOptions phoneAuth;
};

}  // namespace ccsip::control
