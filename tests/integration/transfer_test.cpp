// SingleStepTransfer through the whole process (docs/call-flows.md "SingleStepTransfer"): SIPp
// plays the switch's caller side (a call to routing point 8000) and the phones behind the switch
// (the agent's leg and the target's late-offer leg); a CTI client registered on the DNs hands
// the call from 2000 to 2001 and checks every event of the call, then that no call is left.
// The fixture is the one of call_control_test.cpp (the switch port answers the presence
// SUBSCRIBEs of start-up with 403 before SIPp takes it over).

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <memory>
#include <set>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_client.h"
#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

// The value of "key" in a one-line JSON event: a string's text, or a number as written; "" when
// absent. Enough for the flat fields of TEvents.
std::string fieldOf(const std::string& line, const std::string& key) {
  const std::string pattern = "\"" + key + "\":";
  const std::size_t at = line.find(pattern);
  if (at == std::string::npos) return {};
  std::size_t start = at + pattern.size();
  if (start < line.size() && line[start] == '"') {
    const std::size_t end = line.find('"', start + 1);
    return end == std::string::npos ? std::string() : line.substr(start + 1, end - start - 1);
  }
  std::size_t end = start;
  while (end < line.size() && line[end] != ',' && line[end] != '}') ++end;
  return line.substr(start, end - start);
}

// The switch's UDP port before the phones' SIPp takes it over. Close-on-exec, so the ccsip
// process started meanwhile does not inherit it (and keep the port bound).
class SwitchPort {
 public:
  SwitchPort() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~SwitchPort() {
    if (fd_ >= 0) ::close(fd_);
  }
  SwitchPort(const SwitchPort&) = delete;
  SwitchPort& operator=(const SwitchPort&) = delete;

  std::uint16_t port() const { return port_; }
  std::optional<std::string> receive(std::chrono::milliseconds timeout) {
    pollfd event{fd_, POLLIN, 0};
    if (::poll(&event, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char buffer[8192];
    const ssize_t got = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (got <= 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(got));
  }
  bool sendTo(std::uint16_t port, const std::string& bytes) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    return ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&address),
                    sizeof(address)) == static_cast<ssize_t>(bytes.size());
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

class TransferTest : public ServerTest {
 protected:
  // ccsip with the switch on a free port (where the agent SIPp listens), agents 5001 on 2000 and
  // 5002 on 2001 in group `sales`, routing point 8000 to `sales` (longest idle). `dn2000` adds
  // options to DN 2000.
  ::testing::AssertionResult start(const std::string& dn2000 = "") {
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
    std::set<std::string> refused;  // Call-IDs (a retransmission is answered again)
    while (refused.size() < 2) {
      auto subscribe = presence->receive(10s);
      if (!subscribe) return ::testing::AssertionFailure() << "no presence SUBSCRIBE";
      if (subscribe->rfind("SUBSCRIBE ", 0) != 0) continue;
      const std::string response =
          "SIP/2.0 403 Forbidden\r\nVia: " + headerOf(*subscribe, "Via") +
          "\r\nFrom: " + headerOf(*subscribe, "From") + "\r\nTo: " + headerOf(*subscribe, "To") +
          ";tag=switch\r\nCall-ID: " + headerOf(*subscribe, "Call-ID") +
          "\r\nCSeq: " + headerOf(*subscribe, "CSeq") + "\r\nContent-Length: 0\r\n\r\n";
      if (!presence->sendTo(ccsip_.udpPort(), response)) {
        return ::testing::AssertionFailure() << "cannot answer the SUBSCRIBE";
      }
      refused.insert(headerOf(*subscribe, "Call-ID"));
    }
    presence.reset();  // the port is free for the phones' SIPp
    const std::uint16_t ctiPort = servicePort(readFile(dir_.file("ports.txt")), "cti");
    if (ctiPort == 0 || !cti_.open(ctiPort)) {
      return ::testing::AssertionFailure() << "no CTI session\n" << cti_.transcript();
    }
    for (const char* dn : {"2000", "2001"}) {
      if (!request(std::string(R"({"request":"RegisterAddress","thisDN":")") + dn + "\"",
                   "EventRegistered")) {
        return ::testing::AssertionFailure() << cti_.transcript();
      }
    }
    return ::testing::AssertionSuccess();
  }

  // Sends `json` (without its closing brace) with the next referenceId; waits for `answer`.
  std::optional<std::string> request(const std::string& json, const std::string& answer) {
    const int reference = nextReference_++;
    if (!cti_.send(json + ",\"referenceId\":" + std::to_string(reference) + "}")) return {};
    return cti_.waitFor("\"" + answer + "\"", 10s);
  }

  ::testing::AssertionResult login(const std::string& agentId, const std::string& dn) {
    if (request(R"({"request":"AgentLogin","thisDN":")" + dn + R"(","agentId":")" + agentId +
                    R"(","password":"pw)" + agentId + R"(","agentState":"Ready")",
                "EventAgentLogin")) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << cti_.transcript() << ccsip_.outputTail();
  }

  // The agents' phones behind the switch: SIPp listening on the switch port, in the background.
  std::future<SippResult> startAgents(const std::string& scenario, int calls = 1) {
    SippOptions agent;
    agent.scenario = scenario;
    agent.target = ccsip_.udpTarget();
    agent.calls = calls;
    agent.timeout = 30s;
    agent.extraArgs = {"-p", std::to_string(switchPort_)};
    auto run = std::async(std::launch::async, [this, agent] { return runSipp(agent, dir_); });
    std::this_thread::sleep_for(500ms);  // SIPp binds its port before the caller's INVITE
    return run;
  }

  // The switch's caller side calling routing point 8000, in the background.
  std::future<SippResult> startCaller(const std::string& scenario,
                                      std::vector<std::string> extraArgs = {}) {
    SippOptions caller;
    caller.scenario = scenario;
    caller.target = ccsip_.udpTarget();
    caller.service = "8000";
    caller.timeout = 30s;
    caller.extraArgs = std::move(extraArgs);
    return std::async(std::launch::async, [this, caller] { return runSipp(caller, dir_); });
  }

  void expectPassed(std::future<SippResult>& run, const std::string& who) {
    const SippResult result = run.get();
    EXPECT_EQ(result.exitCode, std::optional<int>(0)) << who << "\n"
                                                      << result.report << "\n--- ccsip\n"
                                                      << ccsip_.outputTail();
  }

  // Every event of call `connId` the client saw so far: "EventName thisDN".
  std::vector<std::string> eventsOf(const std::string& connId) const {
    std::vector<std::string> out;
    std::size_t start = 0;
    const std::string& text = cti_.transcript();
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(start, end - start);
      if (fieldOf(line, "connId") == connId) {
        out.push_back(fieldOf(line, "event") + " " + fieldOf(line, "thisDN"));
      }
      start = end + 1;
    }
    return out;
  }

  // Checks the fields every call event carries.
  void expectCallFields(const std::optional<std::string>& line, const std::string& thisDn,
                        const std::string& connId, const std::string& reference = "") {
    ASSERT_TRUE(line.has_value()) << cti_.transcript() << ccsip_.outputTail();
    EXPECT_EQ(fieldOf(*line, "thisDN"), thisDn) << *line;
    EXPECT_EQ(fieldOf(*line, "otherDN"), "+15550100") << *line;
    EXPECT_EQ(fieldOf(*line, "connId"), connId) << *line;
    EXPECT_EQ(fieldOf(*line, "callType"), "Inbound") << *line;
    EXPECT_EQ(fieldOf(*line, "referenceId"), reference) << *line;
  }

  // QueryServer until no call is left (bounded).
  ::testing::AssertionResult noCallLeft() {
    std::string last;
    for (int i = 0; i < 50; ++i) {
      auto info = request(R"({"request":"QueryServer")", "EventServerInfo");
      if (!info) break;
      last = *info;
      if (fieldOf(last, "calls") == "0" && fieldOf(last, "parties") == "0") {
        return ::testing::AssertionSuccess();
      }
      std::this_thread::sleep_for(100ms);
    }
    return ::testing::AssertionFailure() << "calls left: " << last;
  }

  std::uint16_t switchPort_ = 0;
  CtiClient cti_;
  int nextReference_ = 1;
};

TEST_F(TransferTest, SingleStepTransferHandsTheCallerToTheTarget) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  // Two legs reach the phones: the agent's (with the caller's offer) and the target's (without
  // offer: the phone offers in its 2xx and gets the caller's answer in the ACK).
  auto phones = startAgents("routed_agent.xml", 2);
  auto caller = startCaller("tr_caller_transferred.xml");
  auto established = cti_.waitFor("\"EventEstablished\"", 15s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*established);
  std::this_thread::sleep_for(200ms);  // the caller's ACK is in
  ASSERT_TRUE(cti_.send(
      R"({"request":"SingleStepTransfer","referenceId":41,"thisDN":"2000","otherDN":"2001","connId":")" +
      connId + "\"}"));
  auto released = cti_.waitFor("\"EventReleased\"", 15s);
  expectCallFields(released, "2000", connId, "41");
  EXPECT_EQ(fieldOf(*released, "cause"), "transferred");
  EXPECT_EQ(fieldOf(*released, "thirdPartyDN"), "2001");
  ASSERT_TRUE(cti_.send(R"({"request":"ReleaseCall","referenceId":42,"thisDN":"2001","connId":")" +
                        connId + "\"}"));
  auto last = cti_.waitFor("\"EventReleased\",\"referenceId\":42", 10s);
  ASSERT_TRUE(last) << cti_.transcript() << ccsip_.outputTail();
  expectPassed(caller, "caller");
  expectPassed(phones, "phones");
  EXPECT_THAT(eventsOf(connId),
              ElementsAre("EventRinging 2000", "EventEstablished 2000", "EventRinging 2001",
                          "EventEstablished 2001", "EventReleased 2000", "EventReleased 2001"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(TransferTest, SingleStepTransferToABusyTargetLeavesTheCallWithTheAgent) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  // The phones answer the agent's leg and refuse the target's with 486.
  auto phones = startAgents("tr_phones_target_busy.xml", 2);
  auto caller = startCaller("cc_caller_released.xml");
  auto established = cti_.waitFor("\"EventEstablished\"", 15s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*established);
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(cti_.send(
      R"({"request":"SingleStepTransfer","referenceId":43,"thisDN":"2000","otherDN":"2001","connId":")" +
      connId + "\"}"));
  auto error = cti_.waitFor("\"EventError\"", 15s);
  ASSERT_TRUE(error) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*error, "errorCode"), "61") << *error;
  EXPECT_EQ(fieldOf(*error, "referenceId"), "43") << *error;
  // Still the agent's call: the agent releases it.
  ASSERT_TRUE(cti_.send(R"({"request":"ReleaseCall","referenceId":44,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  expectCallFields(cti_.waitFor("\"EventReleased\"", 10s), "2000", connId, "44");
  expectPassed(caller, "caller");
  expectPassed(phones, "phones");
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRinging 2000", "EventEstablished 2000",
                                            "EventError 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

}  // namespace
}  // namespace ccsip::itest
