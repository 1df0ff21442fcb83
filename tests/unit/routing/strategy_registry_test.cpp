#include "routing/strategy_registry.h"

#include <gtest/gtest.h>

#include "routing/longest_idle_strategy.h"
#include "routing/route_reason.h"
#include "routing_test_support.h"

namespace ccsip::routing::test {
namespace {

using namespace std::chrono_literals;

TEST(StrategyRegistry, BuiltinsAreRegisteredByName) {
  const StrategyRegistry registry = StrategyRegistry::withBuiltins();
  EXPECT_EQ(registry.names(), std::vector<std::string>{"longest-idle"});
  ASSERT_NE(registry.find("longest-idle"), nullptr);
  EXPECT_EQ(registry.find("longest-idle")->name(), "longest-idle");
  EXPECT_EQ(registry.find("round-robin"), nullptr);
}

TEST(RouteReason, WireNames) {
  EXPECT_EQ(toString(RouteReason::RouteCall), "route-call");
  EXPECT_EQ(toString(RouteReason::Strategy), "strategy");
  EXPECT_EQ(toString(RouteReason::Queue), "queue");
  EXPECT_EQ(toString(RouteFailure::NoTarget), "no-target");
  EXPECT_EQ(toString(RouteFailure::QueueTimeout), "queue-timeout");
  EXPECT_EQ(toString(RouteFailure::RouteTimeout), "route-timeout");
}

// Eligibility from a list, so the strategy is tested apart from the router.
class Only final : public AgentEligibility {
 public:
  explicit Only(std::vector<std::string> ids) : ids_(std::move(ids)) {}
  bool eligible(const model::Agent& agent) const override {
    return std::find(ids_.begin(), ids_.end(), agent.agentId) != ids_.end();
  }

 private:
  std::vector<std::string> ids_;
};

class LongestIdleTest : public model::test::ModelTest {};

TEST_F(LongestIdleTest, PicksTheEligibleMemberIdleLongest) {
  loginReady("a1002");
  clock_.advance(1s);
  loginReady("a1001");
  clock_.advance(1s);
  loginReady("a1000");
  const model::Group& sales = *model_.findGroup("sales");
  LongestIdleStrategy strategy;
  auto pick = [&](std::vector<std::string> ids) {
    const Only only(std::move(ids));
    const model::Agent* agent = strategy.select(SelectionContext{model_, sales, ConnId{1}, only});
    return agent == nullptr ? std::string("-") : agent->agentId;
  };
  EXPECT_EQ(pick({"a1000", "a1001", "a1002"}), "a1002");
  EXPECT_EQ(pick({"a1000", "a1001"}), "a1001");
  EXPECT_EQ(pick({"a1003"}), "-");  // not a member of sales
  EXPECT_EQ(pick({}), "-");
}

}  // namespace
}  // namespace ccsip::routing::test
