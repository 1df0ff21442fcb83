// The internal call as the main call of a consult transfer (docs/call-flows.md
// "InitiateTransfer / CompleteTransfer"): either phone's party may consult; it lends its own
// leg (the line) and the other party's (the peer) to the consult call until the consult is over.

#include <string>
#include <utility>

#include "control/internal_call.h"

namespace ccsip::control {

util::Result<LentLegs> InternalCall::lendLegs(std::string_view dn) {
  const std::string name = "InitiateTransfer";
  if (phase_ != Phase::Answered || !answered_.started()) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is not established");
  }
  const bool isCaller = dn == spec_.callerDn;
  if (!isCaller && dn != spec_.calleeDn) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": " + std::string(dn) + " is not talking on the call");
  }
  if (caller_->terminated() || callee_->terminated()) {
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
  legs.line = std::move(isCaller ? caller_ : callee_);
  legs.peer = std::move(isCaller ? callee_ : caller_);
  legs.peerDn = isCaller ? spec_.calleeDn : spec_.callerDn;
  answered_.stop();
  caller_.reset();
  callee_.reset();
  // The lender is named the caller from now on, so the legs come back in known places.
  if (!isCaller) std::swap(spec_.callerDn, spec_.calleeDn);
  liveLegs_ -= 2;  // their ends are the consult call's to see now
  return legs;
}

void InternalCall::takeBack(ReturnedLegs back) {
  if (back.ended) {
    // The consult call told the model.
    phase_ = Phase::Ended;
    if (finished() && !destroying_) context_.owner.onCallFinished(*this);
    return;
  }
  // The line's party (the one who consulted, or after CompleteTransfer the consulted party)
  // talks to the other party again.
  caller_ = std::move(back.line);
  callee_ = std::move(back.peer);
  spec_.callerDn = std::move(back.lineDn);
  caller_->setHandler(callerLeg_);
  callee_->setHandler(calleeLeg_);
  liveLegs_ += 2;
  answered_.start(*caller_, spec_.callerDn, *callee_, spec_.calleeDn,
                  back.peerHeld ? spec_.callerDn : std::string());
}

}  // namespace ccsip::control
