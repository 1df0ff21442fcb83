#include "pbx/mwi_scope.h"

#include <algorithm>

namespace ccsip::pbx {

MwiScope mwiScopeFromConfig(const config::Config& config) {
  MwiScope scope;
  for (const config::DnConfig& dn : config.dns) {
    if (dn.type == config::DnType::Extension && !dn.mailbox.empty()) {
      scope.extensions.push_back(MwiScope::ExtensionBox{dn.dn, dn.mailbox});
    }
  }
  for (const config::AgentConfig& agent : config.agents) {
    if (!agent.mailbox.empty()) scope.agents[agent.id].own = agent.mailbox;
  }
  for (const config::GroupConfig& group : config.groups) {
    if (group.mailbox.empty()) continue;
    for (const std::string& member : group.members) {
      std::vector<std::string>& boxes = scope.agents[member].groups;
      if (std::find(boxes.begin(), boxes.end(), group.mailbox) == boxes.end()) {
        boxes.push_back(group.mailbox);
      }
    }
  }
  return scope;
}

}  // namespace ccsip::pbx
