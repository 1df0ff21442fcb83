// InboundCall: no-answer supervision and overflow (DESIGN.md "No answer", docs/call-flows.md
// "No answer and voicemail"). What to do is decided by control/overflow.h; this file carries it
// out on the call's legs and tells the model.

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "control/inbound_call.h"

namespace ccsip::control {

namespace {

// Overflows one call may take (DN to DN to voicemail ...): targets that overflow to each other
// would otherwise ring on in a circle. Each hop waits a no-answer timeout, so this is no busy
// loop, only a bound.
constexpr int kMaxOverflows = 4;

}  // namespace

void InboundCall::superviseNoAnswer() {
  noAnswer_ = planNoAnswer(context_.model, agentDn_, context_.options);
  if (noAnswer_.timeout <= util::Duration::zero()) return;
  noAnswerTimer_ = context_.timers.schedule(noAnswer_.timeout, [this] {
    noAnswerTimer_ = 0;
    onNoAnswer();
  });
}

void InboundCall::overflowNoAnswer() {
  const std::string dn = agentDn_;
  abandonAgentLeg();  // CANCEL; the leg's late end is ignored
  model::CallModel& model = context_.model;
  // agent-no-answer-action first: the DN freed below must not offer this agent the next call.
  if (noAnswer_.agentNotReady) {
    const model::Agent* agent = model.findAgent(noAnswer_.agentId);
    if (agent != nullptr && agent->loggedIn() && agent->dn == dn) {
      boost::json::object reasons;
      reasons["reason"] = "no-answer";
      (void)model.agentSetNotReady(model::AgentRequest{noAnswer_.agentId, dn, {}}, reasons);
    }
  }
  OverflowStep step;  // Release once the bound is reached
  if (overflows_ < kMaxOverflows) {
    step = resolveOverflow(model, noAnswer_.overflow, OverflowAction::Recall);
  }
  switch (step.action) {
    case OverflowAction::Recall:
      if (!overflowLeg_) {
        // The router's own target: the router recalls the call (front of its queue).
        deliveryFailed(DeliveryFailure{dn, DeliveryFailureKind::NoAnswer, 408});
        return;
      }
      // A leg the router did not choose: the call starts afresh on its routing point.
      ++overflows_;
      if (agentRinging_) (void)model.partyReleased(spec_.connId, dn, "no-answer");
      agentRinging_ = false;
      agentDn_.clear();
      overflowLeg_ = false;
      legHeaders_.clear();
      phase_ = Phase::Routing;
      // EventRouteRequest, as for a new call (CallControl reports it before routing).
      (void)model.routeRequest(spec_.connId, spec_.routingPoint);
      context_.router.route(spec_.connId, spec_.routingPoint, context_.callback);
      return;
    case OverflowAction::Release:
      if (agentRinging_) (void)model.partyReleased(spec_.connId, dn, "no-answer");
      agentRinging_ = false;
      releaseUnanswered("no-answer", 480);  // RFC 3261 21.4.18: nobody to take it now
      return;
    case OverflowAction::Deliver:
    case OverflowAction::Route:
      divert(dn, step, kDiversionNoAnswer);
      return;
  }
}

bool InboundCall::overflowFromRoutingPoint() {
  if (overflows_ >= kMaxOverflows) return false;
  const OverflowStep step =
      resolveOverflow(context_.model, routingPointOverflow(context_.model, spec_.routingPoint),
                      OverflowAction::Release);
  if (step.action != OverflowAction::Deliver && step.action != OverflowAction::Route) return false;
  const std::string from = spec_.routingPoint;  // divert() may move the call to another one
  divert(from, step, kDiversionUnavailable);
  return true;
}

void InboundCall::divert(const std::string& from, const OverflowStep& step,
                         std::string_view reason) {
  ++overflows_;
  model::CallModel& model = context_.model;
  // EventDiverted to `from` (thirdPartyDN: the target) when it is a party: the DN that rang
  // unanswered, or the routing point the call waited on. A DN whose phone never rang is none.
  if (const model::Call* call = model.findCall(spec_.connId);
      call != nullptr && call->findParty(from) != nullptr) {
    (void)model.diverted(spec_.connId, from, step.dn);
  }
  agentRinging_ = false;
  // The call has left routing: the router forgets it (and frees an agent it held back).
  context_.router.onCallEnded(spec_.connId);
  if (step.action == OverflowAction::Route) {
    spec_.routingPoint = step.dn;
    agentDn_.clear();
    overflowLeg_ = false;
    legHeaders_.clear();
    phase_ = Phase::Routing;
    (void)model.routeRequest(spec_.connId, spec_.routingPoint);
    context_.router.route(spec_.connId, spec_.routingPoint, context_.callback);
    return;
  }
  phase_ = Phase::Delivering;
  overflowLeg_ = true;
  agentDn_ = step.dn;
  legHeaders_ = overflowHeaders(context_.addresses.identityOf(from), reason, step);
  startAgentLeg();
}

void InboundCall::overflowLegFailed(const DeliveryFailure& failure) {
  cancelNoAnswerTimer();
  agentRinging_ = false;
  // EventDestinationBusy as for any refused delivery; then nowhere is left to go.
  (void)context_.model.destinationBusy(spec_.connId, failure.dn);
  releaseUnanswered("overflow-failed", failure.kind == DeliveryFailureKind::Busy ? 486 : 480);
}

void InboundCall::releaseUnanswered(std::string_view cause, int status) {
  phase_ = Phase::Ended;
  overflowLeg_ = false;
  abandonAgentLeg();
  std::vector<std::string> parties;  // the caller first, in order of arrival
  if (const model::Call* call = context_.model.findCall(spec_.connId); call != nullptr) {
    for (const model::Party& party : call->parties) parties.push_back(party.dn);
  }
  for (const std::string& dn : parties) {
    (void)context_.model.partyReleased(spec_.connId, dn, cause);
  }
  context_.router.onCallEnded(spec_.connId);
  if (!caller_->terminated()) caller_->reject(status);
}

}  // namespace ccsip::control
