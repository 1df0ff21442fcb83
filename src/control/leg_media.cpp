#include "control/leg_media.h"

#include <string>

#include "control/leg_sdp.h"

namespace ccsip::control {

using sip::dialog::Body;
using sip::dialog::InviteSession;

model::Status LegMedia::checkIdle(const InviteSession& leg, std::string_view request) const {
  if (leg.terminated()) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            std::string(request) + ": the call is ending");
  }
  if (busy() || leg.inviteInProgress()) {
    return model::makeError(
        model::ErrorCode::OperationInProgress,
        std::string(request) + ": a re-INVITE of the call is not finished, retry later");
  }
  return model::ok();
}

model::Status LegMedia::hold(InviteSession& leg, int tag, std::string_view request) {
  return changeDirection(leg, Kind::Hold, tag, request);
}

model::Status LegMedia::retrieve(InviteSession& leg, int tag, std::string_view request) {
  return changeDirection(leg, Kind::Retrieve, tag, request);
}

model::Status LegMedia::changeDirection(InviteSession& leg, Kind kind, int tag,
                                        std::string_view request) {
  if (auto status = checkIdle(leg, request); !status.ok()) return status;
  const auto offer =
      withDirection(leg.localBody(), kind == Kind::Hold ? sip::sdp::Direction::SendOnly
                                                        : sip::sdp::Direction::SendRecv);
  if (!offer) {
    return model::makeError(
        model::ErrorCode::NotSupported,
        std::string(request) + ": the session description of the call is not SDP");
  }
  if (!leg.reinvite(*offer)) {
    return model::makeError(
        model::ErrorCode::OperationInProgress,
        std::string(request) + ": a re-INVITE of the call is not finished, retry later");
  }
  op_ = Op{kind, &leg, nullptr, tag, false};
  return model::ok();
}

model::Status LegMedia::connect(InviteSession& offerer, InviteSession& answerer, int tag,
                                std::string_view request) {
  if (auto status = checkIdle(offerer, request); !status.ok()) return status;
  if (auto status = checkIdle(answerer, request); !status.ok()) return status;
  // An empty offer: RFC 3261 14.1 / RFC 3264 5 let the 2xx carry the offer, answered in the ACK.
  if (!offerer.reinvite()) {
    return model::makeError(
        model::ErrorCode::OperationInProgress,
        std::string(request) + ": a re-INVITE of the call is not finished, retry later");
  }
  op_ = Op{Kind::Connect, &offerer, &answerer, tag, false};
  return model::ok();
}

model::Status LegMedia::connectOffered(InviteSession& offerer, const Body& offer,
                                       InviteSession& answerer, int tag) {
  if (busy() || answerer.terminated() || answerer.inviteInProgress()) {
    return model::makeError(model::ErrorCode::OperationInProgress, "the other leg is busy");
  }
  if (!answerer.reinvite(continueSession(answerer.localBody(), offer))) {
    return model::makeError(model::ErrorCode::OperationInProgress, "the other leg is busy");
  }
  op_ = Op{Kind::Connect, &offerer, &answerer, tag, true};
  return model::ok();
}

bool LegMedia::relay(InviteSession& from, const Body& offer, InviteSession& to, bool toIsHeld) {
  // RFC 3264 8: the next description of the session ccsip holds with `to`; a held leg keeps
  // the hold (sendrecv -> sendonly, recvonly -> inactive).
  const Body next = continueSession(to.localBody(), toIsHeld ? keepOnHold(offer) : offer);
  if (busy() || to.terminated() || !to.reinvite(next)) {
    // RFC 3261 14.2: ccsip's own offer is outstanding, or `to` has an INVITE transaction of its
    // own (glare).
    from.reject(491);
    return false;
  }
  op_ = Op{Kind::Relay, &to, &from, 0, false};
  return true;
}

bool LegMedia::onOffer(InviteSession& s, const Body& offer) {
  if (op_.kind != Kind::Connect || op_.answering || &s != op_.leg) return false;
  // The offerer's 2xx offer: on to the answerer as the next version of its session.
  InviteSession& answerer = *op_.other;
  op_.answering = true;
  if (answerer.terminated() || !answerer.reinvite(continueSession(answerer.localBody(), offer))) {
    const Op given = op_;
    op_ = {};
    answerUnchanged(s);
    events_.onMediaFailed(given, 503);
  }
  return true;
}

bool LegMedia::onAnswer(InviteSession& s, const Body& answer) {
  switch (op_.kind) {
    case Kind::None:
      return false;
    case Kind::Relay: {
      if (&s != op_.leg) return false;
      InviteSession& from = *op_.other;
      if (!from.terminated()) from.accept(continueSession(from.localBody(), answer));
      done();
      return true;
    }
    case Kind::Hold:
    case Kind::Retrieve:
      if (&s != op_.leg) return false;
      done();
      return true;
    case Kind::Connect: {
      if (!op_.answering || &s != op_.other) return false;
      InviteSession& offerer = *op_.leg;
      const Op finished = op_;
      op_ = {};  // provideAnswer reports onConfirmed at once: nothing pending any more
      if (offerer.terminated() ||
          !offerer.provideAnswer(continueSession(offerer.localBody(), answer))) {
        events_.onMediaFailed(finished, 500);
        return true;
      }
      events_.onMediaDone(finished);
      return true;
    }
  }
  return false;
}

bool LegMedia::onConfirmed(InviteSession& s) {
  // RFC 3264 4: the 2xx to our offer came without the answer it owes: refused.
  const bool owesAnswer =
      (op_.kind == Kind::Connect && op_.answering && &s == op_.other) ||
      ((op_.kind == Kind::Relay || op_.kind == Kind::Hold || op_.kind == Kind::Retrieve) &&
       &s == op_.leg);
  if (!owesAnswer) return false;
  return onReinviteRejected(s, 488);
}

bool LegMedia::onReinviteRejected(InviteSession& s, int status) {
  switch (op_.kind) {
    case Kind::None:
      return false;
    case Kind::Relay:
    case Kind::Hold:
    case Kind::Retrieve:
      if (&s != op_.leg) return false;
      break;
    case Kind::Connect:
      if (&s != (op_.answering ? op_.other : op_.leg)) return false;
      break;
  }
  const Op given = op_;
  op_ = {};
  if (given.kind == Kind::Relay && !given.other->terminated()) {
    // The refusal goes back as it came; the previous descriptions stay (RFC 3261 14.2).
    given.other->reject(status >= 400 && status <= 699 ? status : 500);
  }
  if (given.kind == Kind::Connect && given.answering) answerUnchanged(*given.leg);
  events_.onMediaFailed(given, status);
  return true;
}

LegMedia::Op LegMedia::onTerminated(InviteSession& s) {
  if (op_.kind == Kind::None || !involves(s)) return {};
  const Op given = op_;
  op_ = {};
  if (given.kind == Kind::Relay && &s == given.leg && !given.other->terminated()) {
    given.other->reject(487);  // RFC 3261 15.1.2 style: the request cannot complete
  }
  if (given.kind == Kind::Connect && given.answering && &s == given.other &&
      !given.leg->terminated()) {
    answerUnchanged(*given.leg);
  }
  return given;
}

void LegMedia::answerUnchanged(InviteSession& offerer) {
  if (!offerer.terminated()) (void)offerer.provideAnswer(offerer.localBody());
}

void LegMedia::done() {
  const Op finished = op_;
  op_ = {};
  events_.onMediaDone(finished);
}

}  // namespace ccsip::control
