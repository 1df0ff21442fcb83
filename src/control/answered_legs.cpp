#include "control/answered_legs.h"

#include <string>
#include <utility>

namespace ccsip::control {

using sip::dialog::Body;
using sip::dialog::InviteSession;

void AnsweredLegs::start(InviteSession& first, std::string firstDn, InviteSession& second,
                         std::string secondDn, std::string heldBy) {
  first_ = &first;
  second_ = &second;
  firstDn_ = std::move(firstDn);
  secondDn_ = std::move(secondDn);
  heldBy_ = std::move(heldBy);
  media_.reset();
}

void AnsweredLegs::stop() {
  first_ = nullptr;
  second_ = nullptr;
  heldBy_.clear();
  media_.reset();
}

bool AnsweredLegs::busy() const {
  return media_.busy() || (first_ != nullptr && first_->inviteInProgress()) ||
         (second_ != nullptr && second_->inviteInProgress());
}

InviteSession* AnsweredLegs::otherOf(const InviteSession& s) const {
  if (&s == first_) return second_;
  if (&s == second_) return first_;
  return nullptr;
}

InviteSession* AnsweredLegs::heldLegFor(std::string_view dn) const {
  if (dn == firstDn_) return second_;
  if (dn == secondDn_) return first_;
  return nullptr;
}

void AnsweredLegs::onOffer(InviteSession& s, const Body& offer) {
  InviteSession* other = otherOf(s);
  if (other == nullptr || other->terminated()) {
    // Not answered yet, or ending; a 2xx offer nobody waits for is ACKed and the leg ended.
    if (!s.reject(488, "Call Not Established")) s.end();
    return;
  }
  if (media_.busy()) {
    s.reject(491);  // RFC 3261 14.2: ccsip's own offer on this call is outstanding
    return;
  }
  // RFC 3264 8: relayed as the next description of the other leg's session; a leg ccsip holds
  // keeps the hold whatever the other side offers.
  (void)media_.relay(s, offer, *other, !heldBy_.empty() && other == heldLegFor(heldBy_));
}

void AnsweredLegs::onOfferRequired(InviteSession& s) {
  // A re-INVITE without offer (a session refresh, RFC 4028): the last description sent on that
  // leg, unchanged (RFC 3264 8); the answer in the ACK stays on this leg.
  if (otherOf(s) == nullptr || s.localBody().empty()) {
    s.reject(488, "Call Not Established");
  } else if (media_.busy()) {
    s.reject(491);
  } else {
    s.accept(s.localBody());
  }
}

model::Status AnsweredLegs::hold(const PartyRequest& request) {
  return changeHold(request, true);
}

model::Status AnsweredLegs::retrieve(const PartyRequest& request) {
  return changeHold(request, false);
}

model::Status AnsweredLegs::changeHold(const PartyRequest& request, bool hold) {
  const std::string name = hold ? "HoldCall" : "RetrieveCall";
  if (!started()) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is not established");
  }
  InviteSession* held = heldLegFor(request.dn);
  if (held == nullptr) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": " + request.dn + " is not talking on the call");
  }
  if (hold && !heldBy_.empty()) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is already held by " + heldBy_);
  }
  if (!hold && heldBy_ != request.dn) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is not held by " + request.dn);
  }
  auto status = hold ? media_.hold(*held, kHold, name) : media_.retrieve(*held, kRetrieve, name);
  if (status) pending_ = request;
  return status;
}

void AnsweredLegs::onMediaDone(const LegMedia::Op& op) {
  if (op.tag == kHold) {
    heldBy_ = pending_.dn;
    (void)model_.partyHeld(connId_, pending_.dn, pending_.referenceId);
  } else if (op.tag == kRetrieve) {
    heldBy_.clear();
    (void)model_.partyRetrieved(connId_, pending_.dn, pending_.referenceId);
  }
}

void AnsweredLegs::onMediaFailed(const LegMedia::Op& op, int status) {
  if (op.tag == kRelay) return;  // the refusal went back to the phone that offered
  const std::string name = op.tag == kHold ? "HoldCall" : "RetrieveCall";
  (void)model_.requestFailed(
      connId_, pending_.dn, model::ErrorCode::RejectedByEndpoint,
      name + ": the other party's leg refused the re-INVITE with " + std::to_string(status),
      pending_.referenceId);
}

}  // namespace ccsip::control
