#pragma once

#include <memory>

#include "sip/dialog/invite_session.h"
#include "sip/dialog/user_agent_core.h"

namespace ccsip::control {

// What the leg to a transfer target reports to the call that transfers.
class TransferTargetEvents {
 public:
  virtual ~TransferTargetEvents() = default;
  // The target alerts (its first 1xx other than 100).
  virtual void onTargetRinging() = 0;
  // The target answered: its 2xx carries its offer, owed an answer in our ACK (answer()).
  virtual void onTargetOffer(const sip::dialog::Body& offer) = 0;
  // A session of this leg ended; `current` is false for one given up earlier (end()).
  virtual void onTargetTerminated(const sip::dialog::SessionEnd& end, bool current) = 0;
};

// The leg to the target of a SingleStepTransfer while the transfer is pending
// (docs/call-flows.md "SingleStepTransfer"): an INVITE without offer, so the target offers in
// its 2xx (RFC 3725 flow I on the target's side) and the call forwards that offer to the other
// party before answering it in the ACK. Once the transfer completes, take() hands the session
// over to the call (which installs its own handler).
class TransferTarget final : public sip::dialog::InviteSessionHandler {
 public:
  explicit TransferTarget(TransferTargetEvents& events) : events_(events) {}
  TransferTarget(const TransferTarget&) = delete;
  TransferTarget& operator=(const TransferTarget&) = delete;

  // Sends the INVITE (`options.offer` is ignored: none is sent). False when it could not be
  // sent; no session is then left.
  bool start(sip::dialog::UserAgentCore& core, sip::dialog::InviteSessionOptions options);
  // The session of the pending transfer; nullptr when none.
  sip::dialog::InviteSession* session() const { return session_.get(); }
  // Gives the session up: CANCEL before the answer, ACK then BYE after a 2xx not yet answered
  // (RFC 3261 13.2.2.4, 15). Its end comes back through onTargetTerminated(current = false).
  void end();
  // Hands the session over; this leg no longer reports anything of it.
  std::shared_ptr<sip::dialog::InviteSession> take();

  // --- sip::dialog::InviteSessionHandler
  void onProvisional(sip::dialog::InviteSession& s, const sip::Message& response) override;
  void onOffer(sip::dialog::InviteSession& s, const sip::dialog::Body& offer) override;
  void onOfferRequired(sip::dialog::InviteSession& s) override;
  void onTerminated(sip::dialog::InviteSession& s, const sip::dialog::SessionEnd& end) override;

 private:
  bool isCurrent(const sip::dialog::InviteSession& s) const { return &s == session_.get(); }

  TransferTargetEvents& events_;
  std::shared_ptr<sip::dialog::InviteSession> session_;
  bool ringing_ = false;
};

}  // namespace ccsip::control
