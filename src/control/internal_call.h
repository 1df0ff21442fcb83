#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "control/answered_legs.h"
#include "control/consult_host.h"
#include "control/controlled_call.h"
#include "control/inbound_call.h"
#include "model/model.h"
#include "sip/dialog/invite_session.h"
#include "util/timer_service.h"

namespace ccsip::control {

// Who calls whom, once CallControl has authenticated the caller's phone.
struct InternalCallSpec {
  model::ConnId connId;
  std::string callerDn;    // the extension whose phone sent the INVITE (From user)
  std::string calleeDn;    // the extension it dialled (Request-URI user)
  std::string callerFrom;  // the caller's From name-addr without tag, reused on the callee leg
  // Added to the callee leg's INVITE (a voicemail DN taking any box: X-Ccsip-Mailbox).
  sip::dialog::ExtraHeaders calleeHeaders;
};

// A call between two phones registered on ccsip (docs/call-flows.md "Phones registered on
// ccsip"), as a B2BUA: the caller leg (UAS, the phone's INVITE with its offer) and the callee
// leg (UAC, a new INVITE to the callee's registered contact with that offer), one ConnId.
// The model gets the facts: EventDialing to the caller (when the call is made), EventRinging
// to the callee on its first 18x, EventEstablished to both on its 2xx, EventReleased to both at
// the end. Before the answer: a busy callee (486/600) gives EventDestinationBusy to the caller
// and 486 to its phone; any other refusal is passed back as it came; no answer within the
// no-answer-timeout cancels the callee and answers the caller 480.
// Once answered, a re-INVITE / UPDATE with an offer from either phone is relayed to the other
// and the answer back (one at a time; a crossing one gets 491, RFC 3261 14.2); one without an
// offer is answered with the last SDP sent on that leg; either party may HoldCall /
// RetrieveCall the other and consult (InitiateTransfer) from the call (AnsweredLegs,
// internal_call_consult.cpp).
class InternalCall final : public ControlledCall, private ConsultHost {
 public:
  InternalCall(CallContext& context, InternalCallSpec spec,
               std::shared_ptr<sip::dialog::InviteSession> caller);
  ~InternalCall() override;
  InternalCall(const InternalCall&) = delete;
  InternalCall& operator=(const InternalCall&) = delete;

  model::ConnId connId() const override { return spec_.connId; }
  sip::dialog::InviteSessionHandler& callerHandler() { return callerLeg_; }
  bool finished() const override { return phase_ == Phase::Ended && liveLegs_ == 0; }

  // ReleaseCall / ClearCall: a two-party call, so either ends it (CANCEL / 480 before the
  // answer, BYE after it); EventReleased to both, the requester's first.
  model::Status release(const PartyRequest& request) override;
  model::Status clear(const PartyRequest& request) override { return release(request); }
  model::Status hold(const PartyRequest& request) override { return answered_.hold(request); }
  model::Status retrieve(const PartyRequest& request) override {
    return answered_.retrieve(request);
  }
  ConsultHost* consultHost() override { return this; }

 private:
  // --- ConsultHost (internal_call_consult.cpp)
  util::Result<LentLegs> lendLegs(std::string_view dn) override;
  void takeBack(ReturnedLegs back) override;

  enum class Phase : std::uint8_t {
    Calling,   // waiting for the caller's offer, then the callee leg is being set up
    Answered,  // the callee answered
    Ended,     // facts reported; waiting for legs to terminate
  };

  class Leg final : public sip::dialog::InviteSessionHandler {
   public:
    Leg(InternalCall& call, bool caller) : call_(call), caller_(caller) {}
    void onProvisional(sip::dialog::InviteSession& s, const sip::Message& response) override;
    void onOffer(sip::dialog::InviteSession& s, const sip::dialog::Body& offer) override;
    void onOfferRequired(sip::dialog::InviteSession& s) override;
    void onAnswer(sip::dialog::InviteSession& s, const sip::dialog::Body& answer) override;
    void onConfirmed(sip::dialog::InviteSession& s) override;
    void onReinviteRejected(sip::dialog::InviteSession& s, int status) override;
    void onTerminated(sip::dialog::InviteSession& s, const sip::dialog::SessionEnd& end) override;

   private:
    InternalCall& call_;
    bool caller_;
  };

  sip::dialog::InviteSession* legOf(bool callerLeg) const {
    return callerLeg ? caller_.get() : callee_.get();
  }
  void startCalleeLeg(const sip::dialog::Body& offer);
  void onCalleeProvisional(const sip::Message& response);
  void onCalleeAnswer(const sip::dialog::Body& answer);
  void onLegTerminated(bool callerLeg, const sip::dialog::SessionEnd& end);
  void onNoAnswer();
  // Before the answer: the call fails with `status` to the caller's phone.
  void failed(bool busy, int status, const std::string& cause);
  // After the answer (or on request): both parties leave, `first` first.
  void releaseBoth(const std::string& first, const model::ReferenceId& ref);
  void endLegs();
  void legTerminated();
  void cancelNoAnswerTimer();

  CallContext& context_;
  InternalCallSpec spec_;
  Phase phase_ = Phase::Calling;
  Leg callerLeg_{*this, true};
  Leg calleeLeg_{*this, false};
  std::shared_ptr<sip::dialog::InviteSession> caller_;
  std::shared_ptr<sip::dialog::InviteSession> callee_;
  bool calleeRinging_ = false;  // the callee is a (Ringing) party in the model
  AnsweredLegs answered_{context_.model, spec_.connId};  // once answered
  int liveLegs_ = 1;
  bool destroying_ = false;
  util::TimerId noAnswerTimer_ = 0;
};

}  // namespace ccsip::control
