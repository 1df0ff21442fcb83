#include <algorithm>

#include "config/config.h"

namespace ccsip::config {

namespace {

template <class T, class Key>
const T* findBy(const std::vector<T>& items, std::string_view wanted, Key key) {
  auto it =
      std::find_if(items.begin(), items.end(), [&](const T& item) { return key(item) == wanted; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const DnConfig* Config::findDn(std::string_view dn) const {
  return findBy(dns, dn, [](const DnConfig& d) -> const std::string& { return d.dn; });
}

const AgentConfig* Config::findAgent(std::string_view id) const {
  return findBy(agents, id, [](const AgentConfig& a) -> const std::string& { return a.id; });
}

const GroupConfig* Config::findGroup(std::string_view name) const {
  return findBy(groups, name, [](const GroupConfig& g) -> const std::string& { return g.name; });
}

}  // namespace ccsip::config
