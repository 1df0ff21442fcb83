#include "routing/router.h"

#include <chrono>
#include <utility>

// The router's lifecycle of a call: route / RouteCall / delivery reports / recall / end,
// reservations and timers. Default targets and queues: router_queue.cpp.

namespace ccsip::routing {

using model::ConnId;
using model::ErrorCode;
using model::makeError;

std::string_view toString(RoutingPhase phase) {
  switch (phase) {
    case RoutingPhase::WaitingRouter:
      return "WaitingRouter";
    case RoutingPhase::Queued:
      return "Queued";
    case RoutingPhase::Delivering:
      return "Delivering";
    case RoutingPhase::Delivered:
      return "Delivered";
  }
  return "unknown";
}

Router::Router(const RouterOptions& options, StrategyRegistry strategies)
    : model_(*options.model),
      timers_(*options.timers),
      presence_(*options.presence),
      handler_(*options.handler),
      options_(options),
      strategies_(std::move(strategies)) {
  model_.setAvailabilityObserver(this);
}

Router::~Router() {
  model_.setAvailabilityObserver(nullptr);
  for (auto& [id, entry] : calls_) cancelTimer(entry);
}

std::optional<RoutingPhase> Router::phaseOf(ConnId id) const {
  auto it = calls_.find(id);
  if (it == calls_.end()) return std::nullopt;
  return it->second.phase;
}

bool Router::eligible(const model::Agent& agent) const {
  // Reserved first: the agents picked for calls whose agent leg has not rung yet are still
  // available in the model and come first in its longest-idle order, so a pick under load
  // passes over them; one lookup each is enough.
  return !reserved_.contains(agent.agentId) && model_.isAvailable(agent);
}

// --- the control layer ---

model::Status Router::route(ConnId id, std::string_view rpDn) {
  if (model_.findCall(id) == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  const model::Dn* dn = model_.findDn(rpDn);
  if (dn == nullptr) return makeError(ErrorCode::UnknownDn, rpDn);
  if (dn->type != model::DnType::RoutingPoint) return makeError(ErrorCode::WrongDnType, rpDn);
  const std::string rp(rpDn);
  if (auto it = calls_.find(id); it != calls_.end()) {
    const RoutingPhase phase = it->second.phase;
    if (phase == RoutingPhase::WaitingRouter || phase == RoutingPhase::Queued) {
      return makeError(ErrorCode::InvalidCallState, "already on routing point " + it->second.rp);
    }
    // Delivered earlier and now back on a routing point (a transfer to one): start afresh.
    forget(id);
  }
  // forget() may have served other calls: look the call up again.
  const model::Call* call = model_.findCall(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  // The control layer may have reported the arrival already (EventRouteRequest is out then).
  if (call->findParty(rp) == nullptr) {
    if (auto status = model_.routeRequest(id, rp); !status) return status;
  }
  Entry& entry = calls_[id];
  entry.rp = rp;
  startRouting(id, entry);
  return model::ok();
}

model::Status Router::routeCallRequested(ConnId id, std::string_view targetDn,
                                         const model::ReferenceId& ref) {
  auto it = calls_.find(id);
  if (it == calls_.end()) {
    if (model_.findCall(id) == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
    return makeError(ErrorCode::InvalidCallState, "not waiting on a routing point");
  }
  Entry& entry = it->second;
  if (entry.phase != RoutingPhase::WaitingRouter && entry.phase != RoutingPhase::Queued) {
    return makeError(ErrorCode::InvalidCallState, "already routed");
  }
  if (targetDn.empty()) return makeError(ErrorCode::MissingField, "target DN");
  const std::string target(targetDn);
  // The model first: on its error nothing changed here either.
  if (auto status = model_.routeUsed(id, entry.rp, target, ref); !status) return status;
  queues_.remove(id);
  cancelTimer(entry);

  const model::Dn* dn = model_.findDn(target);
  if (dn != nullptr && dn->type == model::DnType::RoutingPoint) {
    // Routed on to another routing point: the call waits there, no SIP leg changes.
    calls_.erase(it);
    return route(id, target);
  }
  entry.phase = RoutingPhase::Delivering;
  entry.targetDn = target;
  // The router client's choice stands, but the embedded strategy must not offer the agent
  // behind that DN another call meanwhile.
  if (dn != nullptr && !dn->agentId.empty()) reserve(id, entry, dn->agentId);
  startTimer(id, entry, options_.reservationTimeout);
  handler_.onRouteTo(id, target, RouteReason::RouteCall);
  return model::ok();
}

void Router::delivered(ConnId id) {
  auto it = calls_.find(id);
  if (it == calls_.end() || it->second.phase != RoutingPhase::Delivering) return;
  it->second.phase = RoutingPhase::Delivered;
  cancelTimer(it->second);
  // The model shows the agent's DN ringing now, so the agent is not available anyway: nothing
  // to serve.
  release(id, it->second);
}

void Router::deliveryFailed(ConnId id) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  Entry& entry = it->second;
  if (entry.phase != RoutingPhase::Delivering && entry.phase != RoutingPhase::Delivered) return;
  entry.phase = RoutingPhase::Delivered;
  cancelTimer(entry);
  kick(release(id, entry));
}

model::Status Router::recall(ConnId id) {
  auto it = calls_.find(id);
  if (it == calls_.end()) {
    if (model_.findCall(id) == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
    return makeError(ErrorCode::InvalidCallState, "not routed by this server");
  }
  Entry& entry = it->second;
  if (entry.phase != RoutingPhase::Delivering && entry.phase != RoutingPhase::Delivered) {
    return makeError(ErrorCode::InvalidCallState, "still on routing point " + entry.rp);
  }
  const model::Call* call = model_.findCall(id);
  if (call == nullptr) {
    forget(id);
    return makeError(ErrorCode::UnknownCall, id.str());
  }
  if (call->findParty(entry.rp) == nullptr) {
    if (auto status = model_.routeRequest(id, entry.rp); !status) return status;
  }
  cancelTimer(entry);
  const std::string released = release(id, entry);
  entry.targetDn.clear();
  entry.recalled = true;
  startRouting(id, entry);
  // After the recalled call had its pick: the agent may serve the calls behind it.
  kick(released);
  return model::ok();
}

void Router::callEnded(ConnId id) {
  forget(id);
}

// --- internals ---

void Router::startRouting(ConnId id, Entry& entry) {
  // Without a default target the call waits for a router even if none is registered yet (one
  // may register and RouteCall it); the route timeout bounds the wait either way.
  const model::Dn* dn = model_.findDn(entry.rp);
  const bool hasDefault = dn != nullptr && !dn->options.targetGroup.empty();
  if (presence_.hasRouter(entry.rp) || !hasDefault) {
    entry.phase = RoutingPhase::WaitingRouter;
    startTimer(id, entry, options_.routeTimeout);
    return;
  }
  runDefault(id, RouteFailure::NoTarget);
}

std::optional<Router::DefaultTarget> Router::defaultTarget(std::string_view rpDn) const {
  const model::Dn* dn = model_.findDn(rpDn);
  if (dn == nullptr || dn->options.targetGroup.empty()) return std::nullopt;
  DefaultTarget target;
  target.group = model_.findGroup(dn->options.targetGroup);
  const std::string& name =
      dn->options.strategy.empty() ? options_.defaultStrategy : dn->options.strategy;
  target.strategy = strategies_.find(name);
  // A name the registry does not know fails loudly (no-target) rather than routing calls some
  // other way than configured; the configuration check should have caught it.
  if (target.group == nullptr || target.strategy == nullptr) return std::nullopt;
  target.queueTimeout = dn->options.queueTimeout
                            ? std::chrono::duration_cast<util::Duration>(*dn->options.queueTimeout)
                            : options_.queueTimeout;
  return target;
}

void Router::fail(ConnId id, RouteFailure failure) {
  forget(id);
  handler_.onRouteFailed(id, failure);
}

void Router::forget(ConnId id) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  queues_.remove(id);
  cancelTimer(it->second);
  const std::string released = release(id, it->second);
  calls_.erase(it);
  kick(released);
}

void Router::reserve(ConnId id, Entry& entry, const std::string& agentId) {
  // Another call holding the agent keeps it: only the holder's report releases it.
  if (reserved_.try_emplace(agentId, id).second) entry.agentId = agentId;
}

std::string Router::release(ConnId id, Entry& entry) {
  std::string agentId = std::move(entry.agentId);
  entry.agentId.clear();
  if (agentId.empty()) return {};
  auto it = reserved_.find(agentId);
  if (it != reserved_.end() && it->second == id) reserved_.erase(it);
  return agentId;
}

void Router::kick(const std::string& agentId) {
  if (agentId.empty()) return;
  const model::Agent* agent = model_.findAgent(agentId);
  if (agent != nullptr && model_.isAvailable(*agent)) onAgentAvailable(*agent);
}

void Router::startTimer(ConnId id, Entry& entry, util::Duration after) {
  cancelTimer(entry);
  if (after <= util::Duration::zero()) return;
  const std::uint64_t token = nextToken_++;
  entry.timerToken = token;
  entry.timer = timers_.schedule(after, [this, id, token] { onTimer(id, token); });
}

void Router::cancelTimer(Entry& entry) {
  if (entry.timer != 0) timers_.cancel(entry.timer);
  entry.timer = 0;
  entry.timerToken = 0;
}

void Router::onTimer(ConnId id, std::uint64_t token) {
  auto it = calls_.find(id);
  if (it == calls_.end() || it->second.timerToken != token) return;
  Entry& entry = it->second;
  entry.timer = 0;
  entry.timerToken = 0;
  switch (entry.phase) {
    case RoutingPhase::WaitingRouter:
      // The router did not answer: the default target runs as if none were registered.
      runDefault(id, RouteFailure::RouteTimeout);
      break;
    case RoutingPhase::Queued:
      if (model_.findCall(id) == nullptr) {
        forget(id);  // ended without callEnded: nothing to overflow
      } else {
        fail(id, RouteFailure::QueueTimeout);
      }
      break;
    case RoutingPhase::Delivering:
      // No report in time: stop holding the agent back; the call stays known for a recall.
      entry.phase = RoutingPhase::Delivered;
      kick(release(id, entry));
      break;
    case RoutingPhase::Delivered:
      break;
  }
}

}  // namespace ccsip::routing
