#pragma once

#include <optional>

#include "events/endpoint_state.h"
#include "events/pidf.h"
#include "model/dn.h"

namespace ccsip::pbx {

// The model's view of an endpoint from what a presence or dialog NOTIFY said. Unknown (nothing
// usable yet) reports nothing: the DN keeps the state it had.
std::optional<model::EndpointPresence> toPresence(events::EndpointState state);

// A PIDF document as the model sees it: events::endpointState(), plus "on hold" (chan_sip
// writes the in-use activity with the note "On hold"; the DN's device state is then Held).
std::optional<model::EndpointPresence> presenceOf(const events::PidfDocument& document);

}  // namespace ccsip::pbx
