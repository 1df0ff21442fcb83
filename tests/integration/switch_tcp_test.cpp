// The switch over TCP (switch.transport: tcp, docs/asterisk.md "Who ccsip is"): SIPp plays
// chan_pjsip listening on TCP only (-t t1), so anything ccsip sent over UDP would be lost. A
// presence subscription and the OPTIONS keepalive, then a routed call whose agent leg goes to
// the switch, all over TCP.

#include <algorithm>
#include <future>
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
using ::testing::HasSubstr;

class SwitchTcpTest : public ServerTest {
 protected:
  // ccsip with the switch at a free TCP port over TCP, extension 2000 on the switch and agent
  // 5001 (default DN 2000) in group sales, routing point 8000 to sales.
  void SetUp() override {
    switch_.port = freeTcpPort();
    ASSERT_NE(switch_.port, 0) << "no free TCP port";
  }

  ::testing::AssertionResult startCcsip(SwitchOptions options) {
    options.port = switch_.port;
    switch_ = options;
    switch_.transport = "tcp";
    TestConfigOptions config;
    config.t1Ms = 100;
    config.t2Ms = 400;
    config.extraYaml = switchYaml(switch_) +
                       "dns:\n"
                       "  - {dn: \"2000\", on: switch}\n"
                       "  - dn: \"8000\"\n"
                       "    type: routing-point\n"
                       "    routing-point: {target-group: sales}\n"
                       "agents:\n"
                       "  - {id: \"5001\", password: pw5001, default-dn: \"2000\"}\n"
                       "groups:\n"
                       "  - {name: sales, members: [\"5001\"]}\n" +
                       ctiAndHttpYaml();
    auto started = startServer(config);
    if (!started) return started;
    const std::uint16_t ctiPort = servicePort(readFile(dir_.file("ports.txt")), "cti");
    if (ctiPort == 0 || !cti_.connect(ctiPort)) {
      return ::testing::AssertionFailure() << "no CTI port: " << readFile(dir_.file("ports.txt"));
    }
    return cti_.openSession();
  }

  // SIPp on the switch's TCP port, in the background.
  ::testing::AssertionResult startSwitch(const std::string& scenario, int calls) {
    SippNotifierOptions options;
    options.scenario = scenario;
    options.port = switch_.port;
    options.calls = calls;
    options.tcp = true;
    return switch__.start(options);
  }

  SwitchOptions switch_;
  CtiEventClient cti_;
  SippNotifier switch__{dir_};
};

// The presence SUBSCRIBE and the OPTIONS keepalives go over TCP (Via SIP/2.0/TCP, Request-URI
// ;transport=tcp), the Contact names ccsip's TCP port, and the switch's NOTIFY, over the same
// connection, makes the Ready agent NotReady (endpoint-busy).
TEST_F(SwitchTcpTest, PresenceSubscriptionAndKeepaliveOverTcp) {
  SwitchOptions options;
  options.optionsKeepalive = 1;
  ASSERT_TRUE(startSwitch("pbx_tcp_switch.xml", 0));
  ASSERT_TRUE(startCcsip(options));
  ASSERT_TRUE(cti_.registerDn("2000"));
  ASSERT_TRUE(cti_.agentLogin("2000", "5001", "pw5001", "Ready"));
  // The NOTIFY may come before the login (then the login itself ends NotReady) or after it.
  std::optional<CtiEventClient::Event> info;
  for (int attempt = 0; attempt < 100; ++attempt) {
    info = cti_.queryAddress("2000");
    if (info && stringField(*info, "agentState") == "NotReady") break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(info) << cti_.transcript();
  EXPECT_EQ(stringField(*info, "agentState"), "NotReady")
      << "CTI:\n"
      << cti_.transcript() << switch__.report() << ccsip_.outputTail();
  EXPECT_EQ(stringField(*info, "dnState"), "Busy") << boost::json::serialize(*info);
  EXPECT_TRUE(reasonsMention(*info, "endpoint-busy")) << boost::json::serialize(*info);
  ASSERT_TRUE(switch__.waitForMessages(
      [](const auto& messages) {
        return std::any_of(messages.begin(), messages.end(), [](const SippMessage& m) {
          return m.received && m.method() == "OPTIONS";
        });
      },
      10s))
      << "no OPTIONS keepalive over TCP\n"
      << switch__.report();

  const auto messages = switch__.messages();
  const auto subscribes = initialSubscribes(messages);
  ASSERT_EQ(subscribes.size(), 1U) << switch__.report();
  const SippMessage& subscribe = subscribes[0];
  EXPECT_EQ(subscribe.requestUri(),
            "sip:2000@127.0.0.1:" + std::to_string(switch_.port) + ";transport=tcp");
  EXPECT_THAT(subscribe.header("Via"), HasSubstr("SIP/2.0/TCP")) << subscribe.text;
  EXPECT_THAT(subscribe.header("Contact"),
              HasSubstr("127.0.0.1:" + std::to_string(ccsip_.tcpPort()) + ";transport=tcp"))
      << subscribe.text;
  for (const auto& m : messages) {
    if (m.received && m.method() == "OPTIONS") {
      EXPECT_THAT(m.header("Via"), HasSubstr("SIP/2.0/TCP")) << m.text;
    }
  }
}

// A call from the switch (over TCP, to ccsip's TCP port) to routing point 8000 is delivered to
// agent 2000 through the switch: the agent leg's INVITE goes over TCP with ;transport=tcp
// (tcp_switch_agent.xml fails without it), and the whole call, ACK and BYE included, works.
TEST_F(SwitchTcpTest, RoutedCallAgentLegOverTcp) {
  SwitchOptions options;
  options.presenceEnable = false;  // the agent phone's SIPp sees only the call
  ASSERT_TRUE(startSwitch("tcp_switch_agent.xml", 1));
  ASSERT_TRUE(startCcsip(options));
  ASSERT_TRUE(cti_.registerDn("2000"));
  ASSERT_TRUE(cti_.agentLogin("2000", "5001", "pw5001", "Ready"));

  SippOptions caller;
  caller.scenario = "routed_caller.xml";
  caller.target = ccsip_.tcpTarget();
  caller.tcp = true;
  caller.service = "8000";
  caller.timeout = 30s;
  auto call = std::async(std::launch::async, [&] { return runSipp(caller, dir_); });

  ASSERT_TRUE(cti_.waitFor("EventRinging", 15s)) << cti_.transcript() << ccsip_.outputTail();
  auto established = cti_.waitFor("EventEstablished", 15s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(stringField(*established, "thisDN"), "2000");
  ASSERT_TRUE(cti_.waitFor("EventReleased", 15s)) << cti_.transcript() << ccsip_.outputTail();
  const SippResult result = call.get();
  EXPECT_EQ(result.exitCode, std::optional<int>(0)) << result.report << ccsip_.outputTail();
  ASSERT_TRUE(switch__.passes(10s)) << ccsip_.outputTail();

  const auto messages = switch__.messages();
  const auto invite = std::find_if(messages.begin(), messages.end(), [](const SippMessage& m) {
    return m.received && m.method() == "INVITE";
  });
  ASSERT_NE(invite, messages.end()) << switch__.report();
  EXPECT_EQ(invite->requestUri(),
            "sip:2000@127.0.0.1:" + std::to_string(switch_.port) + ";transport=tcp");
  EXPECT_THAT(invite->header("Via"), HasSubstr("SIP/2.0/TCP")) << invite->text;
  EXPECT_THAT(invite->header("To"), ::testing::Not(HasSubstr("transport"))) << invite->text;
  const auto bye = std::find_if(messages.begin(), messages.end(), [](const SippMessage& m) {
    return m.received && m.method() == "BYE";
  });
  ASSERT_NE(bye, messages.end()) << switch__.report();
  EXPECT_THAT(bye->header("Via"), HasSubstr("SIP/2.0/TCP")) << bye->text;
}

}  // namespace
}  // namespace ccsip::itest
