#include "pbx/mwi_monitor.h"

#include <gtest/gtest.h>

#include <memory>

#include "model/query.h"
#include "pbx/mwi_user_data.h"
#include "pbx_test_support.h"

namespace ccsip::pbx::test {
namespace {

using Names = std::vector<std::string>;
namespace json = boost::json;

// Extensions 1000 (box "1000") and 1001; agents a1 (box "a1", default DN 1001), a2, a3 (default
// DNs 1002, 1003); group "sales" = a1, a2 with box "sales".
model::ModelSpec spec() {
  model::ModelSpec spec;
  for (const char* dn : {"1000", "1001", "1002", "1003"}) {
    spec.dns.push_back(model::DnSpec{dn, model::DnType::Extension, {}});
  }
  spec.dns[0].options.mailbox = "1000";
  const char* agents[][2] = {{"a1", "1001"}, {"a2", "1002"}, {"a3", "1003"}};
  for (const auto& [id, dn] : agents) {
    model::AgentSpec agent;
    agent.agentId = id;
    agent.options.password = "pw";
    agent.options.defaultDn = dn;
    spec.agents.push_back(agent);
  }
  spec.agents[0].options.mailbox = "a1";
  spec.groups.push_back(model::GroupSpec{"sales", {"a1", "a2"}, "sales"});
  return spec;
}

MwiScope scope() {
  MwiScope scope;
  scope.extensions.push_back(MwiScope::ExtensionBox{"1000", "1000"});
  scope.agents["a1"] = MwiScope::AgentBoxes{"a1", {"sales"}};
  scope.agents["a2"] = MwiScope::AgentBoxes{"", {"sales"}};
  return scope;
}

class MwiMonitorTest : public PbxTest {
 protected:
  MwiMonitorTest() : pacer(clock, PacerOptions{50, 50}) { model.apply(spec()); }

  void make(bool extensionEnable = true) {
    MwiMonitorOptions options;
    options.target = SwitchAddress{"127.0.0.1", kAsteriskPort, false};
    options.localHostPort = "127.0.0.1:5060";
    options.extensionEnable = extensionEnable;
    monitor = std::make_unique<MwiMonitor>(MonitorServices{&ccsip.core, &clock, &pacer, &model},
                                           options, scope());
    model.setLoginObserver(monitor.get());
  }
  ~MwiMonitorTest() override { model.setLoginObserver(nullptr); }

  // The last initial SUBSCRIBE for box `box`, answered 200.
  Message accepted(const std::string& box) {
    run(100ms);
    auto initial = asterisk.initialSubscribes("gvm-" + box);
    EXPECT_FALSE(initial.empty()) << box;
    if (initial.empty()) return Message();
    asterisk.answer(initial.back(), 200);
    return initial.back().clone();
  }
  void mwi(const Message& subscribe, const std::string& body, const std::string& state = "active") {
    asterisk.notify(subscribe, state, "message-summary", "application/simple-message-summary",
                    body);
  }
  // "EventUserEvent <thisDN> <agentId or -> <gsipmwi as JSON>"
  std::vector<std::string> userEvents() const {
    std::vector<std::string> out;
    for (const auto& event : sink.events) {
      if (event.name != "EventUserEvent") continue;
      const auto* dn = event.fields.if_contains("thisDN");
      out.push_back(std::string(dn != nullptr ? dn->as_string() : "?") + " " +
                    (event.agentId.empty() ? "-" : event.agentId) + " " +
                    json::serialize(event.fields.at("userData").at("gsipmwi")));
    }
    return out;
  }

  SubscriptionPacer pacer;
  std::unique_ptr<MwiMonitor> monitor;
};

TEST_F(MwiMonitorTest, ExtensionBoxesAreSubscribedAtStartAsTheSeedDoes) {
  make();
  monitor->start();
  const Message subscribe = accepted("1000");
  EXPECT_EQ(subscribe.requestUri().text, "sip:gvm-1000@127.0.0.1:5070");
  // chan_sip takes the mailbox from the From user, chan_pjsip from the Request-URI user.
  EXPECT_EQ(subscribe.from().uri.text, "sip:gvm-1000@127.0.0.1:5070");
  EXPECT_EQ(subscribe.headerValue(HeaderId::Event), "message-summary");
  EXPECT_EQ(subscribe.headerValue(HeaderId::Accept), "application/simple-message-summary");
  EXPECT_EQ(subscribe.headerValue(HeaderId::Contact),
            "<sip:gsipmwi@127.0.0.1:5060;mb=1000;dn=1000;tp=1>");
  EXPECT_EQ(subscribe.expires(), 600u);
  EXPECT_EQ(asterisk.subscribes().size(), 1u);  // agent and group boxes wait for logins
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Active);
}

TEST_F(MwiMonitorTest, ExtensionBoxesWaitForTheSwitch) {
  make(/*extensionEnable=*/false);
  monitor->start();
  run(1s);
  EXPECT_TRUE(asterisk.subscribes().empty());
}

// traces/asterisk-20/mwi-message-summary.txt: "no 0/0", then "yes 1/0", then the final NOTIFY.
TEST_F(MwiMonitorTest, ChanSipTraceBecomesUserEventsAndQueryState) {
  make();
  monitor->start();
  const Message subscribe = accepted("1000");
  const auto notifies = traceNotifies("asterisk-20", "mwi-message-summary.txt");
  ASSERT_EQ(notifies.size(), 3u);
  asterisk.replay(subscribe, notifies[0]);
  asterisk.replay(subscribe, notifies[1]);
  EXPECT_EQ(asterisk.lastNotifyStatus(), 200);
  EXPECT_EQ(
      userEvents(),
      (Names{
          R"j(1000 - {"Mailbox":"1000","Messages-Waiting":"no","Voice-Message":"0/0 (0/0)","NewMessages":0,"OldMessages":0})j",
          R"j(1000 - {"Mailbox":"1000","Messages-Waiting":"yes","Voice-Message":"1/0 (0/0)","NewMessages":1,"OldMessages":0})j"}));
  auto info = model.queryAddress("1000");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(
      json::serialize(model::toJson(*info).at("mwi")),
      R"j({"Mailbox":"1000","Messages-Waiting":"yes","Voice-Message":"1/0 (0/0)","NewMessages":1,"OldMessages":0})j");
  EXPECT_FALSE(model::toJson(*model.queryAddress("1001")).contains("mwi"));
  // The final NOTIFY (terminated;reason=timeout) is answered and the box re-subscribed.
  asterisk.replay(subscribe, notifies[2]);
  EXPECT_EQ(asterisk.lastNotifyStatus(), 200);
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-1000").size(), 2u);
}

// chan_pjsip: no Message-Account line; expiry / unsubscribe end in a bare "terminated".
TEST_F(MwiMonitorTest, ChanPjsipTrace) {
  make();
  monitor->start();
  const Message subscribe = accepted("1000");
  const auto notifies = traceNotifies("asterisk-20-pjsip", "mwi-message-summary.txt");
  ASSERT_GE(notifies.size(), 2u);
  asterisk.replay(subscribe, notifies[0]);
  asterisk.replay(subscribe, notifies[1]);
  EXPECT_EQ(userEvents().size(), 2u);
  EXPECT_EQ(
      userEvents().back(),
      R"j(1000 - {"Mailbox":"1000","Messages-Waiting":"yes","Voice-Message":"1/0 (0/0)","NewMessages":1,"OldMessages":0})j");
  mwi(subscribe, "", "terminated");
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-1000").size(), 2u);
}

TEST_F(MwiMonitorTest, AgentBoxFollowsTheLoginWhateverTheDn) {
  make(false);
  monitor->start();
  loginReady("a1", "1003");
  const Message subscribe = accepted("a1");
  EXPECT_EQ(subscribe.headerValue(HeaderId::Contact),
            "<sip:gsipmwi@127.0.0.1:5060;mb=a1;dn=1003;tp=2>");
  mwi(subscribe, "Messages-Waiting: yes\r\nVoice-Message: 2/1\r\n");
  // To the agent's session on the DN it logged in on (and nobody else).
  EXPECT_EQ(
      userEvents(),
      (Names{
          R"j(1003 a1 {"Mailbox":"a1","Messages-Waiting":"yes","Voice-Message":"2/1","NewMessages":2,"OldMessages":1})j"}));
  asterisk.answerAll(200);  // the group box "sales" opened by the same login
  logout("a1");
  wire.pump();
  const auto pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 2u);  // a1 and sales: a1 was the only member logged in
  for (const Message& m : pending) EXPECT_EQ(m.expires(), 0u);
  EXPECT_EQ(monitor->find("a1")->state(), KeptSubscription::State::Stopping);
  EXPECT_EQ(monitor->users("a1"), 0u);
}

TEST_F(MwiMonitorTest, GroupBoxIsSharedUntilTheLastMemberLogsOut) {
  make(false);
  monitor->start();
  loginReady("a2");
  const Message sales = accepted("sales");
  EXPECT_EQ(sales.headerValue(HeaderId::Contact),
            "<sip:gsipmwi@127.0.0.1:5060;mb=sales;dn=1002;tp=3>");
  loginReady("a1");
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-sales").size(), 1u);  // one shared subscription
  EXPECT_EQ(monitor->users("sales"), 2u);
  // The newcomer gets the state through a refresh (RFC 6665: a NOTIFY follows every refresh).
  auto pending = asterisk.unanswered();
  const auto refresh = std::find_if(pending.begin(), pending.end(), [&](const Message& m) {
    return m.callId() == sales.callId();  // in the dialog: to Asterisk's Contact
  });
  ASSERT_NE(refresh, pending.end());
  EXPECT_FALSE(refresh->to().tag.empty());
  asterisk.answerAll(200);
  sink.events.clear();
  mwi(sales, "Messages-Waiting: yes\r\nVoice-Message: 1/0 (0/0)\r\n");
  EXPECT_EQ(userEvents().size(), 2u);  // every logged-in member

  logout("a2");
  wire.pump();
  EXPECT_TRUE(asterisk.unanswered().empty());  // a1 is still logged in
  EXPECT_EQ(monitor->find("sales")->state(), KeptSubscription::State::Active);
  logout("a1");
  wire.pump();
  pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 2u);  // sales (last member) and a1's own box
  for (const Message& m : pending) EXPECT_EQ(m.expires(), 0u);
}

TEST_F(MwiMonitorTest, RejectedAndUnansweredSubscribesAreRetriedAfterSixtySeconds) {
  make();
  monitor->start();
  run(100ms);
  asterisk.answerAll(404);  // chan_sip "Not found (no mailbox)"
  run(59s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-1000").size(), 1u);
  wire.dropIf = [](const Wire::Packet&, const Message& m) {
    return m.isRequest() && m.method() == Method::Subscribe;
  };
  run(2s, 1s);
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Subscribing);
  run(33s, 1s);  // no answer: 408
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Waiting);
  wire.dropIf = nullptr;
  run(60s, 1s);
  auto initial = asterisk.initialSubscribes("gvm-1000");
  ASSERT_EQ(initial.size(), 2u);  // the dropped one never arrived
  asterisk.answer(initial.back(), 200);
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Active);
  EXPECT_EQ(monitor->find("1000")->failures(), 0u);
}

// chan_pjsip answers 423 without Min-Expires (presence-rejected.txt p5): the next attempt goes
// at once and asks for twice as long (600, 1200, 2400, then the hour Asterisk always grants); a
// 423 to an hour waits the retry period, and the hour is asked from then on.
TEST_F(MwiMonitorTest, TooBriefWithoutMinExpiresAsksForTwiceAsLongUpToAnHour) {
  make();
  monitor->start();
  run(100ms);
  for (std::uint32_t expected : {600u, 1200u, 2400u, 3600u}) {
    auto pending = asterisk.unanswered();
    ASSERT_EQ(pending.size(), 1u) << "asking for " << expected;
    EXPECT_EQ(pending[0].expires(), expected);
    asterisk.answer(pending[0], 423);
    run(100ms);
  }
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Waiting);
  run(58s, 1s);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-1000").size(), 4u) << "a 423 to an hour waits";
  run(3s, 1s);
  auto pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].expires(), 3600u);
  asterisk.answer(pending[0], 200);
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Active);
}

// chan_sip's 423 carries Min-Expires: ClientSubscription asks for it at once, nothing doubles.
TEST_F(MwiMonitorTest, TooBriefWithMinExpiresAsksForTheMinimum) {
  make();
  monitor->start();
  run(100ms);
  auto pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 1u);
  asterisk.answer(pending[0], 423, "Min-Expires", "900");
  run(100ms);
  pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].expires(), 900u);
  asterisk.answer(pending[0], 200);
  EXPECT_EQ(monitor->find("1000")->state(), KeptSubscription::State::Active);
  EXPECT_EQ(monitor->find("1000")->expiryDoublings(), 0u);
}

// chan_pjsip's answer to an unknown source (presence-rejected.txt p4): 401, and 401 again after
// credentials. ccsip has none for the switch: no second SUBSCRIBE with Authorization, the next
// attempt only after the retry period, one per period.
TEST_F(MwiMonitorTest, ChallengeIsNotAnsweredAndWaitsTheRetryPeriod) {
  make();
  monitor->start();
  run(100ms);
  for (int period = 0; period < 3; ++period) {
    auto pending = asterisk.unanswered();
    ASSERT_EQ(pending.size(), 1u) << "period " << period;
    EXPECT_TRUE(pending[0].headerValue(HeaderId::Authorization).empty());
    asterisk.answer(pending[0], 401, "WWW-Authenticate",
                    "Digest realm=\"asterisk\",nonce=\"1795789338/5c75f429\",algorithm=MD5,"
                    "qop=\"auth\"");
    run(59s, 1s);
    EXPECT_TRUE(asterisk.unanswered().empty()) << "period " << period;
    run(2s, 1s);
  }
  EXPECT_EQ(asterisk.initialSubscribes("gvm-1000").size(), 4u);
  EXPECT_EQ(monitor->find("1000")->failures(), 3u);
}

TEST_F(MwiMonitorTest, MalformedSummaryIsRefusedWith400) {
  make();
  monitor->start();
  const Message subscribe = accepted("1000");
  mwi(subscribe, "Messages-Waiting: perhaps\r\n");
  EXPECT_EQ(asterisk.lastNotifyStatus(), 400);
  EXPECT_TRUE(userEvents().empty());
  EXPECT_TRUE(model::toJson(*model.queryAddress("1000")).if_contains("mwi") == nullptr);
  mwi(subscribe, "Messages-Waiting: no\r\n");
  EXPECT_EQ(asterisk.lastNotifyStatus(), 200);
  EXPECT_EQ(userEvents().size(), 1u);
}

// chan_sip drops an expired MWI subscription silently; the refresh comes first (at 540 s of
// 600), and a 481 to it re-creates the subscription.
TEST_F(MwiMonitorTest, RefreshBeforeExpiryAndRecreateAfter481) {
  make();
  monitor->start();
  const Message first = accepted("1000");
  run(539s, 1s);
  EXPECT_TRUE(asterisk.unanswered().empty());
  run(2s, 1s);
  auto pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].callId(), first.callId());
  asterisk.answer(pending[0], 481);
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-1000").size(), 2u);
}

TEST_F(MwiMonitorTest, StopUnsubscribesExtensionBoxes) {
  make();
  monitor->start();
  const Message subscribe = accepted("1000");
  monitor->stop();
  wire.pump();
  auto pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].expires(), 0u);
  asterisk.answer(pending[0], 200);
  mwi(subscribe, "Messages-Waiting: no\r\n", "terminated;reason=timeout");
  EXPECT_EQ(monitor->busyCount(), 0u);
  loginReady("a1");  // after stop(): nothing new
  run(1s);
  EXPECT_TRUE(asterisk.unanswered().empty());
}

TEST(MwiUserData, FormatsTheSeedList) {
  events::MessageSummary summary;
  summary.messagesWaiting = true;
  summary.classes.push_back({"Voice-Message", {3, 2, 1, 0}});
  EXPECT_EQ(
      json::serialize(mwiUserData("1000", summary)),
      R"j({"gsipmwi":{"Mailbox":"1000","Messages-Waiting":"yes","Voice-Message":"3/2 (1/0)","NewMessages":3,"OldMessages":2}})j");
  EXPECT_EQ(
      json::serialize(mwiUserData("x", events::MessageSummary{})),
      R"j({"gsipmwi":{"Mailbox":"x","Messages-Waiting":"no","Voice-Message":"0/0","NewMessages":0,"OldMessages":0}})j");
}

TEST(MwiScope, FromConfiguration) {
  config::Config config;
  config::DnConfig dn;
  dn.dn = "1000";
  dn.mailbox = "1000";
  config.dns.push_back(dn);
  dn.dn = "1001";
  dn.mailbox = "";
  config.dns.push_back(dn);
  config::AgentConfig agent;
  agent.id = "a1";
  agent.mailbox = "a1box";
  config.agents.push_back(agent);
  agent.id = "a2";
  agent.mailbox = "";
  config.agents.push_back(agent);
  config.groups.push_back(config::GroupConfig{"sales", {"a1", "a2"}, "sales"});
  config.groups.push_back(config::GroupConfig{"quiet", {"a1"}, ""});
  const MwiScope scope = mwiScopeFromConfig(config);
  ASSERT_EQ(scope.extensions.size(), 1u);
  EXPECT_EQ(scope.extensions[0].dn, "1000");
  ASSERT_NE(scope.boxesOf("a1"), nullptr);
  EXPECT_EQ(scope.boxesOf("a1")->own, "a1box");
  EXPECT_EQ(scope.boxesOf("a1")->groups, std::vector<std::string>{"sales"});
  EXPECT_EQ(scope.boxesOf("a2")->own, "");
  EXPECT_EQ(scope.boxesOf("a3"), nullptr);
}

}  // namespace
}  // namespace ccsip::pbx::test
