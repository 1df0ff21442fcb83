// Agent and DN state from Asterisk presence, through the whole process: SIPp plays Asterisk's
// notifier (scenarios/pbx_*.xml, NOTIFYs copied from the real Asterisk 20 traces of chan_sip and
// chan_pjsip), ccsip subscribes to every extension `on: switch`, and a CTI client logged in as
// the agent on that extension sees what a private call on Asterisk does to the agent.

#include <cstdlib>
#include <thread>

#include <gmock/gmock.h>
#include <boost/json/serialize.hpp>

#include "harness/cti_client.h"
#include "harness/cti_event_client.h"
#include "harness/pbx_config.h"
#include "harness/server_test.h"
#include "harness/sipp_notifier.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using Event = CtiEventClient::Event;

constexpr const char* kEndpoint = "2000";
constexpr const char* kAgent = "5001";

// Events a private call must never cause (seed "Private Calls": agent-state events only).
bool isCallEvent(const std::string& name) {
  for (const char* call :
       {"EventRinging", "EventDialing", "EventEstablished", "EventReleased", "EventAbandoned",
        "EventNetworkReached", "EventDestinationBusy", "EventHeld", "EventRetrieved"}) {
    if (name == call) return true;
  }
  return false;
}

class PbxPresenceTest : public ServerTest {
 protected:
  // ccsip with extension 2000 on the switch (SIPp on `switch_.port`) and agent 5001, whose
  // default DN it is. Short timers: T1 100 ms, so an unanswered SUBSCRIBE times out (64*T1)
  // in 6.4 s.
  ::testing::AssertionResult startCcsip(SwitchOptions options, const std::string& extraYaml = "",
                                        int t1Ms = 100, int t2Ms = 400) {
    switch_ = options;
    switch_.port = freeUdpPort();
    if (switch_.port == 0) return ::testing::AssertionFailure() << "no free UDP port";
    TestConfigOptions config;
    config.t1Ms = t1Ms;
    config.t2Ms = t2Ms;
    config.extraYaml = switchYaml(switch_) +
                       "dns:\n"
                       "  - {dn: \"2000\", on: switch}\n" +
                       extraYaml +
                       "agents:\n"
                       "  - {id: \"5001\", password: pw5001, default-dn: \"2000\"}\n" +
                       ctiAndHttpYaml();
    auto started = startServer(config);
    if (!started) return started;
    const std::uint16_t ctiPort = servicePort(readFile(dir_.file("ports.txt")), "cti");
    if (ctiPort == 0 || !cti_.connect(ctiPort)) {
      return ::testing::AssertionFailure() << "no CTI port: " << readFile(dir_.file("ports.txt"));
    }
    return cti_.openSession();
  }

  // The agent logs in on 2000 in `state`; its desktop has registered the DN.
  ::testing::AssertionResult loginAgent(const std::string& state = "Ready") {
    auto registered = cti_.registerDn(kEndpoint);
    if (!registered) return registered;
    return cti_.agentLogin(kEndpoint, kAgent, "pw5001", state);
  }

  ::testing::AssertionResult startNotifier(const std::string& scenario, int calls,
                                           std::vector<std::string> extraArgs = {}) {
    SippNotifierOptions options;
    options.scenario = scenario;
    options.port = switch_.port;
    options.calls = calls;
    options.extraArgs = std::move(extraArgs);
    return notifier_.start(options);
  }

  // Every event from now until the notifier has finished, plus a short quiet spell.
  std::vector<Event> eventsUntilNotifierEnds(std::chrono::seconds timeout = 30s) {
    std::vector<Event> events;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (notifier_.running() && std::chrono::steady_clock::now() < deadline) {
      if (auto event = cti_.next(100ms)) events.push_back(std::move(*event));
    }
    for (auto& event : cti_.drain(700ms)) events.push_back(std::move(event));
    return events;
  }

  // The initial SUBSCRIBE asks the switch for extension 2000's `event` state.
  void expectPresenceSubscribe(const SippMessage& subscribe, const std::string& event,
                               const std::string& accept) {
    EXPECT_EQ(subscribe.requestUri(),
              std::string("sip:") + kEndpoint + "@127.0.0.1:" + std::to_string(switch_.port))
        << subscribe.text;
    EXPECT_EQ(subscribe.header("Event"), event) << subscribe.text;
    EXPECT_EQ(subscribe.header("Accept"), accept) << subscribe.text;
    EXPECT_EQ(subscribe.header("Expires"), std::to_string(switch_.presenceExpires))
        << subscribe.text;
    EXPECT_THAT(subscribe.header("Contact"),
                ::testing::HasSubstr("127.0.0.1:" + std::to_string(ccsip_.udpPort())))
        << subscribe.text;
  }

  // A private call as `scenario` tells it: exactly `expected` (agent and DN events of 2000, in
  // order), no call event, and one subscription.
  void runPrivateCall(const std::string& scenario, const std::string& event,
                      const std::string& accept, const std::vector<std::string>& expected,
                      const std::string& agentState = "Ready") {
    SwitchOptions options;
    options.presenceEvent = event == "dialog" ? "dialog" : "presence";
    ASSERT_TRUE(startCcsip(options));
    ASSERT_TRUE(loginAgent(agentState));
    ASSERT_TRUE(startNotifier(scenario, 1));

    const std::vector<Event> events = eventsUntilNotifierEnds();
    ASSERT_TRUE(notifier_.passes(1s)) << ccsip_.outputTail();

    std::vector<std::string> names;
    for (const auto& e : events) names.push_back(eventName(e));
    EXPECT_EQ(names, expected) << "CTI transcript:\n" << cti_.transcript();
    for (const auto& e : events) {
      const std::string name = eventName(e);
      EXPECT_FALSE(isCallEvent(name)) << "a private call caused " << boost::json::serialize(e);
      EXPECT_EQ(stringField(e, "thisDN"), kEndpoint) << boost::json::serialize(e);
      if (name.rfind("EventAgent", 0) == 0) {
        EXPECT_EQ(stringField(e, "agentId"), kAgent) << boost::json::serialize(e);
      }
      if (name == "EventAgentNotReady") {
        EXPECT_EQ(stringField(e, "agentState"), "NotReady") << boost::json::serialize(e);
        EXPECT_TRUE(reasonsMention(e, "endpoint-busy")) << boost::json::serialize(e);
      }
      if (name == "EventAgentReady") {
        EXPECT_EQ(stringField(e, "agentState"), "Ready") << boost::json::serialize(e);
      }
    }
    const auto subscribes = initialSubscribes(notifier_.messages());
    ASSERT_EQ(subscribes.size(), 1U) << notifier_.report();
    expectPresenceSubscribe(subscribes[0], event, accept);
  }

  SwitchOptions switch_;
  CtiEventClient cti_;
  SippNotifier notifier_{dir_};
};

const std::vector<std::string> kPidfEvents = {"EventDNOutOfService", "EventDNBackInService",
                                              "EventAgentNotReady", "EventAgentReady",
                                              "EventDNOutOfService"};
const std::vector<std::string> kDialogEvents = {"EventAgentNotReady", "EventAgentReady"};

// presence-pidf.txt (chan_sip): closed, open, busy "Ringing" twice, busy "On the phone", open,
// closed. Busy with a Ready agent -> NotReady (endpoint-busy) once; idle -> Ready again.
TEST_F(PbxPresenceTest, ChanSipPidfPrivateCallDrivesAgentAndDnEvents) {
  runPrivateCall("pbx_pidf_chan_sip.xml", "presence", "application/pidf+xml", kPidfEvents);
  std::string error;
  auto info = cti_.queryAddress(kEndpoint, &error);
  ASSERT_TRUE(info) << error;
  EXPECT_EQ(stringField(*info, "dnState"), "OutOfService") << boost::json::serialize(*info);
  EXPECT_EQ(stringField(*info, "agentState"), "Ready") << boost::json::serialize(*info);
}

// presence-pidf.txt (chan_pjsip): ringing and talking are both open + rpid:on-the-phone.
TEST_F(PbxPresenceTest, PjsipPidfPrivateCallDrivesAgentAndDnEvents) {
  runPrivateCall("pbx_pidf_pjsip.xml", "presence", "application/pidf+xml", kPidfEvents);
}

// presence-dialog-info.txt (chan_sip): terminated twice, early twice, confirmed, terminated
// twice. Dialog-info cannot say "not registered": no DN events.
TEST_F(PbxPresenceTest, ChanSipDialogInfoPrivateCallDrivesAgentEvents) {
  runPrivateCall("pbx_dialog_chan_sip.xml", "dialog", "application/dialog-info+xml", kDialogEvents);
  std::string error;
  auto info = cti_.queryAddress(kEndpoint, &error);
  ASSERT_TRUE(info) << error;
  EXPECT_EQ(stringField(*info, "dnState"), "Idle") << boost::json::serialize(*info);
  EXPECT_EQ(stringField(*info, "agentState"), "Ready") << boost::json::serialize(*info);
}

// presence-dialog-info.txt (chan_pjsip): terminated twice, early, confirmed, terminated twice.
TEST_F(PbxPresenceTest, PjsipDialogInfoPrivateCallDrivesAgentEvents) {
  runPrivateCall("pbx_dialog_pjsip.xml", "dialog", "application/dialog-info+xml", kDialogEvents);
}

// DESIGN.md "Agent availability and presence": presence never undoes a NotReady the agent chose.
TEST_F(PbxPresenceTest, PresenceDoesNotTouchANotReadyTheAgentChose) {
  runPrivateCall("pbx_pidf_chan_sip.xml", "presence", "application/pidf+xml",
                 {"EventDNOutOfService", "EventDNBackInService", "EventDNOutOfService"},
                 "NotReady");
}

// The notifier ends the subscription: a new one is made at once, and it works.
void expectResubscribedAfterTerminated(SippNotifier& notifier, CtiEventClient& cti,
                                       const std::string& ccsipLog) {
  auto notReady = cti.waitFor("EventAgentNotReady", 20s);
  ASSERT_TRUE(notReady) << "the re-created subscription's ringing NOTIFY made no event; CTI:\n"
                        << cti.transcript() << notifier.report() << ccsipLog;
  EXPECT_TRUE(reasonsMention(*notReady, "endpoint-busy")) << boost::json::serialize(*notReady);
  ASSERT_TRUE(notifier.passes(10s));
  const auto messages = notifier.messages();
  const auto subscribes = initialSubscribes(messages);
  ASSERT_EQ(subscribes.size(), 2U) << notifier.report();
  double terminatedAt = 0;
  for (const auto& m : messages) {
    if (!m.received && m.method() == "NOTIFY" &&
        m.header("Subscription-State").rfind("terminated", 0) == 0 && terminatedAt == 0) {
      terminatedAt = m.time;
    }
  }
  ASSERT_GT(terminatedAt, 0) << notifier.report();
  EXPECT_GE(subscribes[1].time, terminatedAt);
  EXPECT_LT(subscribes[1].time - terminatedAt, 3.0)
      << "re-SUBSCRIBE came " << subscribes[1].time - terminatedAt << " s after terminated";
  EXPECT_NE(subscribes[1].header("Call-ID"), subscribes[0].header("Call-ID"))
      << "a new subscription is a new dialog (RFC 6665 4.1.2.4)";
  EXPECT_EQ(subscribes[1].header("Event"), "dialog");
}

// subscription-expiry.txt (chan_sip): Subscription-State: terminated;reason=timeout. Expires 60
// as in the trace (whose NOTIFYs count down from it).
TEST_F(PbxPresenceTest, TerminatedWithReasonIsResubscribed) {
  SwitchOptions options;
  options.presenceEvent = "dialog";
  options.presenceExpires = 60;
  ASSERT_TRUE(startCcsip(options));
  ASSERT_TRUE(loginAgent());
  ASSERT_TRUE(startNotifier("pbx_terminated_chan_sip.xml", 2));
  expectResubscribedAfterTerminated(notifier_, cti_, ccsip_.outputTail());
}

// subscription-expiry.txt (chan_pjsip): a bare Subscription-State: terminated.
TEST_F(PbxPresenceTest, TerminatedWithoutReasonIsResubscribed) {
  SwitchOptions options;
  options.presenceEvent = "dialog";
  options.presenceExpires = 60;
  ASSERT_TRUE(startCcsip(options));
  ASSERT_TRUE(loginAgent());
  ASSERT_TRUE(startNotifier("pbx_terminated_pjsip.xml", 2));
  expectResubscribedAfterTerminated(notifier_, cti_, ccsip_.outputTail());
}

// presence-rejected.txt: 404, then 403, then no answer at all; each is tried again after
// switch.presence.retry (1 s; an unanswered one after Timer F, 64*T1 = 6.4 s); the fourth try
// is accepted and its NOTIFY counts.
TEST_F(PbxPresenceTest, RejectedAndUnansweredSubscribesAreRetriedAfterTheRetryPeriod) {
  ASSERT_TRUE(startCcsip({}));
  ASSERT_TRUE(loginAgent());
  ASSERT_TRUE(startNotifier("pbx_presence_rejected.xml", 4, {"-key", "silence", "7500"}));
  auto notReady = cti_.waitFor("EventAgentNotReady", 30s);
  ASSERT_TRUE(notReady) << "CTI:\n"
                        << cti_.transcript() << notifier_.report() << ccsip_.outputTail();
  ASSERT_TRUE(notifier_.passes(15s));
  const auto subscribes = initialSubscribes(notifier_.messages());
  ASSERT_EQ(subscribes.size(), 4U) << notifier_.report();
  const double afterNotFound = subscribes[1].time - subscribes[0].time;
  const double afterForbidden = subscribes[2].time - subscribes[1].time;
  const double afterSilence = subscribes[3].time - subscribes[2].time;
  EXPECT_GE(afterNotFound, 0.9) << "retried " << afterNotFound << " s after 404";
  EXPECT_LE(afterNotFound, 3.0) << "retried " << afterNotFound << " s after 404";
  EXPECT_GE(afterForbidden, 0.9) << "retried " << afterForbidden << " s after 403";
  EXPECT_LE(afterForbidden, 3.0) << "retried " << afterForbidden << " s after 403";
  // Timer F (6.4 s), then the retry period.
  EXPECT_GE(afterSilence, 6.4) << "retried " << afterSilence << " s after the first try";
  EXPECT_LE(afterSilence, 10.0) << "retried " << afterSilence << " s after the first try";
  for (const auto& subscribe : subscribes) {
    expectPresenceSubscribe(subscribe, "presence", "application/pidf+xml");
  }
}

// Granted 2 s: refreshed before it ends (same dialog); the second refresh gets 481 (the switch
// lost it, subscription-expiry.txt) and a new subscription is made.
TEST_F(PbxPresenceTest, RefreshedBeforeExpiryAndRecreatedAfter481) {
  SwitchOptions options;
  options.presenceExpires = 2;
  ASSERT_TRUE(startCcsip(options));
  ASSERT_TRUE(loginAgent());
  ASSERT_TRUE(startNotifier("pbx_refresh_481.xml", 2));
  auto notReady = cti_.waitFor("EventAgentNotReady", 20s);
  ASSERT_TRUE(notReady) << "CTI:\n"
                        << cti_.transcript() << notifier_.report() << ccsip_.outputTail();
  ASSERT_TRUE(notifier_.passes(10s));
  const auto messages = notifier_.messages();
  const auto initial = initialSubscribes(messages);
  const auto refreshes = inDialogSubscribes(messages);
  ASSERT_EQ(initial.size(), 2U) << notifier_.report();
  ASSERT_GE(refreshes.size(), 2U) << notifier_.report();
  // The 200 that granted the first subscription.
  double grantedAt = 0;
  for (const auto& m : messages) {
    if (!m.received && m.status() == 200 &&
        m.header("CSeq").find("SUBSCRIBE") != std::string::npos) {
      grantedAt = m.time;
      break;
    }
  }
  ASSERT_GT(grantedAt, 0) << notifier_.report();
  EXPECT_LT(refreshes[0].time - grantedAt, 2.0) << "refreshed after the 2 s granted had ended";
  EXPECT_EQ(refreshes[0].header("Call-ID"), initial[0].header("Call-ID"));
  EXPECT_EQ(refreshes[0].header("Expires"), "2") << refreshes[0].text;
  EXPECT_GT(initial[1].time, refreshes[1].time);
  EXPECT_LT(initial[1].time - refreshes[1].time, 3.0)
      << "re-created " << initial[1].time - refreshes[1].time << " s after the 481";
}

// presence-pidf.txt busy, then an open/Ready document cut short: 400, and the agent stays
// NotReady (the broken NOTIFY is not read as idle).
TEST_F(PbxPresenceTest, MalformedPidfIsAnswered400AndChangesNothing) {
  ASSERT_TRUE(startCcsip({}));
  ASSERT_TRUE(loginAgent());
  ASSERT_TRUE(startNotifier("pbx_pidf_malformed.xml", 1));
  const std::vector<Event> events = eventsUntilNotifierEnds();
  ASSERT_TRUE(notifier_.passes(1s)) << "the malformed NOTIFY was not answered 400\n"
                                    << ccsip_.outputTail();
  std::vector<std::string> names;
  for (const auto& e : events) names.push_back(eventName(e));
  EXPECT_EQ(names, std::vector<std::string>{"EventAgentNotReady"}) << cti_.transcript();
  std::string error;
  auto info = cti_.queryAddress(kEndpoint, &error);
  ASSERT_TRUE(info) << error;
  EXPECT_EQ(stringField(*info, "agentState"), "NotReady") << boost::json::serialize(*info);
  EXPECT_TRUE(reasonsMention(*info, "endpoint-busy")) << boost::json::serialize(*info);
}

// --- Asterisk restarted: its subscriptions are gone and must be made again.

class PbxRestartTest : public PbxPresenceTest {
 protected:
  // Extension 2000 on the switch (presence) and extension 3000 on ccsip whose box 1000 is
  // followed (MWI); the agent is Ready on 2000 and a desktop watches 3000.
  ::testing::AssertionResult startWithPresenceAndMwi(SwitchOptions options, int t1Ms = 100,
                                                     int t2Ms = 400) {
    options.mwiExtensionEnable = true;
    auto started = startCcsip(options, "  - {dn: \"3000\", password: pw3000, mailbox: \"1000\"}\n",
                              t1Ms, t2Ms);
    if (!started) return started;
    auto registered = cti_.registerDn("3000");
    if (!registered) return registered;
    return loginAgent();
  }

  // The NOTIFYs of a presence and an MWI subscription, in either order (the two SUBSCRIBEs are
  // paced and retransmitted independently until SIPp holds the port): the agent event `agent`
  // and an MWI EventUserEvent with `waiting` and `newMessages`.
  ::testing::AssertionResult waitForAgentAndMailbox(const std::string& agent,
                                                    const std::string& waiting,
                                                    std::int64_t newMessages,
                                                    const std::string& switchReport) {
    bool agentSeen = false;
    bool mailbox = false;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!(agentSeen && mailbox) && std::chrono::steady_clock::now() < deadline) {
      auto event = cti_.next(100ms);
      if (!event) continue;
      agentSeen = agentSeen || eventName(*event) == agent;
      if (const auto* mwi = mwiOf(*event); mwi != nullptr) {
        const auto* count = mwi->if_contains("NewMessages");
        mailbox =
            mailbox || (stringField(*mwi, "Messages-Waiting") == waiting && count != nullptr &&
                        count->is_number() && count->to_number<std::int64_t>() == newMessages);
      }
    }
    if (agentSeen && mailbox) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << (agentSeen ? "" : "no " + agent + "; ")
           << (mailbox ? "" : "no MWI " + waiting + " " + std::to_string(newMessages) + "; ")
           << "CTI:\n"
           << cti_.transcript() << switchReport << "\n--- ccsip log\n"
           << ccsip_.outputTail();
  }
};

// The value of ccsip_sip_transaction_timeouts_total on /metrics; nullopt when unreadable.
std::optional<double> transactionTimeouts(std::uint16_t httpPort) {
  auto metrics = httpGet(httpPort, "/metrics");
  if (!metrics) return std::nullopt;
  const std::string name = "ccsip_sip_transaction_timeouts_total";
  for (std::size_t at = metrics->find(name); at != std::string::npos;
       at = metrics->find(name, at + 1)) {
    if (at != 0 && (*metrics)[at - 1] != '\n') continue;
    std::size_t value = metrics->find_first_of(" }", at + name.size());
    if (value == std::string::npos) return std::nullopt;
    if ((*metrics)[value] == '}') ++value;
    return std::strtod(metrics->c_str() + value, nullptr);
  }
  return std::nullopt;
}

// Polls /metrics until one more client transaction (the OPTIONS keepalive) has timed out than
// `before`.
::testing::AssertionResult waitForTransactionTimeout(std::uint16_t httpPort, double before,
                                                     std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<double> last;
  while (std::chrono::steady_clock::now() < deadline) {
    last = transactionTimeouts(httpPort);
    if (last && *last > before) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(100ms);
  }
  return ::testing::AssertionFailure()
         << "no SIP transaction timed out within " << timeout.count()
         << " s of the switch going away (ccsip_sip_transaction_timeouts_total "
         << (last ? std::to_string(*last) : std::string("unreadable")) << ")";
}

// The switch stops answering OPTIONS (SIPp gone), then answers again (another SIPp on the same
// port): every subscription is made anew, and the new NOTIFYs count.
TEST_F(PbxRestartTest, RestartSeenByOptionsKeepaliveRecreatesSubscriptions) {
  SwitchOptions options;
  options.optionsKeepalive = 1;
  // T1 50 ms: an unanswered OPTIONS times out (64*T1) in 3.2 s.
  ASSERT_TRUE(startWithPresenceAndMwi(options, 50, 200));
  ASSERT_TRUE(startNotifier("pbx_restart_first.xml", 0));
  ASSERT_TRUE(waitForAgentAndMailbox("EventAgentNotReady", "no", 0, notifier_.report()));
  const std::uint16_t httpPort = servicePort(readFile(dir_.file("ports.txt")), "http");
  const auto timeoutsBefore = transactionTimeouts(httpPort);
  ASSERT_TRUE(timeoutsBefore) << "ccsip_sip_transaction_timeouts_total not on /metrics";
  EXPECT_EQ(notifier_.quit(), std::optional<int>(0)) << notifier_.report();
  EXPECT_EQ(initialSubscribes(notifier_.messages()).size(), 2U) << notifier_.report();

  // Down until an OPTIONS keepalive has timed out (64*T1 = 3.2 s after it was sent).
  ASSERT_TRUE(waitForTransactionTimeout(httpPort, *timeoutsBefore, 15s)) << ccsip_.outputTail();
  SippNotifier restarted(dir_);
  SippNotifierOptions second;
  second.scenario = "pbx_restart_second.xml";
  second.port = switch_.port;
  ASSERT_TRUE(restarted.start(second));
  // The NOTIFYs of the new presence and MWI subscriptions.
  ASSERT_TRUE(waitForAgentAndMailbox("EventAgentReady", "yes", 1, restarted.report()));
  const auto messages = restarted.messages();
  const auto subscribes = initialSubscribes(messages);
  int presence = 0;
  int mwi = 0;
  for (const auto& s : subscribes) {
    presence += s.header("Event") == "presence" ? 1 : 0;
    mwi += s.header("Event") == "message-summary" ? 1 : 0;
  }
  EXPECT_GE(presence, 1) << restarted.report();
  EXPECT_GE(mwi, 1) << restarted.report();
  bool keepalive = false;
  for (const auto& m : messages) keepalive = keepalive || (m.received && m.method() == "OPTIONS");
  EXPECT_TRUE(keepalive) << "no OPTIONS keepalive reached the restarted switch";
  restarted.quit();
}

// No keepalive: the refreshes (granted 2 s) reach the restarted switch, which answers 481
// (subscription-expiry.txt), and the subscriptions are made anew.
TEST_F(PbxRestartTest, RestartSeenByFailedRefreshRecreatesSubscriptions) {
  SwitchOptions options;
  options.presenceExpires = 2;
  options.mwiExpires = 2;
  ASSERT_TRUE(startWithPresenceAndMwi(options));
  ASSERT_TRUE(startNotifier("pbx_restart_first.xml", 2));
  ASSERT_TRUE(waitForAgentAndMailbox("EventAgentNotReady", "no", 0, notifier_.report()));
  ASSERT_TRUE(notifier_.passes(10s));

  SippNotifier restarted(dir_);
  SippNotifierOptions second;
  second.scenario = "pbx_restart_second.xml";
  second.port = switch_.port;
  ASSERT_TRUE(restarted.start(second));
  // The NOTIFYs of the new presence and MWI subscriptions.
  ASSERT_TRUE(waitForAgentAndMailbox("EventAgentReady", "yes", 1, restarted.report()));
  const auto messages = restarted.messages();
  bool got481 = false;
  for (const auto& m : messages) got481 = got481 || (!m.received && m.status() == 481);
  EXPECT_TRUE(got481) << "no refresh of an old subscription reached the restarted switch\n"
                      << restarted.report();
  EXPECT_GE(initialSubscribes(messages).size(), 2U) << restarted.report();
  restarted.quit();
}

}  // namespace
}  // namespace ccsip::itest
