#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "control/control_options.h"
#include "control/controlled_call.h"
#include "control/inbound_call.h"
#include "control/make_call.h"
#include "control/route_decider.h"
#include "model/model.h"
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
};

// A CTI MakeCall (docs/protocol.md): thisDN calls otherDN, both dialled on the switch.
struct MakeCallRequest {
  std::string thisDn;
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
class CallControl final : public sip::dialog::IncomingSessionHandler,
                          public RouteCallback,
                          private CallOwner {
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

  // MakeCall (DESIGN.md "Call flows", RFC 3725 flow I or IV as options.makeCallFlow says): the
  // new call's ConnId, EventDialing already out. Errors: thisDN unknown (56), not an extension
  // (60), out of service (59); otherDN not a dialable number or thisDN itself (44), a routing
  // point (90).
  util::Result<model::ConnId> makeCall(const MakeCallRequest& request);
  // options.makecall-flow reloads live: calls made from now on use `flow`.
  void setMakeCallFlow(config::MakeCallFlow flow) { options_.makeCallFlow = flow; }

  // Calls not yet freed (leak checks, metrics).
  std::size_t callCount() const { return calls_.size(); }

 private:
  void onCallFinished(ControlledCall& call) override;
  void reap();
  ControlledCall* find(model::ConnId id);
  InboundCall* findInbound(model::ConnId id);
  // The call `request` names, once the model has checked the party; else the model's error.
  util::Result<ControlledCall*> callFor(const PartyRequest& request);

  CallControlOptions options_;
  util::TimerService& timers_;
  CallContext context_;
  std::unordered_map<model::ConnId, std::unique_ptr<ControlledCall>> calls_;
  std::vector<model::ConnId> finished_;
  util::TimerId reapTimer_ = 0;
};

}  // namespace ccsip::control
