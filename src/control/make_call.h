#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "config/config.h"
#include "control/answered_legs.h"
#include "control/consult_host.h"
#include "control/controlled_call.h"
#include "control/inbound_call.h"
#include "model/model.h"
#include "sip/dialog/invite_session.h"
#include "sip/sdp.h"
#include "util/timer_service.h"

namespace ccsip::control {

// What a MakeCall request asks, once CallControl has checked it and the model has the call.
struct MakeCallSpec {
  model::ConnId connId;
  std::string thisDn;    // the calling extension: its phone is engaged first
  std::string otherDn;   // the destination: a configured DN or an external number
  std::string thisName;  // thisDN's display name, shown on otherDN's phone; "" = none
  config::MakeCallFlow flow = config::MakeCallFlow::Flow1;
};

// A call made by a CTI client (MakeCall): third-party call control (RFC 3725) over two UAC
// legs to the switch, thisDN's phone and then otherDN, one ConnId (DESIGN.md "Call flows").
//   Flow I (the seed's): INVITE thisDN without offer -> its 2xx offers O1 -> INVITE otherDN
//     with O1 -> its 2xx answers A1 -> ACK otherDN, ACK thisDN with A1.
//   Flow IV: INVITE thisDN with an offer without media -> its 2xx answers (no media) -> ACK ->
//     INVITE otherDN without offer -> its 2xx offers O2 -> re-INVITE thisDN with O2' -> its 2xx
//     answers A2' -> ACK thisDN, ACK otherDN with A2'.
// The legs report facts to the model: EventDialing (already out when the call is made),
// EventNetworkReached / EventRinging when otherDN alerts, EventEstablished when it answers;
// a failure of either leg ends the other one too, so no half call stays up. Once established
// the phones' re-INVITEs are relayed, either configured party may HoldCall / RetrieveCall the
// other and consult from the call (AnsweredLegs, make_call_consult.cpp).
class MakeCall final : public ControlledCall, private ConsultHost {
 public:
  MakeCall(CallContext& context, MakeCallSpec spec);
  ~MakeCall() override;
  MakeCall(const MakeCall&) = delete;
  MakeCall& operator=(const MakeCall&) = delete;

  // Sends the INVITE to thisDN. False when it could not be sent: nothing is left running and
  // the model has not been told (the caller reports the failure).
  bool start();

  model::ConnId connId() const override { return spec_.connId; }
  bool finished() const override { return phase_ == Phase::Ended && liveLegs_ == 0; }

  // ReleaseCall / ClearCall: a two-party call, so both end it (BYE on answered legs, CANCEL on
  // ringing ones).
  model::Status release(const PartyRequest& request) override;
  model::Status clear(const PartyRequest& request) override { return release(request); }
  model::Status hold(const PartyRequest& request) override { return answered_.hold(request); }
  model::Status retrieve(const PartyRequest& request) override {
    return answered_.retrieve(request);
  }
  ConsultHost* consultHost() override { return this; }

 private:
  // --- ConsultHost (make_call_consult.cpp)
  util::Result<LentLegs> lendLegs(std::string_view dn) override;
  void takeBack(ReturnedLegs back) override;

  enum class Phase : std::uint8_t {
    CallingThis,   // thisDN's phone is being engaged
    CallingOther,  // thisDN answered; otherDN is being called
    Connecting,    // flow IV: otherDN answered, thisDN's re-INVITE carries its offer
    Established,   // both talk
    Ended,         // facts reported; waiting for legs to terminate
  };

  // Forwards one leg's session callbacks to the call.
  class Leg final : public sip::dialog::InviteSessionHandler {
   public:
    Leg(MakeCall& call, bool thisLeg) : call_(call), thisLeg_(thisLeg) {}
    void onProvisional(sip::dialog::InviteSession& s, const sip::Message& response) override;
    void onOffer(sip::dialog::InviteSession& s, const sip::dialog::Body& offer) override;
    void onOfferRequired(sip::dialog::InviteSession& s) override;
    void onAnswer(sip::dialog::InviteSession& s, const sip::dialog::Body& answer) override;
    void onConfirmed(sip::dialog::InviteSession& s) override;
    void onReinviteRejected(sip::dialog::InviteSession& s, int status) override;
    void onTerminated(sip::dialog::InviteSession& s, const sip::dialog::SessionEnd& end) override;

   private:
    MakeCall& call_;
    bool thisLeg_;
  };

  bool flowOne() const { return spec_.flow == config::MakeCallFlow::Flow1; }
  // The URI naming `dn` in From / To: sip:<dn>@<switch>, or the AOR of a phone on ccsip.
  std::string switchUri(const std::string& dn) const;
  // A leg to `dn` with `from` (a name-addr) and `offer` (empty: none).
  std::shared_ptr<sip::dialog::InviteSession> invite(const std::string& dn, std::string from,
                                                     const sip::dialog::Body& offer, Leg& leg);
  // A peer's own offer (re-INVITE) or a 2xx offer we did not ask for.
  void refuseOffer(sip::dialog::InviteSession& session);

  // thisDN's leg
  void onThisOffer(const sip::dialog::Body& offer);  // flow I: O1 in its 2xx
  void onThisConfirmed();                            // flow IV: answered without media
  void onThisAnswer(const sip::dialog::Body& answer);
  void onThisTerminated(const sip::dialog::SessionEnd& end);
  // otherDN's leg
  void startOtherLeg(const sip::dialog::Body& offer);
  void onOtherProvisional(const sip::Message& response);
  void onOtherOffer(const sip::dialog::Body& offer);  // flow IV: O2 in its 2xx
  void onOtherAnswer(const sip::dialog::Body& answer);
  void onOtherConfirmed();
  void onOtherTerminated(const sip::dialog::SessionEnd& end);

  void established();
  void onNoAnswer();
  // Before the answer: the call fails; `cause` goes into the EventReleased of each party, a
  // busy otherDN gives EventDestinationBusy to thisDN first.
  void failed(bool otherBusy, const std::string& cause);
  // After the answer: `first` hung up (or asked to), the other party follows.
  void releaseBoth(const std::string& first, const model::ReferenceId& ref);
  void endLegs();
  void legTerminated();
  void startNoAnswerTimer(const std::string& dn);
  void cancelNoAnswerTimer();

  CallContext& context_;
  MakeCallSpec spec_;
  Phase phase_ = Phase::CallingThis;
  Leg thisLeg_{*this, true};
  Leg otherLeg_{*this, false};
  std::shared_ptr<sip::dialog::InviteSession> this_;
  std::shared_ptr<sip::dialog::InviteSession> other_;
  sip::sdp::Origin origin_;     // flow IV: our session description towards thisDN
  bool otherAlerting_ = false;  // otherDN is a (Ringing) party in the model
  AnsweredLegs answered_{context_.model, spec_.connId};  // once established
  int liveLegs_ = 0;  // sessions whose onTerminated has not come yet
  bool destroying_ = false;
  util::TimerId noAnswerTimer_ = 0;
};

}  // namespace ccsip::control
