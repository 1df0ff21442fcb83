#include "control/inbound_call.h"

#include <chrono>
#include <utility>

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
  // A re-INVITE with a new offer on either leg: relaying it to the other leg is not done yet,
  // so it is refused and the previous session description stays (RFC 3261 14.2).
  s.reject(488);
}

void InboundCall::Leg::onOfferRequired(InviteSession& s) {
  // RFC 3261 14.2 re-INVITE without offer: not relayed yet (see onOffer).
  s.reject(488);
}

void InboundCall::Leg::onAnswer(InviteSession& s, const Body& answer) {
  if (!caller_ && call_.isAgentLeg(s)) call_.onAgentAnswer(answer);
}

void InboundCall::Leg::onConfirmed(InviteSession& s) {
  if (!caller_ && call_.isAgentLeg(s)) call_.onAgentConfirmed();
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
  phase_ = Phase::Ended;
  // The caller, then the routing point it waited on, leave the call (EventReleased to the RP).
  (void)context_.model.partyReleased(spec_.connId, spec_.originDn, "route-failed");
  (void)context_.model.partyReleased(spec_.connId, spec_.routingPoint, "route-failed");
  context_.router.onCallEnded(spec_.connId);
  caller_->reject(status >= 300 && status <= 699 ? status : 480);
  return true;
}

void InboundCall::startAgentLeg() {
  const std::string uri = "sip:" + agentDn_ + "@" + context_.options.switchHost + ":" +
                          std::to_string(context_.options.switchPort);
  sip::dialog::InviteSessionOptions options;
  options.requestUri = uri;
  options.from = spec_.callerFrom;  // the agent's phone shows the caller
  options.to = "<" + uri + ">";
  // The caller is not answered yet: its offer goes to the agent (early offer); the agent's
  // answer becomes ours to the caller.
  options.offer = callerOffer_;
  agent_ = context_.core.invite(options, agentLeg_);
  if (agent_ == nullptr) {
    deliveryFailed(DeliveryFailure{agentDn_, DeliveryFailureKind::Error, 500});
    return;
  }
  ++liveLegs_;
  // DESIGN.md "No answer": the DN's own no-answer-timeout wins over the application default.
  util::Duration timeout = context_.options.noAnswerTimeout;
  if (const model::Dn* dn = context_.model.findDn(agentDn_);
      dn != nullptr && dn->options.noAnswerTimeout) {
    timeout = std::chrono::duration_cast<util::Duration>(*dn->options.noAnswerTimeout);
  }
  noAnswerTimer_ = context_.timers.schedule(timeout, [this] {
    noAnswerTimer_ = 0;
    onNoAnswer();
  });
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
  const std::string dn = agentDn_;
  abandonAgentLeg();  // CANCEL; the leg's late end is ignored
  deliveryFailed(DeliveryFailure{dn, DeliveryFailureKind::NoAnswer, 408});
}

void InboundCall::deliveryFailed(DeliveryFailure failure) {
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
  phase_ = Phase::Ended;
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

}  // namespace ccsip::control
