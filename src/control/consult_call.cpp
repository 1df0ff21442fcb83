// The consult call's legs and lifecycle (docs/call-flows.md "InitiateTransfer /
// CompleteTransfer"); its CTI requests are in consult_call_requests.cpp.

#include "control/consult_call.h"

#include <string>
#include <utility>

#include "control/overflow.h"

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

// The `cause` of the EventReleased that reports a target leg that did not come up (as MakeCall
// reports its legs).
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

// --- Leg: one session's callbacks, with the leg they come from

void ConsultCall::Leg::onProvisional(InviteSession&, const sip::Message& response) {
  call_.onProvisional(id_, response);
}

void ConsultCall::Leg::onOffer(InviteSession& s, const Body& offer) {
  call_.onOffer(id_, s, offer);
}

void ConsultCall::Leg::onOfferRequired(InviteSession& s) {
  call_.onOfferRequired(s);
}

void ConsultCall::Leg::onAnswer(InviteSession& s, const Body& answer) {
  if (!call_.destroying_) (void)call_.media_.onAnswer(s, answer);
}

void ConsultCall::Leg::onConfirmed(InviteSession& s) {
  if (!call_.destroying_) (void)call_.media_.onConfirmed(s);
}

void ConsultCall::Leg::onReinviteRejected(InviteSession& s, int status) {
  if (!call_.destroying_) (void)call_.media_.onReinviteRejected(s, status);
}

void ConsultCall::Leg::onTerminated(InviteSession& s, const SessionEnd& end) {
  call_.onLegTerminated(id_, s, end);
}

// --- the call

ConsultCall::ConsultCall(CallContext& context, ConsultOwner& owner, ConsultHost& host,
                         LentLegs legs, ConsultSpec spec)
    : context_(context),
      owner_(owner),
      host_(&host),
      spec_(std::move(spec)),
      peerDn_(std::move(legs.peerDn)),
      line_(std::move(legs.line)),
      peer_(std::move(legs.peer)) {
  peerHeld_ = legs.peerHeld;
  // The legs are driven from here until they go back (ConsultHost::takeBack).
  line_->setHandler(lineLeg_);
  peer_->setHandler(peerLeg_);
}

ConsultCall::~ConsultCall() {
  cancelNoAnswerTimer();
  // Torn down with legs alive (server shutdown): end them without reporting to anyone.
  destroying_ = true;
  media_.reset();
  for (InviteSession* leg : {target_.get(), line_.get(), peer_.get()}) {
    if (leg != nullptr && !leg->terminated()) leg->end();
  }
}

bool ConsultCall::finished() const {
  return host_ == nullptr && !consultOpen_ && liveLegs_ == 0 &&
         (targetPhase_ == TargetPhase::Gone || targetPhase_ == TargetPhase::NotCalled);
}

model::Status ConsultCall::start() {
  if (peerHeld_) {
    // HoldCall came first: the consult starts at once.
    createConsult();
    settle();
    return model::ok();
  }
  request_ = pending(Request::Initiate, "InitiateTransfer", spec_.mainConnId, spec_.referenceId);
  auto status = media_.hold(*peer_, kHoldPeer, "InitiateTransfer");
  if (!status) {
    endRequest();
    settle();  // the legs go back
  }
  return status;
}

InviteSession* ConsultCall::session(LegId id) const {
  switch (id) {
    case LegId::Line:
      return line_.get();
    case LegId::Peer:
      return peer_.get();
    case LegId::Target:
      return target_.get();
  }
  return nullptr;
}

void ConsultCall::createConsult() {
  model::NewCall call;
  call.type = model::CallType::Consult;
  call.originDn = spec_.dn;
  call.dialledDn = spec_.otherDn;
  call.userData = spec_.userData;
  call.mainConnId = spec_.mainConnId;
  call.referenceId = spec_.referenceId;
  auto created = context_.model.callCreated(call);
  if (!created) {
    (void)context_.model.requestFailed(spec_.mainConnId, spec_.dn, model::ErrorCode::InternalError,
                                       "InitiateTransfer: " + created.error().message,
                                       spec_.referenceId);
    return;
  }
  connId_ = *created;
  consultOpen_ = true;
  owner_.onConsultCreated(*this);
  callTarget();
}

void ConsultCall::callTarget() {
  targetPhase_ = TargetPhase::Calling;
  // The switch for a DN on it, the registered contact of a phone on ccsip.
  auto address = context_.addresses.resolve(spec_.otherDn);
  if (!address) {
    targetFailed(false, "error-" + std::to_string(address.error().code));
    return;
  }
  sip::dialog::InviteSessionOptions options;
  options.requestUri = address->requestUri;
  options.destination = address->destination;
  options.to = address->to;
  // The target's phone shows who consults it.
  const model::Dn* dn = context_.model.findDn(spec_.dn);
  options.from = nameAddr(dn != nullptr ? dn->options.name : std::string(),
                          context_.addresses.identityOf(spec_.dn));
  // No offer: the target offers in its 2xx and the agent's phone answers it (RFC 3725 flow I
  // with the line in the controller's place), so the line is re-INVITEd only once the target
  // has answered.
  ++liveLegs_;  // counted before the INVITE goes: a leg may end from inside invite()
  target_ = context_.core.invite(options, targetLeg_);
  if (target_ == nullptr) {
    --liveLegs_;
    targetFailed(false, "error");
    return;
  }
  if (targetPhase_ != TargetPhase::Calling) return;  // it failed inside invite()
  // DESIGN.md "No answer": the target's own no-answer-timeout, as for any leg to that DN; the
  // consult is then released and the agent decides what comes next (no overflow).
  const util::Duration timeout =
      planNoAnswer(context_.model, spec_.otherDn, context_.options).timeout;
  if (timeout > util::Duration::zero()) {
    noAnswerTimer_ = context_.timers.schedule(timeout, [this] { onNoAnswer(); });
  }
}

void ConsultCall::onNoAnswer() {
  noAnswerTimer_ = 0;
  if (targetPhase_ == TargetPhase::Calling) {
    targetFailed(false, "no-answer");
    settle();
  }
}

void ConsultCall::cancelNoAnswerTimer() {
  if (noAnswerTimer_ != 0) context_.timers.cancel(noAnswerTimer_);
  noAnswerTimer_ = 0;
}

void ConsultCall::onProvisional(LegId id, const sip::Message& response) {
  if (destroying_ || id != LegId::Target || targetPhase_ != TargetPhase::Calling ||
      response.statusCode() <= 100 || targetRinging_) {
    return;
  }
  targetRinging_ = true;
  // A configured DN rings (EventRinging to it); an external number is reached
  // (EventNetworkReached to the agent).
  if (context_.model.findDn(spec_.otherDn) != nullptr) {
    (void)context_.model.partyRinging(connId_, spec_.otherDn);
  } else {
    (void)context_.model.networkReached(connId_, spec_.otherDn);
  }
}

void ConsultCall::onOffer(LegId id, InviteSession& s, const Body& offer) {
  if (destroying_) return;
  const bool inviteOffer =
      s.role() == InviteSession::Role::Uac && s.state() == InviteSession::State::Accepted;
  if (id == LegId::Target && inviteOffer) {
    if (targetPhase_ == TargetPhase::Calling && &s == target_.get()) {
      onTargetOffer(offer);
    } else {
      s.end();  // a 2xx of a leg given up: ACKed and BYEd (RFC 3261 13.2.2.4, 15)
    }
    return;
  }
  if (media_.onOffer(s, offer)) return;
  // A phone's own offer (re-INVITE or UPDATE).
  if (media_.busy()) {
    s.reject(491);  // RFC 3261 14.2: ccsip's own offer on the call is outstanding
    return;
  }
  InviteSession* to = partnerOf(id);
  if (to == nullptr) {
    // A held party that talks to nobody now: the previous description stays (RFC 3261 14.2).
    if (!s.reject(488, "Not Acceptable Here")) s.end();
    return;
  }
  (void)media_.relay(s, offer, *to, heldLeg(to));
}

void ConsultCall::onOfferRequired(InviteSession& s) {
  if (destroying_) return;
  // A re-INVITE without offer (a session refresh): the last description sent on that leg,
  // unchanged (RFC 3264 8); the answer in the ACK stays on this leg.
  if (media_.busy()) {
    s.reject(491);
  } else if (s.localBody().empty()) {
    s.reject(488, "Not Acceptable Here");
  } else {
    s.accept(s.localBody());
  }
}

InviteSession* ConsultCall::partnerOf(LegId id) const {
  InviteSession* partner = nullptr;
  switch (id) {
    case LegId::Line:
      if (lineOnTarget_) {
        if (targetPhase_ == TargetPhase::Talking) partner = target_.get();
      } else if (host_ != nullptr) {
        partner = peer_.get();
      }
      break;
    case LegId::Peer:
      if (!lineOnTarget_ && host_ != nullptr) partner = line_.get();
      break;
    case LegId::Target:
      if (lineOnTarget_ && targetPhase_ == TargetPhase::Talking) partner = line_.get();
      break;
  }
  return partner != nullptr && !partner->terminated() ? partner : nullptr;
}

bool ConsultCall::heldLeg(const InviteSession* s) const {
  return (s == peer_.get() && peerHeld_) || (s == target_.get() && targetHeld_);
}

void ConsultCall::onTargetOffer(const Body& offer) {
  cancelNoAnswerTimer();
  targetPhase_ = TargetPhase::Connecting;
  targetOffer_ = offer;
  // One re-negotiation at a time: after the one in progress, if any (onMediaDone / Failed).
  if (!media_.busy()) answerTarget();
}

void ConsultCall::answerTarget() {
  const Body offer = std::move(*targetOffer_);
  targetOffer_.reset();
  if (targetPhase_ != TargetPhase::Connecting || target_ == nullptr || target_->terminated()) {
    return;
  }
  if (line_ == nullptr || line_->terminated() ||
      !media_.connectOffered(*target_, offer, *line_, kAnswerTarget)) {
    targetFailed(false, "error");
  }
}

void ConsultCall::targetFailed(bool busy, const std::string& cause) {
  if (targetPhase_ == TargetPhase::Gone) return;
  cancelNoAnswerTimer();
  targetPhase_ = TargetPhase::Gone;
  targetOffer_.reset();
  if (consultOpen_) {
    consultOpen_ = false;
    if (busy) {
      // EventDestinationBusy to the agent (the target leaves the call if it was ringing).
      (void)context_.model.destinationBusy(connId_, spec_.otherDn);
    } else if (targetRinging_) {
      (void)context_.model.partyReleased(connId_, spec_.otherDn, cause);
    }
    (void)context_.model.partyReleased(connId_, spec_.dn, cause);
  }
  // CANCEL before the answer; a 2xx not answered yet is ACKed and BYEd.
  if (target_ != nullptr && !target_->terminated()) target_->end();
}

void ConsultCall::releaseConsult(const std::string& first, const model::ReferenceId& ref) {
  const TargetPhase phase = targetPhase_;
  cancelNoAnswerTimer();
  targetPhase_ = TargetPhase::Gone;
  targetOffer_.reset();
  targetHeld_ = false;
  if (consultOpen_) {
    consultOpen_ = false;
    if (phase == TargetPhase::Calling && first == spec_.dn) {
      // The agent gives up: EventReleased to it, EventAbandoned to a ringing target.
      (void)context_.model.callAbandoned(connId_, ref);
    } else {
      const std::string& second = first == spec_.dn ? spec_.otherDn : spec_.dn;
      (void)context_.model.partyReleased(connId_, first, "normal", ref);
      (void)context_.model.partyReleased(connId_, second, "normal");
    }
  }
  if (target_ != nullptr && !target_->terminated()) target_->end();
}

void ConsultCall::endMain(const std::string& first, const model::ReferenceId& ref) {
  ConsultHost* host = host_;
  if (host == nullptr) return;
  host_ = nullptr;
  peerHeld_ = false;
  const std::string& second = first == spec_.dn ? peerDn_ : spec_.dn;
  (void)context_.model.partyReleased(spec_.mainConnId, first, "normal", ref);
  (void)context_.model.partyReleased(spec_.mainConnId, second, "normal");
  host->takeBack(ReturnedLegs{true, nullptr, {}, nullptr, false});
  if (peer_ != nullptr && !peer_->terminated()) peer_->end();
}

void ConsultCall::onLegTerminated(LegId id, InviteSession& s, const SessionEnd& end) {
  if (destroying_) return;
  --liveLegs_;
  const LegMedia::Op given = media_.onTerminated(s);
  if (given.kind == LegMedia::Kind::Connect && given.answering && given.other == line_.get()) {
    // The line got the offerer's offer before it went: its media point there now.
    lineOnTarget_ = given.leg == target_.get();
  }
  switch (id) {
    case LegId::Line:
      if (!lineEnded_) {
        // The agent hung up: both calls are over (the agent leaves first).
        lineEnded_ = true;
        releaseConsult(spec_.dn, {});
        endMain(spec_.dn, {});
      }
      break;
    case LegId::Peer:
      endMain(peerDn_, {});  // the main call's other party hung up; nothing if it was ended here
      break;
    case LegId::Target:
      if (targetPhase_ == TargetPhase::Calling) {
        targetFailed(isBusy(end), causeOf(end));  // busy, refused, failed before its answer
      } else if (targetPhase_ == TargetPhase::Connecting || targetPhase_ == TargetPhase::Talking) {
        releaseConsult(spec_.otherDn, {});  // the target hung up
      }
      break;
  }
  if (given.kind != LegMedia::Kind::None && given.kind != LegMedia::Kind::Relay &&
      request_.kind != Request::None) {
    requestAborted();
  }
  settle();
}

void ConsultCall::settle() {
  if (destroying_) return;
  const bool consultOver =
      targetPhase_ == TargetPhase::Gone || targetPhase_ == TargetPhase::NotCalled;
  if (host_ != nullptr) {
    // The legs go back once nothing of the consult is left and the line talks to the peer
    // again (else RetrieveCall / ReconnectCall of the main call connects them first).
    if (consultOver && !consultOpen_ && request_.kind == Request::None && !media_.busy() &&
        !lineOnTarget_) {
      giveBack();
    }
  } else if (consultOver && !consultOpen_ && !lineEnded_) {
    // The main call is over and so is the consult: nothing is left for the agent's phone.
    lineEnded_ = true;
    if (line_ != nullptr && !line_->terminated()) line_->end();
  }
  if (!reported_ && finished()) {
    reported_ = true;
    context_.owner.onCallFinished(*this);
  }
}

void ConsultCall::giveBack() {
  ConsultHost* host = host_;
  host_ = nullptr;
  lineEnded_ = true;  // the line is the main call's again
  ReturnedLegs back;
  back.line = std::move(line_);
  back.lineDn = spec_.dn;
  back.peer = std::move(peer_);
  back.peerHeld = peerHeld_;
  line_.reset();
  peer_.reset();
  liveLegs_ -= 2;
  host->takeBack(std::move(back));
}

}  // namespace ccsip::control
