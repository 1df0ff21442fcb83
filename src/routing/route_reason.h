#pragma once

#include <string_view>

namespace ccsip::routing {

// Who chose the target of RoutingHandler::onRouteTo.
enum class RouteReason {
  RouteCall,  // a router client's RouteCall (EventRouteUsed)
  Strategy,   // the embedded strategy found an agent at once (EventDiverted)
  Queue,      // the call waited in its group's queue until an agent came (EventDiverted)
};

// Why RoutingHandler::onRouteFailed: the call is still on its routing point and the control
// layer applies the overflow (voicemail, busy, release).
enum class RouteFailure {
  NoTarget,      // no router, and the default target names an unknown group or strategy
  QueueTimeout,  // the routing point's queue timeout expired before an agent came
  RouteTimeout,  // no RouteCall within the route timeout and no default target configured
  // No member of the default target's group is logged in, and the routing point has an
  // overflow (no-answer-overflow) to send the call to rather than wait for a login.
  NoAgent,
};

std::string_view toString(RouteReason reason);    // "route-call", "strategy", "queue"
std::string_view toString(RouteFailure failure);  // "no-target", "queue-timeout", ...

}  // namespace ccsip::routing
