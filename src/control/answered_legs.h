#pragma once

#include <string>
#include <string_view>

#include "control/controlled_call.h"
#include "control/leg_media.h"
#include "model/model.h"
#include "sip/dialog/invite_session.h"

namespace ccsip::control {

// The answered phase of a two-leg B2BUA call whose legs each end at one party (MakeCall,
// internal calls): the phones' re-INVITEs and UPDATEs relayed between the legs (docs/call-flows.md
// "re-INVITE from a leg (relay)"), an offerless re-INVITE answered with the last description
// sent, and HoldCall / RetrieveCall (docs/call-flows.md "HoldCall / RetrieveCall": the held
// party's leg only is re-INVITEd, a=sendonly then a=sendrecv; EventHeld / EventRetrieved once it
// answers, EventError 65 if it refuses).
//
// The call owns the sessions: it calls start() once both answered (or its legs came back from a
// consult call) and stop() before it drops or ends them, and forwards their session callbacks
// while started.
class AnsweredLegs final : private LegMedia::Events {
 public:
  AnsweredLegs(model::CallModel& model, model::ConnId connId) : model_(model), connId_(connId) {}
  AnsweredLegs(const AnsweredLegs&) = delete;
  AnsweredLegs& operator=(const AnsweredLegs&) = delete;

  // `first` (the leg to `firstDn`'s phone) talks to `second`; `heldBy`: the DN that holds the
  // other party already ("" = none).
  void start(sip::dialog::InviteSession& first, std::string firstDn,
             sip::dialog::InviteSession& second, std::string secondDn, std::string heldBy = {});
  // The call ends or lends its legs: an operation in progress is forgotten (the legs answer it
  // as they end).
  void stop();
  bool started() const { return first_ != nullptr; }
  // A re-negotiation of ccsip's is in progress, or a leg has an INVITE transaction of its own.
  bool busy() const;
  // The DN that holds the other party ("" = none).
  const std::string& heldBy() const { return heldBy_; }

  // --- session callbacks of either leg
  void onOffer(sip::dialog::InviteSession& s, const sip::dialog::Body& offer);
  void onOfferRequired(sip::dialog::InviteSession& s);
  void onAnswer(sip::dialog::InviteSession& s, const sip::dialog::Body& answer) {
    (void)media_.onAnswer(s, answer);
  }
  void onConfirmed(sip::dialog::InviteSession& s) { (void)media_.onConfirmed(s); }
  void onReinviteRejected(sip::dialog::InviteSession& s, int status) {
    (void)media_.onReinviteRejected(s, status);
  }
  void onTerminated(sip::dialog::InviteSession& s) { (void)media_.onTerminated(s); }

  // --- CTI: `request.dn` a party of the call (checked by CallControl). The requester holds the
  // other party. 62 when the call is not answered, already held (hold) or not held by the
  // requester (retrieve); 64 while a re-INVITE of the call is in progress.
  model::Status hold(const PartyRequest& request);
  model::Status retrieve(const PartyRequest& request);

 private:
  enum Step : int { kRelay = 0, kHold, kRetrieve };

  sip::dialog::InviteSession* otherOf(const sip::dialog::InviteSession& s) const;
  // The leg of the party that `dn` holds (or would hold): the other party's.
  sip::dialog::InviteSession* heldLegFor(std::string_view dn) const;
  model::Status changeHold(const PartyRequest& request, bool hold);
  void onMediaDone(const LegMedia::Op& op) override;
  void onMediaFailed(const LegMedia::Op& op, int status) override;

  model::CallModel& model_;
  model::ConnId connId_;
  sip::dialog::InviteSession* first_ = nullptr;
  sip::dialog::InviteSession* second_ = nullptr;
  std::string firstDn_;
  std::string secondDn_;
  std::string heldBy_;
  PartyRequest pending_;  // the HoldCall / RetrieveCall in progress
  LegMedia media_{*this};
};

}  // namespace ccsip::control
