#include <gtest/gtest.h>

#include <deque>

#include "routing/router.h"
#include "routing_test_support.h"

namespace ccsip::routing::test {
namespace {

using namespace std::chrono_literals;
using Names = std::vector<std::string>;

TEST_F(RouterTest, NoAgentQueuesTheCallUntilOneBecomesReady) {
  loginNotReady("a1001");
  const ConnId id = arrive();
  EXPECT_EQ(sink_.names(), (Names{"EventRouteRequest", "EventQueued"}));
  EXPECT_EQ(sink_.events[1].dns, Names{"5000"});
  EXPECT_EQ(field(sink_.events[1], "connId"), id.str());
  EXPECT_TRUE(handler_.decisions.empty());
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::Queued);
  EXPECT_EQ(router_.queue("sales"), std::vector<ConnId>{id});

  sink_.clear();
  setReady("a1001");
  EXPECT_EQ(sink_.names(), (Names{"EventAgentReady", "EventDiverted"}));
  EXPECT_EQ(field(sink_.events[1], "thirdPartyDN"), "1001");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1001", RouteReason::Queue)});
  EXPECT_EQ(router_.queuedCalls(), 0u);

  sink_.clear();
  ring(id, "1001");
  talkAndHangUp(id, "1001");
  EXPECT_EQ(sink_.names(), (Names{"EventRinging", "EventEstablished", "EventReleased"}));
  EXPECT_EQ(field(sink_.events[0], "thirdPartyDN"), "5000");
  expectNothingLeft();
}

TEST_F(RouterTest, AgentLoggingInReadyServesTheQueue) {
  const ConnId id = arrive();
  loginReady("a1002");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1002", RouteReason::Queue)});
}

TEST_F(RouterTest, QueuedCallsAreServedInArrivalOrder) {
  loginNotReady("a1000");
  loginNotReady("a1001");
  loginNotReady("a1002");
  const ConnId c1 = arrive("5000", "5550001");
  const ConnId c2 = arrive("5000", "5550002");
  const ConnId c3 = arrive("5000", "5550003");
  EXPECT_EQ(router_.queue("sales"), (std::vector<ConnId>{c1, c2, c3}));

  setReady("a1002");
  setReady("a1000");
  // a1001 comes back from a call rather than from NotReady: same thing for the queue.
  setReady("a1001");
  EXPECT_EQ(handler_.decisions, (std::vector<Decision>{routeTo(c1, "1002", RouteReason::Queue),
                                                       routeTo(c2, "1000", RouteReason::Queue),
                                                       routeTo(c3, "1001", RouteReason::Queue)}));
}

TEST_F(RouterTest, CallsArrivingWhileTheOnlyAgentIsReservedWaitInOrder) {
  loginNotReady("a1000");
  const ConnId c1 = arrive();
  setReady("a1000");
  ASSERT_EQ(handler_.decisions.back(), routeTo(c1, "1000", RouteReason::Queue));
  const ConnId c2 = arrive();
  const ConnId c3 = arrive();
  router_.deliveryFailed(c1);  // a1000 free again
  EXPECT_EQ(handler_.decisions.back(), routeTo(c2, "1000", RouteReason::Queue));
  EXPECT_EQ(router_.queue("sales"), std::vector<ConnId>{c3});
}

TEST_F(RouterTest, QueueTimeoutReportsTheFailure) {
  const ConnId id = arrive();
  timers_.advance(59s);
  EXPECT_TRUE(handler_.decisions.empty());
  timers_.advance(1s);
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeFailed(id, RouteFailure::QueueTimeout)});
  expectNothingLeft();
  // Still on the routing point for the control layer's overflow (e.g. voicemail).
  sink_.clear();
  ASSERT_TRUE(model_.diverted(id, "5000", "6000").ok());
  EXPECT_EQ(sink_.names(), Names{"EventDiverted"});
  // An agent coming now finds nothing to serve.
  loginReady("a1000");
  EXPECT_EQ(handler_.decisions.size(), 1u);
}

TEST_F(RouterTest, RouterDefaultQueueTimeoutAppliesWhenTheRoutingPointSetsNone) {
  const ConnId id = arrive("5002");  // support: no queue timeout of its own
  timers_.advance(299s);
  EXPECT_TRUE(handler_.decisions.empty());
  timers_.advance(1s);
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeFailed(id, RouteFailure::QueueTimeout)});
}

TEST_F(RouterTest, ZeroQueueTimeoutWaitsForever) {
  model::ModelSpec spec = routingSpec();
  for (model::DnSpec& dn : spec.dns) {
    if (dn.dn == "5000") dn.options.queueTimeout = std::chrono::seconds(0);
  }
  model_.apply(spec);
  const ConnId id = arrive();
  EXPECT_EQ(timers_.pending(), 0u);
  timers_.advance(24h);
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::Queued);
}

TEST_F(RouterTest, AbandonedCallLeavesTheQueue) {
  const ConnId c1 = arrive("5000", "5550001");
  const ConnId c2 = arrive("5000", "5550002");
  ASSERT_TRUE(model_.callAbandoned(c1).ok());
  router_.callEnded(c1);
  EXPECT_EQ(router_.queue("sales"), std::vector<ConnId>{c2});
  EXPECT_EQ(timers_.pending(), 1u);  // c2's queue timeout only
  loginReady("a1000");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(c2, "1000", RouteReason::Queue)});
}

TEST_F(RouterTest, CallThatVanishedWithoutCallEndedIsSkipped) {
  const ConnId c1 = arrive("5000", "5550001");
  const ConnId c2 = arrive("5000", "5550002");
  ASSERT_TRUE(model_.callAbandoned(c1).ok());  // nobody told the router
  loginReady("a1000");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(c2, "1000", RouteReason::Queue)});
  EXPECT_EQ(router_.phaseOf(c1), std::nullopt);
}

TEST_F(RouterTest, RecallPutsTheCallBackAtTheFrontOfItsQueue) {
  loginReady("a1000");
  loginNotReady("a1001");
  const ConnId c1 = arrive("5000", "5550001");
  ring(c1, "1000");
  const ConnId c2 = arrive("5000", "5550002");
  const ConnId c3 = arrive("5000", "5550003");
  ASSERT_EQ(router_.queue("sales"), (std::vector<ConnId>{c2, c3}));

  // No answer on 1000: back to the routing point, first in line; the agent who did not answer
  // goes NotReady (the control layer's no-answer action) before its leg is taken off.
  sink_.clear();
  ASSERT_TRUE(router_.recall(c1).ok());
  ASSERT_TRUE(model_.agentSetNotReady(model::AgentRequest{"a1000", "", nullptr}, {}).ok());
  ASSERT_TRUE(model_.partyReleased(c1, "1000").ok());
  EXPECT_EQ(sink_.names(),
            (Names{"EventRouteRequest", "EventQueued", "EventAgentNotReady", "EventReleased"}));
  EXPECT_EQ(router_.queue("sales"), (std::vector<ConnId>{c1, c2, c3}));
  EXPECT_EQ(router_.phaseOf(c1), RoutingPhase::Queued);

  setReady("a1001");
  EXPECT_EQ(handler_.decisions.back(), routeTo(c1, "1001", RouteReason::Queue));
  EXPECT_EQ(router_.queue("sales"), (std::vector<ConnId>{c2, c3}));
}

TEST_F(RouterTest, RecallWithAFreeAgentDeliversAgainAtOnce) {
  loginReady("a1000");
  clock_.advance(1s);
  loginReady("a1001");
  const ConnId id = arrive();
  ASSERT_EQ(handler_.decisions.back(), routeTo(id, "1000", RouteReason::Strategy));
  ring(id, "1000");
  // The control layer takes the unanswered leg off first this time: a1000, idle again only
  // from now on, comes after a1001.
  clock_.advance(1s);
  ASSERT_TRUE(model_.partyReleased(id, "1000").ok());
  ASSERT_TRUE(router_.recall(id).ok());
  EXPECT_EQ(handler_.decisions.back(), routeTo(id, "1001", RouteReason::Strategy));
}

TEST_F(RouterTest, RecallOnARoutingPointWithARouterAsksTheRouterAgain) {
  presence_.routers.insert("5000");
  const ConnId id = arrive();
  ASSERT_TRUE(router_.routeCallRequested(id, "1000").ok());
  ASSERT_TRUE(model_.partyRinging(id, "1000").ok());
  router_.delivered(id);
  const ConnId other = arrive();
  timers_.advance(10s);  // the router stays silent: `other` waits in the queue
  ASSERT_EQ(router_.queue("sales"), std::vector<ConnId>{other});

  sink_.clear();
  ASSERT_TRUE(router_.recall(id).ok());
  EXPECT_EQ(sink_.names(), Names{"EventRouteRequest"});
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::WaitingRouter);
  ASSERT_TRUE(model_.partyReleased(id, "1000").ok());
  // Silent again: the default target takes the recalled call, in front of `other`.
  timers_.advance(10s);
  EXPECT_EQ(router_.queue("sales"), (std::vector<ConnId>{id, other}));
}

TEST_F(RouterTest, AnAgentInTwoGroupsServesTheCallWaitingLongest) {
  loginNotReady("a1001");  // in sales and support
  const ConnId sales1 = arrive("5000");
  clock_.advance(1s);
  const ConnId support1 = arrive("5002");
  const ConnId sales2 = arrive("5000");
  setReady("a1001");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(sales1, "1001", RouteReason::Queue)});
  ring(sales1, "1001");
  talkAndHangUp(sales1, "1001");
  EXPECT_EQ(handler_.decisions.back(), routeTo(support1, "1001", RouteReason::Queue));
  ring(support1, "1001");
  talkAndHangUp(support1, "1001");
  EXPECT_EQ(handler_.decisions.back(), routeTo(sales2, "1001", RouteReason::Queue));
}

TEST_F(RouterTest, ReloadAddingAMemberServesTheQueue) {
  loginReady("a1003");  // not in sales
  const ConnId id = arrive();
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::Queued);
  model::ModelSpec spec = routingSpec();
  for (model::GroupSpec& group : spec.groups) {
    if (group.name == "sales") group.members.push_back("a1003");
  }
  model_.apply(spec);
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1003", RouteReason::Queue)});
}

// A control layer in miniature: rings every target, then talks and hangs up, one decision at a
// time; every 7th caller gives up while queued.
TEST_F(RouterTest, ThousandCallsThroughTheQueueLeaveNothingBehind) {
  loginReady("a1000");
  loginReady("a1001");
  loginReady("a1002");
  constexpr int kCalls = 1000;
  std::vector<ConnId> arrived;
  for (int i = 0; i < kCalls; ++i) arrived.push_back(arrive("5000", "555" + std::to_string(i)));
  EXPECT_EQ(router_.queuedCalls(), static_cast<std::size_t>(kCalls - 3));

  std::vector<ConnId> expected;  // FIFO: arrival order minus the abandoned
  for (int i = 0; i < kCalls; ++i) {
    if (i >= 3 && i % 7 == 0) {
      ASSERT_TRUE(model_.callAbandoned(arrived[i]).ok());
      router_.callEnded(arrived[i]);
    } else {
      expected.push_back(arrived[i]);
    }
  }

  std::vector<ConnId> served;
  std::size_t next = 0;
  while (next < handler_.decisions.size()) {
    const Decision decision = handler_.decisions[next++];
    ASSERT_TRUE(decision.reason.has_value());
    served.push_back(decision.id);
    const std::string caller = model_.findCall(decision.id)->originDn;
    ring(decision.id, decision.target);
    clock_.advance(1s);
    talkAndHangUp(decision.id, decision.target, caller);
  }
  EXPECT_EQ(served, expected);
  expectNothingLeft();
  const model::ServerInfo info = model_.queryServer();
  EXPECT_EQ(info.calls, 0u);
  EXPECT_EQ(info.parties, 0u);
}

}  // namespace
}  // namespace ccsip::routing::test
