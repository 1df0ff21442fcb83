#include <unordered_set>

#include "model/model.h"

// Configuration apply and reload (DESIGN.md "Configuration": reload never drops a call).

namespace ccsip::model {

ApplyReport CallModel::apply(const ModelSpec& spec) {
  ApplyReport report;

  std::unordered_set<std::string> wantedDns;
  for (const DnSpec& dnSpec : spec.dns) {
    if (dnSpec.dn.empty()) {
      report.warnings.push_back("a DN without a number was ignored");
      continue;
    }
    if (!wantedDns.insert(dnSpec.dn).second) {
      report.warnings.push_back("DN " + dnSpec.dn + " listed twice: the last entry counts");
    }
    if (Dn* dn = dnOf(dnSpec.dn); dn != nullptr) {
      const bool restored = dn->removed;
      if (restored) setDnRemoved(*dn, false);
      if (dn->type != dnSpec.type || dn->options != dnSpec.options) {
        putDn(dnSpec);
        ++report.dnsUpdated;
      } else if (restored) {
        ++report.dnsUpdated;
      }
    } else {
      putDn(dnSpec);
      ++report.dnsAdded;
    }
  }
  std::vector<std::string> droppedDns;
  for (auto& [name, dn] : dns_) {
    if (!dn.removed && !wantedDns.contains(name)) droppedDns.push_back(name);
  }
  for (const std::string& name : droppedDns) setDnRemoved(*dnOf(name), true);

  std::unordered_set<std::string> wantedAgents;
  for (const AgentSpec& agentSpec : spec.agents) {
    if (agentSpec.agentId.empty()) {
      report.warnings.push_back("an agent without an id was ignored");
      continue;
    }
    wantedAgents.insert(agentSpec.agentId);
    if (!agentSpec.options.defaultDn.empty() && !wantedDns.contains(agentSpec.options.defaultDn)) {
      report.warnings.push_back("agent " + agentSpec.agentId + ": unknown default DN " +
                                agentSpec.options.defaultDn);
    }
    if (Agent* agent = agentOf(agentSpec.agentId); agent != nullptr) {
      const bool restored = agent->removed;
      if (restored) setAgentRemoved(*agent, false);
      if (agent->options != agentSpec.options) {
        putAgent(agentSpec);
        ++report.agentsUpdated;
      } else if (restored) {
        ++report.agentsUpdated;
      }
    } else {
      putAgent(agentSpec);
      ++report.agentsAdded;
    }
  }
  std::vector<std::string> droppedAgents;
  for (auto& [id, agent] : agents_) {
    if (!agent.removed && !wantedAgents.contains(id)) droppedAgents.push_back(id);
  }
  for (const std::string& id : droppedAgents) setAgentRemoved(*agentOf(id), true);

  for (const GroupSpec& group : spec.groups) {
    for (const std::string& member : group.members) {
      if (!wantedAgents.contains(member)) {
        report.warnings.push_back("group " + group.name + ": unknown agent " + member);
      }
    }
  }
  putGroups(spec.groups);
  report.groups = groups_.size();

  // What is idle goes now; the rest when its last call ends (dnCallEnded).
  for (const std::string& id : droppedAgents) {
    const Agent* agent = findAgent(id);
    if (agent != nullptr && agent->loggedIn()) {
      settleRemoval(agent->dn);
    } else {
      settleAgentRemoval(id);
    }
  }
  for (const std::string& name : droppedDns) settleRemoval(name);
  for (const std::string& name : droppedDns) {
    ++(findDn(name) == nullptr ? report.dnsRemoved : report.dnsRemoving);
  }
  for (const std::string& id : droppedAgents) {
    ++(findAgent(id) == nullptr ? report.agentsRemoved : report.agentsRemoving);
  }
  rebuildMailboxIndex();

  // New group members or routing-point settings may serve calls already waiting. The ids are
  // copied first: an observer may call back into the model.
  if (availability_ != nullptr) {
    std::vector<std::string> available;
    for (const auto& [id, agent] : agents_) {
      if (isAvailable(agent)) available.push_back(agent.dn);
    }
    for (const std::string& dn : available) notifyIfAvailable(dn);
  }
  return report;
}

}  // namespace ccsip::model
