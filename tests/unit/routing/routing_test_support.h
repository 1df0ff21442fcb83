#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../model/model_test_support.h"
#include "model/model.h"
#include "routing/router.h"
#include "util/timer_service.h"

namespace ccsip::routing::test {

using model::ConnId;
using model::test::field;

class FakePresence final : public RouterPresence {
 public:
  bool hasRouter(std::string_view dn) const override { return routers.contains(std::string(dn)); }
  std::set<std::string> routers;
};

// One decision the router reported.
struct Decision {
  ConnId id;
  std::string target;                   // onRouteTo; "" for a failure
  std::optional<RouteReason> reason;    // onRouteTo
  std::optional<RouteFailure> failure;  // onRouteFailed

  bool operator==(const Decision&) const = default;
};

inline Decision routeTo(ConnId id, std::string target, RouteReason reason) {
  return Decision{id, std::move(target), reason, std::nullopt};
}
inline Decision routeFailed(ConnId id, RouteFailure failure) {
  return Decision{id, "", std::nullopt, failure};
}

inline void PrintTo(const Decision& d, std::ostream* os) {
  *os << d.id.str() << " ";
  if (d.reason) *os << "-> " << d.target << " (" << toString(*d.reason) << ")";
  if (d.failure) *os << "failed (" << toString(*d.failure) << ")";
}

class RecordingHandler final : public RoutingHandler {
 public:
  void onRouteTo(ConnId id, const std::string& target, RouteReason reason) override {
    decisions.push_back(routeTo(id, target, reason));
    if (react) react(decisions.back());
  }
  void onRouteFailed(ConnId id, RouteFailure failure) override {
    decisions.push_back(routeFailed(id, failure));
    if (react) react(decisions.back());
  }
  std::vector<Decision> decisions;
  std::function<void(const Decision&)> react;  // optional: calls back in, as the control layer may
};

// The model's demo configuration (extensions 1000-1003 with agents a1000-a1003, group "sales"
// = a1000, a1001, a1002) plus routing points:
//   5000 -> sales, queue timeout 60 s;   5001: no default target;
//   5002 -> support (a1001, a1003);      5003 -> sales with an unknown strategy.
inline model::ModelSpec routingSpec() {
  using model::DnType;
  model::ModelSpec spec = model::test::demoSpec();
  for (model::DnSpec& dn : spec.dns) {
    if (dn.dn == "5000") {
      dn.options.targetGroup = "sales";
      dn.options.queueTimeout = std::chrono::seconds(60);
    }
  }
  spec.dns.push_back(model::test::dnSpec("5001", DnType::RoutingPoint));
  spec.dns.push_back(model::test::dnSpec("5002", DnType::RoutingPoint));
  spec.dns.back().options.targetGroup = "support";
  spec.dns.push_back(model::test::dnSpec("5003", DnType::RoutingPoint));
  spec.dns.back().options.targetGroup = "sales";
  spec.dns.back().options.strategy = "no-such-strategy";
  spec.groups.push_back(model::GroupSpec{"support", {"a1001", "a1003"}, ""});
  return spec;
}

class RouterTest : public model::test::ModelTest {
 protected:
  RouterTest() {
    const model::ApplyReport report = model_.apply(routingSpec());
    EXPECT_TRUE(report.warnings.empty());
    sink_.clear();
  }

  // A call from the switch for `rp`, routed by the router.
  ConnId arrive(const std::string& rp = "5000", const std::string& caller = "5551234") {
    model::NewCall call;
    call.type = model::CallType::Inbound;
    call.originDn = caller;
    call.dialledDn = rp;
    auto id = model_.callCreated(call);
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(router_.route(*id, rp).ok());
    return *id;
  }

  void loginNotReady(const std::string& agentId) {
    model::AgentLoginRequest request;
    request.agentId = agentId;
    request.password = "pw";
    ASSERT_TRUE(model_.agentLogin(request).ok());
    sink_.clear();
  }

  void setReady(const std::string& agentId) {
    ASSERT_TRUE(model_.agentSetReady(model::AgentRequest{agentId, "", nullptr}).ok());
  }

  // What the control layer does once the agent leg rings.
  void ring(ConnId id, const std::string& dn) {
    ASSERT_TRUE(model_.partyRinging(id, dn).ok());
    router_.delivered(id);
  }

  // The agent answers and the call is over: both parties leave, the router forgets the call.
  void talkAndHangUp(ConnId id, const std::string& dn, const std::string& caller = "5551234") {
    ASSERT_TRUE(model_.partyEstablished(id, dn).ok());
    ASSERT_TRUE(model_.partyReleased(id, caller).ok());
    ASSERT_TRUE(model_.partyReleased(id, dn).ok());
    router_.callEnded(id);
  }

  void expectNothingLeft() {
    EXPECT_EQ(router_.trackedCalls(), 0u);
    EXPECT_EQ(router_.queuedCalls(), 0u);
    EXPECT_EQ(router_.reservedAgents(), 0u);
    EXPECT_EQ(timers_.pending(), 0u);
  }

  util::ManualTimerService timers_;
  FakePresence presence_;
  RecordingHandler handler_;
  Router router_{RouterOptions{&model_, &timers_, &presence_, &handler_}};
};

}  // namespace ccsip::routing::test
