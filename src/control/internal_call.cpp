#include "control/internal_call.h"

#include <chrono>
#include <utility>

#include "control/leg_sdp.h"

namespace ccsip::control {

using sip::dialog::Body;
using sip::dialog::InviteSession;
using sip::dialog::SessionEnd;
using sip::dialog::SessionEndReason;

namespace {

// RFC 3261 21.4.7 / 21.6.1: 486 and 600 say the callee is busy.
bool isBusy(const SessionEnd& end) {
  return end.reason == SessionEndReason::Rejected && (end.status == 486 || end.status == 600);
}

// The EventReleased cause of a callee leg that did not come up.
std::string causeOf(const SessionEnd& end) {
  switch (end.reason) {
    case SessionEndReason::Rejected:
      return isBusy(end) ? "busy" : "rejected-" + std::to_string(end.status);
    case SessionEndReason::Timeout:
      return "timeout";
    case SessionEndReason::Cancelled:
      return "cancelled";
    case SessionEndReason::LocalBye:
    case SessionEndReason::RemoteBye:
      return "normal";
    case SessionEndReason::Error:
      break;
  }
  return "error-" + std::to_string(end.status);
}

// What the caller's phone is told when the callee leg failed before its answer: the callee's
// own refusal (RFC 3261 16.7 step 6 picks the best final response the same way); a timeout is
// 408, a transport or protocol failure 502 (the next hop failed, RFC 3261 21.5.3).
int statusFor(const SessionEnd& end) {
  switch (end.reason) {
    case SessionEndReason::Rejected:
      return end.status >= 300 && end.status <= 699 ? end.status : 500;
    case SessionEndReason::Timeout:
      return 408;
    default:
      return 502;
  }
}

}  // namespace

// --- Leg

void InternalCall::Leg::onProvisional(InviteSession& s, const sip::Message& response) {
  if (!caller_ && &s == call_.callee_.get()) call_.onCalleeProvisional(response);
}

void InternalCall::Leg::onOffer(InviteSession& s, const Body& offer) {
  if (caller_ && call_.phase_ == Phase::Calling && call_.callee_ == nullptr) {
    call_.startCalleeLeg(offer);  // the caller's INVITE
    return;
  }
  call_.answered_.onOffer(s, offer);  // a re-INVITE or UPDATE with an offer
}

void InternalCall::Leg::onOfferRequired(InviteSession& s) {
  call_.answered_.onOfferRequired(s);
}

void InternalCall::Leg::onAnswer(InviteSession& s, const Body& answer) {
  if (!caller_ && &s == call_.callee_.get() && call_.phase_ == Phase::Calling) {
    call_.onCalleeAnswer(answer);
  } else {
    call_.answered_.onAnswer(s, answer);
  }
}

void InternalCall::Leg::onConfirmed(InviteSession& s) {
  if (!caller_ && &s == call_.callee_.get() && call_.phase_ == Phase::Calling) {
    // RFC 3264 4: a 2xx to an INVITE with an offer must carry the answer.
    call_.failed(false, 500, "error-488");
    return;
  }
  call_.answered_.onConfirmed(s);
}

void InternalCall::Leg::onReinviteRejected(InviteSession& s, int status) {
  call_.answered_.onReinviteRejected(s, status);
}

void InternalCall::Leg::onTerminated(InviteSession& s, const SessionEnd& end) {
  call_.answered_.onTerminated(s);
  call_.onLegTerminated(caller_, end);
}

// --- the call

InternalCall::InternalCall(CallContext& context, InternalCallSpec spec,
                           std::shared_ptr<InviteSession> caller)
    : context_(context), spec_(std::move(spec)), caller_(std::move(caller)) {}

InternalCall::~InternalCall() {
  cancelNoAnswerTimer();
  // Torn down with legs alive (server shutdown): end them without reporting to the owner.
  phase_ = Phase::Ended;
  destroying_ = true;
  endLegs();
}

void InternalCall::startCalleeLeg(const Body& offer) {
  auto address = context_.addresses.resolve(spec_.calleeDn);
  if (!address) {
    // Unregistered since CallControl looked (or no switch).
    failed(false, address.error().code, "not-registered");
    return;
  }
  sip::dialog::InviteSessionOptions options;
  options.requestUri = address->requestUri;
  options.to = address->to;
  options.destination = address->destination;
  options.from = spec_.callerFrom;  // the callee's phone shows the caller
  options.headers = spec_.calleeHeaders;
  // The caller's offer goes to the callee (early offer); the callee's answer becomes ours.
  options.offer = offer;
  ++liveLegs_;
  callee_ = context_.core.invite(options, calleeLeg_);
  if (callee_ == nullptr) {
    --liveLegs_;
    failed(false, 500, "error");
    return;
  }
  // DESIGN.md "No answer": the DN's own no-answer-timeout wins; zero rings until released.
  util::Duration timeout = context_.options.noAnswerTimeout;
  if (const model::Dn* dn = context_.model.findDn(spec_.calleeDn);
      dn != nullptr && dn->options.noAnswerTimeout) {
    timeout = std::chrono::duration_cast<util::Duration>(*dn->options.noAnswerTimeout);
  }
  if (timeout > util::Duration{0}) {
    noAnswerTimer_ = context_.timers.schedule(timeout, [this] {
      noAnswerTimer_ = 0;
      onNoAnswer();
    });
  }
}

void InternalCall::onCalleeProvisional(const sip::Message& response) {
  const int status = response.statusCode();
  if (phase_ != Phase::Calling || status <= 100) return;
  // The caller hears what the callee's phone does (180, or 183 with early media).
  caller_->provisional(status,
                       Body{std::string(response.contentType()), std::string(response.body())});
  if (!calleeRinging_) {
    calleeRinging_ = true;
    (void)context_.model.partyRinging(spec_.connId, spec_.calleeDn);
  }
}

void InternalCall::onCalleeAnswer(const Body& answer) {
  cancelNoAnswerTimer();
  phase_ = Phase::Answered;
  caller_->accept(answer);
  answered_.start(*caller_, spec_.callerDn, *callee_, spec_.calleeDn);
  // EventEstablished to the callee and to the caller, which was dialing.
  (void)context_.model.partyEstablished(spec_.connId, spec_.calleeDn);
}

void InternalCall::onLegTerminated(bool callerLeg, const SessionEnd& end) {
  switch (phase_) {
    case Phase::Calling:
      if (callerLeg) {
        // CANCEL or a failure before the answer: the caller abandoned; a ringing callee sees
        // EventAbandoned and is cancelled.
        phase_ = Phase::Ended;
        cancelNoAnswerTimer();
        (void)context_.model.callAbandoned(spec_.connId);
        endLegs();
      } else {
        failed(isBusy(end), isBusy(end) ? 486 : statusFor(end), causeOf(end));
      }
      break;
    case Phase::Answered:
      releaseBoth(callerLeg ? spec_.callerDn : spec_.calleeDn, {});
      break;
    case Phase::Ended:
      break;
  }
  legTerminated();
}

void InternalCall::onNoAnswer() {
  // RFC 3261 21.4.18: the callee cannot be reached now.
  if (phase_ == Phase::Calling) failed(false, 480, "no-answer");
}

void InternalCall::failed(bool busy, int status, const std::string& cause) {
  if (phase_ == Phase::Ended) return;
  phase_ = Phase::Ended;
  cancelNoAnswerTimer();
  if (busy) {
    // EventDestinationBusy to the caller (the callee leaves the call if it was ringing).
    (void)context_.model.destinationBusy(spec_.connId, spec_.calleeDn);
  } else if (calleeRinging_) {
    (void)context_.model.partyReleased(spec_.connId, spec_.calleeDn, cause);
  }
  (void)context_.model.partyReleased(spec_.connId, spec_.callerDn, cause);
  if (!caller_->terminated() && !caller_->reject(status)) caller_->end();
  endLegs();
}

void InternalCall::releaseBoth(const std::string& first, const model::ReferenceId& ref) {
  phase_ = Phase::Ended;
  answered_.stop();  // a re-negotiation in progress ends with the call
  cancelNoAnswerTimer();
  const std::string& second = first == spec_.callerDn ? spec_.calleeDn : spec_.callerDn;
  (void)context_.model.partyReleased(spec_.connId, first, "normal", ref);
  (void)context_.model.partyReleased(spec_.connId, second, "normal");
  endLegs();
}

model::Status InternalCall::release(const PartyRequest& request) {
  switch (phase_) {
    case Phase::Ended:
      return model::makeError(model::ErrorCode::InvalidCallState,
                              "the call is already being released");
    case Phase::Answered:
      releaseBoth(request.dn, request.referenceId);
      return model::ok();
    case Phase::Calling:
      break;
  }
  phase_ = Phase::Ended;
  cancelNoAnswerTimer();
  if (request.dn == spec_.callerDn) {
    // The caller gives up: EventReleased to it, EventAbandoned to a ringing callee.
    (void)context_.model.callAbandoned(spec_.connId, request.referenceId);
  } else {
    // The ringing callee refuses the call.
    (void)context_.model.partyReleased(spec_.connId, spec_.calleeDn, "normal", request.referenceId);
    (void)context_.model.partyReleased(spec_.connId, spec_.callerDn, "normal");
  }
  endLegs();
  return model::ok();
}

void InternalCall::endLegs() {
  // CANCEL or BYE on the callee, 480 or BYE on the caller (a 2xx not ACKed yet gets its BYE
  // after the ACK); their onTerminated come back with the phase already Ended.
  for (const auto& leg : {callee_, caller_}) {
    if (leg != nullptr && !leg->terminated()) leg->end();
  }
}

void InternalCall::legTerminated() {
  --liveLegs_;
  if (finished() && !destroying_) context_.owner.onCallFinished(*this);
}

void InternalCall::cancelNoAnswerTimer() {
  if (noAnswerTimer_ != 0) context_.timers.cancel(noAnswerTimer_);
  noAnswerTimer_ = 0;
}

}  // namespace ccsip::control
