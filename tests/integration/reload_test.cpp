// SIGHUP reload of the real process: new DNs and agents are served at once, a file with errors
// changes nothing (the process keeps running and says why), restart-only changes are named.

#include <signal.h>

#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_client.h"
#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;

std::string contactCenterYaml(bool withSecondAgent) {
  std::string yaml =
      "dns:\n"
      "  - {dn: \"2000\", on: ccsip, password: pw2000}\n";
  if (withSecondAgent) yaml += "  - {dn: \"2001\", on: ccsip, password: pw2001}\n";
  yaml +=
      "agents:\n"
      "  - {id: \"5001\", password: pw5001, default-dn: \"2000\"}\n";
  if (withSecondAgent) yaml += "  - {id: \"5002\", password: pw5002, default-dn: \"2001\"}\n";
  yaml +=
      "cti:\n"
      "  listen: {address: 127.0.0.1, port: 0}\n";
  return yaml;
}

class ReloadTest : public ServerTest {
 protected:
  // Asks RegisterAddress for `dn` until the answer contains `expected` (bounded): a DN the
  // server does not have is refused with EventError 56.
  bool registerUntil(CtiClient& cti, const std::string& dn, const std::string& expected) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      cti.send(R"({"request":"RegisterAddress","referenceId":)" + std::to_string(100 + attempt) +
               R"(,"thisDN":")" + dn + R"("})");
      auto answer = cti.waitFor("\"referenceId\":" + std::to_string(100 + attempt), 5s);
      if (answer && answer->find(expected) != std::string::npos) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }
};

TEST_F(ReloadTest, SighupAddsDnsAndAgentsWhileRunningAndABrokenFileChangesNothing) {
  TestConfigOptions config;
  config.extraYaml = contactCenterYaml(false);
  ASSERT_TRUE(startServer(config));
  const std::uint16_t ctiPort = servicePort(readFile(dir_.file("ports.txt")), "cti");
  ASSERT_NE(ctiPort, 0);
  CtiClient cti;
  ASSERT_TRUE(cti.open(ctiPort)) << cti.transcript();

  // Before: 2001 is not a DN of this server.
  ASSERT_TRUE(cti.send(R"({"request":"RegisterAddress","referenceId":1,"thisDN":"2001"})"));
  auto unknown = cti.waitFor("\"referenceId\":1", 5s);
  ASSERT_TRUE(unknown) << cti.transcript();
  EXPECT_THAT(*unknown, ::testing::HasSubstr("\"errorCode\":56"));

  // A file with an error: reported with its line, nothing changes, the process stays up.
  dir_.write("ccsip.yaml", testConfig(config) + "agents: [oops\n");
  ccsip_.signal(SIGHUP);
  bool reported = false;
  for (int i = 0; i < 50 && !reported; ++i) {
    std::this_thread::sleep_for(100ms);
    reported = ccsip_.output().find("configuration unchanged") != std::string::npos;
  }
  ASSERT_TRUE(reported) << ccsip_.outputTail();
  EXPECT_THAT(ccsip_.output(), ::testing::HasSubstr("ccsip.yaml:"));
  EXPECT_TRUE(ccsip_.running());
  ASSERT_TRUE(cti.send(R"({"request":"RegisterAddress","referenceId":2,"thisDN":"2001"})"));
  auto stillUnknown = cti.waitFor("\"referenceId\":2", 5s);
  ASSERT_TRUE(stillUnknown) << cti.transcript();
  EXPECT_THAT(*stillUnknown, ::testing::HasSubstr("\"errorCode\":56"));

  // The good file: DN 2001 and agent 5002 are served without a restart; the SIP timers changed
  // too, which waits for a restart and is said so.
  TestConfigOptions next = config;
  next.extraYaml = contactCenterYaml(true);
  next.t1Ms = 400;
  dir_.write("ccsip.yaml", testConfig(next));
  ccsip_.signal(SIGHUP);
  ASSERT_TRUE(registerUntil(cti, "2001", "EventRegistered")) << cti.transcript()
                                                           << ccsip_.outputTail();
  ASSERT_TRUE(cti.send(
      R"({"request":"AgentLogin","referenceId":3,"thisDN":"2001","agentId":"5002","password":"pw5002"})"));
  auto login = cti.waitFor("\"referenceId\":3", 5s);
  ASSERT_TRUE(login) << cti.transcript();
  EXPECT_THAT(*login, ::testing::HasSubstr("EventAgentLogin"));
  EXPECT_THAT(ccsip_.output(), ::testing::HasSubstr("sip.timers changed"));
  EXPECT_TRUE(ccsip_.running());
}

TEST_F(ReloadTest, SighupRemovesAnIdleDnAndItsAgentLogin) {
  TestConfigOptions config;
  config.extraYaml = contactCenterYaml(true);
  ASSERT_TRUE(startServer(config));
  const std::uint16_t ctiPort = servicePort(readFile(dir_.file("ports.txt")), "cti");
  CtiClient cti;
  ASSERT_TRUE(cti.open(ctiPort)) << cti.transcript();
  ASSERT_TRUE(cti.send(R"({"request":"RegisterAddress","referenceId":1,"thisDN":"2001"})"));
  ASSERT_TRUE(cti.waitFor("EventRegistered", 5s)) << cti.transcript();
  ASSERT_TRUE(cti.send(
      R"({"request":"AgentLogin","referenceId":2,"thisDN":"2001","agentId":"5002","password":"pw5002"})"));
  ASSERT_TRUE(cti.waitFor("EventAgentLogin", 5s)) << cti.transcript();

  TestConfigOptions next = config;
  next.extraYaml = contactCenterYaml(false);
  dir_.write("ccsip.yaml", testConfig(next));
  ccsip_.signal(SIGHUP);
  // The agent on the removed DN is logged out, and the DN is no longer served.
  ASSERT_TRUE(cti.waitFor("EventAgentLogout", 10s)) << cti.transcript() << ccsip_.outputTail();
  ASSERT_TRUE(registerUntil(cti, "2001", "\"errorCode\":56")) << cti.transcript();
}

}  // namespace
}  // namespace ccsip::itest
