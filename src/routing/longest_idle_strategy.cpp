#include "routing/longest_idle_strategy.h"

namespace ccsip::routing {

const model::Agent* LongestIdleStrategy::select(const SelectionContext& context) const {
  const model::Agent* best = nullptr;
  for (const std::string& member : context.group.members) {
    const model::Agent* agent = context.model.findAgent(member);
    if (agent == nullptr || !context.eligibility.eligible(*agent)) continue;
    // Strictly earlier only: on a tie the member listed first keeps its place.
    if (best == nullptr || agent->idleSince < best->idleSince) best = agent;
  }
  return best;
}

}  // namespace ccsip::routing
