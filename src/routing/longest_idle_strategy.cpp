#include "routing/longest_idle_strategy.h"

namespace ccsip::routing {

const model::Agent* LongestIdleStrategy::select(const SelectionContext& context) const {
  const model::Agent* best = nullptr;
  for (const std::string& member : context.group.members) {
    const model::Agent* agent = context.model.findAgent(member);
    if (agent == nullptr) continue;
    // Strictly earlier only: on a tie the member listed first keeps its place. This cheap test
    // goes first: eligibility looks up the agent's DN and device state, and a member that
    // cannot beat the best so far need not be asked (same choice, a fraction of the lookups).
    if (best != nullptr && !(agent->idleSince < best->idleSince)) continue;
    if (context.eligibility.eligible(*agent)) best = agent;
  }
  return best;
}

}  // namespace ccsip::routing
