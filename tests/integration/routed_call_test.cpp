// A routed inbound call through the whole process: the switch (SIPp) calls routing point 8000,
// the embedded router picks the Ready agent of `sales`, the B2BUA rings the agent's extension
// on the switch (a second SIPp), and a CTI client registered on that extension sees the call.

#include <future>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_client.h"
#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;

class RoutedCallTest : public ServerTest {};

TEST_F(RoutedCallTest, InboundCallIsRoutedToTheReadyAgentAndSeenOnCti) {
  const std::uint16_t switchPort = freeUdpPort();
  ASSERT_NE(switchPort, 0);
  TestConfigOptions config;
  config.extraYaml =
      "switch:\n"
      "  address: 127.0.0.1\n"
      "  port: " +
      std::to_string(switchPort) +
      "\n"
      "  trusted: [127.0.0.1]\n"
      "  options-keepalive: 0\n"
      "  presence: {enable: false}\n"  // the SIPp agent phone answers no SUBSCRIBE
      "dns:\n"
      "  - {dn: \"2000\", on: switch}\n"
      "  - dn: \"8000\"\n"
      "    type: routing-point\n"
      "    routing-point: {target-group: sales, strategy: longest-idle}\n"
      "agents:\n"
      "  - {id: \"5001\", password: pw5001, default-dn: \"2000\"}\n"
      "groups:\n"
      "  - {name: sales, members: [\"5001\"]}\n"
      "cti:\n"
      "  listen: {address: 127.0.0.1, port: 0}\n"
      "http:\n"
      "  listen: {address: 127.0.0.1, port: 0}\n";
  ASSERT_TRUE(startServer(config));
  const std::string ports = readFile(dir_.file("ports.txt"));
  const std::uint16_t ctiPort = servicePort(ports, "cti");
  ASSERT_NE(ctiPort, 0) << ports;
  EXPECT_NE(servicePort(ports, "http"), 0) << ports;

  CtiClient cti;
  ASSERT_TRUE(cti.connect(ctiPort));
  ASSERT_TRUE(cti.send(
      R"({"request":"OpenSession","referenceId":1,"applicationToken":"t","applicationName":"desk"})"));
  ASSERT_TRUE(cti.waitFor("EventAck", 10s)) << cti.transcript();
  ASSERT_TRUE(cti.send(R"({"request":"RegisterAddress","referenceId":2,"thisDN":"2000"})"));
  ASSERT_TRUE(cti.waitFor("EventRegistered", 10s)) << cti.transcript();
  ASSERT_TRUE(cti.send(
      R"({"request":"AgentLogin","referenceId":3,"thisDN":"2000","agentId":"5001","password":"pw5001","agentState":"Ready"})"));
  ASSERT_TRUE(cti.waitFor("\"EventAgentLogin\"", 10s)) << cti.transcript() << ccsip_.outputTail();

  // The agent's phone on the switch, listening where ccsip sends agent legs.
  SippOptions agent;
  agent.scenario = "routed_agent.xml";
  agent.target = ccsip_.udpTarget();
  agent.extraArgs = {"-p", std::to_string(switchPort)};
  auto agentRun = std::async(std::launch::async, [&] { return runSipp(agent, dir_); });
  std::this_thread::sleep_for(500ms);  // SIPp binds its port before the caller's INVITE

  SippOptions caller;
  caller.scenario = "routed_caller.xml";
  caller.target = ccsip_.udpTarget();
  caller.service = "8000";
  SippResult callerResult = runSipp(caller, dir_);
  SippResult agentResult = agentRun.get();
  EXPECT_EQ(callerResult.exitCode, std::optional<int>(0))
      << callerResult.report << ccsip_.outputTail();
  EXPECT_EQ(agentResult.exitCode, std::optional<int>(0))
      << agentResult.report << ccsip_.outputTail();

  auto ringing = cti.waitFor("\"EventRinging\"", 10s);
  ASSERT_TRUE(ringing) << cti.transcript();
  const std::string connId = connIdOf(*ringing);
  ASSERT_EQ(connId.size(), 16U) << *ringing;
  auto established = cti.waitFor("\"EventEstablished\"", 10s);
  ASSERT_TRUE(established) << cti.transcript();
  EXPECT_EQ(connIdOf(*established), connId);
  auto released = cti.waitFor("\"EventReleased\"", 10s);
  ASSERT_TRUE(released) << cti.transcript();
  EXPECT_EQ(connIdOf(*released), connId);
  for (const auto& line : {*ringing, *established, *released}) {
    EXPECT_THAT(line, ::testing::HasSubstr("\"thisDN\":\"2000\""));
  }
}

}  // namespace
}  // namespace ccsip::itest
