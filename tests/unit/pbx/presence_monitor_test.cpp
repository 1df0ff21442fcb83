#include "pbx/presence_monitor.h"

#include <gtest/gtest.h>

#include <memory>

#include "pbx/switch_keepalive.h"
#include "pbx_test_support.h"

namespace ccsip::pbx::test {
namespace {

using Names = std::vector<std::string>;

model::ModelSpec spec() {
  model::ModelSpec spec;
  for (const char* dn : {"1000", "1001"}) {
    spec.dns.push_back(model::DnSpec{dn, model::DnType::Extension, {}});
  }
  for (const char* dn : {"1000", "1001"}) {
    model::AgentSpec agent;
    agent.agentId = std::string("a") + dn;
    agent.options.password = "pw";
    agent.options.defaultDn = dn;
    spec.agents.push_back(agent);
  }
  return spec;
}

class PresenceMonitorTest : public PbxTest {
 protected:
  PresenceMonitorTest() : pacer(clock, PacerOptions{50, 50}) { model.apply(spec()); }

  void make(config::PresenceEvent event = config::PresenceEvent::Presence,
            std::vector<std::string> dns = {"1000"}) {
    PresenceMonitorOptions options;
    options.target = SwitchAddress{"127.0.0.1", kAsteriskPort, false};
    options.localHostPort = "127.0.0.1:5060";
    options.event = event;
    monitor = std::make_unique<PresenceMonitor>(
        MonitorServices{&ccsip.core, &clock, &pacer, &model}, options, dns);
  }
  // Starts monitoring 1000 and accepts its SUBSCRIBE; returns it.
  Message subscribed(config::PresenceEvent event = config::PresenceEvent::Presence) {
    make(event);
    monitor->start();
    run(100ms);
    auto initial = asterisk.initialSubscribes("1000");
    EXPECT_EQ(initial.size(), 1u);
    if (initial.empty()) return Message();
    asterisk.answer(initial[0], 200);
    return initial[0].clone();
  }
  // Replays every NOTIFY with a body of a trace file in `subscribe`'s dialog; each gets 200.
  void replayAll(const Message& subscribe, std::string_view set, std::string_view file,
                 std::size_t expected) {
    const auto notifies = traceNotifies(set, file);
    ASSERT_EQ(notifies.size(), expected) << file;
    for (const auto& notify : notifies) {
      asterisk.replay(subscribe, notify);
      EXPECT_EQ(asterisk.lastNotifyStatus(), 200) << notify.file << " #" << notify.index;
    }
  }
  std::string presenceOf(const std::string& dn) {
    return std::string(model::toString(model.findDn(dn)->presence));
  }

  SubscriptionPacer pacer;
  std::unique_ptr<PresenceMonitor> monitor;
  std::vector<std::unique_ptr<PresenceMonitor>> retired;
};

TEST_F(PresenceMonitorTest, SubscribesPresenceWithPidfByDefault) {
  const Message subscribe = subscribed();
  EXPECT_EQ(subscribe.requestUri().text, "sip:1000@127.0.0.1:5070");
  EXPECT_EQ(subscribe.from().uri.text, "sip:sipserver@127.0.0.1:5060");
  EXPECT_EQ(subscribe.headerValue(HeaderId::Event), "presence");
  EXPECT_EQ(subscribe.headerValue(HeaderId::Accept), "application/pidf+xml");
  EXPECT_EQ(subscribe.expires(), 3600u);
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Active);
}

TEST_F(PresenceMonitorTest, SubscribesDialogWhereConfigured) {
  const Message subscribe = subscribed(config::PresenceEvent::Dialog);
  EXPECT_EQ(subscribe.headerValue(HeaderId::Event), "dialog");
  EXPECT_EQ(subscribe.headerValue(HeaderId::Accept), "application/dialog-info+xml");
}

// traces/asterisk-20/presence-pidf.txt: closed, open, busy "Ringing" twice, busy "On the
// phone", "Ready", closed, then terminated;reason=timeout (here: not ours, so re-subscribed).
TEST_F(PresenceMonitorTest, ChanSipPidfTraceDrivesAgentAndDnState) {
  loginReady("a1000");
  sink.events.clear();
  const Message subscribe = subscribed();
  replayAll(subscribe, "asterisk-20", "presence-pidf.txt", 8);
  EXPECT_EQ(sink.names(),
            (Names{"EventDNOutOfService 1000", "EventDNBackInService 1000",
                   "EventAgentNotReady 1000", "EventAgentReady 1000", "EventDNOutOfService 1000"}));
  EXPECT_EQ(presenceOf("1000"), "offline");
  // The private call produced agent events only: no call events (seed "Private Calls").
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 2u);  // terminated -> re-created
}

// traces/asterisk-20-pjsip/presence-pidf.txt: Unavailable (closed), Ready, on-the-phone
// "Ringing" (once), on-the-phone "On the phone", Ready, Unavailable, final terminated.
TEST_F(PresenceMonitorTest, ChanPjsipPidfTraceDrivesAgentAndDnState) {
  loginReady("a1000");
  sink.events.clear();
  const Message subscribe = subscribed();
  const auto notifies = traceNotifies("asterisk-20-pjsip", "presence-pidf.txt");
  ASSERT_GE(notifies.size(), 6u);
  std::vector<std::string> presences;
  for (const auto& notify : notifies) {
    asterisk.replay(subscribe, notify);
    EXPECT_EQ(asterisk.lastNotifyStatus(), 200);
    presences.push_back(presenceOf("1000"));
  }
  EXPECT_EQ(Names(presences.begin(), presences.begin() + 6),
            (Names{"offline", "idle", "ringing", "busy", "idle", "offline"}));
  EXPECT_EQ(sink.names(),
            (Names{"EventDNOutOfService 1000", "EventDNBackInService 1000",
                   "EventAgentNotReady 1000", "EventAgentReady 1000", "EventDNOutOfService 1000"}));
}

class DialogInfoTest : public PresenceMonitorTest {
 protected:
  void replayDialogInfo(std::string_view set) {
    loginReady("a1000");
    sink.events.clear();
    const Message subscribe = subscribed(config::PresenceEvent::Dialog);
    const auto notifies = traceNotifies(set, "presence-dialog-info.txt");
    ASSERT_GE(notifies.size(), 6u);
    std::vector<std::string> presences;
    for (const auto& notify : notifies) {
      asterisk.replay(subscribe, notify);
      // chan_pjsip's final NOTIFY repeats the previous version: applied, not refused as stale.
      EXPECT_EQ(asterisk.lastNotifyStatus(), 200);
      presences.push_back(presenceOf("1000"));
    }
    EXPECT_EQ(presences.front(), "idle");  // dialog-info cannot say "not registered"
    EXPECT_NE(std::find(presences.begin(), presences.end(), "ringing"), presences.end());
    EXPECT_NE(std::find(presences.begin(), presences.end(), "busy"), presences.end());
    EXPECT_EQ(presences.back(), "idle");
    EXPECT_EQ(sink.names(), (Names{"EventAgentNotReady 1000", "EventAgentReady 1000"}));
  }
};

TEST_F(DialogInfoTest, ChanSipTrace) {
  replayDialogInfo("asterisk-20");
}
TEST_F(DialogInfoTest, ChanPjsipTrace) {
  replayDialogInfo("asterisk-20-pjsip");
}

TEST_F(PresenceMonitorTest, OnHoldIsHeld) {
  loginReady("a1000");
  const Message subscribe = subscribed();
  const std::string held =
      R"(<?xml version="1.0" encoding="ISO-8859-1"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:pp="urn:ietf:params:xml:ns:pidf:person"
xmlns:ep="urn:ietf:params:xml:ns:pidf:rpid:rpid-person" entity="sip:sipserver@127.0.0.1:5060">
<pp:person><status><ep:activities><ep:busy/></ep:activities></status></pp:person>
<note>On hold</note>
<tuple id="1000"><contact priority="1">sip:1000@127.0.0.1:5070</contact>
<status><basic>open</basic></status></tuple></presence>)";
  asterisk.notify(subscribe, "active", "presence", "application/pidf+xml", held);
  EXPECT_EQ(presenceOf("1000"), "held");
  EXPECT_EQ(model.deviceState(*model.findDn("1000")), model::DeviceState::Held);
  EXPECT_EQ(model.findAgent("a1000")->state, model::AgentState::NotReady);
}

TEST_F(PresenceMonitorTest, MalformedBodyIsRefusedWith400AndChangesNothing) {
  const Message subscribe = subscribed();
  const auto notifies = traceNotifies("asterisk-20", "presence-pidf.txt");
  asterisk.replay(subscribe, notifies.at(1));  // open
  ASSERT_EQ(presenceOf("1000"), "idle");
  asterisk.notify(subscribe, "active", "presence", "application/pidf+xml", "<presence><oops");
  EXPECT_EQ(asterisk.lastNotifyStatus(), 400);
  EXPECT_EQ(presenceOf("1000"), "idle");
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Active);
  asterisk.replay(subscribe, notifies.at(0));  // closed
  EXPECT_EQ(asterisk.lastNotifyStatus(), 200);
  EXPECT_EQ(presenceOf("1000"), "offline");
}

TEST_F(PresenceMonitorTest, RejectedSubscribeIsRetriedAfterTheRetryPeriod) {
  for (int status : {404, 403, 489, 503}) {
    SCOPED_TRACE(status);
    make();
    monitor->start();
    run(100ms);
    const std::size_t before = asterisk.initialSubscribes("1000").size();
    asterisk.answerAll(status);
    run(59s, 1s);
    EXPECT_EQ(asterisk.initialSubscribes("1000").size(), before);
    EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Waiting);
    run(2s);
    EXPECT_EQ(asterisk.initialSubscribes("1000").size(), before + 1);
    asterisk.answerAll(200);
    EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Active);
    monitor->stop();
    asterisk.answerAll(200);
    // Kept alive: its unsubscribe is still under way (a monitor goes only with the core).
    retired.push_back(std::move(monitor));
  }
}

// chan_pjsip answers an unidentified source 401 forever: one attempt per retry period.
TEST_F(PresenceMonitorTest, EndlessChallengesDoNotLoop) {
  make();
  monitor->start();
  for (int second = 0; second < 300; ++second) {
    run(1s, 1s);
    asterisk.answerAll(401);
  }
  const std::size_t attempts = asterisk.initialSubscribes("1000").size();
  EXPECT_GE(attempts, 5u);
  EXPECT_LE(attempts, 6u);
  EXPECT_EQ(monitor->find("1000")->failures(), attempts);
}

TEST_F(PresenceMonitorTest, UnansweredSubscribeIsRetried) {
  wire.dropIf = [](const Wire::Packet&, const Message& m) {
    return m.isRequest() && m.method() == Method::Subscribe;
  };
  make();
  monitor->start();
  run(33s, 1s);  // Timer F (64*T1): 408
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Waiting);
  wire.dropIf = nullptr;
  EXPECT_TRUE(asterisk.initialSubscribes("1000").empty());
  run(60s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 1u);
}

TEST_F(PresenceMonitorTest, TerminatedNotifyResubscribesOnceAtOnceThenPaced) {
  const Message first = subscribed();
  // chan_pjsip: a bare "terminated" (no reason).
  asterisk.notify(first, "terminated", "presence", "", "");
  EXPECT_EQ(asterisk.lastNotifyStatus(), 200);
  run(100ms);
  auto initial = asterisk.initialSubscribes("1000");
  ASSERT_EQ(initial.size(), 2u);
  EXPECT_NE(initial[1].callId(), first.callId());
  asterisk.answer(initial[1], 200);
  // Ended young again: the switch may be ending everything; the next waits the retry period.
  asterisk.notify(initial[1], "terminated;reason=timeout", "presence", "", "");
  run(30s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 2u);
  run(31s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 3u);
}

TEST_F(PresenceMonitorTest, RejectedOrRetryAfterTerminationWaits) {
  const Message first = subscribed();
  asterisk.notify(first, "terminated;reason=noresource", "presence", "", "");
  run(59s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 1u);
  run(2s, 1s);
  auto initial = asterisk.initialSubscribes("1000");
  ASSERT_EQ(initial.size(), 2u);
  asterisk.answer(initial[1], 200);
  asterisk.notify(initial[1], "terminated;reason=probation;retry-after=10", "presence", "", "");
  run(9s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 2u);
  run(2s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 3u);
}

// traces/*/subscription-expiry.txt: a late refresh gets 481; the subscription is re-created.
TEST_F(PresenceMonitorTest, RefreshAnswered481IsRecreated) {
  const Message first = subscribed();
  run(541s, 1s);  // 3600 s asked, 3600 granted -> refresh at 3240 s; not yet
  EXPECT_TRUE(asterisk.unanswered().empty());
  run(2700s, 10s);
  auto pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_FALSE(pending[0].to().tag.empty());  // the in-dialog refresh
  asterisk.answer(pending[0], 481);
  run(100ms);
  auto initial = asterisk.initialSubscribes("1000");
  ASSERT_EQ(initial.size(), 2u);
  EXPECT_NE(initial[1].callId(), first.callId());
}

TEST_F(PresenceMonitorTest, StartUpIsPaced) {
  std::vector<std::string> dns;
  for (int i = 0; i < 120; ++i) dns.push_back(std::to_string(2000 + i));
  make(config::PresenceEvent::Presence, dns);
  monitor->start();
  clock.advance(0ms);
  wire.pump();
  EXPECT_EQ(asterisk.initialSubscribes().size(), 50u);  // the burst
  run(100ms, 100ms);
  EXPECT_EQ(asterisk.initialSubscribes().size(), 55u);  // then 50 per second
  run(1s, 100ms);
  EXPECT_EQ(asterisk.initialSubscribes().size(), 105u);
  run(1s, 100ms);
  EXPECT_EQ(asterisk.initialSubscribes().size(), 120u);
  EXPECT_EQ(pacer.queued(), 0u);
}

TEST_F(PresenceMonitorTest, StopUnsubscribes) {
  const Message first = subscribed();
  monitor->stop();
  wire.pump();
  auto pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].expires(), 0u);
  EXPECT_EQ(pending[0].callId(), first.callId());
  asterisk.answer(pending[0], 200);
  asterisk.notify(first, "terminated;reason=timeout", "presence", "", "");
  EXPECT_EQ(monitor->busyCount(), 0u);
  run(120s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 1u);  // not re-created
}

class Restarts final : public SwitchRestartHandler {
 public:
  explicit Restarts(PresenceMonitor*& monitor) : monitor_(monitor) {}
  void onSwitchRestarted() override {
    ++count;
    if (monitor_ != nullptr) monitor_->recreateAll();
  }
  int count = 0;

 private:
  PresenceMonitor*& monitor_;
};

// Asterisk restarted: OPTIONS unanswered, then answered again -> every subscription re-created.
TEST_F(PresenceMonitorTest, KeepaliveRecoveryRecreatesSubscriptions) {
  const Message first = subscribed();
  PresenceMonitor* raw = monitor.get();
  Restarts restarts(raw);
  SwitchKeepalive keepalive(ccsip.core, clock,
                            SwitchKeepaliveOptions{SwitchAddress{"127.0.0.1", kAsteriskPort, false},
                                                   "127.0.0.1:5060", "sipserver", 30s},
                            restarts);
  keepalive.start();
  wire.pump();
  ASSERT_EQ(asterisk.unanswered(Method::Options).size(), 1u);
  EXPECT_EQ(asterisk.unanswered(Method::Options)[0].requestUri().text, "sip:127.0.0.1:5070");
  asterisk.answerAll(200, Method::Options);
  run(30s, 1s);
  asterisk.answerAll(200, Method::Options);
  EXPECT_EQ(restarts.count, 0);
  EXPECT_TRUE(keepalive.reachable());

  // Down: the next OPTIONS goes unanswered (Timer F).
  wire.dropIf = [](const Wire::Packet&, const Message& m) {
    return m.isRequest() && m.method() == Method::Options;
  };
  run(64s, 1s);
  EXPECT_FALSE(keepalive.reachable());
  wire.dropIf = nullptr;
  run(40s, 1s);
  asterisk.answerAll(200, Method::Options);
  EXPECT_EQ(restarts.count, 1);
  run(100ms);
  auto initial = asterisk.initialSubscribes("1000");
  ASSERT_EQ(initial.size(), 2u);
  EXPECT_NE(initial[1].callId(), first.callId());
  // The old dialog was dropped politely: an Expires: 0 the restarted switch answers 481.
  keepalive.stop();
}

TEST_F(PresenceMonitorTest, KeepaliveChangedAnswerRecreates) {
  subscribed();
  PresenceMonitor* raw = monitor.get();
  Restarts restarts(raw);
  SwitchKeepalive keepalive(ccsip.core, clock,
                            SwitchKeepaliveOptions{SwitchAddress{"127.0.0.1", kAsteriskPort, false},
                                                   "127.0.0.1:5060", "sipserver", 30s},
                            restarts);
  keepalive.start();
  wire.pump();
  asterisk.answerAll(200, Method::Options);
  run(31s, 1s);
  asterisk.answerAll(404, Method::Options);
  EXPECT_EQ(restarts.count, 1);
  EXPECT_EQ(keepalive.lastStatus(), 404);
}

}  // namespace
}  // namespace ccsip::pbx::test
