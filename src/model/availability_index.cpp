#include "model/availability_index.h"

namespace ccsip::model {

void AvailabilityIndex::rebuild(const std::vector<const Group*>& groups,
                                const std::function<const Agent*(std::string_view)>& findAgent) {
  groups_.clear();
  agents_.clear();
  for (const Group* group : groups) {
    Members& members = groups_[group->name];
    for (std::size_t i = 0; i < group->members.size(); ++i) {
      const Agent* agent = findAgent(group->members[i]);
      if (agent == nullptr) continue;
      agents_[agent].memberships.push_back(Membership{&members, static_cast<std::uint32_t>(i)});
    }
  }
}

void AvailabilityIndex::update(const Agent& agent, bool available) {
  auto it = agents_.find(&agent);
  if (it == agents_.end()) return;
  AgentRecord& record = it->second;
  if (available == record.indexed && (!available || record.since == agent.idleSince)) return;
  unindex(agent, record);
  if (!available) return;
  for (const Membership& membership : record.memberships) {
    membership.group->insert(Entry{agent.idleSince, membership.position, &agent});
  }
  record.indexed = true;
  record.since = agent.idleSince;
}

void AvailabilityIndex::forget(const Agent& agent) {
  auto it = agents_.find(&agent);
  if (it == agents_.end()) return;
  unindex(agent, it->second);
  agents_.erase(it);
}

void AvailabilityIndex::unindex(const Agent& agent, AgentRecord& record) {
  if (!record.indexed) return;
  for (const Membership& membership : record.memberships) {
    membership.group->erase(Entry{record.since, membership.position, &agent});
  }
  record.indexed = false;
}

const AvailabilityIndex::Members* AvailabilityIndex::available(std::string_view group) const {
  auto it = groups_.find(group);
  return it == groups_.end() ? nullptr : &it->second;
}

bool AvailabilityIndex::isIndexed(const Agent& agent) const {
  auto it = agents_.find(&agent);
  return it != agents_.end() && it->second.indexed;
}

}  // namespace ccsip::model
