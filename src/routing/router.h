#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/availability.h"
#include "model/model.h"
#include "routing/call_queues.h"
#include "routing/route_reason.h"
#include "routing/router_options.h"
#include "routing/routing_handler.h"
#include "routing/strategy.h"
#include "routing/strategy_registry.h"
#include "util/timer_service.h"

namespace ccsip::routing {

// Where a call the router knows stands.
enum class RoutingPhase {
  WaitingRouter,  // EventRouteRequest is out to a registered router; the route timeout runs
  Queued,         // waiting in its group's queue for an agent; the queue timeout runs
  Delivering,     // onRouteTo told; the target agent is reserved until the delivery is reported
  Delivered,      // the delivery was reported (or the reservation expired): kept for a recall
};
std::string_view toString(RoutingPhase phase);

// The embedded router (DESIGN.md "CTI protocol": routers register routing points and answer
// EventRouteRequest with RouteCall; with no router registered, the routing point's embedded
// strategy runs). Pure logic on the model's thread: no SIP, no sockets, timers from the
// TimerService.
//
// The router reports the routing facts to the model itself (EventRouteRequest, EventQueued,
// EventDiverted, EventRouteUsed), decides, and tells the control layer where to deliver
// (RoutingHandler). A routing point's default target is the agent group of its configuration
// (model::DnOptions: targetGroup, strategy, queueTimeout): the strategy picks an eligible
// member, else the call waits in the group's FIFO queue until one becomes available (the model
// tells the router: model::AvailabilityObserver); when no member is logged in and the routing
// point has a no-answer-overflow, the call fails at once (RouteFailure::NoAgent) so the control
// layer sends it there (e.g. the group's voicemail). An agent chosen for a call is reserved
// (offered nothing else) until the control layer reports how the delivery went.
//
// Every function may call the handler synchronously; the handler may call back in.
class Router final : public model::AvailabilityObserver, private AgentEligibility {
 public:
  explicit Router(const RouterOptions& options,
                  StrategyRegistry strategies = StrategyRegistry::withBuiltins());
  ~Router() override;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // --- the control layer ---
  // Call `id` arrived at routing point `rpDn` (from the switch, or routed there). Puts it on the
  // routing point (EventRouteRequest) unless the model has it there already; then waits for a
  // registered router's RouteCall, or runs the default target. Errors: UnknownCall, UnknownDn,
  // WrongDnType, InvalidCallState (already waiting on a routing point).
  model::Status route(model::ConnId id, std::string_view rpDn);
  // RouteCall from a router client (the CTI layer checked the request's fields): EventRouteUsed
  // and onRouteTo(target), or, when `targetDn` is a routing point, the call moves there. Also
  // accepted while the call is queued (the router takes it over). Errors: UnknownCall,
  // InvalidCallState (the call waits on no routing point), MissingField, and the model's.
  model::Status routeCallRequested(model::ConnId id, std::string_view targetDn,
                                   const model::ReferenceId& ref = {});
  // The target is ringing: the model has the call on the target DN, so its reservation ends.
  // Call after model::CallModel::partyRinging (or partyDialing), not before.
  void delivered(model::ConnId id);
  // The target never rang (busy, rejected, no response): the reservation ends. The router keeps
  // the call for a recall() until callEnded().
  void deliveryFailed(model::ConnId id);
  // No answer (or a failed delivery): the call goes back to its routing point (EventRouteRequest
  // unless the model has it there already) and to the FRONT of its queue (EventQueued), or to
  // the registered router again. Errors: UnknownCall, InvalidCallState (not delivered by this
  // router).
  model::Status recall(model::ConnId id);
  // The call is gone (abandoned, released, overflowed elsewhere): forgotten everywhere.
  void callEnded(model::ConnId id);

  // --- plug-ins ---
  bool addStrategy(std::unique_ptr<RoutingStrategy> strategy) {
    return strategies_.add(std::move(strategy));
  }
  const StrategyRegistry& strategies() const { return strategies_; }

  // --- queries (metrics, tests) ---
  std::optional<RoutingPhase> phaseOf(model::ConnId id) const;
  std::size_t trackedCalls() const { return calls_.size(); }
  std::size_t queuedCalls() const { return queues_.size(); }
  std::vector<model::ConnId> queue(std::string_view group) const { return queues_.calls(group); }
  bool isReserved(std::string_view agentId) const { return reserved_.contains(agentId); }
  std::size_t reservedAgents() const { return reserved_.size(); }

  // model::AvailabilityObserver: serves the queues the agent's groups have.
  void onAgentAvailable(const model::Agent& agent) override;
  // model::AvailabilityObserver: when `agentId` was the last logged-in member of a group, the
  // calls queued for that group whose routing point has a no-answer-overflow fail now
  // (RouteFailure::NoAgent), as a call arriving then would, instead of waiting for a login.
  void onAgentLoggedOut(std::string_view agentId) override;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct Entry {
    RoutingPhase phase = RoutingPhase::WaitingRouter;
    std::string rp;
    std::string group;                          // the default target's group, once known
    const RoutingStrategy* strategy = nullptr;  // its strategy
    std::string targetDn;                       // Delivering / Delivered
    std::string agentId;                        // the agent this call holds reserved, "" = none
    util::TimerId timer = 0;
    std::uint64_t timerToken = 0;  // tells a stale timer callback from the current one
    bool recalled = false;         // goes to the front of its queue
  };
  struct DefaultTarget {
    const model::Group* group = nullptr;
    const RoutingStrategy* strategy = nullptr;
    util::Duration queueTimeout{};  // 0 = no limit
  };

  // AgentEligibility: available in the model and not reserved.
  bool eligible(const model::Agent& agent) const override;

  // router.cpp
  void startRouting(model::ConnId id, Entry& entry);
  std::optional<DefaultTarget> defaultTarget(std::string_view rpDn) const;
  void fail(model::ConnId id, RouteFailure failure);
  void forget(model::ConnId id);
  void reserve(model::ConnId id, Entry& entry, const std::string& agentId);
  std::string release(model::ConnId id, Entry& entry);  // the agent released, "" = none
  void kick(const std::string& agentId);
  void startTimer(model::ConnId id, Entry& entry, util::Duration after);
  void cancelTimer(Entry& entry);
  void onTimer(model::ConnId id, std::uint64_t token);

  // router_queue.cpp
  void runDefault(model::ConnId id, RouteFailure noTarget);
  const model::Agent* select(model::ConnId id, const Entry& entry) const;
  bool anyLoggedIn(const model::Group& group) const;
  bool deliver(model::ConnId id, const model::Agent& agent, RouteReason reason);
  void dispatch(std::vector<std::string> groups);
  bool dispatchFront(std::string_view group);

  model::CallModel& model_;
  util::TimerService& timers_;
  RouterPresence& presence_;
  RoutingHandler& handler_;
  RouterOptions options_;
  StrategyRegistry strategies_;

  std::unordered_map<model::ConnId, Entry> calls_;
  CallQueues queues_;
  std::unordered_map<std::string, model::ConnId, StringHash, std::equal_to<>> reserved_;
  std::uint64_t nextToken_ = 1;
};

}  // namespace ccsip::routing
