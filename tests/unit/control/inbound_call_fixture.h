#pragma once

// The in-memory B2BUA fixture: the caller (the switch, to a routing point), the agents' phones
// (the switch, for agent legs) and ccsip, on one Wire with a ManualTimerService. The bodies are
// real SDP unless a test sets callerSdp_ / agentSdp_ (opaque tokens that show where each body
// went).

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "../dialog/usage_test_support.h"
#include "control/call_control.h"
#include "control/inbound_call.h"
#include "model/model.h"

namespace ccsip::control::test {

using namespace sip::dialog::usage_test;
using sip::HeaderId;
using sip::Message;
using sip::Method;
using sip::dialog::Body;
using sip::dialog::InviteSession;
using sip::dialog::InviteSessionOptions;
using sip::dialog::UserAgentCoreOptions;

// The caller's offer (Asterisk's channel towards the customer) and the agent phone's answer.
inline constexpr const char* kCallerSdp =
    "v=0\r\no=caller 100 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 10000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
inline constexpr const char* kAgentSdp =
    "v=0\r\no=agent 200 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 20000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

constexpr std::uint16_t kCcsipPort = 5060;
constexpr std::uint16_t kCallerPort = 5070;  // the switch, sending calls to the routing point
constexpr std::uint16_t kAgentPort = 5080;   // the switch, delivering agent legs to phones
constexpr std::uint16_t kStrangerPort = 5099;
constexpr std::uint16_t kRawSwitchPort = 5071;  // a scripted switch (Asterisk's own messages)

class RecordingSink final : public model::EventSink {
 public:
  void onEvent(const model::TEvent& event) override {
    const auto* dn = event.fields.if_contains("thisDN");
    events.push_back(event.name + " " +
                     (dn != nullptr && dn->is_string() ? std::string(dn->as_string()) : "?"));
    all.push_back(event);
  }
  std::vector<std::string> events;  // "EventRinging 1000"
  std::vector<model::TEvent> all;
};

class SequenceConnIds final : public model::ConnIdSource {
 public:
  model::ConnId next() override { return model::ConnId{next_++}; }

 private:
  std::uint64_t next_ = 1;
};

// A router that answers from a script: each route / onDeliveryFailed takes the next target, or
// gives up with `giveUpStatus` when none is left (0: stays silent).
class FakeRouter final : public RouteDecider {
 public:
  void route(model::ConnId id, std::string_view rpDn, RouteCallback& callback) override {
    log.push_back("route " + std::string(rpDn));
    next(id, callback);
  }
  void onDeliveryFailed(model::ConnId id, std::string_view rpDn, const DeliveryFailure& failure,
                        RouteCallback& callback) override {
    static constexpr const char* kKinds[] = {"busy", "rejected", "no-answer", "error"};
    log.push_back("failed " + std::string(rpDn) + " " + failure.dn + " " +
                  kKinds[static_cast<int>(failure.kind)] + " " + std::to_string(failure.status));
    next(id, callback);
  }
  void onCallEnded(model::ConnId id) override { log.push_back("ended " + id.str()); }

  std::deque<std::string> targets;
  int giveUpStatus = 0;
  std::vector<std::string> log;

 private:
  void next(model::ConnId id, RouteCallback& callback) {
    if (!targets.empty()) {
      RouteTarget target;
      target.dn = targets.front();
      targets.pop_front();
      EXPECT_TRUE(callback.routeTo(id, target));
    } else if (giveUpStatus != 0) {
      EXPECT_TRUE(callback.routeFailed(id, giveUpStatus));
    }
  }
};

inline model::ModelSpec spec() {
  model::ModelSpec spec;
  for (const char* dn : {"1000", "1001"}) {
    spec.dns.push_back(model::DnSpec{dn, model::DnType::Extension, {}});
  }
  spec.dns[1].options.noAnswerTimeout = std::chrono::seconds(5);
  spec.dns.push_back(model::DnSpec{"5000", model::DnType::RoutingPoint, {}});
  spec.dns.push_back(model::DnSpec{"8000", model::DnType::RoutingPoint, {}});
  return spec;
}

class InboundCallFixture : public ::testing::Test {
 protected:
  InboundCallFixture()
      : model(model::ModelOptions{&sink, &wallClock, &connIds, nullptr}),
        caller(wire, clock, "caller", kCallerPort, {}, 1),
        agent(wire, clock, "agent", kAgentPort, agentOptions(), 2),
        ccsip(wire, clock, "ccsip", kCcsipPort, ccsipOptions(), 3),
        control(CallControlServices{&ccsip.core, &model, &router, &clock}, controlOptions()) {
    model.apply(spec());
    // The agents' phones ring, unless a test says otherwise.
    phones.newSessionHook = [](InviteSession& s, const Message&) { s.provisional(180); };
  }

  UserAgentCoreOptions agentOptions() {
    UserAgentCoreOptions options;
    options.sessions = &phones;
    return options;
  }
  UserAgentCoreOptions ccsipOptions() {
    UserAgentCoreOptions options;
    options.sessions = &control;
    return options;
  }
  static CallControlOptions controlOptions() {
    CallControlOptions options;
    options.switchHost = "127.0.0.1";
    options.switchPort = kAgentPort;
    options.trustedSources = {address(kCallerPort), address(kRawSwitchPort)};
    return options;
  }

  // The switch sends a customer call (ANI 5551234) to routing point `dn`.
  std::shared_ptr<InviteSession> call(sip::dialog::usage_test::Endpoint& from,
                                      std::string dn = "5000") {
    InviteSessionOptions options;
    options.requestUri = "sip:" + dn + "@127.0.0.1:5060";
    options.from = "\"Customer\" <sip:5551234@127.0.0.1:5070>";
    options.offer = sdp(callerSdp_);
    auto session = from.core.invite(options, callerRecorder);
    EXPECT_NE(session, nullptr);
    wire.pump();
    return session;
  }

  // A call routed to 1000 whose phone rings.
  std::shared_ptr<InviteSession> ringing() {
    router.targets = {"1000"};
    auto session = call(caller);
    EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000",
                                                     "EventRouteUsed 5000", "EventRinging 1000"}));
    EXPECT_EQ(countTo("ccsip:180/INVITE", kCallerPort), 1u);
    EXPECT_TRUE(callerRecorder.has("early"));
    return session;
  }

  // ringing(), then the agent answers.
  std::shared_ptr<InviteSession> answered() {
    auto session = ringing();
    if (phones.last() == nullptr) {
      ADD_FAILURE() << "no agent leg";
      return session;
    }
    EXPECT_TRUE(phones.last()->accept(sdp(agentSdp_)));
    wire.pump();
    EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
    EXPECT_EQ(phones.last()->state(), InviteSession::State::Confirmed);
    return session;
  }

  // Packets of `entry` ("ccsip:BYE") sent to the stack at `port`.
  std::size_t countTo(std::string_view entry, std::uint16_t port) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < wire.log.size(); ++i) {
      if (wire.log[i] == entry && wire.packets[i].to.remote.port == port) ++n;
    }
    return n;
  }
  // The last packet of `entry` sent to `port`, parsed; an empty message (and a failure) if none.
  Message lastTo(std::string_view entry, std::uint16_t port) const {
    for (std::size_t i = wire.log.size(); i-- > 0;) {
      if (wire.log[i] == entry && wire.packets[i].to.remote.port == port) {
        return wire.packets[i].parse();
      }
    }
    ADD_FAILURE() << "no " << entry << " to port " << port;
    return Message{};
  }
  // A string field of the index-th event, or "<absent>".
  std::string field(std::size_t index, std::string_view key) const {
    if (index >= sink.all.size()) return "<no event>";
    const auto* value = sink.all[index].fields.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "<absent>";
  }

  void run(util::Duration total, util::Duration step = std::chrono::milliseconds(100)) {
    wire.pump();
    for (util::Duration t{0}; t < total; t += step) {
      clock.advance(step);
      wire.pump();
    }
  }

  // No call, dialog, usage, transaction or timer left anywhere.
  void expectNothingLeft() {
    run(std::chrono::minutes(2));
    for (auto* endpoint : {&caller, &agent, &ccsip}) {
      EXPECT_TRUE(endpoint->idle())
          << endpoint->core.dialogCount() << " dialogs, " << endpoint->core.usageCount()
          << " usages, " << endpoint->layer.activeTransactions() << " txns";
    }
    EXPECT_EQ(control.callCount(), 0u);
    EXPECT_EQ(model.queryServer().calls, 0u);
    EXPECT_EQ(clock.pending(), 0u);
  }

  Wire wire;
  util::ManualTimerService clock;
  std::string callerSdp_ = kCallerSdp;  // the caller's offer
  std::string agentSdp_ = kAgentSdp;    // the agent phone's answer
  RecordingSink sink;
  model::ManualWallClock wallClock;
  SequenceConnIds connIds;
  model::CallModel model;
  FakeRouter router;
  SessionRecorder callerRecorder;
  IncomingRecorder phones;
  Endpoint caller;
  Endpoint agent;
  Endpoint ccsip;
  CallControl control;
};

}  // namespace ccsip::control::test
