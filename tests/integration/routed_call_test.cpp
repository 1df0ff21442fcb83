// A routed inbound call through the whole process: the switch (SIPp) calls routing point 8000,
// the embedded router picks the Ready agent of `sales`, the B2BUA rings the agent's extension
// on the switch (a second SIPp), and a CTI client registered on that extension sees the call.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>

#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;

// A free UDP port on 127.0.0.1 for SIPp's -p (the switch port ccsip sends agent legs to).
std::uint16_t freeUdpPort() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
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

// The port a `<service> 127.0.0.1 <port>` line of the port file names.
std::uint16_t servicePort(const std::string& ports, const std::string& service) {
  std::istringstream lines(ports);
  std::string kind;
  std::string address;
  unsigned port = 0;
  while (lines >> kind >> address >> port) {
    if (kind == service) return static_cast<std::uint16_t>(port);
  }
  return 0;
}

// A raw TCP CTI client: one JSON object per line each way.
class CtiClient {
 public:
  ~CtiClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connect(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    return fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  bool send(const std::string& line) {
    std::string text = line + "\n";
    return ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
  }
  // The next line containing `needle` (earlier lines are kept in the transcript).
  std::optional<std::string> waitFor(const std::string& needle, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::size_t end = buffer_.find('\n');
      while (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        transcript_ += line + "\n";
        if (line.find(needle) != std::string::npos) return line;
        end = buffer_.find('\n');
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd event{fd_, POLLIN, 0};
      if (::poll(&event, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[4096];
      ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (got <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }
  const std::string& transcript() const { return transcript_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  std::string transcript_;
};

// "connId":"0123456789abcdef" out of an event line.
std::string connIdOf(const std::string& line) {
  const std::string key = "\"connId\":\"";
  std::size_t at = line.find(key);
  return at == std::string::npos ? std::string() : line.substr(at + key.size(), 16);
}

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
