#pragma once

#include <optional>

#include "sip/dialog/usage_types.h"
#include "sip/sdp.h"

namespace ccsip::control {

// The SDP a B2BUA leg sends next. RFC 3264 8: every description sent within one session keeps
// the o= line of the first one and increments sess-version by one whenever the description
// changes. On a B2BUA leg the descriptions come from the peer of the other leg (relayed) or
// from ccsip itself (hold), so the o= line is made continuous per leg here.

// `next` as the next description of the leg that last sent `lastSent` (its
// InviteSession::localBody()): the o= line of `lastSent`, with sess-version unchanged when the
// description is the same as `lastSent`, else one more. A body that is not parseable SDP (either
// one) goes unchanged: the peer judges it.
sip::dialog::Body continueSession(const sip::dialog::Body& lastSent, const sip::dialog::Body& next);

// The hold / retrieve offer of a leg (RFC 3264 8.4, RFC 6337 5.3): `lastSent` with every
// stream's direction set to `direction`, as continueSession makes it. nullopt when `lastSent`
// is not parseable SDP.
std::optional<sip::dialog::Body> withDirection(const sip::dialog::Body& lastSent,
                                               sip::sdp::Direction direction);

// An offer relayed to a leg that ccsip holds (HoldCall): each stream keeps the hold, so what
// would send to the held party only sends (sendrecv -> sendonly) and what would receive from it
// only is inactive (recvonly -> inactive). A body that is not parseable SDP goes unchanged.
sip::dialog::Body keepOnHold(const sip::dialog::Body& offer);

}  // namespace ccsip::control
