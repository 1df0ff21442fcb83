#pragma once

#include <string>
#include <string_view>

#include "sip/sdp.h"
#include "util/result.h"

// The session descriptions a third-party call controller writes itself (RFC 3725 flow IV):
// the controller is one SIP peer of each leg, so what it sends on a leg must read as one
// continuous session from that peer's point of view (RFC 3264 8).
namespace ccsip::control {

// The origin of the session the controller holds with a phone: username "ccsip", `sessionId`
// (numeric, RFC 8866 5.2), version 1 and the host of the controller's Contact (`contact`, a
// name-addr such as "<sip:ccsip@10.0.0.5:5060>"; 127.0.0.1 when it has none).
sip::sdp::Origin controllerOrigin(std::string_view contact, std::string sessionId);

// RFC 3725 4.4 message 1: an offer without any media line, so the phone answers without media
// until the real session description arrives in the re-INVITE.
std::string noMediaOffer(const sip::sdp::Origin& origin);

// RFC 3725 4.4 message 6, offer2': the other phone's offer sent as ours on an existing session.
// RFC 3264 8: the origin must stay the one of our earlier offer with the version incremented,
// so `origin` (ours) gets version + 1 and replaces the offer's origin. 400 when the offer does
// not parse.
util::Result<std::string> reoriginate(std::string_view offer, sip::sdp::Origin& origin);

}  // namespace ccsip::control
