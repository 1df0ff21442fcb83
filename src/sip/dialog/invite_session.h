#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/dialog/dialog.h"
#include "sip/dialog/dialog_usage.h"
#include "sip/dialog/usage_types.h"
#include "sip/message.h"
#include "sip/transport/transport.h"
#include "sip/txn/transaction_handle.h"
#include "util/random.h"
#include "util/time.h"

namespace ccsip::sip::dialog {

class InviteSession;

enum class SessionEndReason : std::uint8_t {
  Cancelled,  // UAC: the application cancelled; UAS: a CANCEL arrived (487 sent)
  Rejected,   // UAC: 3xx-6xx to the INVITE; UAS: the application rejected it
  LocalBye,   // the application ended the session (BYE sent)
  RemoteBye,  // the peer sent BYE
  Timeout,    // no final response (Timer B), no ACK for the 2xx (64*T1), re-INVITE timed out
  Error,      // transport error, 481/408 to an in-dialog request, protocol violation
};

struct SessionEnd {
  SessionEndReason reason = SessionEndReason::Error;
  int status = 0;  // the final status for Rejected/Error, 408 for Timeout, 487 for Cancelled
};

std::string_view toString(SessionEndReason reason);

// The application side of one INVITE session (reSIProcate InviteSessionHandler style).
// Callbacks may call back into the session (accept from onOffer, end from anywhere).
class InviteSessionHandler {
 public:
  virtual ~InviteSessionHandler() = default;
  // UAC: every provisional response (with its body, e.g. early media SDP).
  virtual void onProvisional(InviteSession& session, const Message& response) {}
  // UAC: a 1xx with a To tag created an early dialog (one per fork).
  virtual void onEarly(InviteSession& session, const Message& response) {}
  // UAC: the 2xx that won (first 2xx; later ones of other forks are ACKed and BYEd).
  virtual void onAnswered(InviteSession& session, const Message& response) {}
  // An offer the application must answer: UAS INVITE/re-INVITE/UPDATE with a body (answer with
  // accept(answer)); UAC 2xx to an INVITE without offer, RFC 3725 flow I (answer with
  // provideAnswer(answer), which sends the ACK).
  virtual void onOffer(InviteSession& session, const Body& offer) = 0;
  // UAS: an INVITE or re-INVITE without body; accept(offer) puts the offer in the 2xx and the
  // answer comes in the ACK (onAnswer).
  virtual void onOfferRequired(InviteSession& session) {}
  // The answer to our offer (in a 2xx, or in the ACK after an offer in our 2xx).
  virtual void onAnswer(InviteSession& session, const Body& answer) {}
  // The INVITE (or re-INVITE) transaction completed: ACK sent (UAC) / received (UAS).
  virtual void onConfirmed(InviteSession& session) {}
  // Our re-INVITE was refused (not 491, which is retried; not 408/481, which end the session).
  // The previous session description stays in force.
  virtual void onReinviteRejected(InviteSession& session, int status) {}
  // An INFO within the session (answered 200 by the session).
  virtual void onInfo(InviteSession& session, const Message& request) {}
  // The session ended; called once.
  virtual void onTerminated(InviteSession& session, const SessionEnd& end) = 0;
};

struct InviteSessionOptions {
  std::string requestUri;  // "sip:1000@127.0.0.1:5070"
  std::string from;        // name-addr without tag: "<sip:8000@ccsip>"
  std::string to;          // name-addr; "" -> "<requestUri>"
  std::string contact;     // "" -> UserAgentCoreOptions::contact
  std::string callId;      // "" -> generated
  // The offer of the INVITE; empty: no offer, the peer offers in its 2xx and the application
  // answers in the ACK (RFC 3725 flow I).
  Body offer;
  std::vector<std::string> routes;  // preloaded Route values (outbound proxy)
  // The first hop of the INVITE; nullopt -> first Route or Request-URI.
  std::optional<transport::Peer> destination;
  ExtraHeaders headers;
};

// One INVITE session (RFC 3261 13-15, RFC 3264 offer/answer as carried by SIP), UAC or UAS.
// Offer/answer bodies are opaque. Created by UserAgentCore::invite (UAC) or handed to the
// IncomingSessionHandler (UAS).
class InviteSession final : public DialogUsage {
 public:
  enum class Role : std::uint8_t { Uac, Uas };
  enum class State : std::uint8_t {
    Calling,    // UAC: INVITE sent, no 1xx with tag yet / UAS: INVITE received, nothing sent
    Early,      // an early dialog exists (1xx with tag received / sent)
    Accepted,   // 2xx received but not yet ACKed (offer in 2xx) / 2xx sent, waiting for ACK
    Confirmed,  // ACK sent / received
    Terminated,
  };

  // Use UserAgentCore::invite or the IncomingSessionHandler; public for make_shared.
  InviteSession(UserAgentCore& core, Role role);
  ~InviteSession() override;

  Role role() const { return role_; }
  State state() const { return state_; }
  bool terminated() const override { return state_ == State::Terminated; }
  // The dialog (UAS: from the INVITE on; UAC: from the winning 2xx on); nullptr before.
  const Dialog* dialog() const { return dialog_ ? &*dialog_ : nullptr; }
  const std::string& callId() const { return callId_; }
  const Body& localBody() const { return localBody_; }    // last offer/answer we sent
  const Body& remoteBody() const { return remoteBody_; }  // last offer/answer received
  // True while an INVITE transaction (either direction) is in progress on the session.
  bool inviteInProgress() const;
  void setHandler(InviteSessionHandler& handler) { handler_ = &handler; }

  // --- UAS
  // A 1xx (not 100) with our To tag: creates the early dialog. Optional body (early media).
  bool provisional(int status = 180, const Body& body = {});
  // 2xx to the pending INVITE / re-INVITE / UPDATE. `body`: the answer to the remote offer, or
  // our offer when the request had none. False when nothing is pending or the body is missing.
  bool accept(const Body& body = {});
  // 3xx-6xx to the pending INVITE / re-INVITE / UPDATE (a rejected re-INVITE keeps the session).
  bool reject(int status, std::string_view reasonPhrase = {});
  // The same with extra headers on the response (a 401 challenge's WWW-Authenticate).
  bool reject(int status, std::string_view reasonPhrase, const ExtraHeaders& headers);

  // --- UAC
  // RFC 3725 flow I: the answer to the offer of the 2xx, carried by the ACK.
  bool provideAnswer(const Body& answer);

  // --- both
  // re-INVITE (hold/retrieve: an offer with a=sendonly/sendrecv; empty: late offer, answered in
  // our ACK). RFC 3261 14.1: false while another INVITE transaction is in progress. A 491 is
  // retried after the RFC 3261 14.1 delay.
  bool reinvite(const Body& offer = {});
  // Ends the session: CANCEL (UAC before the final response; sent after a 1xx), BYE (confirmed
  // or, for a UAS, once its 2xx is ACKed or given up), 480 (UAS not answered yet).
  void end();

  // --- DialogUsage
  void onDialogRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                       const transport::Peer& from) override;
  void onDialogAck(const Message& ack, const transport::Peer& from) override;
  void onServerCancel(const txn::ServerTransactionHandle& invite) override;
  void onStrayResponse(const Message& response, const transport::Peer& from) override;

  // --- txn::ClientTransactionHandler
  void onResponse(const txn::ClientTransactionHandle& txn, const Message& response) override;
  void onTimeout(const txn::ClientTransactionHandle& txn) override;
  void onTransportError(const txn::ClientTransactionHandle& txn) override;

  // Used by UserAgentCore.
  bool startUac(const InviteSessionOptions& options);
  void startUas(const txn::ServerTransactionHandle& txn, const Message& invite,
                const transport::Peer& from);
  void announceUas();  // reports onOffer / onOfferRequired after onNewSession

 private:
  // The INVITE / re-INVITE / UPDATE a UAS has not answered yet.
  struct PendingServerRequest {
    txn::ServerTransactionHandle txn;
    Method method = Method::Unknown;
    bool hasOffer = false;
    transport::Peer from;
  };
  // RFC 3261 13.3.1.4: our 2xx, retransmitted until its ACK arrives.
  struct Unacked2xx {
    Message response;
    txn::ServerTransactionHandle txn;
    transport::Peer from;
    std::uint32_t cseq = 0;
    bool offerInside = false;  // the answer will come in the ACK
    bool initial = false;
    util::Duration interval{0};
    util::TimerId retransmitTimer = 0;
    util::TimerId giveUpTimer = 0;
  };
  // Our ACK for a 2xx, kept for the retransmissions of that 2xx (RFC 3261 13.2.2.4).
  struct SentAck {
    Message ack;
    transport::Peer to;
    std::uint32_t cseq = 0;
  };

  // UAC side
  void onInviteResponse(const Message& response);
  void onInvite2xx(const Message& response);
  void onReinviteResponse(const Message& response);
  void onReinvite2xx(const Message& response);
  void handle2xxRetransmission(const Message& response);
  void ackAndByeFork(const Message& response);
  void sendAckFor(std::uint32_t cseq, const Body& body);
  bool sendReinvite();
  void onGlareTimer();
  // UAS side
  void on2xxRetransmitTimer();
  void on2xxGiveUp();
  void onBye(const txn::ServerTransactionHandle& txn, const Message& request);
  void onReinvite(const txn::ServerTransactionHandle& txn, const Message& request,
                  const transport::Peer& from);
  void onUpdate(const txn::ServerTransactionHandle& txn, const Message& request,
                const transport::Peer& from);
  Message makeResponse(const Message& request, int status, std::string_view reason = {}) const;
  void stopRetransmitting();
  // Common
  void sendBye();
  void terminate(SessionEndReason reason, int status);
  bool ownsCallId() const { return role_ == Role::Uac; }
  bool pendingRequestIsInvite() const;
  // The dialog (confirmed or early) a message from the peer belongs to; nullptr if none.
  Dialog* dialogFor(const Message& message);

  Role role_;
  State state_ = State::Calling;
  InviteSessionHandler* handler_ = nullptr;
  std::optional<Dialog> dialog_;
  std::string callId_;
  std::string localTag_;
  std::string localContact_;
  Body localBody_;
  Body remoteBody_;

  // UAC: the initial INVITE and its transaction; early dialogs by remote tag.
  std::optional<Message> inviteRequest_;
  txn::ClientTransactionHandle inviteTxn_;
  std::map<std::string, Dialog> earlyDialogs_;
  bool cancelRequested_ = false;
  bool offerInInvite_ = false;
  bool awaitingAnswerForAck_ = false;  // offer came in a 2xx; ACK waits for provideAnswer
  std::uint32_t awaitingAckCSeq_ = 0;
  std::optional<SentAck> lastAck_;
  std::vector<std::string> byedForks_;  // remote tags of unwanted forks already sent a BYE

  // re-INVITE we sent
  txn::ClientTransactionHandle reinviteTxn_;
  bool reinvitePending_ = false;  // sent, no final response yet
  Body reinviteOffer_;
  bool reinviteQueued_ = false;  // waiting for the glare timer
  util::TimerId glareTimer_ = 0;

  // UAS
  std::optional<PendingServerRequest> pendingRequest_;
  std::optional<Unacked2xx> unacked_;
  bool byeAfterAck_ = false;  // RFC 3261 15: no BYE before the ACK of our 2xx
  bool announced_ = false;
};

// RFC 3261 14.1: after a 491 the owner of the Call-ID (the UAC of the initial INVITE) waits
// 2.1-4 s, the other side 0-2 s, both in units of 10 ms.
util::Duration glareRetryDelay(bool ownsCallId, util::Random& random);

}  // namespace ccsip::sip::dialog
