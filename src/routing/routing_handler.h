#pragma once

#include <string>
#include <string_view>

#include "model/conn_id.h"
#include "routing/route_reason.h"

namespace ccsip::routing {

// Implemented by the control layer: the router's decisions. Either may come synchronously from
// inside a Router call or later (a timer, an agent becoming available); the handler may call
// back into the router and the model.
class RoutingHandler {
 public:
  virtual ~RoutingHandler() = default;
  // Deliver the call to `targetDn`. The model already knows (EventDiverted / EventRouteUsed):
  // the call has left its routing point. Tell the router delivered() once the model has the
  // target ringing, deliveryFailed() or recall() if it never does.
  virtual void onRouteTo(model::ConnId id, const std::string& targetDn, RouteReason reason) = 0;
  // No target: the call is still on its routing point; the router has forgotten it. The control
  // layer applies the overflow (model::CallModel::diverted to voicemail, or a release).
  virtual void onRouteFailed(model::ConnId id, RouteFailure failure) = 0;
};

// Implemented by the CTI layer: whether a router client (the URS role) has registered a
// routing point. DESIGN.md "CTI protocol": with no router registered, the embedded strategy runs.
class RouterPresence {
 public:
  virtual ~RouterPresence() = default;
  virtual bool hasRouter(std::string_view routingPointDn) const = 0;
};

}  // namespace ccsip::routing
