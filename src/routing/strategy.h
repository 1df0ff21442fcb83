#pragma once

#include <string_view>

#include "model/agent.h"
#include "model/conn_id.h"
#include "model/model.h"

namespace ccsip::routing {

// Whether an agent may be offered a call now: available in the model and not reserved for a
// call being delivered. The router implements it; strategies only ask.
class AgentEligibility {
 public:
  virtual ~AgentEligibility() = default;
  virtual bool eligible(const model::Agent& agent) const = 0;
};

struct SelectionContext {
  const model::CallModel& model;
  const model::Group& group;  // the routing point's target group
  model::ConnId connId;       // the call to deliver (its user data may steer a strategy)
  const AgentEligibility& eligibility;
};

// An embedded routing strategy (a plug-in, registered by name in a StrategyRegistry).
class RoutingStrategy {
 public:
  virtual ~RoutingStrategy() = default;
  virtual std::string_view name() const = 0;
  // One eligible member of context.group, or nullptr. Contract the queue relies on: nullptr only
  // when no member is eligible, so a call that finds nobody means the calls behind it in the
  // same queue would find nobody either (strict FIFO). Must not change anything.
  virtual const model::Agent* select(const SelectionContext& context) const = 0;
};

}  // namespace ccsip::routing
