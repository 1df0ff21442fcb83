#include <algorithm>

#include "routing/router.h"

// The default target of a routing point: strategy selection, the per-group FIFO queues, and
// serving them when agents become available.

namespace ccsip::routing {

using model::ConnId;

void Router::runDefault(ConnId id, RouteFailure noTarget) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  Entry& entry = it->second;
  const auto target = defaultTarget(entry.rp);
  if (!target) {
    fail(id, noTarget);
    return;
  }
  entry.group = target->group->name;
  entry.strategy = target->strategy;
  // Nobody of the group is logged in, so nobody becomes available but by logging in. A routing
  // point with an overflow sends the call there now (the seed's "a group that does not have
  // any currently available agents": its voicemail); without one it waits for a login.
  const model::Dn* rp = model_.findDn(entry.rp);
  if (rp != nullptr && !rp->options.noAnswerOverflow.empty() && !anyLoggedIn(*target->group)) {
    fail(id, RouteFailure::NoAgent);
    return;
  }
  // Straight to an agent only when nobody waits before this call (FIFO per group).
  const bool othersWaiting = queues_.size(entry.group) > 0;
  if (!othersWaiting) {
    if (const model::Agent* agent = select(id, entry); agent != nullptr) {
      deliver(id, *agent, RouteReason::Strategy);
      return;
    }
  }
  if (entry.recalled) {
    queues_.pushFront(entry.group, id);
  } else {
    queues_.pushBack(entry.group, id);
  }
  entry.phase = RoutingPhase::Queued;
  startTimer(id, entry, target->queueTimeout);
  if (!model_.queued(id, entry.rp)) {
    forget(id);  // the call is no longer on its routing point: nothing to queue
    return;
  }
  // Normally nobody is eligible while calls wait; but a reservation may have just ended.
  if (othersWaiting) dispatch({entry.group});
}

bool Router::anyLoggedIn(const model::Group& group) const {
  return std::any_of(group.members.begin(), group.members.end(), [this](const std::string& id) {
    const model::Agent* agent = model_.findAgent(id);
    return agent != nullptr && agent->loggedIn();
  });
}

const model::Agent* Router::select(ConnId id, const Entry& entry) const {
  const model::Group* group = model_.findGroup(entry.group);
  if (group == nullptr || entry.strategy == nullptr) return nullptr;  // dropped by a reload
  return entry.strategy->select(SelectionContext{model_, *group, id, *this});
}

bool Router::deliver(ConnId id, const model::Agent& agent, RouteReason reason) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return false;
  Entry& entry = it->second;
  // Copies: `agent` lives in the model, which changes below.
  const std::string agentId = agent.agentId;
  const std::string dn = agent.dn;
  queues_.remove(id);
  cancelTimer(entry);
  if (!model_.diverted(id, entry.rp, dn)) {
    // The call left its routing point behind the router's back (ended without callEnded).
    forget(id);
    return false;
  }
  entry.phase = RoutingPhase::Delivering;
  entry.targetDn = dn;
  entry.recalled = false;
  reserve(id, entry, agentId);
  startTimer(id, entry, options_.reservationTimeout);
  handler_.onRouteTo(id, dn, reason);
  return true;
}

void Router::onAgentAvailable(const model::Agent& agent) {
  if (queues_.size() == 0 || reserved_.contains(agent.agentId)) return;
  std::vector<std::string> groups;
  for (std::string& name : queues_.groups()) {
    const model::Group* group = model_.findGroup(name);
    if (group == nullptr) continue;
    const auto& members = group->members;
    if (std::find(members.begin(), members.end(), agent.agentId) != members.end()) {
      groups.push_back(std::move(name));
    }
  }
  dispatch(std::move(groups));
}

void Router::onAgentLoggedOut(std::string_view agentId) {
  if (queues_.size() == 0) return;
  // The ids first: each failure calls the handler, which may call back in (callEnded).
  std::vector<ConnId> orphaned;
  for (const std::string& name : queues_.groups()) {
    const model::Group* group = model_.findGroup(name);
    if (group == nullptr || anyLoggedIn(*group)) continue;
    const auto& members = group->members;
    if (std::find(members.begin(), members.end(), agentId) == members.end()) continue;
    for (const ConnId id : queues_.calls(name)) {
      auto it = calls_.find(id);
      if (it == calls_.end()) continue;
      // The same rule as runDefault(): only a routing point with an overflow gives up.
      const model::Dn* rp = model_.findDn(it->second.rp);
      if (rp != nullptr && !rp->options.noAnswerOverflow.empty()) orphaned.push_back(id);
    }
  }
  for (const ConnId id : orphaned) {
    if (queues_.contains(id)) fail(id, RouteFailure::NoAgent);
  }
}

void Router::dispatch(std::vector<std::string> groups) {
  // The group whose front call waits longest goes first, while any of them can be served.
  // Every round removes a call from a queue or drops a group, so this ends.
  while (true) {
    std::erase_if(groups, [this](const std::string& group) { return queues_.size(group) == 0; });
    if (groups.empty()) return;
    auto best = std::min_element(
        groups.begin(), groups.end(), [this](const std::string& a, const std::string& b) {
          return queues_.rank(*queues_.front(a)) < queues_.rank(*queues_.front(b));
        });
    if (!dispatchFront(*best)) groups.erase(best);
  }
}

bool Router::dispatchFront(std::string_view group) {
  const auto front = queues_.front(group);
  if (!front) return false;
  const ConnId id = *front;
  auto it = calls_.find(id);
  if (it == calls_.end() || model_.findCall(id) == nullptr) {
    forget(id);
    queues_.remove(id);
    return true;
  }
  // Strict FIFO: when the front call finds nobody, the calls behind it would not either
  // (RoutingStrategy's contract).
  const model::Agent* agent = select(id, it->second);
  if (agent == nullptr) return false;
  deliver(id, *agent, RouteReason::Queue);
  return true;
}

}  // namespace ccsip::routing
