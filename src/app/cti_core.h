#pragma once

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "control/call_control.h"
#include "cti/cti_server.h"
#include "cti/dn_directory.h"
#include "cti/request_handler.h"
#include "model/model.h"
#include "routing/router.h"
#include "routing/routing_handler.h"

namespace ccsip::app {

// The CTI requests the call model and the router carry out today (docs/protocol.md): agent
// state, RouteCall, user data, user events and queries. Every other request of the protocol is
// answered EventError NotSupported (90). Also the CTI server's DnDirectory (the model's DNs)
// and the router's RouterPresence (a client registered on the routing point).
class CtiCore final : public cti::RequestHandler,
                      public cti::DnDirectory,
                      public routing::RouterPresence {
 public:
  explicit CtiCore(model::CallModel& model) : model_(model) {}
  CtiCore(const CtiCore&) = delete;
  CtiCore& operator=(const CtiCore&) = delete;

  // Both are built after the core (they need it); until set, requests are not served.
  void setRouter(routing::Router* router) { router_ = router; }
  void setServer(cti::CtiServer* server) { server_ = server; }
  // The call flows; nullptr while none is configured (call requests answer NotSupported).
  void setCallControl(control::CallControl* control) { control_ = control; }

  // --- cti::RequestHandler
  model::Status onRequest(cti::ClientId client, const boost::json::object& request) override;
  void onClientClosed(cti::ClientId client) override;

  // --- cti::DnDirectory
  bool hasDn(std::string_view dn) const override { return model_.findDn(dn) != nullptr; }

  // --- routing::RouterPresence
  bool hasRouter(std::string_view routingPointDn) const override {
    return server_ != nullptr && server_->isRegistered(routingPointDn);
  }

 private:
  model::Status agentRequest(std::string_view name, const boost::json::object& request);
  model::Status callRequest(cti::ClientId client, std::string_view name,
                            const boost::json::object& request);
  model::Status query(cti::ClientId client, std::string_view name,
                      const boost::json::object& request);
  // ReleaseCall, ClearCall, HoldCall, RetrieveCall, AnswerCall: handed to the call's flow.
  // nullopt when `name` is none of them.
  std::optional<model::Status> partyRequest(std::string_view name,
                                            const boost::json::object& request);
  // SingleStepTransfer, MuteTransfer, RedirectCall: handed to the call's flow with otherDN.
  model::Status transferRequest(std::string_view name, const boost::json::object& request);
  // InitiateTransfer, CompleteTransfer, AlternateCall, ReconnectCall (a call and its consult
  // call). nullopt when `name` is none of them.
  std::optional<model::Status> consultRequest(std::string_view name,
                                              const boost::json::object& request);

  model::CallModel& model_;
  routing::Router* router_ = nullptr;
  cti::CtiServer* server_ = nullptr;
  control::CallControl* control_ = nullptr;
};

}  // namespace ccsip::app
