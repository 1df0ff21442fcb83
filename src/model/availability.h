#pragma once

#include <string_view>

#include "model/agent.h"

namespace ccsip::model {

// DESIGN.md "Agent availability and presence": the router waits for agents to become
// available (queued calls are delivered then), so the model tells it instead of being polled.
class AvailabilityObserver {
 public:
  virtual ~AvailabilityObserver() = default;
  // `agent` is available now (CallModel::isAvailable) after a fact that may have made it so:
  // Ready, login Ready, endpoint idle or back in service, the last call left its DN, a reload.
  // It may have been available before (a repeated AgentSetReady): observers must not assume a
  // transition. Called once the fact is complete and its events went out, so the observer may
  // call back into the model (unlike EventSink). `agent` is valid only during the call.
  virtual void onAgentAvailable(const Agent& agent) = 0;
  // `agentId` logged out by request (EventAgentLogout went out): a group may have no logged-in
  // member left, so calls waiting for one may go to its overflow (docs/call-flows.md "A routing
  // point that finds no agent"). Called like onAgentAvailable, once the logout is complete.
  virtual void onAgentLoggedOut(std::string_view agentId) {}
};

}  // namespace ccsip::model
