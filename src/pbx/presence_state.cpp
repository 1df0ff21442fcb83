#include "pbx/presence_state.h"

namespace ccsip::pbx {

std::optional<model::EndpointPresence> toPresence(events::EndpointState state) {
  switch (state) {
    case events::EndpointState::Offline:
      return model::EndpointPresence::Offline;  // PIDF closed: out of service
    case events::EndpointState::Idle:
      return model::EndpointPresence::Idle;
    case events::EndpointState::Ringing:
      return model::EndpointPresence::Ringing;
    case events::EndpointState::Busy:
      return model::EndpointPresence::Busy;
    case events::EndpointState::Unknown:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<model::EndpointPresence> presenceOf(const events::PidfDocument& document) {
  const events::EndpointState state = events::endpointState(document);
  // chan_sip (notifyhold=yes): <ep:busy/> + "On hold". chan_pjsip reports hold as on-the-phone.
  if (state == events::EndpointState::Busy && document.hasNote("On hold")) {
    return model::EndpointPresence::Held;
  }
  return toPresence(state);
}

}  // namespace ccsip::pbx
