#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "control/consult_host.h"
#include "control/controlled_call.h"
#include "control/inbound_call.h"
#include "control/leg_media.h"
#include "model/model.h"
#include "sip/dialog/invite_session.h"
#include "util/timer_service.h"

namespace ccsip::control {

// A CTI InitiateTransfer, once CallControl has checked it (otherDN dialable, not thisDN, not a
// party of the call, not a routing point) and the main call has lent its legs.
struct ConsultSpec {
  model::ConnId mainConnId;
  std::string dn;                // thisDN: the party that consults (the agent)
  std::string otherDn;           // the consulted party
  boost::json::object userData;  // the consult call's own (the request's)
  model::ReferenceId referenceId;
};

class ConsultCall;

// Told when a consult call has its ConnId (after the hold of the main call): from then on it is
// owned under that ConnId.
class ConsultOwner {
 public:
  virtual ~ConsultOwner() = default;
  virtual void onConsultCreated(ConsultCall& call) = 0;
};

// The consult call of CTI InitiateTransfer (docs/call-flows.md "InitiateTransfer /
// CompleteTransfer"), a second call on the agent's DN while the first is held. ccsip is a
// B2BUA and the agent's phone has one dialog with it (the `line`), so while the consult lasts
// this object drives three legs: the line and the main call's other party (the `peer`), lent
// by the main call (ConsultHost), and its own leg to otherDN (the `target`). The line talks to
// one of the two calls at a time (its media point at that party); the other call is held.
//
//   - start: the peer is held (re-INVITE a=sendonly; EventHeld on the main call), the consult
//     call created (callType Consult, EventDialing) and otherDN called without offer; its 2xx
//     offer goes to the line in a re-INVITE, the line's answer into the target's ACK
//     (EventEstablished on both DNs);
//   - AlternateCall holds the call the line is on and connects the line with the other one;
//     ReconnectCall releases one call and retrieves the other; CompleteTransfer connects the
//     peer with the target (RFC 3725 flow I between two existing sessions: the peer is
//     re-INVITEd without offer, its offer goes to the target, the answer back in the peer's
//     ACK), BYEs the line and hands the target to the main call as its new party;
//   - HoldCall / RetrieveCall / ReleaseCall / ClearCall work on either call (the main call's
//     requests come here while the consult drives its legs: mainSide());
//   - a phone's re-INVITE is relayed between the line and the party it talks to.
// Failures: otherDN busy (EventDestinationBusy) or refusing, not answering (its no-answer
// timeout) or failing before its answer releases the consult call (EventReleased with the
// cause), the main call stays held. The target hanging up releases the consult; the peer
// hanging up releases the main call and the consult goes on as a call of its own; the line
// hanging up releases both calls. The legs go back to the main call once the consult is over
// and the line talks to the peer again (at once, or after RetrieveCall / ReconnectCall).
class ConsultCall final : public ControlledCall, private LegMedia::Events {
 public:
  ConsultCall(CallContext& context, ConsultOwner& owner, ConsultHost& host, LentLegs legs,
              ConsultSpec spec);
  ~ConsultCall() override;
  ConsultCall(const ConsultCall&) = delete;
  ConsultCall& operator=(const ConsultCall&) = delete;

  // Holds the peer (unless held already) and goes on from there. An error when nothing could
  // be sent: the legs are back with the main call already.
  model::Status start();

  // The consult call's ConnId; zero until it is created (after the hold).
  model::ConnId connId() const override { return connId_; }
  model::ConnId mainConnId() const { return spec_.mainConnId; }
  bool finished() const override;
  // True while the main call's legs are here: the main call's requests are this call's.
  bool drivesMain() const { return host_ != nullptr; }
  ControlledCall& mainSide() { return mainSide_; }

  // --- requests on the consult call (`request.dn` a party of it)
  model::Status release(const PartyRequest& request) override;
  model::Status clear(const PartyRequest& request) override { return release(request); }
  model::Status hold(const PartyRequest& request) override;
  model::Status retrieve(const PartyRequest& request) override;
  // --- requests on both calls (`connId` / `otherConnId` are the main and the consult call)
  // Refused (62) while the consult call is not answered: a ringing consult cannot be completed
  // (MuteTransfer / SingleStepTransfer hand a call over unanswered).
  model::Status completeTransfer(const CallPairRequest& request) override;
  model::Status alternate(const CallPairRequest& request) override;
  model::Status reconnect(const CallPairRequest& request) override;

 private:
  enum class LegId : std::uint8_t { Line, Peer, Target };
  enum class TargetPhase : std::uint8_t {
    NotCalled,   // the peer's hold is in progress
    Calling,     // otherDN is called
    Connecting,  // it answered; the line's re-INVITE carries its offer
    Talking,     // answered (the line talks to it, or it is held)
    Gone,        // released
  };
  // What a LegMedia operation carries out (LegMedia::Op::tag).
  enum Step : int {
    kRelay = 0,
    kHoldPeer,
    kHoldTarget,
    kRetrievePeer,    // the line talks to the peer already: a=sendrecv
    kRetrieveTarget,  // the same for the target
    kLineToPeer,      // the line is connected with the peer
    kLineToTarget,    // ... with the target
    kAnswerTarget,    // the target's 2xx offer goes to the line
    kComplete,        // the peer is connected with the target
  };
  enum class Request : std::uint8_t {
    None,
    Initiate,
    HoldMain,
    RetrieveMain,
    HoldConsult,
    RetrieveConsult,
    Alternate,
    Reconnect,
    Complete,
  };
  // The request in progress (one at a time, as the re-negotiations it needs).
  struct Pending {
    Request kind = Request::None;
    std::string_view name;  // the CTI request, for EventError messages
    model::ConnId connId;   // the call its EventError names
    model::ReferenceId referenceId;
    bool toMain = false;  // AlternateCall: the main call is the one to retrieve
  };
  static Pending pending(Request kind, std::string_view name, model::ConnId connId,
                         const model::ReferenceId& referenceId) {
    Pending out;
    out.kind = kind;
    out.name = name;
    out.connId = connId;
    out.referenceId = referenceId;
    return out;
  }

  // One leg's session callbacks, forwarded with which leg they come from.
  class Leg final : public sip::dialog::InviteSessionHandler {
   public:
    Leg(ConsultCall& call, LegId id) : call_(call), id_(id) {}
    void onProvisional(sip::dialog::InviteSession& s, const sip::Message& response) override;
    void onOffer(sip::dialog::InviteSession& s, const sip::dialog::Body& offer) override;
    void onOfferRequired(sip::dialog::InviteSession& s) override;
    void onAnswer(sip::dialog::InviteSession& s, const sip::dialog::Body& answer) override;
    void onConfirmed(sip::dialog::InviteSession& s) override;
    void onReinviteRejected(sip::dialog::InviteSession& s, int status) override;
    void onTerminated(sip::dialog::InviteSession& s, const sip::dialog::SessionEnd& end) override;

   private:
    ConsultCall& call_;
    LegId id_;
  };

  // The main call's requests while its legs are here (CallControl routes them to mainSide()).
  class MainSide final : public ControlledCall {
   public:
    explicit MainSide(ConsultCall& call) : call_(call) {}
    model::ConnId connId() const override { return call_.spec_.mainConnId; }
    bool finished() const override { return false; }
    model::Status release(const PartyRequest& request) override {
      return call_.releaseMain(request);
    }
    model::Status clear(const PartyRequest& request) override { return call_.releaseMain(request); }
    model::Status hold(const PartyRequest& request) override { return call_.holdMain(request); }
    model::Status retrieve(const PartyRequest& request) override {
      return call_.retrieveMain(request);
    }
    model::Status singleStepTransfer(const TransferRequest&) override {
      return call_.consulting("SingleStepTransfer");
    }
    model::Status redirect(const TransferRequest&) override {
      return call_.consulting("RedirectCall");
    }
    model::Status initiateTransfer(const TransferRequest&) override {
      return call_.consulting("InitiateTransfer");
    }
    model::Status completeTransfer(const CallPairRequest& request) override {
      return call_.completeTransfer(request);
    }
    model::Status alternate(const CallPairRequest& request) override {
      return call_.alternate(request);
    }
    model::Status reconnect(const CallPairRequest& request) override {
      return call_.reconnect(request);
    }

   private:
    ConsultCall& call_;
  };

  // --- the legs (consult_call.cpp)
  sip::dialog::InviteSession* session(LegId id) const;
  void onProvisional(LegId id, const sip::Message& response);
  void onOffer(LegId id, sip::dialog::InviteSession& s, const sip::dialog::Body& offer);
  void onOfferRequired(sip::dialog::InviteSession& s);
  void onLegTerminated(LegId id, sip::dialog::InviteSession& s, const sip::dialog::SessionEnd& end);
  // The party the session of `id` talks to (its relay partner); nullptr: none now.
  sip::dialog::InviteSession* partnerOf(LegId id) const;
  bool heldLeg(const sip::dialog::InviteSession* s) const;
  // The consult call: created once the peer is held, then otherDN is called.
  void createConsult();
  void callTarget();
  void onTargetOffer(const sip::dialog::Body& offer);
  void answerTarget();
  void onNoAnswer();
  // The target leg failed before its answer: the consult call is released with `cause`.
  void targetFailed(bool busy, const std::string& cause);
  // The consult call ends (model first, then the target's leg); `first` leaves first.
  void releaseConsult(const std::string& first, const model::ReferenceId& ref);
  // The main call ends (model first, then the peer's leg); `first` leaves first.
  void endMain(const std::string& first, const model::ReferenceId& ref);
  // After every change: give the legs back once the consult is over and the line talks to the
  // peer again, end the line when nothing is left for it, report the end.
  void settle();
  void giveBack();
  void cancelNoAnswerTimer();

  // --- requests (consult_call_requests.cpp)
  model::Status releaseMain(const PartyRequest& request);
  model::Status holdMain(const PartyRequest& request);
  model::Status retrieveMain(const PartyRequest& request);
  model::Status consulting(std::string_view request) const;
  // The requests that need the agent (the DN that consults).
  model::Status checkRequester(std::string_view dn, std::string_view request) const;
  // `request` names the main call and this one, in either order.
  bool namesBoth(const CallPairRequest& request) const;
  // Retrieves the call of `leg` (Peer or Target): a=sendrecv when the line talks to it already,
  // else the line is connected with it.
  model::Status retrieveStep(LegId leg, std::string_view request);
  // No other request or re-negotiation of the two calls is in progress (64).
  model::Status checkIdle(std::string_view request) const;
  void onMediaDone(const LegMedia::Op& op) override;
  void onMediaFailed(const LegMedia::Op& op, int status) override;
  // The request in progress failed: EventError `code` to the agent, with its referenceId.
  void requestFailed(model::ErrorCode code, const std::string& why);
  // ... because one of its legs ended.
  void requestAborted();
  // The request in progress goes on to its next re-negotiation (AlternateCall, ReconnectCall);
  // EventError when it cannot start.
  void continueWith(const model::Status& started);
  void completeDone();
  void endRequest() { request_ = {}; }

  CallContext& context_;
  ConsultOwner& owner_;
  ConsultHost* host_;  // null once the legs went back or the main call ended
  ConsultSpec spec_;
  model::ConnId connId_{};
  std::string peerDn_;
  Leg lineLeg_{*this, LegId::Line};
  Leg peerLeg_{*this, LegId::Peer};
  Leg targetLeg_{*this, LegId::Target};
  MainSide mainSide_{*this};
  std::shared_ptr<sip::dialog::InviteSession> line_;
  std::shared_ptr<sip::dialog::InviteSession> peer_;
  std::shared_ptr<sip::dialog::InviteSession> target_;
  LegMedia media_{*this};
  Pending request_;
  TargetPhase targetPhase_ = TargetPhase::NotCalled;
  bool consultOpen_ = false;    // the consult call is in the model
  bool lineOnTarget_ = false;   // the line's media point at the target (else at the peer)
  bool peerHeld_ = false;       // ccsip holds the peer (a=sendonly) for the agent
  bool targetHeld_ = false;     // ... the target
  bool targetRinging_ = false;  // otherDN is a (Ringing) party of the consult call
  bool lineEnded_ = false;      // ccsip ended the line (nothing left, or CompleteTransfer)
  std::optional<sip::dialog::Body> targetOffer_;  // the target's 2xx offer waiting for the line
  int liveLegs_ = 2;  // sessions here whose onTerminated has not come yet
  bool destroying_ = false;
  bool reported_ = false;
  util::TimerId noAnswerTimer_ = 0;
};

}  // namespace ccsip::control
