#include "config/config.h"

namespace ccsip::config {

const DnConfig* Config::findDn(std::string_view dn) const {
  return dnIndex_.find(dns, dn);
}

const AgentConfig* Config::findAgent(std::string_view id) const {
  return agentIndex_.find(agents, id);
}

const GroupConfig* Config::findGroup(std::string_view name) const {
  return groupIndex_.find(groups, name);
}

}  // namespace ccsip::config
