#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"

namespace ccsip::pbx {

// What a mailbox is associated with: the Contact's tp= parameter of its SUBSCRIBE.
enum class MwiAssociation : std::uint8_t { Extension = 1, Agent = 2, Group = 3 };

// The seed's "MWI Subscription Scope", read from the configuration: which boxes exist for
// extensions (subscribed for the whole run when switch.mwi.extension-enable is true) and which
// boxes each agent's login opens (its own, and the box of each group it is a member of).
struct MwiScope {
  struct ExtensionBox {
    std::string dn;
    std::string mailbox;
  };
  struct AgentBoxes {
    std::string own;                  // "" = none
    std::vector<std::string> groups;  // the boxes of its groups, each once
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  std::vector<ExtensionBox> extensions;  // extension DNs with a mailbox
  std::unordered_map<std::string, AgentBoxes, Hash, std::equal_to<>> agents;  // only with boxes

  const AgentBoxes* boxesOf(std::string_view agentId) const {
    auto it = agents.find(agentId);
    return it == agents.end() ? nullptr : &it->second;
  }
};

MwiScope mwiScopeFromConfig(const config::Config& config);

}  // namespace ccsip::pbx
