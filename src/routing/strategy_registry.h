#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "routing/strategy.h"

namespace ccsip::routing {

// The embedded strategies by name: a routing point names one in its configuration
// (model::DnOptions::strategy). Built-ins: "longest-idle".
class StrategyRegistry {
 public:
  // A registry holding the built-in strategies.
  static StrategyRegistry withBuiltins();

  // Adds `strategy` under its name(); false (and nothing changes) if the name is taken.
  bool add(std::unique_ptr<RoutingStrategy> strategy);
  // nullptr: no strategy of that name.
  const RoutingStrategy* find(std::string_view name) const;
  // For configuration checks and error messages, in registration order.
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<RoutingStrategy>> strategies_;  // a handful: a scan is enough
};

}  // namespace ccsip::routing
