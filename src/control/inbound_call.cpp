#include "control/inbound_call.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "control/leg_sdp.h"

namespace ccsip::control {

using sip::dialog::Body;
using sip::dialog::InviteSession;
using sip::dialog::SessionEnd;
using sip::dialog::SessionEndReason;

namespace {

// RFC 3261 21.4.7 / 21.6.1: 486 and 600 say the callee is busy; other refusals are not.
DeliveryFailureKind kindOf(const SessionEnd& end) {
  switch (end.reason) {
    case SessionEndReason::Rejected:
      return end.status == 486 || end.status == 600 ? DeliveryFailureKind::Busy
                                                    : DeliveryFailureKind::Rejected;
    default:
      return DeliveryFailureKind::Error;
  }
}

}  // namespace

// --- Leg: one session's callbacks, routed by which leg they come from

void InboundCall::Leg::onProvisional(InviteSession& s, const sip::Message& response) {
  if (!caller_ && call_.isAgentLeg(s)) call_.onAgentProvisional(response);
}

void InboundCall::Leg::onOffer(InviteSession& s, const Body& offer) {
  if (caller_ && &s == call_.caller_.get() && call_.callerOffer_.empty()) {
    call_.onCallerOffer(s, offer);
    return;
  }
  if (caller_ || call_.isAgentLeg(s)) {
    call_.onLegOffer(caller_, s, offer);  // a re-INVITE or UPDATE with an offer
    return;
  }
  s.reject(488);  // an agent leg given up earlier: it is being ended
}

void InboundCall::Leg::onOfferRequired(InviteSession& s) {
  if (caller_ || call_.isAgentLeg(s)) {
    call_.onLegOfferRequired(s);
    return;
  }
  s.reject(488);
}

void InboundCall::Leg::onAnswer(InviteSession& s, const Body& answer) {
  if (caller_) {
    call_.onLegAnswer(true, answer);
  } else if (call_.isAgentLeg(s)) {
    if (call_.phase_ == Phase::Delivering) {
      call_.onAgentAnswer(answer);
    } else {
      call_.onLegAnswer(false, answer);
    }
  }
}

void InboundCall::Leg::onConfirmed(InviteSession& s) {
  if (caller_) {
    call_.onLegConfirmed(true);
  } else if (call_.isAgentLeg(s)) {
    if (call_.phase_ == Phase::Delivering) {
      call_.onAgentConfirmed();
    } else {
      call_.onLegConfirmed(false);
    }
  }
}

void InboundCall::Leg::onReinviteRejected(InviteSession& s, int status) {
  if (caller_ || call_.isAgentLeg(s)) call_.onLegReinviteRejected(caller_, status);
}

void InboundCall::Leg::onTerminated(InviteSession& s, const SessionEnd& end) {
  if (caller_) {
    call_.onCallerTerminated(end);
  } else if (call_.isAgentLeg(s)) {
    call_.onAgentTerminated(end);
  } else {
    call_.legTerminated();  // an agent leg given up earlier (no answer) ended at last
  }
}

// --- the call

InboundCall::InboundCall(CallContext& context, InboundCallSpec spec,
                         std::shared_ptr<InviteSession> caller)
    : context_(context), spec_(std::move(spec)), caller_(std::move(caller)) {}

InboundCall::~InboundCall() {
  cancelNoAnswerTimer();
  // Torn down with legs alive (server shutdown): end them without reporting back to an owner
  // that is being destroyed.
  phase_ = Phase::Ended;
  destroying_ = true;
  abandonTransfer(false);
  if (agent_ != nullptr && !agent_->terminated()) agent_->end();
  if (caller_ != nullptr && !caller_->terminated()) caller_->end();
}

void InboundCall::onCallerOffer(InviteSession&, const Body& offer) {
  callerOffer_ = offer;
  if (routed_) return;
  routed_ = true;
  context_.router.route(spec_.connId, spec_.routingPoint, context_.callback);
}

bool InboundCall::routeTo(const RouteTarget& target) {
  if (phase_ != Phase::Routing || target.dn.empty()) return false;
  const model::Status status =
      target.reported ? model::ok()
      : target.byStrategy
          ? context_.model.diverted(spec_.connId, spec_.routingPoint, target.dn, target.referenceId)
          : context_.model.routeUsed(spec_.connId, spec_.routingPoint, target.dn,
                                     target.referenceId);
  if (!status.ok()) return false;
  agentDn_ = target.dn;
  phase_ = Phase::Delivering;
  startAgentLeg();
  return true;
}

bool InboundCall::routeFailed(int status) {
  if (phase_ != Phase::Routing) return false;
  if (overflowFromRoutingPoint()) return true;  // e.g. to the target group's voicemail
  phase_ = Phase::Ended;
  // The caller, then the routing point it waited on, leave the call (EventReleased to the RP).
  (void)context_.model.partyReleased(spec_.connId, spec_.originDn, "route-failed");
  (void)context_.model.partyReleased(spec_.connId, spec_.routingPoint, "route-failed");
  context_.router.onCallEnded(spec_.connId);
  caller_->reject(status >= 300 && status <= 699 ? status : 480);
  return true;
}

void InboundCall::startAgentLeg() {
  // The switch for the agent's DN, or the contact of a phone registered on ccsip; an
  // unregistered phone fails like the switch's 480 (and is out of service from now on).
  auto address = context_.addresses.resolve(agentDn_);
  if (!address) {
    deliveryFailed(DeliveryFailure{agentDn_, DeliveryFailureKind::Error, address.error().code});
    return;
  }
  sip::dialog::InviteSessionOptions options;
  options.requestUri = address->requestUri;
  options.destination = address->destination;
  options.from = spec_.callerFrom;  // the agent's phone shows the caller
  options.to = address->to;
  // The caller is not answered yet: its offer goes to the agent (early offer); the agent's
  // answer becomes ours to the caller.
  options.offer = callerOffer_;
  options.headers = legHeaders_;  // an overflow leg's Diversion (inbound_overflow.cpp)
  agent_ = context_.core.invite(options, agentLeg_);
  if (agent_ == nullptr) {
    deliveryFailed(DeliveryFailure{agentDn_, DeliveryFailureKind::Error, 500});
    return;
  }
  ++liveLegs_;
  superviseNoAnswer();  // DESIGN.md "No answer" (inbound_overflow.cpp)
}

void InboundCall::onAgentProvisional(const sip::Message& response) {
  const int status = response.statusCode();
  if (phase_ != Phase::Delivering || status <= 100) return;
  // The caller hears what the agent's phone does (180, or 183 with early media).
  caller_->provisional(status,
                       Body{std::string(response.contentType()), std::string(response.body())});
  if (!agentRinging_) {
    agentRinging_ = true;
    (void)context_.model.partyRinging(spec_.connId, agentDn_);
    context_.router.onDelivered(spec_.connId);
  }
}

void InboundCall::onAgentAnswer(const Body& answer) {
  if (phase_ != Phase::Delivering) return;
  cancelNoAnswerTimer();
  phase_ = Phase::Answered;
  // The agent leg is ACKed by its session at once (early offer: the ACK has no body); the
  // caller gets the agent's answer in our 2xx.
  caller_->accept(answer);
  (void)context_.model.partyEstablished(spec_.connId, agentDn_);
}

void InboundCall::onAgentConfirmed() {
  if (phase_ != Phase::Delivering) return;
  // RFC 3264 4: a 2xx to an INVITE with an offer must carry the answer; without one the agent
  // leg is useless for this caller.
  abandonAgentLeg();
  deliveryFailed(DeliveryFailure{agentDn_, DeliveryFailureKind::Error, 500});
}

void InboundCall::onAgentTerminated(const SessionEnd& end) {
  agent_.reset();
  switch (phase_) {
    case Phase::Delivering:
      cancelNoAnswerTimer();
      deliveryFailed(DeliveryFailure{agentDn_, kindOf(end),
                                     end.reason == SessionEndReason::Timeout ? 408 : end.status});
      break;
    case Phase::Answered:
      // The agent hung up (or its leg failed): the caller is released too.
      releaseAnswered(false);
      break;
    case Phase::Routing:
    case Phase::Ended:
      break;
  }
  legTerminated();
}

void InboundCall::onCallerTerminated(const SessionEnd&) {
  switch (phase_) {
    case Phase::Routing:
    case Phase::Delivering:
      // CANCEL (487 sent by the session), an early BYE or a failure before the answer: the
      // caller abandoned. A ringing agent leg is cancelled; a 2xx crossing that CANCEL is ACKed
      // and BYEd by the agent session itself (RFC 3261 9.1, 15).
      phase_ = Phase::Ended;
      abandonAgentLeg();
      (void)context_.model.callAbandoned(spec_.connId);
      if (routed_) context_.router.onCallEnded(spec_.connId);
      break;
    case Phase::Answered:
      releaseAnswered(true);
      break;
    case Phase::Ended:
      break;
  }
  legTerminated();
}

void InboundCall::onNoAnswer() {
  if (phase_ != Phase::Delivering) return;
  overflowNoAnswer();  // CANCEL, then recall / release / another DN / voicemail
}

void InboundCall::deliveryFailed(DeliveryFailure failure) {
  if (overflowLeg_ && failure.kind != DeliveryFailureKind::NoAnswer) {
    overflowLegFailed(failure);  // not the router's target: nothing to re-route
    return;
  }
  phase_ = Phase::Routing;
  if (failure.kind == DeliveryFailureKind::NoAnswer) {
    // Nobody refused: the ringing agent just stops ringing (EventReleased on its DN).
    if (agentRinging_) (void)context_.model.partyReleased(spec_.connId, failure.dn, "no-answer");
  } else {
    (void)context_.model.destinationBusy(spec_.connId, failure.dn);
  }
  agentRinging_ = false;
  agentDn_.clear();
  // The call waits on its routing point again (a recall): the router re-routes or overflows.
  (void)context_.model.routeRequest(spec_.connId, spec_.routingPoint);
  context_.router.onDeliveryFailed(spec_.connId, spec_.routingPoint, failure, context_.callback);
}

void InboundCall::abandonAgentLeg() {
  cancelNoAnswerTimer();
  std::shared_ptr<InviteSession> leg = std::move(agent_);
  agent_.reset();
  // CANCEL before the answer, BYE after it; its onTerminated comes back as a stale leg.
  if (leg != nullptr && !leg->terminated()) leg->end();
}

void InboundCall::releaseAnswered(bool callerFirst) {
  abandonTransfer(true);  // a pending transfer's target leaves first
  phase_ = Phase::Ended;
  media_ = {};  // a re-negotiation in progress ends with the call (the legs answer it 487)
  const std::string first = callerFirst ? spec_.originDn : agentDn_;
  const std::string second = callerFirst ? agentDn_ : spec_.originDn;
  (void)context_.model.partyReleased(spec_.connId, first, "normal");
  (void)context_.model.partyReleased(spec_.connId, second, "normal");
  context_.router.onCallEnded(spec_.connId);
  // The other leg gets a BYE (a caller whose 2xx is not ACKed yet gets it after the ACK).
  if (callerFirst) {
    abandonAgentLeg();
  } else if (!caller_->terminated()) {
    caller_->end();
  }
}

void InboundCall::legTerminated() {
  --liveLegs_;
  if (finished() && !destroying_) context_.owner.onCallFinished(*this);
}

void InboundCall::cancelNoAnswerTimer() {
  if (noAnswerTimer_ != 0) context_.timers.cancel(noAnswerTimer_);
  noAnswerTimer_ = 0;
}

// --- answered call: re-negotiations

void InboundCall::onLegOffer(bool callerLeg, InviteSession& s, const Body& offer) {
  InviteSession* other = legOf(!callerLeg);
  if (phase_ != Phase::Answered || other == nullptr || other->terminated()) {
    s.reject(488, "Call Not Established");
    return;
  }
  if (media_.op != MediaOp::None) {
    // RFC 3261 14.2: ccsip's own offer on this call is outstanding (a hold, or the relay of the
    // other leg's re-INVITE): the peer retries after its random delay.
    s.reject(491);
    return;
  }
  // RFC 3264 8: relayed as the next description of the other leg's session; a leg ccsip holds
  // keeps the hold whatever the other side offers.
  Body relayed = continueSession(other->localBody(), offer);
  if (!heldBy_.empty() && heldLegIsCaller_ != callerLeg) relayed = keepOnHold(relayed);
  if (!other->reinvite(relayed)) {
    // The other leg has an INVITE transaction of its own in progress (its re-INVITE crossed
    // this one, or its 2xx is not ACKed yet): glare.
    s.reject(491);
    return;
  }
  media_ = PendingMedia{MediaOp::Relay, !callerLeg, {}, {}};
}

void InboundCall::onLegOfferRequired(InviteSession& s) {
  // A re-INVITE without offer (a session refresh, RFC 4028): ccsip offers the last description
  // it sent on that leg, unchanged (same sess-version, RFC 3264 8), so nothing changes; the
  // answer in the ACK stays on this leg.
  if (phase_ != Phase::Answered || s.localBody().empty()) {
    s.reject(488, "Call Not Established");
    return;
  }
  if (media_.op != MediaOp::None) {
    s.reject(491);
    return;
  }
  s.accept(s.localBody());
}

void InboundCall::onLegAnswer(bool callerLeg, const Body& answer) {
  if (phase_ != Phase::Answered || media_.op == MediaOp::None ||
      media_.targetIsCaller != callerLeg) {
    return;  // e.g. the answer in the ACK to our offer of onLegOfferRequired
  }
  const PendingMedia done = std::move(media_);
  media_ = {};
  switch (done.op) {
    case MediaOp::Relay: {
      InviteSession* source = legOf(!callerLeg);
      if (source != nullptr && !source->terminated()) {
        source->accept(continueSession(source->localBody(), answer));
      }
      break;
    }
    case MediaOp::Hold:
      heldBy_ = done.dn;
      heldLegIsCaller_ = callerLeg;
      (void)context_.model.partyHeld(spec_.connId, done.dn, done.referenceId);
      break;
    case MediaOp::Retrieve:
      heldBy_.clear();
      (void)context_.model.partyRetrieved(spec_.connId, done.dn, done.referenceId);
      break;
    case MediaOp::Transfer:
      transferAnswered(answer);  // inbound_call_transfer.cpp
      break;
    case MediaOp::None:
      break;
  }
}

void InboundCall::onLegConfirmed(bool callerLeg) {
  if (phase_ != Phase::Answered || media_.op == MediaOp::None ||
      media_.targetIsCaller != callerLeg) {
    return;
  }
  // The 2xx to our re-INVITE came without the answer it owes (RFC 3264 4): the offer is
  // treated as refused.
  onLegReinviteRejected(callerLeg, 488);
}

void InboundCall::onLegReinviteRejected(bool callerLeg, int status) {
  if (phase_ != Phase::Answered || media_.op == MediaOp::None ||
      media_.targetIsCaller != callerLeg) {
    return;
  }
  const PendingMedia done = std::move(media_);
  media_ = {};
  if (done.op == MediaOp::Relay) {
    // The refusal goes back as it came (488, 403, ...); the previous descriptions stay on both
    // legs (RFC 3261 14.2).
    if (InviteSession* source = legOf(!callerLeg); source != nullptr && !source->terminated()) {
      source->reject(status >= 400 && status <= 699 ? status : 500);
    }
    return;
  }
  if (done.op == MediaOp::Transfer) {
    transferFailed(model::ErrorCode::RejectedByEndpoint,
                   "the caller's leg refused the re-INVITE with " + std::to_string(status),
                   "error");
    return;
  }
  holdFailed(done, std::string(callerLeg ? "the caller's" : "the agent's") +
                       " leg refused the re-INVITE with " + std::to_string(status));
}

void InboundCall::holdFailed(const PendingMedia& done, const std::string& why) {
  const std::string name = done.op == MediaOp::Hold ? "HoldCall" : "RetrieveCall";
  (void)context_.model.requestFailed(spec_.connId, done.dn, model::ErrorCode::RejectedByEndpoint,
                                     name + ": " + why, done.referenceId);
}

// --- third-party call control

model::Status InboundCall::hold(const PartyRequest& request) {
  return changeHold(request, true);
}

model::Status InboundCall::retrieve(const PartyRequest& request) {
  return changeHold(request, false);
}

model::Status InboundCall::changeHold(const PartyRequest& request, bool hold) {
  const std::string name = hold ? "HoldCall" : "RetrieveCall";
  if (phase_ != Phase::Answered) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            name + ": the call is not established");
  }
  // The requester holds the other party: the agent holds the caller (the usual case), a
  // configured caller DN the agent.
  bool heldIsCaller = false;
  if (request.dn == agentDn_) {
    heldIsCaller = true;
  } else if (request.dn != spec_.originDn) {
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
  InviteSession* held = legOf(heldIsCaller);
  if (held == nullptr || held->terminated()) {
    return model::makeError(model::ErrorCode::InvalidCallState, name + ": the call is ending");
  }
  if (media_.op != MediaOp::None || held->inviteInProgress()) {
    return model::makeError(model::ErrorCode::OperationInProgress,
                            name + ": a re-INVITE of the call is not finished, retry later");
  }
  // RFC 3264 8.4 / RFC 6337 5.3: the last description sent on that leg, a=sendonly (hold) or
  // a=sendrecv (retrieve), as its next version.
  const auto offer = withDirection(
      held->localBody(), hold ? sip::sdp::Direction::SendOnly : sip::sdp::Direction::SendRecv);
  if (!offer) {
    return model::makeError(model::ErrorCode::NotSupported,
                            name + ": the session description of the call is not SDP");
  }
  if (!held->reinvite(*offer)) {
    return model::makeError(model::ErrorCode::OperationInProgress,
                            name + ": a re-INVITE of the call is not finished, retry later");
  }
  media_ = PendingMedia{hold ? MediaOp::Hold : MediaOp::Retrieve, heldIsCaller, request.dn,
                        request.referenceId};
  return model::ok();
}

model::Status InboundCall::release(const PartyRequest& request) {
  return releaseAll(request, "ReleaseCall");
}

model::Status InboundCall::clear(const PartyRequest& request) {
  // Two parties: clearing the call and releasing one party both end it.
  return releaseAll(request, "ClearCall");
}

model::Status InboundCall::releaseAll(const PartyRequest& request, std::string_view name) {
  const model::Call* call = context_.model.findCall(spec_.connId);
  if (phase_ == Phase::Ended || call == nullptr) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            std::string(name) + ": the call is already being released");
  }
  std::vector<std::string> parties{request.dn};
  for (const model::Party& party : call->parties) {
    if (party.dn != request.dn) parties.push_back(party.dn);
  }
  phase_ = Phase::Ended;
  media_ = {};
  cancelNoAnswerTimer();
  // The model first (the events), then the legs: a ringing agent leg is cancelled (a 2xx
  // crossing the CANCEL is ACKed and BYEd by its session), an answered one gets BYE; the caller
  // gets 480 before its answer (RFC 3261 21.4.18) and BYE after it.
  for (const std::string& dn : parties) {
    (void)context_.model.partyReleased(
        spec_.connId, dn, "normal", dn == request.dn ? request.referenceId : model::ReferenceId{});
  }
  if (routed_) context_.router.onCallEnded(spec_.connId);
  abandonTransfer(false);  // the target was a party: released above
  abandonAgentLeg();
  if (!caller_->terminated()) caller_->end();
  return model::ok();
}

model::Status InboundCall::answer(const PartyRequest&) {
  return model::makeError(
      model::ErrorCode::NotSupported,
      "AnswerCall: the agent's phone is a device of the switch (Asterisk) and cannot be "
      "answered remotely by ccsip; answer on the phone or configure it to auto-answer");
}

}  // namespace ccsip::control
