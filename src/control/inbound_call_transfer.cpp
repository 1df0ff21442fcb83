// SingleStepTransfer / MuteTransfer and RedirectCall on the routed inbound call
// (docs/call-flows.md "SingleStepTransfer", "RedirectCall").

#include <string>
#include <utility>

#include "control/inbound_call.h"
#include "control/leg_sdp.h"
#include "control/overflow.h"

namespace ccsip::control {

using sip::dialog::Body;
using sip::dialog::InviteSession;
using sip::dialog::SessionEnd;
using sip::dialog::SessionEndReason;

model::Status InboundCall::singleStepTransfer(const TransferRequest& request) {
  const std::string name = "SingleStepTransfer";
  if (phase_ != Phase::Answered) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is not established");
  }
  if (request.dn != agentDn_) {
    // The caller's side (a configured caller DN) would need a leg of its own towards otherDN.
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": only the agent's DN " + agentDn_ + " may transfer the call");
  }
  if (request.otherDn == spec_.originDn) {
    return model::makeError(model::ErrorCode::BadFieldValue,
                            name + ": otherDN is already a party of the call");
  }
  if (transfer_) {
    return model::makeError(model::ErrorCode::OperationInProgress,
                            name + ": a transfer to " + transfer_->target + " is in progress");
  }
  if (media_.op != MediaOp::None || caller_->terminated() || caller_->inviteInProgress()) {
    return model::makeError(model::ErrorCode::OperationInProgress,
                            name + ": a re-INVITE of the call is not finished, retry later");
  }
  auto address = context_.addresses.resolve(request.otherDn);
  if (!address) return address.error();
  sip::dialog::InviteSessionOptions options;
  options.requestUri = address->requestUri;
  options.destination = address->destination;
  options.to = address->to;
  options.from = spec_.callerFrom;  // the target's phone shows the caller, as the agent's did
  // Counted before the INVITE goes: a leg may end from inside invite().
  ++liveLegs_;
  transfer_ = PendingTransfer{request.otherDn, request.dn, request.referenceId, 0};
  if (!target_.start(context_.core, options)) {
    --liveLegs_;
    transfer_.reset();
    return model::makeError(model::ErrorCode::InternalError,
                            name + ": the INVITE to " + request.otherDn + " could not be sent");
  }
  if (target_.session() == nullptr || target_.session()->terminated()) {
    // The leg failed from inside the INVITE (transport error): reported as any failure.
    transferFailed(model::ErrorCode::RejectedByEndpoint,
                   "the INVITE to " + request.otherDn + " failed", "error");
    return model::ok();
  }
  // DESIGN.md "No answer": the target's own no-answer-timeout, as for any leg to that DN; the
  // call then stays with the agent (no overflow: the agent decides what happens next).
  const util::Duration timeout =
      planNoAnswer(context_.model, request.otherDn, context_.options).timeout;
  if (timeout > util::Duration::zero()) {
    transfer_->timer = context_.timers.schedule(timeout, [this] {
      if (!transfer_) return;
      transfer_->timer = 0;
      target_.end();  // CANCEL; onTargetTerminated(current = false) reports the failure below
      transferFailed(model::ErrorCode::RejectedByEndpoint, transfer_->target + " did not answer",
                     "no-answer");
    });
  }
  return model::ok();
}

void InboundCall::onTargetRinging() {
  if (!transfer_) return;
  (void)context_.model.partyRingingFrom(spec_.connId, transfer_->target, transfer_->requester);
}

void InboundCall::onTargetOffer(const Body& offer) {
  if (!transfer_ || phase_ != Phase::Answered) {
    target_.end();
    return;
  }
  if (transfer_->timer != 0) context_.timers.cancel(transfer_->timer);
  transfer_->timer = 0;
  // RFC 3725 flow I with the caller in thisDN's place: the target's offer goes to the caller as
  // the next description of ccsip's session with it (RFC 3264 8); the caller's answer goes into
  // the target's ACK. A hold of the caller ends here: the agent who held it is leaving.
  if (media_.op != MediaOp::None ||
      !caller_->reinvite(continueSession(caller_->localBody(), offer))) {
    transferFailed(
        model::ErrorCode::OperationInProgress,
        "a re-INVITE of the caller's leg was in progress when " + transfer_->target + " answered",
        "error");
    return;
  }
  media_ = PendingMedia{MediaOp::Transfer, true, transfer_->requester, transfer_->referenceId};
}

void InboundCall::transferAnswered(const Body& answer) {
  if (!transfer_) return;
  const PendingTransfer done = std::move(*transfer_);
  transfer_.reset();
  InviteSession* target = target_.session();
  if (target == nullptr || target->terminated() ||
      !target->provideAnswer(continueSession(target->localBody(), answer))) {
    // The target hung up while the caller was being re-INVITEd towards it: the caller's media
    // now point at nobody, so the call cannot go back to the agent silently either.
    (void)context_.model.requestFailed(
        spec_.connId, done.requester, model::ErrorCode::RejectedByEndpoint,
        "SingleStepTransfer: " + done.target + " hung up", done.referenceId);
    if (const model::Call* call = context_.model.findCall(spec_.connId);
        call != nullptr && call->findParty(done.target) != nullptr) {
      (void)context_.model.partyReleased(spec_.connId, done.target, "normal");
    }
    releaseAnswered(false);
    return;
  }
  // The target's leg becomes the call's agent leg (its later re-INVITEs are relayed, its BYE
  // ends the call); the transferring agent's leg gets BYE.
  std::shared_ptr<InviteSession> leg = target_.take();
  leg->setHandler(agentLeg_);
  std::shared_ptr<InviteSession> previous = std::move(agent_);
  agent_ = std::move(leg);
  agentDn_ = done.target;
  heldBy_.clear();
  if (previous != nullptr && !previous->terminated()) previous->end();
  (void)context_.model.partyEstablished(spec_.connId, done.target);
  (void)context_.model.partyTransferred(spec_.connId, done.requester, done.target, "transferred",
                                        done.referenceId);
}

void InboundCall::onTargetTerminated(const SessionEnd& end, bool current) {
  if (current && transfer_) {
    // Busy, refused, failed or gone before it answered: the call stays with the agent.
    const bool busy =
        end.reason == SessionEndReason::Rejected && (end.status == 486 || end.status == 600);
    if (busy) {
      transferFailed(model::ErrorCode::DnBusy, transfer_->target + " is busy", "busy");
    } else if (end.reason == SessionEndReason::Rejected) {
      transferFailed(model::ErrorCode::RejectedByEndpoint,
                     transfer_->target + " refused the call with " + std::to_string(end.status),
                     "rejected-" + std::to_string(end.status));
    } else {
      transferFailed(model::ErrorCode::RejectedByEndpoint,
                     "the leg to " + transfer_->target + " failed (" +
                         std::string(sip::dialog::toString(end.reason)) + ")",
                     "error");
    }
  }
  legTerminated();
}

void InboundCall::transferFailed(model::ErrorCode code, const std::string& why,
                                 std::string_view cause) {
  if (!transfer_) return;
  const PendingTransfer done = std::move(*transfer_);
  transfer_.reset();
  if (done.timer != 0) context_.timers.cancel(done.timer);
  target_.end();
  if (media_.op == MediaOp::Transfer) media_ = {};
  if (const model::Call* call = context_.model.findCall(spec_.connId);
      call != nullptr && call->findParty(done.target) != nullptr) {
    (void)context_.model.partyReleased(spec_.connId, done.target, cause);
  }
  (void)context_.model.requestFailed(spec_.connId, done.requester, code,
                                     "SingleStepTransfer: " + why, done.referenceId);
}

void InboundCall::abandonTransfer(bool tellModel) {
  if (!transfer_) return;
  const PendingTransfer done = std::move(*transfer_);
  transfer_.reset();
  if (done.timer != 0) context_.timers.cancel(done.timer);
  target_.end();
  if (!tellModel) return;
  if (const model::Call* call = context_.model.findCall(spec_.connId);
      call != nullptr && call->findParty(done.target) != nullptr) {
    (void)context_.model.partyReleased(spec_.connId, done.target, "normal");
  }
}

model::Status InboundCall::redirect(const TransferRequest& request) {
  if (phase_ != Phase::Delivering || request.dn != agentDn_ || !agentRinging_) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            "RedirectCall: the call is not ringing on " + request.dn);
  }
  if (request.otherDn == spec_.originDn) {
    return model::makeError(model::ErrorCode::BadFieldValue,
                            "RedirectCall: otherDN is already a party of the call");
  }
  if (auto status = context_.model.partyTransferred(spec_.connId, agentDn_, request.otherDn,
                                                    "redirected", request.referenceId);
      !status.ok()) {
    return status;
  }
  // The ringing leg is cancelled (a 2xx crossing the CANCEL is ACKed and BYEd by its session,
  // RFC 3261 9.1) and the caller's offer delivered to otherDN as to any agent.
  abandonAgentLeg();
  agentRinging_ = false;
  agentDn_ = request.otherDn;
  startAgentLeg();
  return model::ok();
}

}  // namespace ccsip::control
