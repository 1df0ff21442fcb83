#pragma once

#include <string_view>

namespace ccsip::events {

// What a monitored endpoint (an agent's phone) is doing, as the presence and dialog packages
// report it. Both bodies map onto this one enum so that the layers above need not know which
// package, or which Asterisk channel driver, a NOTIFY came from.
enum class EndpointState {
  Offline,  // not registered: PIDF <basic>closed</basic> (dialog-info cannot say this)
  Idle,     // registered and not in a call
  Ringing,  // a call is alerting on the endpoint
  Busy,     // in a call (answered, or on hold)
  Unknown,  // nothing known yet (no full state received)
};

constexpr std::string_view toString(EndpointState state) {
  switch (state) {
    case EndpointState::Offline:
      return "offline";
    case EndpointState::Idle:
      return "idle";
    case EndpointState::Ringing:
      return "ringing";
    case EndpointState::Busy:
      return "busy";
    case EndpointState::Unknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace ccsip::events
