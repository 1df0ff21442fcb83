// The CTI requests on a consult call and on its main call while the consult drives the main
// call's legs (docs/call-flows.md "InitiateTransfer / CompleteTransfer", docs/protocol.md).

#include <string>

#include "control/consult_call.h"

namespace ccsip::control {

using sip::dialog::InviteSession;

namespace {

model::Status invalid(std::string_view request, const std::string& why) {
  return model::makeError(model::ErrorCode::InvalidCallState, std::string(request) + ": " + why);
}

}  // namespace

model::Status ConsultCall::checkRequester(std::string_view dn, std::string_view request) const {
  if (dn != spec_.dn) return invalid(request, "only " + spec_.dn + ", who consults, may do that");
  return model::ok();
}

model::Status ConsultCall::checkIdle(std::string_view request) const {
  if (request_.kind != Request::None || media_.busy()) {
    return model::makeError(
        model::ErrorCode::OperationInProgress,
        std::string(request) + ": another request of the call is not finished, retry later");
  }
  return model::ok();
}

model::Status ConsultCall::consulting(std::string_view request) const {
  return invalid(request, "a consult call (" + connId_.str() +
                              ") is in progress: complete, reconnect or release it first");
}

bool ConsultCall::namesBoth(const CallPairRequest& request) const {
  if (connId_ == model::ConnId{}) return false;
  return (request.connId == spec_.mainConnId && request.otherConnId == connId_) ||
         (request.connId == connId_ && request.otherConnId == spec_.mainConnId);
}

// --- the consult call

model::Status ConsultCall::release(const PartyRequest& request) {
  if (!consultOpen_) return invalid("ReleaseCall", "the consult call is already being released");
  // The agent or the consulted party (a configured DN) hangs up the consult: the main call
  // stays held (RetrieveCall / ReconnectCall take it back).
  releaseConsult(request.dn, request.referenceId);
  settle();
  return model::ok();
}

model::Status ConsultCall::hold(const PartyRequest& request) {
  if (auto status = checkRequester(request.dn, "HoldCall"); !status) return status;
  if (targetPhase_ != TargetPhase::Talking) {
    return invalid("HoldCall", "the consult call is not established");
  }
  if (targetHeld_ || !lineOnTarget_) return invalid("HoldCall", "the consult call is held");
  if (auto status = checkIdle("HoldCall"); !status) return status;
  request_ = pending(Request::HoldConsult, "HoldCall", connId_, request.referenceId);
  auto status = media_.hold(*target_, kHoldTarget, "HoldCall");
  if (!status) endRequest();
  return status;
}

model::Status ConsultCall::retrieve(const PartyRequest& request) {
  if (auto status = checkRequester(request.dn, "RetrieveCall"); !status) return status;
  if (targetPhase_ != TargetPhase::Talking) {
    return invalid("RetrieveCall", "the consult call is not established");
  }
  if (!targetHeld_) return invalid("RetrieveCall", "the consult call is not held");
  if (!lineOnTarget_ && host_ != nullptr && !peerHeld_) {
    return invalid("RetrieveCall", spec_.dn + " talks on the main call " + spec_.mainConnId.str() +
                                       ": hold it first, or use AlternateCall");
  }
  if (auto status = checkIdle("RetrieveCall"); !status) return status;
  request_ = pending(Request::RetrieveConsult, "RetrieveCall", connId_, request.referenceId);
  auto status = retrieveStep(LegId::Target, "RetrieveCall");
  if (!status) endRequest();
  return status;
}

// --- the main call, while its legs are here

model::Status ConsultCall::releaseMain(const PartyRequest& request) {
  if (host_ == nullptr) return invalid("ReleaseCall", "the call is already being released");
  // The main call ends (its other party gets BYE); the consult goes on as a call of its own.
  endMain(request.dn, request.referenceId);
  settle();
  return model::ok();
}

model::Status ConsultCall::holdMain(const PartyRequest& request) {
  if (auto status = checkRequester(request.dn, "HoldCall"); !status) return status;
  if (peerHeld_ || lineOnTarget_) return invalid("HoldCall", "the call is held");
  if (auto status = checkIdle("HoldCall"); !status) return status;
  request_ = pending(Request::HoldMain, "HoldCall", spec_.mainConnId, request.referenceId);
  auto status = media_.hold(*peer_, kHoldPeer, "HoldCall");
  if (!status) endRequest();
  return status;
}

model::Status ConsultCall::retrieveMain(const PartyRequest& request) {
  if (auto status = checkRequester(request.dn, "RetrieveCall"); !status) return status;
  if (!peerHeld_) return invalid("RetrieveCall", "the call is not held by " + request.dn);
  switch (targetPhase_) {
    case TargetPhase::NotCalled:
    case TargetPhase::Connecting:
      return model::makeError(model::ErrorCode::OperationInProgress,
                              "RetrieveCall: the consult call is being set up, retry later");
    case TargetPhase::Calling:
      return invalid("RetrieveCall", "the consult call (" + connId_.str() +
                                         ") is ringing: release it first (ReleaseCall or "
                                         "ReconnectCall)");
    case TargetPhase::Talking:
      if (!targetHeld_) {
        return invalid("RetrieveCall", request.dn + " talks on the consult call " + connId_.str() +
                                           ": use AlternateCall or ReconnectCall");
      }
      break;
    case TargetPhase::Gone:
      break;
  }
  if (auto status = checkIdle("RetrieveCall"); !status) return status;
  request_ = pending(Request::RetrieveMain, "RetrieveCall", spec_.mainConnId, request.referenceId);
  auto status = retrieveStep(LegId::Peer, "RetrieveCall");
  if (!status) endRequest();
  return status;
}

model::Status ConsultCall::retrieveStep(LegId leg, std::string_view request) {
  const bool toTarget = leg == LegId::Target;
  InviteSession* held = session(leg);
  if (held == nullptr || line_ == nullptr) return invalid(request, "the call is ending");
  if (toTarget == lineOnTarget_) {
    // The line's media point at that party still: a=sendrecv is enough.
    return media_.retrieve(*held, toTarget ? kRetrieveTarget : kRetrievePeer, request);
  }
  // The line talked to the other call since: the held party offers (re-INVITE without offer)
  // and the line answers.
  return media_.connect(*held, *line_, toTarget ? kLineToTarget : kLineToPeer, request);
}

// --- both calls

model::Status ConsultCall::completeTransfer(const CallPairRequest& request) {
  const std::string_view name = "CompleteTransfer";
  if (!namesBoth(request)) {
    return invalid(name, "connId and consultConnId must be a call and its consult call");
  }
  if (auto status = checkRequester(request.dn, name); !status) return status;
  if (host_ == nullptr) return invalid(name, "the main call is over");
  switch (targetPhase_) {
    case TargetPhase::NotCalled:
    case TargetPhase::Calling:
      // docs/call-flows.md: a ringing consult is not completed (the agent would leave a caller
      // held with nobody yet); SingleStepTransfer / MuteTransfer hand a call over unanswered.
      return invalid(name, "the consult call to " + spec_.otherDn +
                               " is not answered yet (wait for EventEstablished, or use "
                               "SingleStepTransfer)");
    case TargetPhase::Connecting:
      return model::makeError(model::ErrorCode::OperationInProgress,
                              std::string(name) + ": the consult call is being connected, retry");
    case TargetPhase::Gone:
      return invalid(name, "the consult call is over");
    case TargetPhase::Talking:
      break;
  }
  if (auto status = checkIdle(name); !status) return status;
  request_ = pending(Request::Complete, name, spec_.mainConnId, request.referenceId);
  // The main call's party offers, the target answers: their media point at each other.
  auto status = media_.connect(*peer_, *target_, kComplete, name);
  if (!status) endRequest();
  return status;
}

void ConsultCall::completeDone() {
  const model::ReferenceId ref = request_.referenceId;
  // EventReleased (transferred) on both calls to the agent, EventPartyChanged to the target
  // (and to a configured party of the main call); the consult call ends in the model.
  (void)context_.model.transferCompleted(spec_.mainConnId, connId_, spec_.dn, ref);
  consultOpen_ = false;
  targetPhase_ = TargetPhase::Gone;
  ConsultHost* host = host_;
  host_ = nullptr;
  ReturnedLegs back;
  back.line = std::move(target_);
  back.lineDn = spec_.otherDn;
  back.peer = std::move(peer_);
  back.peerHeld = false;
  target_.reset();
  peer_.reset();
  liveLegs_ -= 2;
  // The main call goes on with the target; the agent's phone gets BYE.
  host->takeBack(std::move(back));
  lineEnded_ = true;
  if (line_ != nullptr && !line_->terminated()) line_->end();
}

model::Status ConsultCall::alternate(const CallPairRequest& request) {
  const std::string_view name = "AlternateCall";
  if (!namesBoth(request)) {
    return invalid(name, "connId and heldConnId must be a call and its consult call");
  }
  if (auto status = checkRequester(request.dn, name); !status) return status;
  if (host_ == nullptr) return invalid(name, "the main call is over");
  if (targetPhase_ != TargetPhase::Talking) {
    return invalid(name, "the consult call is not established");
  }
  const bool toMain = request.otherConnId == spec_.mainConnId;
  if (toMain ? !peerHeld_ : !targetHeld_) {
    return invalid(name, request.otherConnId.str() + " is not held");
  }
  if (auto status = checkIdle(name); !status) return status;
  request_ = pending(Request::Alternate, name, request.connId, request.referenceId);
  request_.toMain = toMain;
  // The call the line is on is held first (EventHeld), then the other one retrieved
  // (EventRetrieved): both with the request's referenceId.
  const bool activeHeld = toMain ? targetHeld_ : peerHeld_;
  model::Status status = model::ok();
  if (!activeHeld) {
    status =
        toMain ? media_.hold(*target_, kHoldTarget, name) : media_.hold(*peer_, kHoldPeer, name);
  } else {
    request_.connId = request.otherConnId;
    status = retrieveStep(toMain ? LegId::Peer : LegId::Target, name);
  }
  if (!status) endRequest();
  return status;
}

model::Status ConsultCall::reconnect(const CallPairRequest& request) {
  const std::string_view name = "ReconnectCall";
  if (!namesBoth(request)) {
    return invalid(name, "connId and heldConnId must be a call and its consult call");
  }
  if (auto status = checkRequester(request.dn, name); !status) return status;
  if (host_ == nullptr) return invalid(name, "the main call is over");
  if (auto status = checkIdle(name); !status) return status;
  const bool releaseTheConsult = request.connId == connId_;
  if (releaseTheConsult) {
    if (!peerHeld_) return invalid(name, spec_.mainConnId.str() + " is not held");
    if (!consultOpen_) return invalid(name, "the consult call is already being released");
  } else {
    if (targetPhase_ != TargetPhase::Talking || !targetHeld_) {
      return invalid(name, connId_.str() + " is not held");
    }
  }
  // Set first: releasing one call must not hand the legs back before the other is retrieved.
  request_ = pending(Request::Reconnect, name, request.otherConnId, request.referenceId);
  if (releaseTheConsult) {
    releaseConsult(spec_.dn, request.referenceId);
  } else {
    endMain(spec_.dn, request.referenceId);
  }
  auto status = retrieveStep(releaseTheConsult ? LegId::Peer : LegId::Target, name);
  if (!status) {
    // The release is done (its events are out): the retrieve is what failed.
    requestFailed(model::ErrorCode(status.error().code), status.error().message);
  }
  settle();
  return model::ok();
}

// --- the re-negotiations of the requests

void ConsultCall::onMediaDone(const LegMedia::Op& op) {
  const model::ReferenceId ref = request_.referenceId;
  switch (op.tag) {
    case kRelay:
      break;
    case kHoldPeer:
      peerHeld_ = true;
      (void)context_.model.partyHeld(spec_.mainConnId, spec_.dn, ref);
      if (request_.kind == Request::Initiate) {
        endRequest();
        createConsult();  // EventDialing, and otherDN is called
      } else if (request_.kind == Request::Alternate) {
        request_.connId = connId_;
        continueWith(retrieveStep(LegId::Target, request_.name));
      } else {
        endRequest();
      }
      break;
    case kHoldTarget:
      targetHeld_ = true;
      (void)context_.model.partyHeld(connId_, spec_.dn, ref);
      if (request_.kind == Request::Alternate) {
        request_.connId = spec_.mainConnId;
        continueWith(retrieveStep(LegId::Peer, request_.name));
      } else {
        endRequest();
      }
      break;
    case kRetrievePeer:
    case kLineToPeer:
      peerHeld_ = false;
      lineOnTarget_ = false;
      (void)context_.model.partyRetrieved(spec_.mainConnId, spec_.dn, ref);
      endRequest();
      break;
    case kRetrieveTarget:
    case kLineToTarget:
      targetHeld_ = false;
      lineOnTarget_ = true;
      (void)context_.model.partyRetrieved(connId_, spec_.dn, ref);
      endRequest();
      break;
    case kAnswerTarget:
      // The line answered the target's offer (and the target got the answer in its ACK).
      targetPhase_ = TargetPhase::Talking;
      lineOnTarget_ = true;
      (void)context_.model.partyEstablished(connId_, spec_.otherDn);
      break;
    case kComplete:
      completeDone();
      endRequest();
      break;
    default:
      break;
  }
  if (targetOffer_ && !media_.busy()) answerTarget();
  settle();
}

void ConsultCall::onMediaFailed(const LegMedia::Op& op, int status) {
  const char* whose = op.leg == peer_.get()     ? "the other party's"
                      : op.leg == target_.get() ? "the consulted party's"
                                                : "the agent's";
  if (op.kind == LegMedia::Kind::Connect && op.answering) {
    whose = op.other == line_.get() ? "the agent's" : "the consulted party's";
  }
  const std::string why =
      std::string(whose) + " leg refused the re-INVITE with " + std::to_string(status);
  switch (op.tag) {
    case kRelay:
      break;  // the refusal went back to the peer that offered
    case kAnswerTarget:
      // The agent's phone refused the target's offer: nothing to talk on; the target (owed an
      // answer in its ACK) is ended and the consult released.
      targetFailed(false, "error-" + std::to_string(status));
      break;
    default:
      if (request_.kind != Request::None) {
        requestFailed(model::ErrorCode::RejectedByEndpoint,
                      std::string(request_.name) + ": " + why);
      }
      break;
  }
  if (targetOffer_ && !media_.busy()) answerTarget();
  settle();
}

void ConsultCall::continueWith(const model::Status& started) {
  if (!started) {
    requestFailed(model::ErrorCode(started.error().code), started.error().message);
  }
}

void ConsultCall::requestFailed(model::ErrorCode code, const std::string& why) {
  // `why` is a whole message already when it comes from a Status: keep its text after the code's
  // default message, so the desktop reads "<default>: <request>: <why>" once.
  std::string detail = why;
  const std::string prefix = std::string(model::defaultMessage(code)) + ": ";
  if (detail.starts_with(prefix)) detail.erase(0, prefix.size());
  (void)context_.model.requestFailed(request_.connId, spec_.dn, code, detail, request_.referenceId);
  endRequest();
}

void ConsultCall::requestAborted() {
  requestFailed(model::ErrorCode::InvalidCallState,
                std::string(request_.name) + ": a leg of the call ended before it completed");
}

}  // namespace ccsip::control
