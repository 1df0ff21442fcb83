#include "routing/router.h"

#include <gtest/gtest.h>

#include "routing_test_support.h"

namespace ccsip::routing::test {
namespace {

using namespace std::chrono_literals;
using Names = std::vector<std::string>;

TEST_F(RouterTest, DeliversStraightToTheLongestIdleAvailableAgent) {
  loginReady("a1001");  // idle the longest
  clock_.advance(5s);
  loginReady("a1000");
  clock_.advance(5s);
  loginReady("a1002");

  const ConnId id = arrive();
  EXPECT_EQ(sink_.names(), (Names{"EventRouteRequest", "EventDiverted"}));
  EXPECT_EQ(field(sink_.events[1], "thisDN"), "5000");
  EXPECT_EQ(field(sink_.events[1], "thirdPartyDN"), "1001");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1001", RouteReason::Strategy)});
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::Delivering);
  EXPECT_TRUE(router_.isReserved("a1001"));

  ring(id, "1001");
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::Delivered);
  EXPECT_FALSE(router_.isReserved("a1001"));
  EXPECT_EQ(model_.findCall(id)->routedFrom, "5000");  // EventRinging names the routing point
  talkAndHangUp(id, "1001");
  expectNothingLeft();
}

TEST_F(RouterTest, TiesGoToTheMemberListedFirst) {
  loginReady("a1002");
  loginReady("a1000");  // same idle time: listed before a1002 in "sales"
  const ConnId id = arrive();
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1000", RouteReason::Strategy)});
}

TEST_F(RouterTest, SkipsNotReadyAgentsAndBusyEndpoints) {
  loginReady("a1000");  // idle the longest, but its phone is busy with a private call
  clock_.advance(1s);
  loginNotReady("a1001");
  clock_.advance(1s);
  loginReady("a1002");
  ASSERT_TRUE(model_.endpointBusy("1000").ok());  // presence: EventAgentNotReady endpoint-busy
  sink_.clear();

  const ConnId first = arrive();
  EXPECT_EQ(handler_.decisions,
            std::vector<Decision>{routeTo(first, "1002", RouteReason::Strategy)});
  ring(first, "1002");

  // Nobody left: the next call waits, and goes to a1000 once its phone is idle again (presence
  // makes it Ready by itself).
  const ConnId second = arrive();
  EXPECT_EQ(router_.phaseOf(second), RoutingPhase::Queued);
  sink_.clear();
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(sink_.names(), (Names{"EventAgentReady", "EventDiverted"}));
  EXPECT_EQ(handler_.decisions.back(), routeTo(second, "1000", RouteReason::Queue));
}

TEST_F(RouterTest, AnAgentWhoseDnCarriesACallIsSkipped) {
  loginReady("a1000");
  clock_.advance(1s);
  loginReady("a1001");
  model::NewCall internal;
  internal.originDn = "1000";
  internal.dialledDn = "1003";
  ASSERT_TRUE(model_.callCreated(internal).ok());  // a1000 is dialing out
  const ConnId id = arrive();
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1001", RouteReason::Strategy)});
}

TEST_F(RouterTest, ReservationPreventsADoubleOffer) {
  loginReady("a1000");
  const ConnId first = arrive();
  ASSERT_EQ(handler_.decisions.size(), 1u);
  // The INVITE to 1000 is on its way: the model still sees a1000 available...
  EXPECT_TRUE(model_.isAvailable(*model_.findAgent("a1000")));
  // ...but the router offers it nothing else, even when told it is available again.
  const ConnId second = arrive();
  setReady("a1000");
  EXPECT_EQ(handler_.decisions.size(), 1u);
  EXPECT_EQ(router_.phaseOf(second), RoutingPhase::Queued);

  // The phone turned out busy: the reservation ends and the waiting call gets the agent.
  router_.deliveryFailed(first);
  EXPECT_EQ(handler_.decisions.back(), routeTo(second, "1000", RouteReason::Queue));
  EXPECT_EQ(router_.phaseOf(first), RoutingPhase::Delivered);  // kept for a recall
  router_.callEnded(first);
}

TEST_F(RouterTest, AReservationNobodyReportsExpires) {
  loginReady("a1000");
  const ConnId first = arrive();
  const ConnId second = arrive();
  EXPECT_EQ(router_.phaseOf(second), RoutingPhase::Queued);
  timers_.advance(31s);
  EXPECT_EQ(handler_.decisions.size(), 1u);
  timers_.advance(1s);  // RFC 3261 Timer B: the INVITE has failed by now
  EXPECT_EQ(router_.phaseOf(first), RoutingPhase::Delivered);
  EXPECT_EQ(handler_.decisions.back(), routeTo(second, "1000", RouteReason::Queue));
}

TEST_F(RouterTest, RegisteredRouterGetsTheRouteRequestAndRouteCallDelivers) {
  presence_.routers.insert("5000");
  loginReady("a1000");
  loginReady("a1002");
  const ConnId id = arrive();
  EXPECT_EQ(sink_.names(), Names{"EventRouteRequest"});
  EXPECT_EQ(sink_.events[0].dns, Names{"5000"});
  EXPECT_TRUE(handler_.decisions.empty());
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::WaitingRouter);

  sink_.clear();
  ASSERT_TRUE(router_.routeCallRequested(id, "1002", 7).ok());
  EXPECT_EQ(sink_.names(), Names{"EventRouteUsed"});
  EXPECT_EQ(field(sink_.events[0], "thirdPartyDN"), "1002");
  EXPECT_EQ(field(sink_.events[0], "referenceId"), "7");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1002", RouteReason::RouteCall)});
  // The strategy must not offer a1002 another call while the router's choice is delivered.
  EXPECT_TRUE(router_.isReserved("a1002"));
  EXPECT_EQ(timers_.pending(), 1u);  // the route timeout is gone, the reservation guard runs

  // A second RouteCall for the same call is refused.
  const auto again = router_.routeCallRequested(id, "1000");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, model::toInt(model::ErrorCode::InvalidCallState));
  ring(id, "1002");
  talkAndHangUp(id, "1002");
  expectNothingLeft();
}

TEST_F(RouterTest, RouteCallToAnExternalNumberReservesNobody) {
  presence_.routers.insert("5000");
  const ConnId id = arrive();
  ASSERT_TRUE(router_.routeCallRequested(id, "5559999").ok());
  EXPECT_EQ(handler_.decisions,
            std::vector<Decision>{routeTo(id, "5559999", RouteReason::RouteCall)});
  EXPECT_EQ(router_.reservedAgents(), 0u);
}

TEST_F(RouterTest, RouteCallToAnotherRoutingPointMovesTheCallThere) {
  presence_.routers.insert("5001");
  loginReady("a1003");
  const ConnId id = arrive("5001");
  ASSERT_TRUE(router_.routeCallRequested(id, "5002").ok());  // 5002 -> support, no router
  EXPECT_EQ(sink_.names(),
            (Names{"EventRouteRequest", "EventRouteUsed", "EventRouteRequest", "EventDiverted"}));
  EXPECT_EQ(field(sink_.events[2], "thisDN"), "5002");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1003", RouteReason::Strategy)});
}

TEST_F(RouterTest, RouteTimeoutFallsBackToTheDefaultTarget) {
  presence_.routers.insert("5000");
  loginReady("a1000");
  const ConnId id = arrive();
  timers_.advance(9'999ms);
  EXPECT_TRUE(handler_.decisions.empty());
  timers_.advance(1ms);
  EXPECT_EQ(sink_.names(), (Names{"EventRouteRequest", "EventDiverted"}));
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1000", RouteReason::Strategy)});
  // Too late for the router now.
  EXPECT_FALSE(router_.routeCallRequested(id, "1001").ok());
}

TEST_F(RouterTest, RouterMayStillRouteACallQueuedAfterTheRouteTimeout) {
  presence_.routers.insert("5000");
  const ConnId id = arrive();
  timers_.advance(10s);
  EXPECT_EQ(sink_.names(), (Names{"EventRouteRequest", "EventQueued"}));
  EXPECT_EQ(router_.queue("sales"), std::vector<ConnId>{id});
  ASSERT_TRUE(router_.routeCallRequested(id, "1003").ok());
  EXPECT_EQ(router_.queuedCalls(), 0u);
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1003", RouteReason::RouteCall)});
  EXPECT_EQ(timers_.pending(), 1u);  // only the reservation guard; the queue timeout is gone
}

TEST_F(RouterTest, WithoutDefaultTargetTheCallWaitsForARouterThenFails) {
  const ConnId id = arrive("5001");  // no router registered, no target group
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::WaitingRouter);
  timers_.advance(10s);
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeFailed(id, RouteFailure::RouteTimeout)});
  EXPECT_EQ(router_.trackedCalls(), 0u);
  // The call is still on the routing point: the control layer applies the overflow.
  ASSERT_NE(model_.findCall(id), nullptr);
  EXPECT_NE(model_.findCall(id)->findParty("5001"), nullptr);
}

TEST_F(RouterTest, AnUnknownStrategyFailsAtOnce) {
  loginReady("a1000");
  const ConnId id = arrive("5003");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeFailed(id, RouteFailure::NoTarget)});
  expectNothingLeft();
}

TEST_F(RouterTest, PluggedInStrategyIsUsedByName) {
  // Picks the member listed last: enough to tell it from longest-idle.
  class LastListed final : public RoutingStrategy {
   public:
    std::string_view name() const override { return "last-listed"; }
    const model::Agent* select(const SelectionContext& context) const override {
      const model::Agent* chosen = nullptr;
      for (const std::string& member : context.group.members) {
        const model::Agent* agent = context.model.findAgent(member);
        if (agent != nullptr && context.eligibility.eligible(*agent)) chosen = agent;
      }
      return chosen;
    }
  };
  ASSERT_TRUE(router_.addStrategy(std::make_unique<LastListed>()));
  EXPECT_FALSE(router_.addStrategy(std::make_unique<LastListed>()));  // the name is taken
  model::ModelSpec spec = routingSpec();
  for (model::DnSpec& dn : spec.dns) {
    if (dn.dn == "5003") dn.options.strategy = "last-listed";
  }
  model_.apply(spec);
  loginReady("a1000");
  clock_.advance(1s);
  loginReady("a1002");
  const ConnId id = arrive("5003");
  EXPECT_EQ(handler_.decisions, std::vector<Decision>{routeTo(id, "1002", RouteReason::Strategy)});
}

TEST_F(RouterTest, RequestErrorsChangeNothing) {
  auto code = [](const model::Status& status) { return status.ok() ? 0 : status.error().code; };
  using model::ErrorCode;
  using model::toInt;
  EXPECT_EQ(code(router_.route(ConnId{99}, "5000")), toInt(ErrorCode::UnknownCall));
  model::NewCall call;
  call.originDn = "5551234";
  const ConnId id = *model_.callCreated(call);
  EXPECT_EQ(code(router_.route(id, "9999")), toInt(ErrorCode::UnknownDn));
  EXPECT_EQ(code(router_.route(id, "1000")), toInt(ErrorCode::WrongDnType));
  EXPECT_EQ(code(router_.routeCallRequested(id, "1000")), toInt(ErrorCode::InvalidCallState));
  EXPECT_EQ(code(router_.recall(id)), toInt(ErrorCode::InvalidCallState));
  EXPECT_EQ(code(router_.recall(ConnId{99})), toInt(ErrorCode::UnknownCall));
  EXPECT_EQ(router_.trackedCalls(), 0u);

  presence_.routers.insert("5000");
  ASSERT_TRUE(router_.route(id, "5000").ok());
  EXPECT_EQ(code(router_.route(id, "5000")), toInt(ErrorCode::InvalidCallState));
  EXPECT_EQ(code(router_.routeCallRequested(id, "")), toInt(ErrorCode::MissingField));
  EXPECT_EQ(code(router_.recall(id)), toInt(ErrorCode::InvalidCallState));
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::WaitingRouter);
  // Reports for calls in another phase are ignored.
  router_.delivered(id);
  router_.deliveryFailed(id);
  EXPECT_EQ(router_.phaseOf(id), RoutingPhase::WaitingRouter);
}

TEST_F(RouterTest, ArrivalAlreadyReportedByTheControlLayerIsNotRepeated) {
  loginReady("a1000");
  model::NewCall call;
  call.originDn = "5551234";
  const ConnId id = *model_.callCreated(call);
  ASSERT_TRUE(model_.routeRequest(id, "5000").ok());
  ASSERT_TRUE(router_.route(id, "5000").ok());
  EXPECT_EQ(sink_.names(), (Names{"EventRouteRequest", "EventDiverted"}));
}

TEST_F(RouterTest, HandlerMayCallBackIntoRouterAndModel) {
  loginReady("a1000");
  // The control layer rings the agent at once, from inside the decision.
  handler_.react = [this](const Decision& decision) {
    if (!decision.reason) return;
    ASSERT_TRUE(model_.partyRinging(decision.id, decision.target).ok());
    router_.delivered(decision.id);
  };
  const ConnId first = arrive();
  const ConnId second = arrive();
  EXPECT_EQ(router_.phaseOf(first), RoutingPhase::Delivered);
  EXPECT_EQ(router_.phaseOf(second), RoutingPhase::Queued);
  talkAndHangUp(first, "1000");  // a1000 free again: the queued call goes to it from within
  EXPECT_EQ(handler_.decisions.back(), routeTo(second, "1000", RouteReason::Queue));
  EXPECT_EQ(router_.phaseOf(second), RoutingPhase::Delivered);
  EXPECT_EQ(model_.findCall(second)->findParty("1000")->state, model::PartyState::Ringing);
}

}  // namespace
}  // namespace ccsip::routing::test
