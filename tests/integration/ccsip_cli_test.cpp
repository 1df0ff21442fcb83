// ccsip-cli against the real ccsip: each test starts ccsip (CTI on port 0) and runs the
// ccsip-cli binary (CCSIP_CLI_BINARY) as a subprocess, as a newcomer would from a shell.

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_client.h"
#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// The agents and application token of config/demo.yaml, on the test extensions.
constexpr const char* kAgentsAndCti =
    "agents:\n"
    "  - {id: \"5001\", password: agent5001, default-dn: \"1000\"}\n"
    "  - {id: \"5002\", password: agent5002, default-dn: \"1001\"}\n"
    "cti:\n"
    "  listen: {address: 127.0.0.1, port: 0}\n"
    "  applications:\n"
    "    - {name: desktop, token: demo-desktop}\n"
    "http:\n"
    "  listen: {address: 127.0.0.1, port: 0}\n";

// A TCP port on 127.0.0.1 nothing listens on (bound, then released).
std::uint16_t unusedTcpPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

// Polls `file` until it contains `needle` (bounded); the file's content either way.
std::pair<bool, std::string> waitForText(const std::string& file, const std::string& needle,
                                         std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string text = readFile(file);
    if (text.find(needle) != std::string::npos) return {true, text};
    if (std::chrono::steady_clock::now() >= deadline) return {false, text};
    std::this_thread::sleep_for(20ms);
  }
}

std::size_t countOf(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

class CcsipCliClientTest : public ServerTest {
 protected:
  ::testing::AssertionResult startWithCti(const std::string& extraYaml = kAgentsAndCti,
                                          int t1Ms = TestConfigOptions{}.t1Ms) {
    TestConfigOptions config;
    config.extraYaml = extraYaml;
    config.t1Ms = t1Ms;
    if (auto started = startServer(config); !started) return started;
    ctiPort_ = servicePort(readFile(dir_.file("ports.txt")), "cti");
    if (ctiPort_ == 0) return ::testing::AssertionFailure() << "no cti line in the port file";
    return ::testing::AssertionSuccess();
  }

  std::vector<std::string> cliArgv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {CCSIP_CLI_BINARY, "--port", std::to_string(ctiPort_)};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  // One ccsip-cli run to completion; stdout and stderr together.
  RunResult cli(const std::vector<std::string>& args) {
    return runCommand(cliArgv(args), dir_, "cli-" + std::to_string(++runs_) + ".log", 60s);
  }

  std::uint16_t ctiPort_ = 0;
  int runs_ = 0;
};

TEST_F(CcsipCliClientTest, LoginPrintsEventAgentLoginAndExitsZero) {
  ASSERT_TRUE(startWithCti());
  RunResult login = cli({"login", "--agent", "5001", "--password", "agent5001", "--dn", "1000"});
  EXPECT_EQ(login.status, std::optional<int>(0)) << login.output << ccsip_.outputTail();
  EXPECT_THAT(login.output,
              HasSubstr("EventAgentLogin thisDN=1000 agentId=5001 agentState=NotReady"));
}

TEST_F(CcsipCliClientTest, LoginWithWrongPasswordExitsOneWithTheMessage) {
  ASSERT_TRUE(startWithCti());
  RunResult login = cli({"login", "--agent", "5001", "--password", "nope", "--dn", "1000"});
  EXPECT_EQ(login.status, std::optional<int>(1)) << login.output;
  EXPECT_THAT(login.output, HasSubstr("AgentLogin failed: Wrong password"));
  EXPECT_THAT(login.output, HasSubstr("(error 72)"));
  EXPECT_THAT(login.output, Not(HasSubstr("EventAgentLogin")));
}

TEST_F(CcsipCliClientTest, WrongTokenExitsOne) {
  ASSERT_TRUE(startWithCti());
  RunResult ready = cli({"--token", "not-the-token", "ready", "--dn", "1000"});
  EXPECT_EQ(ready.status, std::optional<int>(1)) << ready.output;
  EXPECT_THAT(ready.output, HasSubstr("OpenSession failed: Authentication failed (error 51)"));
}

TEST_F(CcsipCliClientTest, WatchJsonPrintsEventAgentReadyAfterReady) {
  ASSERT_TRUE(startWithCti());
  // The login outlives the ccsip-cli process that made it (the server keeps it).
  RunResult login = cli({"login", "--agent", "5001", "--password", "agent5001", "--dn", "1000"});
  ASSERT_EQ(login.status, std::optional<int>(0)) << login.output;

  Process watch;
  std::string error;
  const std::string watchLog = dir_.file("watch.log");
  ASSERT_TRUE(
      watch.start({cliArgv({"watch", "--dn", "1000", "--json"}), watchLog, dir_.path()}, &error))
      << error;
  auto registered = waitForText(watchLog, "\"event\":\"EventRegistered\"", 20s);
  ASSERT_TRUE(registered.first) << registered.second;

  RunResult ready = cli({"ready", "--dn", "1000"});
  EXPECT_EQ(ready.status, std::optional<int>(0)) << ready.output;
  EXPECT_THAT(ready.output, HasSubstr("EventAgentReady thisDN=1000 agentId=5001"));

  auto seen = waitForText(watchLog, "\"event\":\"EventAgentReady\"", 20s);
  EXPECT_TRUE(seen.first) << seen.second;
  // --json: the server's own lines, one object per line.
  EXPECT_THAT(seen.second, HasSubstr(R"("thisDN":"1000","agentId":"5001","agentState":"Ready")"));

  watch.signal(SIGINT);  // Ctrl-C ends a watch with 0
  EXPECT_EQ(watch.waitFor(20s), std::optional<int>(0)) << readFile(watchLog);
}

TEST_F(CcsipCliClientTest, RequestNotCarriedOutIsAnErrorExitOne) {
  ASSERT_TRUE(startWithCti());
  // Without a switch there is no call control: HoldCall is refused, and said so.
  RunResult hold = cli({"hold", "--dn", "1000", "--conn", "6747a3f0000c2b1e"});
  EXPECT_EQ(hold.status, std::optional<int>(1)) << hold.output;
  EXPECT_THAT(hold.output, HasSubstr("HoldCall failed: "));
  EXPECT_THAT(hold.output, HasSubstr("(error "));
}

TEST_F(CcsipCliClientTest, UnknownDnExitsOne) {
  ASSERT_TRUE(startWithCti());
  RunResult ready = cli({"ready", "--dn", "9999"});
  EXPECT_EQ(ready.status, std::optional<int>(1)) << ready.output;
  EXPECT_THAT(ready.output, HasSubstr("RegisterAddress 9999 failed: Unknown DN: 9999 (error 56)"));
}

// A routed call seen through ccsip-cli: the two agents log in Ready one after the other, so
// the first has been idle the longest, and the call to routing point 8000 rings on its DN.
TEST_F(CcsipCliClientTest, WatchSeesTheRoutedCallReachTheLongestIdleAgent) {
  const std::uint16_t switchPort = freeUdpPort();
  ASSERT_NE(switchPort, 0);
  const std::string config =
      "switch:\n"
      "  address: 127.0.0.1\n"
      "  port: " +
      std::to_string(switchPort) +
      "\n"
      "  trusted: [127.0.0.1]\n"
      "  options-keepalive: 0\n"
      "dns:\n"
      "  - {dn: \"2000\", on: switch}\n"
      "  - {dn: \"2001\", on: switch}\n"
      "  - dn: \"8000\"\n"
      "    type: routing-point\n"
      "    routing-point: {target-group: sales, strategy: longest-idle}\n"
      "agents:\n"
      "  - {id: \"5001\", password: agent5001, default-dn: \"2000\"}\n"
      "  - {id: \"5002\", password: agent5002, default-dn: \"2001\"}\n"
      "groups:\n"
      "  - {name: sales, members: [\"5001\", \"5002\"]}\n"
      "cti:\n"
      "  listen: {address: 127.0.0.1, port: 0}\n"
      "  applications:\n"
      "    - {name: desktop, token: demo-desktop}\n"
      "http:\n"
      "  listen: {address: 127.0.0.1, port: 0}\n";
  // T1 100 ms: the presence SUBSCRIBEs ccsip sends the switch at start time out (64*T1,
  // RFC 3261 17.1.2.2 Timer F) in 6.4 s instead of 32 s. The agent's SIPp starts after that:
  // a SUBSCRIBE retransmission reaching it first would abort its scenario, which expects the
  // INVITE (the next SUBSCRIBE comes only after presence.retry, 60 s).
  ASSERT_TRUE(startWithCti(config, 100));

  RunResult first =
      cli({"login", "--agent", "5001", "--password", "agent5001", "--dn", "2000", "--ready"});
  ASSERT_EQ(first.status, std::optional<int>(0)) << first.output;
  std::this_thread::sleep_for(50ms);  // idle-since needs distinct instants to order the agents
  RunResult second =
      cli({"login", "--agent", "5002", "--password", "agent5002", "--dn", "2001", "--ready"});
  ASSERT_EQ(second.status, std::optional<int>(0)) << second.output;

  Process watch;
  std::string error;
  const std::string watchLog = dir_.file("watch.log");
  // The agents' DNs only: a client registered on routing point 8000 would be its router.
  ASSERT_TRUE(watch.start(
      {cliArgv({"watch", "--dn", "2000", "--dn", "2001"}), watchLog, dir_.path()}, &error))
      << error;
  auto registered = waitForText(watchLog, "EventRegistered thisDN=2001", 20s);
  ASSERT_TRUE(registered.first) << registered.second;

  const auto subscribesEnded = std::chrono::steady_clock::now() + 30s;
  while (countOf(ccsip_.output(), "SUBSCRIBE failed") < 2) {  // 2000 and 2001
    ASSERT_LT(std::chrono::steady_clock::now(), subscribesEnded) << ccsip_.outputTail();
    std::this_thread::sleep_for(50ms);
  }

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
  EXPECT_EQ(callerResult.exitCode, std::optional<int>(0)) << callerResult.report;
  EXPECT_EQ(agentResult.exitCode, std::optional<int>(0)) << agentResult.report;

  auto released = waitForText(watchLog, "EventReleased thisDN=2000", 20s);
  ASSERT_TRUE(released.first) << released.second << ccsip_.outputTail();
  const std::string& lines = released.second;
  EXPECT_THAT(lines, HasSubstr("EventRinging thisDN=2000 otherDN=+15550100 thirdPartyDN=8000"));
  EXPECT_THAT(lines, HasSubstr("EventEstablished thisDN=2000"));
  EXPECT_THAT(lines, Not(HasSubstr("EventRinging thisDN=2001")));
  // In that order.
  EXPECT_LT(lines.find("EventRinging thisDN=2000"), lines.find("EventEstablished thisDN=2000"));
  EXPECT_LT(lines.find("EventEstablished thisDN=2000"), lines.find("EventReleased thisDN=2000"));

  watch.signal(SIGINT);
  EXPECT_EQ(watch.waitFor(20s), std::optional<int>(0)) << readFile(watchLog);
}

// No server needed for these two.
TEST(CcsipCliClient, ConnectionRefusedExitsThree) {
  TempDir dir;
  const std::uint16_t port = unusedTcpPort();
  ASSERT_NE(port, 0);
  RunResult result = runCommand(
      {CCSIP_CLI_BINARY, "--port", std::to_string(port), "--timeout", "5", "ready", "--dn", "1000"},
      dir, "cli.log", 60s);
  EXPECT_EQ(result.status, std::optional<int>(3)) << result.output;
  EXPECT_THAT(result.output, HasSubstr("cannot connect to 127.0.0.1:" + std::to_string(port)));
}

TEST(CcsipCliClient, UsageErrorExitsTwo) {
  TempDir dir;
  RunResult missing = runCommand({CCSIP_CLI_BINARY, "login", "--agent", "5001", "--dn", "1000"},
                                 dir, "missing.log", 60s);
  EXPECT_EQ(missing.status, std::optional<int>(2)) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("--password is required"));
  RunResult none = runCommand({CCSIP_CLI_BINARY}, dir, "none.log", 60s);
  EXPECT_EQ(none.status, std::optional<int>(2)) << none.output;
  RunResult badConn =
      runCommand({CCSIP_CLI_BINARY, "hold", "--dn", "1000", "--conn", "zz"}, dir, "conn.log", 60s);
  EXPECT_EQ(badConn.status, std::optional<int>(2)) << badConn.output;
}

}  // namespace
}  // namespace ccsip::itest
