#include <gtest/gtest.h>

#include "routing_test_support.h"

// A routing point whose target group has nobody logged in (the seed's "a group that does not
// have any currently available agents ... the voicemail box associated with the Agent Group").

namespace ccsip::routing::test {
namespace {

using namespace std::chrono_literals;

class RouterNoAgentTest : public RouterTest {
 protected:
  // Routing point 5000 (group sales) overflows to the group's box.
  void withOverflow(std::string overflow = "voicemail:sales") {
    model::ModelSpec spec = routingSpec();
    for (model::DnSpec& dn : spec.dns) {
      if (dn.dn == "5000") dn.options.noAnswerOverflow = overflow;
    }
    model_.apply(spec);
    sink_.clear();
  }
};

TEST_F(RouterNoAgentTest, NobodyLoggedInWithAnOverflowFailsAtOnce) {
  withOverflow();
  const ConnId id = arrive();
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeFailed(id, RouteFailure::NoAgent)});
  expectNothingLeft();
  // Still on the routing point: the control layer's overflow diverts it from there.
  EXPECT_NE(model_.findCall(id)->findParty("5000"), nullptr);
}

TEST_F(RouterNoAgentTest, NobodyLoggedInWithoutAnOverflowWaitsForALogin) {
  const ConnId id = arrive();
  EXPECT_TRUE(handler_.decisions.empty());
  EXPECT_EQ(router_.queue("sales"), std::vector<ConnId>{id});
  loginReady("a1000");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1000", RouteReason::Queue)});
}

TEST_F(RouterNoAgentTest, ALoggedInMemberWhoIsNotReadyKeepsTheCallQueued) {
  withOverflow();
  loginNotReady("a1001");
  const ConnId id = arrive();
  EXPECT_TRUE(handler_.decisions.empty());
  EXPECT_EQ(router_.queue("sales"), std::vector<ConnId>{id});
  // Until the queue timeout: then the overflow.
  timers_.advance(60s);
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeFailed(id, RouteFailure::QueueTimeout)});
}

TEST_F(RouterNoAgentTest, ARecalledCallWhoseLastAgentLoggedOutFailsToo) {
  withOverflow("release");
  loginReady("a1000");
  const ConnId id = arrive();
  ASSERT_EQ(handler_.decisions.back(), routeTo(id, "1000", RouteReason::Strategy));
  ring(id, "1000");
  ASSERT_TRUE(model_.partyReleased(id, "1000", "no-answer").ok());
  ASSERT_TRUE(model_.agentLogout(model::AgentRequest{"a1000", "", nullptr}).ok());
  ASSERT_TRUE(router_.recall(id).ok());
  EXPECT_EQ(handler_.decisions.back(), routeFailed(id, RouteFailure::NoAgent));
  expectNothingLeft();
}

// The seed's "a group with no logged-in agent": calls queued while a NotReady member was logged
// in go to the overflow when the last logged-in member logs out, in queue order.
TEST_F(RouterNoAgentTest, TheLastLoggedInMemberLoggingOutFailsTheQueuedCalls) {
  withOverflow();
  loginNotReady("a1001");
  loginNotReady("a1002");
  const ConnId first = arrive();
  const ConnId second = arrive();
  ASSERT_EQ(router_.queue("sales"), (std::vector<ConnId>{first, second}));
  ASSERT_TRUE(model_.agentLogout(model::AgentRequest{"a1001", "", nullptr}).ok());
  EXPECT_TRUE(handler_.decisions.empty()) << "a1002 is still logged in";
  ASSERT_TRUE(model_.agentLogout(model::AgentRequest{"a1002", "", nullptr}).ok());
  EXPECT_EQ(handler_.decisions,
            (std::vector<Decision>{routeFailed(first, RouteFailure::NoAgent),
                                   routeFailed(second, RouteFailure::NoAgent)}));
  expectNothingLeft();
}

// Without an overflow the calls wait for a login, as calls arriving then do.
TEST_F(RouterNoAgentTest, WithoutAnOverflowQueuedCallsOutliveTheLastLogout) {
  loginNotReady("a1001");
  const ConnId id = arrive();
  ASSERT_TRUE(model_.agentLogout(model::AgentRequest{"a1001", "", nullptr}).ok());
  EXPECT_TRUE(handler_.decisions.empty());
  EXPECT_EQ(router_.queue("sales"), std::vector<ConnId>{id});
  loginReady("a1000");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1000", RouteReason::Queue)});
}

TEST(RouteReasonNames, NoAgent) {
  EXPECT_EQ(toString(RouteFailure::NoAgent), "no-agent");
}

}  // namespace
}  // namespace ccsip::routing::test
