#include "app/route_adapter.h"

#include <spdlog/spdlog.h>

namespace ccsip::app {

void RouteAdapter::route(model::ConnId id, std::string_view rpDn,
                         control::RouteCallback& callback) {
  callbacks_[id] = &callback;
  const model::Status status = router_->route(id, rpDn);
  if (!status.ok() && callbacks_.erase(id) > 0) {
    spdlog::warn("call {} on {}: not routed: {}", id.str(), rpDn, status.error().message);
    (void)callback.routeFailed(id, 480);
  }
}

void RouteAdapter::onDeliveryFailed(model::ConnId id, std::string_view rpDn,
                                    const control::DeliveryFailure& failure,
                                    control::RouteCallback& callback) {
  callbacks_[id] = &callback;
  // No answer puts the call back in front of its queue; busy / rejected / error only end the
  // reservation first (the same recall then re-routes the call to another agent).
  if (failure.kind != control::DeliveryFailureKind::NoAnswer) router_->deliveryFailed(id);
  const model::Status status = router_->recall(id);
  if (!status.ok() && callbacks_.erase(id) > 0) {
    spdlog::warn("call {} on {}: no recall: {}", id.str(), rpDn, status.error().message);
    router_->callEnded(id);
    (void)callback.routeFailed(id, 480);
  }
}

void RouteAdapter::onDelivered(model::ConnId id) {
  router_->delivered(id);
}

void RouteAdapter::onCallEnded(model::ConnId id) {
  callbacks_.erase(id);
  router_->callEnded(id);
}

void RouteAdapter::onRouteTo(model::ConnId id, const std::string& targetDn,
                             routing::RouteReason reason) {
  auto it = callbacks_.find(id);
  if (it == callbacks_.end()) return;
  control::RouteTarget target;
  target.dn = targetDn;
  target.byStrategy = reason != routing::RouteReason::RouteCall;
  target.reported = true;  // the router told the model (EventDiverted / EventRouteUsed)
  if (!it->second->routeTo(id, target)) {
    // The call is gone or not routable any more: free the agent the router reserved.
    router_->deliveryFailed(id);
    router_->callEnded(id);
    callbacks_.erase(id);
  }
}

void RouteAdapter::onRouteFailed(model::ConnId id, routing::RouteFailure failure) {
  auto it = callbacks_.find(id);
  if (it == callbacks_.end()) return;
  control::RouteCallback* callback = it->second;
  callbacks_.erase(it);
  spdlog::info("call {}: route failed: {}", id.str(), routing::toString(failure));
  (void)callback->routeFailed(id, statusOf(failure));
}

int RouteAdapter::statusOf(routing::RouteFailure failure) {
  switch (failure) {
    case routing::RouteFailure::NoTarget:
    case routing::RouteFailure::QueueTimeout:
    case routing::RouteFailure::RouteTimeout:
    case routing::RouteFailure::NoAgent:
      // RFC 3261 21.4.18: 480 Temporarily Unavailable, the callee cannot be reached now.
      return 480;
  }
  return 480;
}

}  // namespace ccsip::app
