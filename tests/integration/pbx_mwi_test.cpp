// Voicemail waiting indication through the whole process: SIPp plays Asterisk's MWI notifier
// (scenarios/pbx_mwi_*.xml, NOTIFYs copied from the real Asterisk 20 traces), ccsip subscribes
// to the boxes in scope (extension boxes for the whole run, an agent's box while it is logged
// in, a group's box while a member is), and CTI clients see each NOTIFY as an EventUserEvent
// with userData.gsipmwi.

#include <algorithm>
#include <iostream>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <boost/json/parse.hpp>
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

struct Mwi {
  std::string mailbox;
  std::string waiting;  // "yes" / "no"
  std::string voice;    // "1/0 (0/0)"
  std::int64_t newMessages = 0;
  std::int64_t oldMessages = 0;
};

std::optional<std::int64_t> numberField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  boost::system::error_code error;
  auto number = value->to_number<std::int64_t>(error);
  if (error) return std::nullopt;
  return number;
}

bool mwiIs(const boost::json::object& event, const Mwi& expected) {
  const auto* mwi = mwiOf(event);
  return mwi != nullptr && stringField(*mwi, "Mailbox") == expected.mailbox &&
         stringField(*mwi, "Messages-Waiting") == expected.waiting &&
         stringField(*mwi, "Voice-Message") == expected.voice &&
         numberField(*mwi, "NewMessages") == expected.newMessages &&
         numberField(*mwi, "OldMessages") == expected.oldMessages;
}

std::string describe(const Mwi& mwi) {
  return "{Mailbox " + mwi.mailbox + ", Messages-Waiting " + mwi.waiting + ", Voice-Message " +
         mwi.voice + ", NewMessages " + std::to_string(mwi.newMessages) + ", OldMessages " +
         std::to_string(mwi.oldMessages) + "}";
}

const Mwi kNone1000{"1000", "no", "0/0 (0/0)", 0, 0};
const Mwi kOne1000{"1000", "yes", "1/0 (0/0)", 1, 0};
const Mwi kTwo1000{"1000", "yes", "2/0 (0/0)", 2, 0};

// The user part and the ;name=value parameters of a SIP URI ("sip:gsipmwi@h:p;mb=1;dn=2").
std::string uriParam(const std::string& uri, const std::string& name) {
  const std::string key = ";" + name + "=";
  std::size_t at = uri.find(key);
  if (at == std::string::npos) return "";
  std::size_t end = uri.find_first_of(";>?", at + key.size());
  return uri.substr(at + key.size(),
                    end == std::string::npos ? std::string::npos : end - at - key.size());
}

class PbxMwiTest : public ServerTest {
 protected:
  // ccsip with the `switch` section on SIPp's port, `extraYaml` (dns, agents, groups) and CTI.
  ::testing::AssertionResult startCcsip(SwitchOptions options, const std::string& extraYaml,
                                        int t1Ms = 100, int t2Ms = 400) {
    switch_ = options;
    switch_.port = freeUdpPort();
    if (switch_.port == 0) return ::testing::AssertionFailure() << "no free UDP port";
    TestConfigOptions config;
    config.t1Ms = t1Ms;
    config.t2Ms = t2Ms;
    config.extraYaml = switchYaml(switch_) + extraYaml + ctiAndHttpYaml();
    auto started = startServer(config);
    if (!started) return started;
    ctiPort_ = servicePort(readFile(dir_.file("ports.txt")), "cti");
    httpPort_ = servicePort(readFile(dir_.file("ports.txt")), "http");
    return connect(cti_);
  }

  ::testing::AssertionResult connect(CtiEventClient& client) {
    if (ctiPort_ == 0 || !client.connect(ctiPort_)) {
      return ::testing::AssertionFailure() << "no CTI port: " << readFile(dir_.file("ports.txt"));
    }
    return client.openSession();
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

  // The next EventUserEvent of `client` carrying `expected` on `dn`; events before it passed over.
  ::testing::AssertionResult receivesMwi(CtiEventClient& client, const std::string& dn,
                                         const Mwi& expected,
                                         std::chrono::milliseconds timeout = 20s) {
    auto event = client.waitFor("EventUserEvent", timeout,
                                [&](const Event& e) { return mwiIs(e, expected); });
    if (!event) {
      return ::testing::AssertionFailure()
             << "no EventUserEvent with gsipmwi " << describe(expected) << "; CTI transcript:\n"
             << client.transcript() << "\n--- notifier\n"
             << notifier_.report() << "\n--- ccsip log\n"
             << ccsip_.outputTail();
    }
    if (stringField(*event, "thisDN") != dn) {
      return ::testing::AssertionFailure() << "EventUserEvent for " << dn << " came with thisDN "
                                           << boost::json::serialize(*event);
    }
    return ::testing::AssertionSuccess();
  }

  // The initial MWI SUBSCRIBE for `box` (the seed's form: Request-URI and From gvm-<box> at the
  // switch, Contact gsipmwi with mb, dn, tp), associated with `dn`.
  void expectMwiSubscribe(const SippMessage& subscribe, const std::string& box,
                          const std::string& dn) {
    const std::string switchHost = "127.0.0.1:" + std::to_string(switch_.port);
    EXPECT_EQ(subscribe.requestUri(), "sip:gvm-" + box + "@" + switchHost) << subscribe.text;
    EXPECT_THAT(subscribe.header("From"), ::testing::HasSubstr("<sip:gvm-" + box + "@127.0.0.1"))
        << subscribe.text;
    EXPECT_EQ(subscribe.header("Event"), "message-summary") << subscribe.text;
    EXPECT_EQ(subscribe.header("Accept"), "application/simple-message-summary") << subscribe.text;
    EXPECT_EQ(subscribe.header("Expires"), std::to_string(switch_.mwiExpires)) << subscribe.text;
    const std::string contact = subscribe.header("Contact");
    EXPECT_THAT(contact, ::testing::StartsWith(
                             "<sip:gsipmwi@127.0.0.1:" + std::to_string(ccsip_.udpPort()) + ";"))
        << subscribe.text;
    EXPECT_EQ(uriParam(contact, "mb"), box) << subscribe.text;
    EXPECT_EQ(uriParam(contact, "dn"), dn) << subscribe.text;
    EXPECT_FALSE(uriParam(contact, "tp").empty()) << subscribe.text;
  }

  // The subscriptions to `box` the switch still holds: initial SUBSCRIBEs minus unsubscribes
  // (Expires: 0) in their dialogs. In-dialog requests go to the notifier's Contact, so they are
  // told apart by Call-ID, not by Request-URI.
  static int liveSubscriptions(const std::vector<SippMessage>& messages, const std::string& box) {
    std::set<std::string> dialogs;
    for (const auto& s : initialSubscribes(messages)) {
      if (s.requestUri().rfind("sip:gvm-" + box + "@", 0) == 0) dialogs.insert(s.header("Call-ID"));
    }
    int live = static_cast<int>(dialogs.size());
    for (const auto& s : inDialogSubscribes(messages)) {
      if (dialogs.count(s.header("Call-ID")) != 0 && s.header("Expires") == "0") --live;
    }
    return live;
  }

  SwitchOptions switch_;
  std::uint16_t ctiPort_ = 0;
  std::uint16_t httpPort_ = 0;
  CtiEventClient cti_;
  SippNotifier notifier_{dir_};
};

// An extension on ccsip (3000) whose voicemail box is 1000, followed for the whole run.
constexpr const char* kExtensionWithBox =
    "dns:\n  - {dn: \"3000\", password: pw3000, mailbox: \"1000\"}\n";

// mwi-message-summary.txt: no 0/0, then yes 1/0 -> two EventUserEvents on 3000; QueryAddress
// tells the last state; at shutdown the box is unsubscribed (Expires: 0).
TEST_F(PbxMwiTest, ExtensionBoxChanSipIsFollowedForTheWholeRun) {
  SwitchOptions options;
  options.mwiExtensionEnable = true;
  ASSERT_TRUE(startCcsip(options, kExtensionWithBox));
  ASSERT_TRUE(cti_.registerDn("3000"));
  ASSERT_TRUE(startNotifier("pbx_mwi_chan_sip.xml", 1));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kNone1000));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kOne1000));
  std::string error;
  auto info = cti_.queryAddress("3000", &error);
  ASSERT_TRUE(info) << error;
  EXPECT_TRUE(mwiIs(*info, kOne1000))
      << "QueryAddress does not tell the last MWI state: " << boost::json::serialize(*info);
  auto subscribes = initialSubscribes(notifier_.messages());
  ASSERT_EQ(subscribes.size(), 1U) << notifier_.report();
  expectMwiSubscribe(subscribes[0], "1000", "3000");

  EXPECT_TRUE(notifier_.running()) << "unsubscribed before shutdown\n" << notifier_.report();
  EXPECT_EQ(ccsip_.stop(), std::optional<int>(0)) << ccsip_.outputTail();
  EXPECT_TRUE(notifier_.passes(10s)) << "no unsubscribe (Expires: 0) at shutdown";
}

TEST_F(PbxMwiTest, ExtensionBoxPjsipIsFollowedForTheWholeRun) {
  SwitchOptions options;
  options.mwiExtensionEnable = true;
  ASSERT_TRUE(startCcsip(options, kExtensionWithBox));
  ASSERT_TRUE(cti_.registerDn("3000"));
  ASSERT_TRUE(startNotifier("pbx_mwi_pjsip.xml", 1));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kNone1000));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kOne1000));
  auto subscribes = initialSubscribes(notifier_.messages());
  ASSERT_EQ(subscribes.size(), 1U) << notifier_.report();
  expectMwiSubscribe(subscribes[0], "1000", "3000");
  EXPECT_EQ(ccsip_.stop(), std::optional<int>(0)) << ccsip_.outputTail();
  EXPECT_TRUE(notifier_.passes(10s)) << "no unsubscribe (Expires: 0) at shutdown";
}

// Without switch.mwi.extension-enable the extension boxes are left alone.
TEST_F(PbxMwiTest, ExtensionBoxesAreNotFollowedWhenDisabled) {
  ASSERT_TRUE(startCcsip({}, kExtensionWithBox));
  ASSERT_TRUE(startNotifier("pbx_mwi_chan_sip.xml", 1));
  std::this_thread::sleep_for(1500ms);
  EXPECT_TRUE(initialSubscribes(notifier_.messages()).empty()) << notifier_.report();
}

// An agent's box (AgentConfig mailbox): subscribed at login, whatever DN, its NOTIFYs to the
// agent's session, unsubscribed at logout.
TEST_F(PbxMwiTest, AgentBoxIsFollowedWhileTheAgentIsLoggedIn) {
  ASSERT_TRUE(startCcsip({},
                         "agents:\n"
                         "  - {id: \"5001\", password: pw5001, mailbox: \"5001\"}\n"));
  ASSERT_TRUE(startNotifier("pbx_mwi_pjsip.xml", 1));
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(initialSubscribes(notifier_.messages()).empty())
      << "the agent's box was subscribed before its login\n"
      << notifier_.report();

  ASSERT_TRUE(cti_.registerDn("1001"));
  ASSERT_TRUE(cti_.agentLogin("1001", "5001", "pw5001", "Ready"));
  ASSERT_TRUE(receivesMwi(cti_, "1001", {"5001", "no", "0/0 (0/0)", 0, 0}));
  ASSERT_TRUE(receivesMwi(cti_, "1001", {"5001", "yes", "1/0 (0/0)", 1, 0}));
  auto subscribes = initialSubscribes(notifier_.messages());
  ASSERT_EQ(subscribes.size(), 1U) << notifier_.report();
  expectMwiSubscribe(subscribes[0], "5001", "1001");

  EXPECT_TRUE(notifier_.running()) << "unsubscribed while logged in\n" << notifier_.report();
  ASSERT_TRUE(cti_.agentLogout("1001"));
  EXPECT_TRUE(notifier_.passes(10s)) << "no unsubscribe (Expires: 0) after the agent's logout";
}

// A group's box: subscribed while at least one member is logged in, its NOTIFYs to every
// logged-in member, unsubscribed when the last member logs out.
TEST_F(PbxMwiTest, GroupBoxIsFollowedWhileAMemberIsLoggedIn) {
  ASSERT_TRUE(startCcsip({},
                         "agents:\n"
                         "  - {id: \"5001\", password: pw5001}\n"
                         "  - {id: \"5002\", password: pw5002}\n"
                         "groups:\n"
                         "  - {name: sales, members: [\"5001\", \"5002\"], mailbox: sales}\n"));
  ASSERT_TRUE(startNotifier("pbx_mwi_group.xml", 0));
  CtiEventClient second;
  ASSERT_TRUE(connect(second));

  ASSERT_TRUE(cti_.registerDn("1000"));
  ASSERT_TRUE(cti_.agentLogin("1000", "5001", "pw5001", "Ready"));
  ASSERT_TRUE(receivesMwi(cti_, "1000", {"sales", "no", "0/0 (0/0)", 0, 0}));
  ASSERT_TRUE(second.registerDn("1001"));
  ASSERT_TRUE(second.agentLogin("1001", "5002", "pw5002", "Ready"));
  const Mwi one{"sales", "yes", "1/0 (0/0)", 1, 0};
  ASSERT_TRUE(receivesMwi(cti_, "1000", one));
  ASSERT_TRUE(receivesMwi(second, "1001", one));
  auto subscribes = initialSubscribes(notifier_.messages());
  ASSERT_GE(subscribes.size(), 1U) << notifier_.report();
  expectMwiSubscribe(subscribes[0], "sales", "1000");

  ASSERT_TRUE(cti_.agentLogout("1000"));
  std::this_thread::sleep_for(1500ms);
  EXPECT_GE(liveSubscriptions(notifier_.messages(), "sales"), 1)
      << "the group box was unsubscribed while member 5002 is still logged in\n"
      << notifier_.report();

  ASSERT_TRUE(second.agentLogout("1001"));
  EXPECT_TRUE(notifier_.waitForMessages(
      [](const std::vector<SippMessage>& m) { return liveSubscriptions(m, "sales") == 0; }, 10s))
      << "the group box is still subscribed after its last member logged out\n"
      << notifier_.report();
  notifier_.quit();
}

// mwi-two-mailboxes.txt: two boxes at once, each NOTIFY reaches only its own extension.
TEST_F(PbxMwiTest, TwoMailboxesReachTheirOwnClients) {
  SwitchOptions options;
  options.mwiExtensionEnable = true;
  ASSERT_TRUE(startCcsip(options,
                         "dns:\n"
                         "  - {dn: \"3000\", password: pw3000, mailbox: \"1000\"}\n"
                         "  - {dn: \"3001\", password: pw3001, mailbox: \"2000\"}\n"));
  ASSERT_TRUE(cti_.registerDn("3000"));
  CtiEventClient other;
  ASSERT_TRUE(connect(other));
  ASSERT_TRUE(other.registerDn("3001"));
  ASSERT_TRUE(startNotifier("pbx_mwi_two_mailboxes.xml", 2));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kOne1000));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kTwo1000));
  ASSERT_TRUE(receivesMwi(other, "3001", {"2000", "no", "0/0 (0/0)", 0, 0}));
  ASSERT_TRUE(notifier_.passes(10s));
  for (const auto& e : cti_.drain(500ms)) {
    EXPECT_NE(eventName(e), "EventUserEvent") << boost::json::serialize(e);
  }
  for (const auto& e : other.drain(300ms)) {
    EXPECT_NE(eventName(e), "EventUserEvent") << boost::json::serialize(e);
  }
  EXPECT_THAT(cti_.transcript(), ::testing::Not(::testing::HasSubstr("\"Mailbox\":\"2000\"")));
  EXPECT_THAT(other.transcript(), ::testing::Not(::testing::HasSubstr("\"Mailbox\":\"1000\"")));
}

// The notifier ends an MWI subscription: a new one is made at once, and its NOTIFY counts.
void expectMwiResubscribed(SippNotifier& notifier) {
  ASSERT_TRUE(notifier.passes(15s));
  const auto messages = notifier.messages();
  const auto subscribes = initialSubscribes(messages);
  ASSERT_EQ(subscribes.size(), 2U) << notifier.report();
  EXPECT_NE(subscribes[1].header("Call-ID"), subscribes[0].header("Call-ID"));
  double terminatedAt = 0;
  for (const auto& m : messages) {
    if (!m.received && m.method() == "NOTIFY" && terminatedAt == 0 &&
        m.header("Subscription-State").rfind("terminated", 0) == 0) {
      terminatedAt = m.time;
    }
  }
  ASSERT_GT(terminatedAt, 0);
  EXPECT_LT(subscribes[1].time - terminatedAt, 3.0);
}

TEST_F(PbxMwiTest, TerminatedWithReasonIsResubscribed) {
  SwitchOptions options;
  options.mwiExtensionEnable = true;
  ASSERT_TRUE(startCcsip(options, kExtensionWithBox));
  ASSERT_TRUE(cti_.registerDn("3000"));
  ASSERT_TRUE(startNotifier("pbx_mwi_terminated_chan_sip.xml", 2));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kNone1000));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kTwo1000));
  expectMwiResubscribed(notifier_);
}

// subscription-expiry.txt (chan_pjsip): Expires 60 as in the trace, whose NOTIFYs count down
// from it (active;expires=59), then a bare terminated.
TEST_F(PbxMwiTest, TerminatedWithoutReasonIsResubscribed) {
  SwitchOptions options;
  options.mwiExtensionEnable = true;
  options.mwiExpires = 60;
  ASSERT_TRUE(startCcsip(options, kExtensionWithBox));
  ASSERT_TRUE(cti_.registerDn("3000"));
  ASSERT_TRUE(startNotifier("pbx_mwi_terminated_pjsip.xml", 2));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kOne1000));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kTwo1000));
  expectMwiResubscribed(notifier_);
}

// mwi-rejected.txt: 404 "Not found (no mailbox)", 403, no answer; each tried again after
// switch.mwi.retry (1 s; the unanswered one after Timer F, 6.4 s); the fourth is accepted.
TEST_F(PbxMwiTest, RejectedAndUnansweredSubscribesAreRetriedAfterTheRetryPeriod) {
  SwitchOptions options;
  options.mwiExtensionEnable = true;
  ASSERT_TRUE(startCcsip(options, kExtensionWithBox));
  ASSERT_TRUE(cti_.registerDn("3000"));
  ASSERT_TRUE(startNotifier("pbx_mwi_rejected.xml", 4, {"-key", "silence", "7500"}));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kOne1000, 30s));
  ASSERT_TRUE(notifier_.passes(15s));
  const auto subscribes = initialSubscribes(notifier_.messages());
  ASSERT_EQ(subscribes.size(), 4U) << notifier_.report();
  const double gaps[] = {subscribes[1].time - subscribes[0].time,
                         subscribes[2].time - subscribes[1].time,
                         subscribes[3].time - subscribes[2].time};
  EXPECT_GE(gaps[0], 0.9) << "retried " << gaps[0] << " s after 404";
  EXPECT_LE(gaps[0], 3.0) << "retried " << gaps[0] << " s after 404";
  EXPECT_GE(gaps[1], 0.9) << "retried " << gaps[1] << " s after 403";
  EXPECT_LE(gaps[1], 3.0) << "retried " << gaps[1] << " s after 403";
  EXPECT_GE(gaps[2], 6.4) << "retried " << gaps[2] << " s after the unanswered one";
  EXPECT_LE(gaps[2], 10.0) << "retried " << gaps[2] << " s after the unanswered one";
  for (const auto& subscribe : subscribes) expectMwiSubscribe(subscribe, "1000", "3000");
}

// A NOTIFY whose body is not a simple-message-summary: 400, no event, the state stays.
TEST_F(PbxMwiTest, MalformedBodyIsAnswered400AndChangesNothing) {
  SwitchOptions options;
  options.mwiExtensionEnable = true;
  ASSERT_TRUE(startCcsip(options, kExtensionWithBox));
  ASSERT_TRUE(cti_.registerDn("3000"));
  ASSERT_TRUE(startNotifier("pbx_mwi_malformed.xml", 1));
  ASSERT_TRUE(receivesMwi(cti_, "3000", kOne1000));
  ASSERT_TRUE(notifier_.passes(10s)) << "the malformed NOTIFY was not answered 400\n"
                                     << ccsip_.outputTail();
  for (const auto& e : cti_.drain(700ms)) {
    EXPECT_NE(eventName(e), "EventUserEvent")
        << "the malformed NOTIFY made an event: " << boost::json::serialize(e);
  }
  std::string error;
  auto info = cti_.queryAddress("3000", &error);
  ASSERT_TRUE(info) << error;
  EXPECT_TRUE(mwiIs(*info, kOne1000)) << boost::json::serialize(*info);
}

// 5,000 extensions on the switch, each with its box: 10,000 subscriptions, each accepted and
// notified once (presence closed, MWI 1/0); all of them reach the call model.
TEST_F(PbxMwiTest, FiveThousandEndpointsAndFiveThousandMailboxes) {
  constexpr int kCount = 5000;
  SwitchOptions options;
  options.mwiExtensionEnable = true;
  options.subscribeRate = 2000;
  std::string dns = "dns:\n";
  for (int i = 0; i < kCount; ++i) {
    const std::string dn = std::to_string(20000 + i);
    dns += "  - {dn: \"" + dn + "\", mailbox: \"" + dn + "\"}\n";
  }
  const auto started = std::chrono::steady_clock::now();
  // Default timers: T1 500 ms, so a burst does not turn into a storm of retransmissions.
  ASSERT_TRUE(startCcsip(options, dns, 500, 4000));
  ASSERT_TRUE(cti_.registerDn("20000"));
  ASSERT_TRUE(cti_.registerDn("24999"));
  SippNotifierOptions load;
  load.scenario = "pbx_load.xml";
  load.port = switch_.port;
  load.calls = 2 * kCount;
  load.traceMessages = false;
  load.keepDeadCalls = true;  // late retransmissions of answered SUBSCRIBEs are absorbed
  load.timeout = 90s;
  ASSERT_TRUE(notifier_.start(load));
  ASSERT_TRUE(notifier_.passes(75s)) << "not every SUBSCRIBE was answered and notified\n"
                                     << ccsip_.outputTail();
  const auto notified = std::chrono::steady_clock::now();

  // The two boxes are notified in whatever order the load took: wait for both.
  {
    const Mwi first{"20000", "yes", "1/0 (0/0)", 1, 0};
    const Mwi last{"24999", "yes", "1/0 (0/0)", 1, 0};
    bool firstSeen = false;
    bool lastSeen = false;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!(firstSeen && lastSeen) && std::chrono::steady_clock::now() < deadline) {
      auto event = cti_.next(100ms);
      if (!event) continue;
      firstSeen = firstSeen || (mwiIs(*event, first) && stringField(*event, "thisDN") == "20000");
      lastSeen = lastSeen || (mwiIs(*event, last) && stringField(*event, "thisDN") == "24999");
    }
    ASSERT_TRUE(firstSeen && lastSeen)
        << "MWI of 20000 " << firstSeen << ", of 24999 " << lastSeen << "; CTI:\n"
        << cti_.transcript();
  }
  // Every endpoint was notified closed, every box 1/0: the admin API lists them so.
  int outOfService = 0;
  int withMessages = 0;
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto body = httpGet(httpPort_, "/api/v1/dns");
    ASSERT_TRUE(body) << "GET /api/v1/dns failed";
    boost::system::error_code error;
    auto value = boost::json::parse(*body, error);
    ASSERT_FALSE(error) << body->substr(0, 500);
    const auto* list = value.is_object() ? value.as_object().if_contains("dns") : nullptr;
    ASSERT_TRUE(list != nullptr && list->is_array()) << body->substr(0, 500);
    outOfService = 0;
    withMessages = 0;
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) continue;
      const auto& dn = item.as_object();
      const std::string name = stringField(dn, "thisDN");
      if (name.size() != 5 || name[0] != '2') continue;
      outOfService += stringField(dn, "dnState") == "OutOfService" ? 1 : 0;
      withMessages += mwiIs(dn, {name, "yes", "1/0 (0/0)", 1, 0}) ? 1 : 0;
    }
    if (outOfService == kCount && withMessages == kCount) break;
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_EQ(outOfService, kCount) << "endpoints whose presence NOTIFY reached the model";
  EXPECT_EQ(withMessages, kCount) << "mailboxes whose MWI NOTIFY reached the model";
  const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::cout << "10,000 subscriptions active and notified " << seconds(notified - started)
            << " s after start\n";
  EXPECT_LT(seconds(std::chrono::steady_clock::now() - started), 60.0);
}

}  // namespace
}  // namespace ccsip::itest
