#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "control/consult_call.h"
#include "control/control_options.h"
#include "control/controlled_call.h"
#include "control/dn_address.h"
#include "control/inbound_call.h"
#include "control/make_call.h"
#include "control/registration_presence.h"
#include "control/route_decider.h"
#include "model/model.h"
#include "sip/dialog/digest_authenticator.h"
#include "sip/dialog/invite_session.h"
#include "sip/dialog/user_agent_core.h"
#include "util/timer_service.h"

namespace ccsip::control {

// What CallControl works with; each must outlive it.
struct CallControlServices {
  sip::dialog::UserAgentCore* core = nullptr;
  model::CallModel* model = nullptr;
  RouteDecider* router = nullptr;
  util::TimerService* timers = nullptr;
  // Phones registered on ccsip (docs/call-flows.md "Phones registered on ccsip"): the
  // registrar's location table, nonces and credentials. All null: no phone may call, and every
  // leg goes to the switch.
  sip::dialog::LocationTable* locations = nullptr;
  sip::dialog::NonceManager* nonces = nullptr;
  const sip::dialog::CredentialStore* credentials = nullptr;
};

// A CTI MakeCall (docs/protocol.md): thisDN calls otherDN, both dialled on the switch.
struct MakeCallRequest {
  std::string thisDn;
  std::string otherDn;
  boost::json::object userData;
  model::ReferenceId referenceId;
};

// A CTI InitiateTransfer (docs/protocol.md): thisDN consults otherDN about call `connId`;
// `userData` is the consult call's.
struct InitiateTransferRequest {
  model::ConnId connId;
  std::string dn;
  std::string otherDn;
  boost::json::object userData;
  model::ReferenceId referenceId;
};

// The call flows over the UA core (DESIGN.md "Call flows"). Today: inbound calls from the switch
// to routing points, delivered to agents as a B2BUA (InboundCall). Install it as the core's
// UserAgentCoreOptions::sessions.
//   - INVITE from a source not in options.trustedSources / trustedNetworks: 403;
//   - Request-URI user not a routing point of the model: 404; INVITE without offer: 488;
//   - else callCreated + routeRequest, and the RouteDecider decides through RouteCallback.
// INVITEs from other sources are calls of phones registered on ccsip (call_control_phones.cpp,
// docs/call-flows.md "Phones registered on ccsip"): digest-authenticated as the extension in
// From, then to a routing point (InboundCall, the phone as origin) or to another extension
// (InternalCall).
class CallControl final : public sip::dialog::IncomingSessionHandler,
                          public RouteCallback,
                          private CallOwner,
                          private ConsultOwner {
 public:
  CallControl(const CallControlServices& services, CallControlOptions options);
  ~CallControl() override;
  CallControl(const CallControl&) = delete;
  CallControl& operator=(const CallControl&) = delete;

  // --- sip::dialog::IncomingSessionHandler
  sip::dialog::InviteSessionHandler* onNewSession(
      const std::shared_ptr<sip::dialog::InviteSession>& session,
      const sip::Message& invite) override;

  // --- RouteCallback
  bool routeTo(model::ConnId id, const RouteTarget& target) override;
  bool routeFailed(model::ConnId id, int status) override;

  // --- third-party call control (CTI requests on a call). The model checks that thisDN is a
  // party of the call (EventError 57 / 58 otherwise), then the call's flow carries it out.
  model::Status releaseCall(const PartyRequest& request);
  model::Status clearCall(const PartyRequest& request);
  model::Status holdCall(const PartyRequest& request);
  model::Status retrieveCall(const PartyRequest& request);
  model::Status answerCall(const PartyRequest& request);
  // SingleStepTransfer / MuteTransfer and RedirectCall (docs/call-flows.md): thisDN checked as
  // above; otherDN must be dialable (44), not thisDN (44) and not a routing point (90).
  model::Status singleStepTransfer(const TransferRequest& request);
  model::Status redirectCall(const TransferRequest& request);
  // Consult transfers (docs/call-flows.md "InitiateTransfer / CompleteTransfer"). InitiateTransfer:
  // thisDN and otherDN checked as for SingleStepTransfer, and otherDN not a party of the call
  // (44); the call must be answered and thisDN talk on it (62), nothing else in progress (64);
  // a call kind that cannot be consulted from answers 90. The pair requests name a call and its
  // consult call (62 otherwise), thisDN a party of `connId` and of `otherConnId`.
  model::Status initiateTransfer(const InitiateTransferRequest& request);
  model::Status completeTransfer(const CallPairRequest& request);
  model::Status alternateCall(const CallPairRequest& request);
  // A ReconnectCall whose `connId` is released already (a consult that failed) retrieves
  // `otherConnId`, as RetrieveCall would.
  model::Status reconnectCall(const CallPairRequest& request);

  // MakeCall (DESIGN.md "Call flows", RFC 3725 flow I or IV as options.makeCallFlow says): the
  // new call's ConnId, EventDialing already out. Errors: thisDN unknown (56), not an extension
  // (60), out of service (59); otherDN not a dialable number or thisDN itself (44), a routing
  // point (90).
  util::Result<model::ConnId> makeCall(const MakeCallRequest& request);
  // options.makecall-flow reloads live: calls made from now on use `flow`.
  void setMakeCallFlow(config::MakeCallFlow flow) { options_.makeCallFlow = flow; }
  // So do the no-answer defaults (control/overflow.h): for legs that start ringing from now on.
  void setNoAnswerDefaults(const NoAnswerDefaults& defaults) { options_.noAnswer = defaults; }

  // Calls not yet freed (leak checks, metrics).
  std::size_t callCount() const { return calls_.size() + starting_.size(); }

 private:
  void onCallFinished(ControlledCall& call) override;
  void onConsultCreated(ConsultCall& call) override;
  // The consult call of the pair (a main call and its consult, either order); nullptr: none.
  ConsultCall* consultOf(model::ConnId first, model::ConnId second);
  // The checks every pair request starts with, then the consult call of the pair.
  util::Result<ConsultCall*> pairFor(const CallPairRequest& request, std::string_view name);
  // An INVITE from a phone registered on ccsip (call_control_phones.cpp).
  sip::dialog::InviteSessionHandler* onPhoneSession(
      const std::shared_ptr<sip::dialog::InviteSession>& session, const sip::Message& invite);
  sip::dialog::InviteSessionHandler* startInbound(
      const std::shared_ptr<sip::dialog::InviteSession>& session, const sip::Message& invite,
      const std::string& originDn);
  void reap();
  ControlledCall* find(model::ConnId id);
  InboundCall* findInbound(model::ConnId id);
  // The call `request` names, once the model has checked the party; else the model's error.
  util::Result<ControlledCall*> callFor(const PartyRequest& request);
  // callFor, and otherDN checked as a destination of the call.
  util::Result<ControlledCall*> transferCallFor(const TransferRequest& request);

  CallControlOptions options_;
  util::TimerService& timers_;
  sip::dialog::LocationTable* locations_;
  DnAddressBook addresses_;
  std::optional<RegistrationPresence> presence_;
  std::optional<sip::dialog::DigestAuthenticator> phoneAuth_;  // null: phones may not call
  CallContext context_;
  std::unordered_map<model::ConnId, std::unique_ptr<ControlledCall>> calls_;
  // Consult calls holding the main call's legs before they have a ConnId (the hold of the main
  // call is in progress).
  std::vector<std::unique_ptr<ConsultCall>> starting_;
  // Main call -> its consult call: while the consult drives the main call's legs, the main
  // call's requests are the consult's (ConsultCall::mainSide()).
  std::unordered_map<model::ConnId, ConsultCall*> consults_;
  std::vector<model::ConnId> finished_;
  util::TimerId reapTimer_ = 0;
};

}  // namespace ccsip::control
