#include "routing/longest_idle_strategy.h"

namespace ccsip::routing {

const model::Agent* LongestIdleStrategy::select(const SelectionContext& context) const {
  // The model keeps the group's available members ordered by idleSince (ties: the member listed
  // first), so the first eligible one is the pick: only members reserved for a call being
  // delivered are passed over, never the whole group.
  const auto* members = context.model.availableMembers(context.group.name);
  if (members == nullptr) return nullptr;
  for (const model::AvailabilityIndex::Entry& entry : *members) {
    if (context.eligibility.eligible(*entry.agent)) return entry.agent;
  }
  return nullptr;
}

}  // namespace ccsip::routing
