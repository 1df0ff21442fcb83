#pragma once

#include <cstdint>
#include <string_view>

#include "model/error_codes.h"
#include "sip/dialog/invite_session.h"

namespace ccsip::control {

// The re-negotiations ccsip starts on the legs of a B2BUA call once they are answered
// (docs/call-flows.md "HoldCall / RetrieveCall", "re-INVITE from a leg (relay)",
// "InitiateTransfer / CompleteTransfer"). RFC 3261 14: one INVITE transaction at a time on a
// dialog; a call keeps to one re-negotiation across all its legs, so `busy()` is the call's "a
// re-INVITE is not finished" (EventError 64, or 491 to a peer's offer).
//
// The call owns the sessions and forwards their offer/answer callbacks here first (onOffer,
// onAnswer, onConfirmed, onReinviteRejected, onTerminated): a callback that belongs to the
// operation in progress is consumed (true), any other is the call's. Each operation ends with
// Events::onMediaDone or onMediaFailed, or silently when one of its legs ends (onTerminated).
class LegMedia {
 public:
  enum class Kind : std::uint8_t {
    None,
    Relay,     // a peer's offer goes to the other leg, the answer comes back in the peer's 2xx
    Hold,      // RFC 3264 8.4: the leg's last description, a=sendonly
    Retrieve,  // the same, a=sendrecv
    Connect,   // two legs are made to talk to each other (below)
  };
  struct Op {
    Kind kind = Kind::None;
    // Hold / Retrieve: the leg re-INVITEd. Relay: the leg the offer is relayed to. Connect: the
    // offerer.
    sip::dialog::InviteSession* leg = nullptr;
    // Relay: the leg whose offer is relayed. Connect: the answerer.
    sip::dialog::InviteSession* other = nullptr;
    int tag = 0;             // the call's own mark: what the operation carries out
    bool answering = false;  // Connect: the offer has gone on to the answerer
  };
  class Events {
   public:
    virtual ~Events() = default;
    virtual void onMediaDone(const Op& op) = 0;
    // `status`: the SIP status of the refusal (488 for a 2xx without the answer it owed).
    virtual void onMediaFailed(const Op& op, int status) = 0;
  };

  explicit LegMedia(Events& events) : events_(events) {}
  LegMedia(const LegMedia&) = delete;
  LegMedia& operator=(const LegMedia&) = delete;

  bool busy() const { return op_.kind != Kind::None; }
  const Op& current() const { return op_; }

  // Each refuses (nothing sent) with OperationInProgress (64) while an operation is in progress
  // or a leg has an INVITE transaction of its own, NotSupported (90) when the leg's last
  // description is not SDP; `request` names the CTI request in the message.
  // RFC 3264 8.4 / RFC 6337 5.3: the last description sent on `leg`, every stream a=sendonly
  // (hold) or a=sendrecv (retrieve), as its next version.
  model::Status hold(sip::dialog::InviteSession& leg, int tag, std::string_view request);
  model::Status retrieve(sip::dialog::InviteSession& leg, int tag, std::string_view request);
  // RFC 3725 flow I between two existing sessions: `offerer` is re-INVITEd without offer, its
  // offer (in the 2xx) goes to `answerer` as the next description of that leg's session
  // (RFC 3264 8), and the answerer's answer back in the offerer's ACK.
  model::Status connect(sip::dialog::InviteSession& offerer, sip::dialog::InviteSession& answerer,
                        int tag, std::string_view request);
  // The same with the offerer's offer in hand: the 2xx of an INVITE sent without offer.
  model::Status connectOffered(sip::dialog::InviteSession& offerer, const sip::dialog::Body& offer,
                               sip::dialog::InviteSession& answerer, int tag);
  // A peer's in-dialog offer (re-INVITE or UPDATE on `from`) relayed to `to`; `toIsHeld`: ccsip
  // holds `to`, which keeps the hold whatever is offered. False when it cannot go now: `from`
  // got 491 (RFC 3261 14.2: it retries after its random delay).
  bool relay(sip::dialog::InviteSession& from, const sip::dialog::Body& offer,
             sip::dialog::InviteSession& to, bool toIsHeld);

  // --- session callbacks; true when the operation in progress took it
  bool onOffer(sip::dialog::InviteSession& s, const sip::dialog::Body& offer);
  bool onAnswer(sip::dialog::InviteSession& s, const sip::dialog::Body& answer);
  bool onConfirmed(sip::dialog::InviteSession& s);
  bool onReinviteRejected(sip::dialog::InviteSession& s, int status);
  // `s` ended: an operation on it is given up without event (the other leg of a relay gets
  // 487, an offerer its previous description as answer, so neither is left waiting).
  // Returns the operation given up (Kind::None: none).
  Op onTerminated(sip::dialog::InviteSession& s);
  // Forgets the operation in progress (the call is ending; its legs answer it themselves).
  void reset() { op_ = {}; }

 private:
  model::Status checkIdle(const sip::dialog::InviteSession& leg, std::string_view request) const;
  model::Status changeDirection(sip::dialog::InviteSession& leg, Kind kind, int tag,
                                std::string_view request);
  bool involves(const sip::dialog::InviteSession& s) const {
    return op_.leg == &s || op_.other == &s;
  }
  // The answer an offerer gets when its offer could not be answered by the other leg: the last
  // description ccsip sent it, unchanged (RFC 3264 8: the session stays as it was). A leg that
  // was sent nothing yet (a new leg's 2xx offer) stays unanswered: the call ends it (end() ACKs
  // and BYEs it).
  static void answerUnchanged(sip::dialog::InviteSession& offerer);
  void done();

  Events& events_;
  Op op_;
};

}  // namespace ccsip::control
