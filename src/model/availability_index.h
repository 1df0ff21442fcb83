#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/agent.h"
#include "model/clock.h"

namespace ccsip::model {

// The available members of every agent group, ordered as the longest-idle pick wants them:
// earliest idleSince first, a tie to the member listed first in the group. The model keeps it
// up to date wherever availability (CallModel::isAvailable) or idleSince may change, so a pick
// reads the front of one ordered set instead of every member of the group (DESIGN.md "Agent
// availability and presence": thousands of agents, thousands of calls per second).
//
// Agents are held by address: CallModel keeps them in a node-based map (stable addresses) and
// calls forget() before erasing one. Group memberships come from rebuild(), at every
// configuration apply.
class AvailabilityIndex {
 public:
  // One available member: what orders it, and who it is.
  struct Entry {
    WallClock::TimePoint idleSince;
    std::uint32_t position = 0;  // in the group's member list (ties: the first listed wins)
    const Agent* agent = nullptr;
    bool operator<(const Entry& other) const {
      return idleSince != other.idleSince ? idleSince < other.idleSince : position < other.position;
    }
  };
  using Members = std::set<Entry>;

  // The groups (members: agent ids in configuration order); `findAgent` resolves an id
  // (nullptr: no such agent, the member is skipped). Every agent starts out unavailable:
  // update() each one afterwards.
  void rebuild(const std::vector<const Group*>& groups,
               const std::function<const Agent*(std::string_view)>& findAgent);
  // The agent is available (with its current idleSince) or not. Cheap when nothing changed;
  // an agent of no group is ignored.
  void update(const Agent& agent, bool available);
  // The agent goes away (erased from the model).
  void forget(const Agent& agent);

  // The available members of `group`, longest idle first; nullptr: no such group.
  const Members* available(std::string_view group) const;
  // Whether the agent is held as available (in every group it belongs to).
  bool isIndexed(const Agent& agent) const;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct Membership {
    Members* group = nullptr;
    std::uint32_t position = 0;
  };
  struct AgentRecord {
    std::vector<Membership> memberships;
    bool indexed = false;
    WallClock::TimePoint since{};  // the idleSince it is indexed under
  };
  void unindex(const Agent& agent, AgentRecord& record);

  std::unordered_map<std::string, Members, StringHash, std::equal_to<>> groups_;
  std::unordered_map<const Agent*, AgentRecord> agents_;
};

}  // namespace ccsip::model
