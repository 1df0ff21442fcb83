// The routed inbound call as the main call of a consult transfer (docs/call-flows.md
// "InitiateTransfer / CompleteTransfer"): it lends its caller leg (the peer) and its agent leg
// (the line) to the consult call, which drives them until the consult is over.

#include <string>
#include <utility>

#include "control/inbound_call.h"

namespace ccsip::control {

util::Result<LentLegs> InboundCall::lendLegs(std::string_view dn) {
  const std::string name = "InitiateTransfer";
  if (phase_ != Phase::Answered) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is not established");
  }
  if (dn != agentDn_) {
    // The caller's side (a configured caller DN) would need a line of its own to consult on.
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": only the agent's DN " + agentDn_ + " may consult");
  }
  if (caller_ == nullptr || agent_ == nullptr || caller_->terminated() || agent_->terminated()) {
    return model::makeError(model::ErrorCode::InvalidCallState, name + ": the call is ending");
  }
  if (transfer_) {
    return model::makeError(model::ErrorCode::OperationInProgress,
                            name + ": a transfer to " + transfer_->target + " is in progress");
  }
  if (media_.op != MediaOp::None || caller_->inviteInProgress() || agent_->inviteInProgress()) {
    return model::makeError(model::ErrorCode::OperationInProgress,
                            name + ": a re-INVITE of the call is not finished, retry later");
  }
  if (!heldBy_.empty() && (heldBy_ != dn || !heldLegIsCaller_)) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is held by " + heldBy_);
  }
  LentLegs legs;
  legs.line = std::move(agent_);
  legs.peer = std::move(caller_);
  legs.peerDn = spec_.originDn;
  legs.peerHeld = !heldBy_.empty();
  agent_.reset();
  caller_.reset();
  liveLegs_ -= 2;  // their ends are the consult call's to see now
  return legs;
}

void InboundCall::takeBack(ReturnedLegs back) {
  heldBy_.clear();
  media_ = {};
  if (back.ended) {
    // The consult call told the model (the caller or the agent hung up, or ReleaseCall).
    phase_ = Phase::Ended;
    if (routed_) context_.router.onCallEnded(spec_.connId);
    if (finished() && !destroying_) context_.owner.onCallFinished(*this);
    return;
  }
  // The call goes on between its caller and the line's DN: the agent after ReconnectCall, the
  // consulted party after CompleteTransfer (its leg is the agent leg from now on).
  caller_ = std::move(back.peer);
  agent_ = std::move(back.line);
  agentDn_ = std::move(back.lineDn);
  caller_->setHandler(callerLeg_);
  agent_->setHandler(agentLeg_);
  if (back.peerHeld) {
    heldBy_ = agentDn_;
    heldLegIsCaller_ = true;
  }
  liveLegs_ += 2;
}

}  // namespace ccsip::control
