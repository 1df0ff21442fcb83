#include "harness/switch_call_test.h"

#include <memory>

namespace ccsip::itest {

using namespace std::chrono_literals;

::testing::AssertionResult SwitchCallTest::start(const std::string& dn2000) {
  // The switch's port answers the presence SUBSCRIBEs of start-up (one per agent DN) with
  // 403 before SIPp takes it over, so the phones' scenarios see only calls (ccsip retries a
  // refused subscription after 60 s, long after the test).
  auto presence = std::make_unique<SwitchPort>();
  switchPort_ = presence->port();
  if (switchPort_ == 0) return ::testing::AssertionFailure() << "no free port";
  TestConfigOptions config;
  config.extraYaml = "switch:\n  address: 127.0.0.1\n  port: " + std::to_string(switchPort_) +
                     "\n  trusted: [127.0.0.1]\n  options-keepalive: 0\n"
                     "dns:\n"
                     "  - {dn: \"2000\", on: switch" +
                     dn2000 +
                     "}\n"
                     "  - {dn: \"2001\", on: switch}\n"
                     "  - dn: \"8000\"\n"
                     "    type: routing-point\n"
                     "    routing-point: {target-group: sales, strategy: longest-idle}\n"
                     "agents:\n"
                     "  - {id: \"5001\", password: pw5001, default-dn: \"2000\"}\n"
                     "  - {id: \"5002\", password: pw5002, default-dn: \"2001\"}\n"
                     "groups:\n"
                     "  - {name: sales, members: [\"5001\", \"5002\"]}\n"
                     "cti:\n  listen: {address: 127.0.0.1, port: 0}\n";
  if (auto started = startServer(config); !started) return started;
  if (!presence->refuseSubscribes(2, ccsip_.udpPort())) {
    return ::testing::AssertionFailure() << "no presence SUBSCRIBE\n" << ccsip_.outputTail();
  }
  presence.reset();  // the port is free for the phones' SIPp
  return openCti({"2000", "2001"});
}

::testing::AssertionResult SwitchCallTest::login(const std::string& agentId,
                                                 const std::string& dn) {
  if (request(R"({"request":"AgentLogin","thisDN":")" + dn + R"(","agentId":")" + agentId +
                  R"(","password":"pw)" + agentId + R"(","agentState":"Ready")",
              "EventAgentLogin")) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << cti_.transcript() << ccsip_.outputTail();
}

void SwitchCallTest::expectCallFields(const std::optional<std::string>& line,
                                      const std::string& thisDn, const std::string& connId,
                                      const std::string& reference) {
  ASSERT_TRUE(line.has_value()) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*line, "thisDN"), thisDn) << *line;
  EXPECT_EQ(fieldOf(*line, "otherDN"), "+15550100") << *line;
  EXPECT_EQ(fieldOf(*line, "connId"), connId) << *line;
  EXPECT_EQ(fieldOf(*line, "callType"), "Inbound") << *line;
  EXPECT_EQ(fieldOf(*line, "referenceId"), reference) << *line;
}

}  // namespace ccsip::itest
