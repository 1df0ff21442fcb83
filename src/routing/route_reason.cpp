#include "routing/route_reason.h"

namespace ccsip::routing {

std::string_view toString(RouteReason reason) {
  switch (reason) {
    case RouteReason::RouteCall:
      return "route-call";
    case RouteReason::Strategy:
      return "strategy";
    case RouteReason::Queue:
      return "queue";
  }
  return "unknown";
}

std::string_view toString(RouteFailure failure) {
  switch (failure) {
    case RouteFailure::NoTarget:
      return "no-target";
    case RouteFailure::QueueTimeout:
      return "queue-timeout";
    case RouteFailure::RouteTimeout:
      return "route-timeout";
    case RouteFailure::NoAgent:
      return "no-agent";
  }
  return "unknown";
}

}  // namespace ccsip::routing
