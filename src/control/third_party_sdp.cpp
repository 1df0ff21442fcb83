#include "control/third_party_sdp.h"

#include <utility>

#include "sip/headers.h"

namespace ccsip::control {

sip::sdp::Origin controllerOrigin(std::string_view contact, std::string sessionId) {
  sip::sdp::Origin origin;
  origin.username = "ccsip";
  origin.sessionId = std::move(sessionId);
  origin.sessionVersion = 1;
  auto parsed = sip::parseNameAddr(contact);
  if (!parsed || parsed->uri.host.empty()) return origin;
  std::string_view host = parsed->uri.host;
  if (parsed->uri.isIpv6()) {
    // RFC 8866 5.2: the unicast address of an IP6 origin is written without brackets.
    host = host.substr(1, host.size() - 2);
    origin.addrType = "IP6";
  }
  origin.address = std::string(host);
  return origin;
}

std::string noMediaOffer(const sip::sdp::Origin& origin) {
  sip::sdp::SessionDescription sdp;
  sdp.origin = origin;
  sdp.sessionName = "ccsip";
  return sip::sdp::toString(sdp);
}

util::Result<std::string> reoriginate(std::string_view offer, sip::sdp::Origin& origin) {
  auto parsed = sip::sdp::parseSdp(offer);
  if (!parsed) return parsed.error();
  ++origin.sessionVersion;
  parsed->origin = origin;
  return sip::sdp::toString(*parsed);
}

}  // namespace ccsip::control
