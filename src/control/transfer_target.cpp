#include "control/transfer_target.h"

#include <utility>

namespace ccsip::control {

using sip::dialog::Body;
using sip::dialog::InviteSession;
using sip::dialog::SessionEnd;

bool TransferTarget::start(sip::dialog::UserAgentCore& core,
                           sip::dialog::InviteSessionOptions options) {
  ringing_ = false;
  // Late offer: the other party's media may have changed since its last offer (hold, a
  // relayed re-INVITE), so the target offers first and the other party answers it.
  options.offer = Body{};
  session_ = core.invite(options, *this);
  return session_ != nullptr;
}

void TransferTarget::end() {
  std::shared_ptr<InviteSession> session = std::move(session_);
  session_.reset();
  if (session != nullptr && !session->terminated()) session->end();
}

std::shared_ptr<InviteSession> TransferTarget::take() {
  std::shared_ptr<InviteSession> session = std::move(session_);
  session_.reset();
  return session;
}

void TransferTarget::onProvisional(InviteSession& s, const sip::Message& response) {
  if (!isCurrent(s) || response.statusCode() <= 100 || ringing_) return;
  ringing_ = true;
  events_.onTargetRinging();
}

void TransferTarget::onOffer(InviteSession& s, const Body& offer) {
  const bool inviteOffer =
      s.role() == InviteSession::Role::Uac && s.state() == InviteSession::State::Accepted;
  if (isCurrent(s) && inviteOffer) {
    events_.onTargetOffer(offer);
    return;
  }
  // A re-INVITE before the transfer completed: nothing to relay it to yet (RFC 3261 14.2: the
  // previous description stays); a 2xx offer of a leg given up: ACKed and ended.
  if (!s.reject(491)) s.end();
}

void TransferTarget::onOfferRequired(InviteSession& s) {
  s.reject(491);
}

void TransferTarget::onTerminated(InviteSession& s, const SessionEnd& end) {
  const bool current = isCurrent(s);
  if (current) session_.reset();
  events_.onTargetTerminated(end, current);
}

}  // namespace ccsip::control
