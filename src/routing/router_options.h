#pragma once

#include <chrono>
#include <string>

#include "util/time.h"

namespace ccsip::model {
class CallModel;
}
namespace ccsip::util {
class TimerService;
}

namespace ccsip::routing {

class RoutingHandler;
class RouterPresence;

struct RouterOptions {
  model::CallModel* model = nullptr;     // required; the router registers as its observer
  util::TimerService* timers = nullptr;  // required
  RouterPresence* presence = nullptr;    // required (the CTI layer)
  RoutingHandler* handler = nullptr;     // required (the control layer)

  // How long a router client has to answer EventRouteRequest with RouteCall before the
  // routing point's default target runs.
  util::Duration routeTimeout = std::chrono::seconds(10);
  // How long a call waits in a queue when its routing point sets no queue timeout; 0 = no limit.
  util::Duration queueTimeout = std::chrono::seconds(300);
  // An agent chosen for a call is offered no other call until the control layer reports the
  // delivery (delivered / deliveryFailed / recall / callEnded), at most this long: an INVITE
  // has an answer or has failed by then (RFC 3261 17.1.1.2: Timer B = 64*T1 = 32 s).
  util::Duration reservationTimeout = std::chrono::seconds(32);
  // The strategy of a routing point that names none.
  std::string defaultStrategy = "longest-idle";
};

}  // namespace ccsip::routing
