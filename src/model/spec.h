#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/agent.h"
#include "model/dn.h"

namespace ccsip::model {

// The configuration the model is built from: plain structs the config layer fills (the model
// never reads YAML). Validation (duplicates, unknown references) is the config layer's job;
// the model tolerates what it cannot use and says so in ApplyReport::warnings.
struct DnSpec {
  std::string dn;
  DnType type = DnType::Extension;
  DnOptions options;
};

struct AgentSpec {
  std::string agentId;
  AgentOptions options;
};

using GroupSpec = Group;

struct ModelSpec {
  std::vector<DnSpec> dns;
  std::vector<AgentSpec> agents;
  std::vector<GroupSpec> groups;
};

// What CallModel::apply did. "Removing" items are gone from the configuration but still carry
// calls (DNs) or sit on a DN with calls (agents): they go away once idle, no call is dropped.
struct ApplyReport {
  std::size_t dnsAdded = 0;
  std::size_t dnsUpdated = 0;
  std::size_t dnsRemoved = 0;   // gone now
  std::size_t dnsRemoving = 0;  // go out of service when their last call ends
  std::size_t agentsAdded = 0;
  std::size_t agentsUpdated = 0;
  std::size_t agentsRemoved = 0;
  std::size_t agentsRemoving = 0;
  std::size_t groups = 0;
  std::vector<std::string> warnings;
};

}  // namespace ccsip::model
