#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "control/control_options.h"
#include "control/controlled_call.h"
#include "control/route_decider.h"
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
class InboundCall final : public ControlledCall {
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

 private:
  enum class Phase : std::uint8_t {
    Routing,     // waiting on the routing point for a target
    Delivering,  // the agent leg is being set up
    Answered,    // the agent answered; the caller got (or is getting) its 2xx
    Ended,       // facts reported; waiting for legs to terminate
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
  // The current agent leg failed: the call goes back to the routing point and the router is told.
  void deliveryFailed(DeliveryFailure failure);
  // Drops the current agent leg (its late callbacks are ignored); ends it if still alive.
  void abandonAgentLeg();
  // Both legs are to go: release facts for an answered call.
  void releaseAnswered(bool callerFirst);
  void legTerminated();
  void cancelNoAnswerTimer();

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
  int liveLegs_ = 1;           // sessions whose onTerminated has not come yet
  bool destroying_ = false;
  util::TimerId noAnswerTimer_ = 0;
};

}  // namespace ccsip::control
