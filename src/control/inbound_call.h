#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "control/consult_host.h"
#include "control/control_options.h"
#include "control/controlled_call.h"
#include "control/dn_address.h"
#include "control/overflow.h"
#include "control/route_decider.h"
#include "control/transfer_target.h"
#include "model/model.h"
#include "sip/dialog/invite_session.h"
#include "sip/dialog/user_agent_core.h"
#include "util/timer_service.h"

namespace ccsip::control {

// What every call of a CallControl shares.
struct CallContext {
  sip::dialog::UserAgentCore& core;
  model::CallModel& model;
  RouteDecider& router;
  RouteCallback& callback;  // handed to the router
  util::TimerService& timers;
  const CallControlOptions& options;
  CallOwner& owner;
  DnAddressBook& addresses;  // where each leg's INVITE goes (switch or registered phone)
};

// Who the caller is and what it called, from its INVITE.
struct InboundCallSpec {
  model::ConnId connId;
  std::string routingPoint;  // the routing point DN (Request-URI user)
  std::string originDn;      // the caller (From user): the model's origin party
  std::string callerFrom;    // the caller's From name-addr without tag, reused on the agent leg
};

// One routed inbound call as a B2BUA (DESIGN.md "Call flows", the seed's signalling loop): the
// caller leg (UAS, from the switch to a routing point) and one agent leg at a time (UAC, to the
// switch for the agent DN), one ConnId. The agent leg gets the caller's offer (early offer: the
// caller is not answered yet); its answer goes into the caller's 2xx. The SIP legs report facts
// to the model, which decides the TEvents.
//
// Once answered (docs/call-flows.md has the SIP ladders):
//   - a re-INVITE (or UPDATE) with an offer from either leg is relayed to the other leg and the
//     answer back; one re-negotiation at a time (a crossing one gets 491, RFC 3261 14.2);
//     a re-INVITE without offer is answered with the last SDP sent on that leg;
//   - HoldCall / RetrieveCall re-INVITE the held party's leg only (a=sendonly, then sendrecv);
//   - ReleaseCall / ClearCall end both legs (CANCEL, reject or BYE as each leg stands).
class InboundCall final : public ControlledCall, private TransferTargetEvents, private ConsultHost {
 public:
  InboundCall(CallContext& context, InboundCallSpec spec,
              std::shared_ptr<sip::dialog::InviteSession> caller);
  ~InboundCall() override;
  InboundCall(const InboundCall&) = delete;
  InboundCall& operator=(const InboundCall&) = delete;

  model::ConnId connId() const override { return spec_.connId; }
  sip::dialog::InviteSessionHandler& callerHandler() { return callerLeg_; }
  bool finished() const override { return phase_ == Phase::Ended && liveLegs_ == 0; }

  // RouteCallback, forwarded by CallControl.
  bool routeTo(const RouteTarget& target);
  bool routeFailed(int status);

  // --- ControlledCall: third-party call control (`request.dn` is a party of the call)
  // Every party is released (a two-party call ends with either party): EventReleased to each,
  // the requester's first with the referenceId; the legs get CANCEL / a final response / BYE.
  model::Status release(const PartyRequest& request) override;
  model::Status clear(const PartyRequest& request) override;
  // The requester (the agent, or a configured caller DN) holds the other party: re-INVITE of the
  // other party's leg with a=sendonly; EventHeld once it answers, EventError
  // (RejectedByEndpoint) if it refuses. InvalidCallState when the call is not established or
  // already held; OperationInProgress while a re-INVITE of the call is not finished.
  model::Status hold(const PartyRequest& request) override;
  // The same, back to a=sendrecv; EventRetrieved. Only the party that held may retrieve.
  model::Status retrieve(const PartyRequest& request) override;
  // The agent's phone is a device of the switch: NotSupported, saying so.
  model::Status answer(const PartyRequest& request) override;
  // inbound_call_transfer.cpp (docs/call-flows.md "SingleStepTransfer", "RedirectCall"):
  // the agent of the answered call hands it to otherDN. The agent stays in the call until the
  // target answers; then the caller is re-INVITEd with the target's offer, the agent leg gets
  // BYE (EventReleased, cause "transferred", with the referenceId) and the target becomes the
  // call's agent leg. A target that is busy, refuses or does not answer leaves the call with
  // the agent: EventError (61 DnBusy, 65 RejectedByEndpoint) to the requester.
  model::Status singleStepTransfer(const TransferRequest& request) override;
  // The agent's phone rings: its leg is cancelled and the call delivered to otherDN instead
  // (EventReleased, cause "redirected", on the agent's DN; EventRinging on otherDN).
  model::Status redirect(const TransferRequest& request) override;
  // inbound_call_consult.cpp (docs/call-flows.md "InitiateTransfer / CompleteTransfer"): the
  // agent of the answered call consults; the consult call drives both legs meanwhile.
  ConsultHost* consultHost() override { return this; }

 private:
  // --- ConsultHost (inbound_call_consult.cpp)
  util::Result<LentLegs> lendLegs(std::string_view dn) override;
  void takeBack(ReturnedLegs back) override;

  enum class Phase : std::uint8_t {
    Routing,     // waiting on the routing point for a target
    Delivering,  // the agent leg is being set up
    Answered,    // the agent answered; the caller got (or is getting) its 2xx
    Ended,       // facts reported; waiting for legs to terminate
  };

  // What an answered call is re-negotiating (RFC 3261 14: one INVITE transaction at a time on
  // a dialog; the call keeps to one re-negotiation across its two legs).
  enum class MediaOp : std::uint8_t { None, Relay, Hold, Retrieve, Transfer };
  struct PendingMedia {
    MediaOp op = MediaOp::None;
    bool targetIsCaller = false;  // the leg our re-INVITE is on
    std::string dn;               // Hold / Retrieve: the requester
    model::ReferenceId referenceId;
  };

  // Forwards one leg's session callbacks to the call.
  class Leg final : public sip::dialog::InviteSessionHandler {
   public:
    Leg(InboundCall& call, bool caller) : call_(call), caller_(caller) {}
    void onProvisional(sip::dialog::InviteSession& s, const sip::Message& response) override;
    void onOffer(sip::dialog::InviteSession& s, const sip::dialog::Body& offer) override;
    void onOfferRequired(sip::dialog::InviteSession& s) override;
    void onAnswer(sip::dialog::InviteSession& s, const sip::dialog::Body& answer) override;
    void onConfirmed(sip::dialog::InviteSession& s) override;
    void onReinviteRejected(sip::dialog::InviteSession& s, int status) override;
    void onTerminated(sip::dialog::InviteSession& s, const sip::dialog::SessionEnd& end) override;

   private:
    InboundCall& call_;
    bool caller_;
  };

  // caller leg
  void onCallerOffer(sip::dialog::InviteSession& session, const sip::dialog::Body& offer);
  void onCallerTerminated(const sip::dialog::SessionEnd& end);
  // agent leg
  bool isAgentLeg(const sip::dialog::InviteSession& session) const {
    return agent_ != nullptr && &session == agent_.get();
  }
  void startAgentLeg();
  void onAgentProvisional(const sip::Message& response);
  void onAgentAnswer(const sip::dialog::Body& answer);
  void onAgentConfirmed();
  void onAgentTerminated(const sip::dialog::SessionEnd& end);
  void onNoAnswer();
  // --- no answer and overflow (inbound_overflow.cpp, docs/call-flows.md "No answer and
  // voicemail")
  // Plans the current leg's no-answer supervision and starts its timer.
  void superviseNoAnswer();
  // The timer expired: the leg is cancelled and the plan's overflow applies.
  void overflowNoAnswer();
  // Routing gave up (RouteCallback::routeFailed): the routing point's overflow, if it sends the
  // call somewhere; false: the caller is released as before.
  bool overflowFromRoutingPoint();
  // The call leaves `from` (a party, or a DN that never rang) for `step`.
  void divert(const std::string& from, const OverflowStep& step, std::string_view reason);
  // A leg that an overflow started failed: the call ends (there is nowhere else to go).
  void overflowLegFailed(const DeliveryFailure& failure);
  // Before any answer: every party leaves with `cause`, the caller gets `status`.
  void releaseUnanswered(std::string_view cause, int status);
  // The current agent leg failed: the call goes back to the routing point and the router is told.
  void deliveryFailed(DeliveryFailure failure);
  // Drops the current agent leg (its late callbacks are ignored); ends it if still alive.
  void abandonAgentLeg();
  // Both legs are to go: release facts for an answered call.
  void releaseAnswered(bool callerFirst);
  void legTerminated();
  void cancelNoAnswerTimer();
  // answered call: re-negotiations (callerLeg: which leg the callback came from)
  sip::dialog::InviteSession* legOf(bool callerLeg) const {
    return callerLeg ? caller_.get() : agent_.get();
  }
  void onLegOffer(bool callerLeg, sip::dialog::InviteSession& s, const sip::dialog::Body& offer);
  void onLegOfferRequired(sip::dialog::InviteSession& s);
  void onLegAnswer(bool callerLeg, const sip::dialog::Body& answer);
  void onLegConfirmed(bool callerLeg);
  void onLegReinviteRejected(bool callerLeg, int status);
  model::Status changeHold(const PartyRequest& request, bool hold);
  void holdFailed(const PendingMedia& done, const std::string& why);
  // Release / Clear: every party leaves, the requester first.
  model::Status releaseAll(const PartyRequest& request, std::string_view name);
  // --- transfers (inbound_call_transfer.cpp)
  struct PendingTransfer {
    std::string target;     // otherDN
    std::string requester;  // the agent's DN that transfers
    model::ReferenceId referenceId;
    util::TimerId timer = 0;  // the target's no-answer timeout
  };
  void onTargetRinging() override;
  void onTargetOffer(const sip::dialog::Body& offer) override;
  void onTargetTerminated(const sip::dialog::SessionEnd& end, bool current) override;
  // The caller answered the target's offer: the target replaces the agent.
  void transferAnswered(const sip::dialog::Body& answer);
  // The transfer failed and the call stays with the agent: the target leg is given up, the
  // target leaves the model's call with `cause`, the requester gets EventError.
  void transferFailed(model::ErrorCode code, const std::string& why, std::string_view cause);
  // The call ends while a transfer is pending: the target leg is given up (and, when
  // `tellModel`, the target released in the model).
  void abandonTransfer(bool tellModel);

  CallContext& context_;
  InboundCallSpec spec_;
  Phase phase_ = Phase::Routing;
  Leg callerLeg_{*this, true};
  Leg agentLeg_{*this, false};
  std::shared_ptr<sip::dialog::InviteSession> caller_;
  std::shared_ptr<sip::dialog::InviteSession> agent_;  // the current agent leg
  sip::dialog::Body callerOffer_;
  std::string agentDn_;
  bool agentRinging_ = false;  // the agent DN is a (Ringing) party of the call in the model
  bool routed_ = false;        // the router was asked
  PendingMedia media_;
  std::string heldBy_;            // the DN that holds the call (HoldCall); "" = not held
  bool heldLegIsCaller_ = false;  // the leg re-INVITEd sendonly by that hold
  int liveLegs_ = 1;              // sessions whose onTerminated has not come yet
  bool destroying_ = false;
  util::TimerId noAnswerTimer_ = 0;

  std::optional<PendingTransfer> transfer_;  // a SingleStepTransfer in progress
  TransferTarget target_{*this};             // its leg to otherDN

  NoAnswerPlan noAnswer_;                 // of the current leg
  bool overflowLeg_ = false;              // the current leg was started by an overflow
  int overflows_ = 0;                     // overflows so far: bounded, so targets cannot loop
  sip::dialog::ExtraHeaders legHeaders_;  // on the next leg's INVITE (Diversion, mailbox)
};

}  // namespace ccsip::control
