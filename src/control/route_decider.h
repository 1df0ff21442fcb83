#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/conn_id.h"
#include "model/model.h"

namespace ccsip::control {

// Where the router sends a call waiting on a routing point.
struct RouteTarget {
  std::string dn;                  // the agent DN, dialled on the switch as sip:<dn>@switch
  model::ReferenceId referenceId;  // the RouteCall request's, passed into EventRouteUsed
  // True when the embedded strategy chose the target (EventDiverted), false for a router's
  // RouteCall (EventRouteUsed).
  bool byStrategy = false;
  // True when the decider already reported the move to the model (the embedded router reports
  // EventDiverted / EventRouteUsed itself): control must not report it again.
  bool reported = false;
};

enum class DeliveryFailureKind : std::uint8_t {
  Busy,      // 486 / 600: the agent's phone is busy
  Rejected,  // another 3xx-6xx (480 not registered on chan_sip, 404 on chan_pjsip, ...)
  NoAnswer,  // the no-answer timeout expired (the agent leg was cancelled)
  Error,     // no response at all (Timer B), transport error, request could not be sent
};

struct DeliveryFailure {
  std::string dn;  // the DN the call did not reach
  DeliveryFailureKind kind = DeliveryFailureKind::Error;
  int status = 0;  // the SIP status of the agent leg; 408 for NoAnswer and Error timeouts
};

// Implemented by the control layer: the answers a RouteDecider gives, now or later. Calls for a
// ConnId that has ended are ignored (false).
class RouteCallback {
 public:
  virtual ~RouteCallback() = default;
  // Deliver the call to target.dn (an INVITE to the switch with the caller's offer).
  virtual bool routeTo(model::ConnId id, const RouteTarget& target) = 0;
  // No target: the caller is rejected with `status` (e.g. 480, 486) and the call released.
  virtual bool routeFailed(model::ConnId id, int status) = 0;
};

// The routing decision for calls arriving at routing points (implemented by src/routing: the
// embedded strategies, or the CTI router's RouteCall). One thread: callbacks run in the caller's
// thread and may come synchronously from inside these functions or later.
class RouteDecider {
 public:
  virtual ~RouteDecider() = default;
  // Call `id` waits on routing point `rpDn` (EventRouteRequest is out).
  virtual void route(model::ConnId id, std::string_view rpDn, RouteCallback& callback) = 0;
  // The delivery chosen earlier failed; the call is back on `rpDn` (EventRouteRequest again) and
  // waits for another routeTo (re-route, overflow) or routeFailed.
  virtual void onDeliveryFailed(model::ConnId id, std::string_view rpDn,
                                const DeliveryFailure& failure, RouteCallback& callback) = 0;
  // The target DN is ringing (the model has partyRinging): the delivery succeeded.
  virtual void onDelivered(model::ConnId /*id*/) {}
  // The call ended (caller hung up, answered call released, route failed): forget it.
  virtual void onCallEnded(model::ConnId id) = 0;
};

}  // namespace ccsip::control
