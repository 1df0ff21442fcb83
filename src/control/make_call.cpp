#include "control/make_call.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "control/third_party_sdp.h"

namespace ccsip::control {

using sip::dialog::Body;
using sip::dialog::InviteSession;
using sip::dialog::SessionEnd;
using sip::dialog::SessionEndReason;

namespace {

// RFC 3261 13.3.1.4: a UAS gives up its 2xx after 64*T1 (32 s by default) without ACK, and in
// flow I thisDN's ACK waits for otherDN's answer. otherDN is given up before that.
constexpr util::Duration kFlowOneAnswerLimit = std::chrono::seconds(30);

// RFC 3261 21.4.7 / 21.6.1: 486 and 600 say the callee is busy; other refusals are not.
bool isBusy(const SessionEnd& end) {
  return end.reason == SessionEndReason::Rejected && (end.status == 486 || end.status == 600);
}

// The `cause` of the EventReleased that reports a leg that did not come up.
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

// RFC 3261 25.1 quoted-string: the display name of a From header.
std::string nameAddr(const std::string& name, const std::string& uri) {
  std::string out;
  if (!name.empty()) {
    out += '"';
    for (char c : name) {
      if (c == '"' || c == '\\') out += '\\';
      if (c != '\r' && c != '\n') out += c;
    }
    out += "\" ";
  }
  return out + "<" + uri + ">";
}

}  // namespace

// --- Leg: one session's callbacks, routed by which leg they come from

void MakeCall::Leg::onProvisional(InviteSession&, const sip::Message& response) {
  if (!thisLeg_) call_.onOtherProvisional(response);
}

void MakeCall::Leg::onOffer(InviteSession& s, const Body& offer) {
  // UAC: the offer of the 2xx to our INVITE without offer (flow I on thisDN, flow IV on
  // otherDN); our ACK carries the answer once the other leg has it.
  const bool inviteOffer =
      s.role() == InviteSession::Role::Uac && s.state() == InviteSession::State::Accepted;
  if (inviteOffer && thisLeg_ && call_.flowOne() && call_.phase_ == Phase::CallingThis) {
    call_.onThisOffer(offer);
  } else if (inviteOffer && !thisLeg_ && !call_.flowOne() && call_.phase_ == Phase::CallingOther) {
    call_.onOtherOffer(offer);
  } else if (!inviteOffer && call_.phase_ == Phase::Established) {
    call_.answered_.onOffer(s, offer);  // a phone's re-INVITE or UPDATE: relayed
  } else {
    call_.refuseOffer(s);
  }
}

void MakeCall::Leg::onOfferRequired(InviteSession& s) {
  // RFC 3261 14.2 re-INVITE without offer: answered with the last description sent once
  // established, refused before.
  if (call_.phase_ == Phase::Established) {
    call_.answered_.onOfferRequired(s);
  } else {
    s.reject(488);
  }
}

void MakeCall::Leg::onAnswer(InviteSession& s, const Body& answer) {
  if (call_.phase_ == Phase::Established) {
    call_.answered_.onAnswer(s, answer);  // to a re-INVITE of ccsip's
  } else if (thisLeg_) {
    call_.onThisAnswer(answer);
  } else {
    call_.onOtherAnswer(answer);
  }
}

void MakeCall::Leg::onConfirmed(InviteSession& s) {
  if (call_.phase_ == Phase::Established) {
    call_.answered_.onConfirmed(s);
  } else if (thisLeg_) {
    call_.onThisConfirmed();
  } else {
    call_.onOtherConfirmed();
  }
}

void MakeCall::Leg::onReinviteRejected(InviteSession& s, int status) {
  if (call_.phase_ == Phase::Established) {
    call_.answered_.onReinviteRejected(s, status);
    return;
  }
  // Flow IV: thisDN refused otherDN's session description; there is no media to connect.
  if (thisLeg_ && call_.phase_ == Phase::Connecting) {
    call_.failed(false, "rejected-" + std::to_string(status));
  }
}

void MakeCall::Leg::onTerminated(InviteSession& s, const SessionEnd& end) {
  call_.answered_.onTerminated(s);
  if (thisLeg_) {
    call_.onThisTerminated(end);
  } else {
    call_.onOtherTerminated(end);
  }
}

// --- the call

MakeCall::MakeCall(CallContext& context, MakeCallSpec spec)
    : context_(context), spec_(std::move(spec)) {
  origin_ = controllerOrigin(context_.core.options().contact,
                             std::to_string(spec_.connId.value() & 0x7fffffffffffffffULL));
}

MakeCall::~MakeCall() {
  cancelNoAnswerTimer();
  // Torn down with legs alive (server shutdown): end them without reporting back to an owner
  // that is being destroyed.
  phase_ = Phase::Ended;
  destroying_ = true;
  endLegs();
}

bool MakeCall::start() {
  // Flow I engages thisDN without an offer (its 2xx offers); flow IV (RFC 3725 4.4) offers a
  // session without media, which the re-INVITE replaces once otherDN has answered.
  Body offer;
  if (!flowOne()) offer = Body{"application/sdp", noMediaOffer(origin_)};
  // thisDN's phone shows whom it is about to call.
  this_ = invite(spec_.thisDn, nameAddr({}, switchUri(spec_.otherDn)), offer, thisLeg_);
  if (this_ == nullptr) {
    phase_ = Phase::Ended;
    return false;
  }
  startNoAnswerTimer(spec_.thisDn);
  return true;
}

std::string MakeCall::switchUri(const std::string& dn) const {
  return context_.addresses.identityOf(dn);
}

std::shared_ptr<InviteSession> MakeCall::invite(const std::string& dn, std::string from,
                                                const Body& offer, Leg& leg) {
  // The switch for a DN on it, the registered contact of a phone on ccsip.
  auto address = context_.addresses.resolve(dn);
  if (!address) return nullptr;
  sip::dialog::InviteSessionOptions options;
  options.requestUri = address->requestUri;
  options.destination = address->destination;
  options.from = std::move(from);
  options.to = address->to;
  options.offer = offer;
  // Counted before the INVITE goes: a leg may end from inside invite().
  ++liveLegs_;
  auto session = context_.core.invite(options, leg);
  if (session == nullptr) --liveLegs_;
  return session;
}

void MakeCall::refuseOffer(InviteSession& session) {
  // A peer's re-INVITE before the call is established is refused and the previous session
  // description stays (RFC 3261 14.2). A 2xx offer nobody waits for (the call is ending) is
  // ACKed and the leg ended.
  if (!session.reject(488)) session.end();
}

void MakeCall::onThisOffer(const Body& offer) {
  // Flow I message 2: thisDN answered with O1, which goes to otherDN (message 3).
  cancelNoAnswerTimer();
  phase_ = Phase::CallingOther;
  startOtherLeg(offer);
}

void MakeCall::onThisConfirmed() {
  if (flowOne() || phase_ != Phase::CallingThis) {
    // Flow IV re-INVITE: its 2xx without the answer owed to our offer (RFC 3264 4).
    if (!flowOne() && phase_ == Phase::Connecting) failed(false, "error-488");
    return;
  }
  // Flow IV messages 2-3: thisDN answered without media and is ACKed; otherDN is called
  // without offer (message 4).
  cancelNoAnswerTimer();
  phase_ = Phase::CallingOther;
  startOtherLeg(Body{});
}

void MakeCall::onThisAnswer(const Body& answer) {
  if (flowOne() || phase_ != Phase::Connecting) return;  // flow IV message 2: no media
  // Flow IV messages 7-8: thisDN's answer A2' completes otherDN's 2xx in our ACK.
  phase_ = Phase::Established;
  if (other_ == nullptr || !other_->provideAnswer(answer)) {
    failed(false, "error");
    return;
  }
  established();
}

void MakeCall::onThisTerminated(const SessionEnd& end) {
  switch (phase_) {
    case Phase::CallingThis:
      failed(false, causeOf(end));
      break;
    case Phase::CallingOther:
    case Phase::Connecting:
      // thisDN hung up (or gave up its unacknowledged 2xx) while otherDN was being called:
      // otherDN is cancelled, the call abandoned.
      phase_ = Phase::Ended;
      cancelNoAnswerTimer();
      (void)context_.model.callAbandoned(spec_.connId);
      endLegs();
      break;
    case Phase::Established:
      releaseBoth(spec_.thisDn, {});
      break;
    case Phase::Ended:
      break;
  }
  legTerminated();
}

void MakeCall::startOtherLeg(const Body& offer) {
  // otherDN's phone shows the calling extension.
  other_ =
      invite(spec_.otherDn, nameAddr(spec_.thisName, switchUri(spec_.thisDn)), offer, otherLeg_);
  if (other_ == nullptr) {
    failed(false, "error");
    return;
  }
  startNoAnswerTimer(spec_.otherDn);
}

void MakeCall::onOtherProvisional(const sip::Message& response) {
  if (phase_ != Phase::CallingOther || response.statusCode() <= 100 || otherAlerting_) return;
  otherAlerting_ = true;
  // A configured DN rings (EventRinging to it); an external number is reached
  // (EventNetworkReached to thisDN).
  if (context_.model.findDn(spec_.otherDn) != nullptr) {
    (void)context_.model.partyRinging(spec_.connId, spec_.otherDn);
  } else {
    (void)context_.model.networkReached(spec_.connId, spec_.otherDn);
  }
}

void MakeCall::onOtherOffer(const Body& offer) {
  // Flow IV message 5: otherDN answered with O2; thisDN is re-INVITEd with it (message 6) as
  // the continuation of our session with thisDN.
  cancelNoAnswerTimer();
  phase_ = Phase::Connecting;
  auto reoffer = reoriginate(offer.content, origin_);
  if (!reoffer || this_ == nullptr ||
      !this_->reinvite(Body{offer.contentType.empty() ? "application/sdp" : offer.contentType,
                            std::move(*reoffer)})) {
    failed(false, "error");
  }
}

void MakeCall::onOtherAnswer(const Body& answer) {
  if (!flowOne() || phase_ != Phase::CallingOther) return;
  // Flow I messages 4-6: otherDN's answer A1 (its 2xx, ACKed by the session) goes to thisDN
  // in the ACK it has been waiting for.
  phase_ = Phase::Established;
  if (this_ == nullptr || !this_->provideAnswer(answer)) {
    failed(false, "error");
    return;
  }
  established();
}

void MakeCall::onOtherConfirmed() {
  // Flow I: a 2xx to our offer without the answer it owes (RFC 3264 4) leaves thisDN without
  // media: the call fails.
  if (flowOne() && phase_ == Phase::CallingOther) failed(false, "error-488");
}

void MakeCall::onOtherTerminated(const SessionEnd& end) {
  switch (phase_) {
    case Phase::CallingOther:
    case Phase::Connecting:
      failed(isBusy(end), causeOf(end));
      break;
    case Phase::Established:
      releaseBoth(spec_.otherDn, {});
      break;
    case Phase::CallingThis:
    case Phase::Ended:
      break;
  }
  legTerminated();
}

void MakeCall::established() {
  cancelNoAnswerTimer();
  if (this_ != nullptr && other_ != nullptr) {
    answered_.start(*this_, spec_.thisDn, *other_, spec_.otherDn);
  }
  // EventEstablished to otherDN (when configured) and to thisDN, which was dialing.
  (void)context_.model.partyEstablished(spec_.connId, spec_.otherDn);
}

void MakeCall::onNoAnswer() {
  if (phase_ == Phase::CallingThis || phase_ == Phase::CallingOther) failed(false, "no-answer");
}

void MakeCall::failed(bool otherBusy, const std::string& cause) {
  if (phase_ == Phase::Ended) return;
  phase_ = Phase::Ended;
  answered_.stop();
  cancelNoAnswerTimer();
  if (otherBusy) {
    // EventDestinationBusy to thisDN (otherDN leaves the call if it was ringing).
    (void)context_.model.destinationBusy(spec_.connId, spec_.otherDn);
  } else if (otherAlerting_) {
    (void)context_.model.partyReleased(spec_.connId, spec_.otherDn, cause);
  }
  (void)context_.model.partyReleased(spec_.connId, spec_.thisDn, cause);
  endLegs();
}

void MakeCall::releaseBoth(const std::string& first, const model::ReferenceId& ref) {
  phase_ = Phase::Ended;
  answered_.stop();
  cancelNoAnswerTimer();
  const std::string& second = first == spec_.thisDn ? spec_.otherDn : spec_.thisDn;
  (void)context_.model.partyReleased(spec_.connId, first, "normal", ref);
  (void)context_.model.partyReleased(spec_.connId, second, "normal");
  endLegs();
}

model::Status MakeCall::release(const PartyRequest& request) {
  switch (phase_) {
    case Phase::Ended:
      return model::makeError(model::ErrorCode::UnknownCall, spec_.connId.str());
    case Phase::Established:
      releaseBoth(request.dn, request.referenceId);
      return model::ok();
    case Phase::CallingThis:
    case Phase::CallingOther:
    case Phase::Connecting:
      break;
  }
  phase_ = Phase::Ended;
  cancelNoAnswerTimer();
  if (request.dn == spec_.thisDn) {
    // The caller gives up: EventReleased to thisDN, EventAbandoned to a ringing otherDN.
    (void)context_.model.callAbandoned(spec_.connId, request.referenceId);
  } else {
    // The ringing otherDN refuses the call (the model checked it is a party).
    (void)context_.model.partyReleased(spec_.connId, spec_.otherDn, "normal", request.referenceId);
    (void)context_.model.partyReleased(spec_.connId, spec_.thisDn, "normal");
  }
  endLegs();
  return model::ok();
}

void MakeCall::endLegs() {
  // CANCEL before the answer, BYE after it (an unacknowledged 2xx offer is ACKed first); the
  // legs' onTerminated come back with the phase already Ended.
  for (const auto& leg : {this_, other_}) {
    if (leg != nullptr && !leg->terminated()) leg->end();
  }
}

void MakeCall::legTerminated() {
  --liveLegs_;
  if (finished() && !destroying_) context_.owner.onCallFinished(*this);
}

void MakeCall::startNoAnswerTimer(const std::string& dn) {
  cancelNoAnswerTimer();
  // DESIGN.md "No answer": the DN's own no-answer-timeout wins over the application default;
  // zero rings until the call is released.
  util::Duration timeout = context_.options.noAnswerTimeout;
  if (const model::Dn* configured = context_.model.findDn(dn);
      configured != nullptr && configured->options.noAnswerTimeout) {
    timeout = std::chrono::duration_cast<util::Duration>(*configured->options.noAnswerTimeout);
  }
  if (flowOne() && dn == spec_.otherDn &&
      (timeout <= util::Duration{0} || timeout > kFlowOneAnswerLimit)) {
    timeout = kFlowOneAnswerLimit;
  }
  if (timeout <= util::Duration{0}) return;
  noAnswerTimer_ = context_.timers.schedule(timeout, [this] {
    noAnswerTimer_ = 0;
    onNoAnswer();
  });
}

void MakeCall::cancelNoAnswerTimer() {
  if (noAnswerTimer_ != 0) context_.timers.cancel(noAnswerTimer_);
  noAnswerTimer_ = 0;
}

}  // namespace ccsip::control
