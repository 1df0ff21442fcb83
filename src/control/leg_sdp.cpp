#include "control/leg_sdp.h"

#include <string>
#include <string_view>

namespace ccsip::control {

namespace {

using sip::dialog::Body;

bool isSdp(const Body& body) {
  std::string type;
  for (char c : body.contentType) {
    type += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return type.starts_with("application/sdp") && !body.content.empty();
}

std::optional<sip::sdp::SessionDescription> parse(const Body& body) {
  if (!isSdp(body)) return std::nullopt;
  auto parsed = sip::sdp::parseSdp(body.content);
  if (!parsed) return std::nullopt;
  return std::move(*parsed);
}

}  // namespace

Body continueSession(const Body& lastSent, const Body& next) {
  const auto last = parse(lastSent);
  auto out = parse(next);
  if (!last || !out) return next;
  out->origin = last->origin;
  if (*out == *last) return lastSent;  // the same description: the same version (RFC 3264 8)
  sip::sdp::bumpVersion(*out);
  return Body{next.contentType, sip::sdp::toString(*out)};
}

std::optional<Body> withDirection(const Body& lastSent, sip::sdp::Direction direction) {
  auto out = parse(lastSent);
  if (!out) return std::nullopt;
  sip::sdp::setDirection(*out, direction);
  return continueSession(lastSent, Body{lastSent.contentType, sip::sdp::toString(*out)});
}

Body keepOnHold(const Body& offer) {
  auto out = parse(offer);
  if (!out) return offer;
  using sip::sdp::Direction;
  for (auto& media : out->media) {
    const Direction direction = sip::sdp::effectiveDirection(*out, media);
    if (direction == Direction::SendRecv) media.direction = Direction::SendOnly;
    if (direction == Direction::RecvOnly) media.direction = Direction::Inactive;
    if (!media.direction) media.direction = direction;  // no longer inherited
  }
  out->direction.reset();
  return Body{offer.contentType, sip::sdp::toString(*out)};
}

}  // namespace ccsip::control
