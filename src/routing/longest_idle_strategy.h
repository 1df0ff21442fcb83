#pragma once

#include "routing/strategy.h"

namespace ccsip::routing {

// The eligible member idle the longest (model::Agent::idleSince: the last change to Ready or
// the end of the last call on its DN); a tie goes to the member listed first in the group.
class LongestIdleStrategy final : public RoutingStrategy {
 public:
  static constexpr std::string_view kName = "longest-idle";
  std::string_view name() const override { return kName; }
  const model::Agent* select(const SelectionContext& context) const override;
};

}  // namespace ccsip::routing
