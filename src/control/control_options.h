#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "sip/transport/transport.h"
#include "util/time.h"

namespace ccsip::control {

struct CallControlOptions {
  // The switch (Asterisk) agent legs are sent to: INVITE sip:<dn>@<switchHost>:<switchPort>.
  std::string switchHost = "127.0.0.1";
  std::uint16_t switchPort = 5060;
  // Sources allowed to send calls to routing points (the switch); anything else gets 403.
  // A port of 0 accepts any source port of that address.
  std::vector<sip::transport::Address> trustedSources;
  // Address blocks whose every address is trusted on any port (switch.trusted: "10.0.0.0/24",
  // a cluster of Asterisk boxes behind one prefix).
  std::vector<config::IpNetwork> trustedNetworks;
  // An agent leg without a 2xx after this long is cancelled and reported to the router
  // (DESIGN.md "no-answer-timeout"), counted from the INVITE; a DN's own noAnswerTimeout wins.
  util::Duration noAnswerTimeout = std::chrono::seconds(15);
  // MakeCall's RFC 3725 flow (options.makecall-flow): I, the seed's, or IV.
  config::MakeCallFlow makeCallFlow = config::MakeCallFlow::Flow1;
};

}  // namespace ccsip::control
