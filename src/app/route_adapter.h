#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "control/route_decider.h"
#include "model/conn_id.h"
#include "routing/router.h"
#include "routing/routing_handler.h"

namespace ccsip::app {

// The control layer's RouteDecider on top of the embedded Router (control and routing are
// siblings, so the app joins them). The Router reports EventRouteRequest / EventQueued /
// EventDiverted / EventRouteUsed to the model itself: the targets it hands to control are
// marked `reported` so control does not report them again.
class RouteAdapter final : public control::RouteDecider, public routing::RoutingHandler {
 public:
  RouteAdapter() = default;
  RouteAdapter(const RouteAdapter&) = delete;
  RouteAdapter& operator=(const RouteAdapter&) = delete;

  // The router is built after the adapter (it needs the adapter as its handler).
  void setRouter(routing::Router* router) { router_ = router; }

  // --- control::RouteDecider
  void route(model::ConnId id, std::string_view rpDn, control::RouteCallback& callback) override;
  void onDeliveryFailed(model::ConnId id, std::string_view rpDn,
                        const control::DeliveryFailure& failure,
                        control::RouteCallback& callback) override;
  void onDelivered(model::ConnId id) override;
  void onCallEnded(model::ConnId id) override;

  // --- routing::RoutingHandler
  void onRouteTo(model::ConnId id, const std::string& targetDn,
                 routing::RouteReason reason) override;
  void onRouteFailed(model::ConnId id, routing::RouteFailure failure) override;

  // The SIP status the caller gets when routing finds no target.
  static int statusOf(routing::RouteFailure failure);

 private:
  routing::Router* router_ = nullptr;
  // Who answers for each call the router works on.
  std::unordered_map<model::ConnId, control::RouteCallback*> callbacks_;
};

}  // namespace ccsip::app
