#include "routing/strategy_registry.h"

#include "routing/longest_idle_strategy.h"

namespace ccsip::routing {

StrategyRegistry StrategyRegistry::withBuiltins() {
  StrategyRegistry registry;
  registry.add(std::make_unique<LongestIdleStrategy>());
  return registry;
}

bool StrategyRegistry::add(std::unique_ptr<RoutingStrategy> strategy) {
  if (strategy == nullptr || find(strategy->name()) != nullptr) return false;
  strategies_.push_back(std::move(strategy));
  return true;
}

const RoutingStrategy* StrategyRegistry::find(std::string_view name) const {
  for (const auto& strategy : strategies_) {
    if (strategy->name() == name) return strategy.get();
  }
  return nullptr;
}

std::vector<std::string> StrategyRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& strategy : strategies_) out.emplace_back(strategy->name());
  return out;
}

}  // namespace ccsip::routing
