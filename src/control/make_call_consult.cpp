// MakeCall as the main call of a consult transfer (docs/call-flows.md "InitiateTransfer /
// CompleteTransfer"): a configured party of the established call consults; it lends its own leg
// (the line) and the other party's (the peer) to the consult call until the consult is over.

#include <string>
#include <utility>

#include "control/make_call.h"

namespace ccsip::control {

util::Result<LentLegs> MakeCall::lendLegs(std::string_view dn) {
  const std::string name = "InitiateTransfer";
  if (phase_ != Phase::Established || !answered_.started()) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is not established");
  }
  const bool isThis = dn == spec_.thisDn;
  if (!isThis && dn != spec_.otherDn) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": " + std::string(dn) + " is not talking on the call");
  }
  if (this_ == nullptr || other_ == nullptr || this_->terminated() || other_->terminated()) {
    return model::makeError(model::ErrorCode::InvalidCallState, name + ": the call is ending");
  }
  if (answered_.busy()) {
    return model::makeError(model::ErrorCode::OperationInProgress,
                            name + ": a re-INVITE of the call is not finished, retry later");
  }
  if (!answered_.heldBy().empty() && answered_.heldBy() != dn) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is held by " + answered_.heldBy());
  }
  LentLegs legs;
  legs.peerHeld = !answered_.heldBy().empty();
  legs.line = std::move(isThis ? this_ : other_);
  legs.peer = std::move(isThis ? other_ : this_);
  legs.peerDn = isThis ? spec_.otherDn : spec_.thisDn;
  answered_.stop();
  this_.reset();
  other_.reset();
  // The lender is thisDN from now on, so the legs come back in known places.
  if (!isThis) std::swap(spec_.thisDn, spec_.otherDn);
  liveLegs_ -= 2;  // their ends are the consult call's to see now
  return legs;
}

void MakeCall::takeBack(ReturnedLegs back) {
  if (back.ended) {
    // The consult call told the model.
    phase_ = Phase::Ended;
    cancelNoAnswerTimer();
    if (finished() && !destroying_) context_.owner.onCallFinished(*this);
    return;
  }
  // The line's party (the one who consulted, or after CompleteTransfer the consulted party)
  // talks to the other party again.
  this_ = std::move(back.line);
  other_ = std::move(back.peer);
  spec_.thisDn = std::move(back.lineDn);
  this_->setHandler(thisLeg_);
  other_->setHandler(otherLeg_);
  liveLegs_ += 2;
  answered_.start(*this_, spec_.thisDn, *other_, spec_.otherDn,
                  back.peerHeld ? spec_.thisDn : std::string());
}

}  // namespace ccsip::control
