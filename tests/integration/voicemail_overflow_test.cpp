// No answer and voicemail through the whole process (docs/call-flows.md "No answer and
// voicemail"): SIPp plays the switch's caller side (calls to routing points 8000 / 8001) and the
// switch behind ccsip's legs (the agent's phone, the voicemail deposit numbers of
// config/examples/asterisk/*/extensions.conf); a CTI client registered on the DNs checks the
// events of the call, then that no call is left.

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

// The value of "key" in a one-line JSON event (a string's text, or a number as written); ""
// when absent.
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

// The switch's UDP port while ccsip starts and agents log in: it answers ccsip's SUBSCRIBEs
// (presence at start-up, MWI of an agent's box at login) with 403, so that the switch's SIPp,
// which binds the port afterwards, sees only calls (ccsip retries a refused subscription after
// 60 s, long after the test). Close-on-exec: the ccsip process must not inherit it.
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

  // Refuses SUBSCRIBEs until `count` distinct ones came; false on timeout.
  bool refuseSubscribes(std::size_t count, std::uint16_t ccsipPort) {
    while (refused_.size() < count) {
      auto subscribe = receive(10s);
      if (!subscribe) return false;
      if (subscribe->rfind("SUBSCRIBE ", 0) != 0) continue;
      const std::string response =
          "SIP/2.0 403 Forbidden\r\nVia: " + headerOf(*subscribe, "Via") +
          "\r\nFrom: " + headerOf(*subscribe, "From") + "\r\nTo: " + headerOf(*subscribe, "To") +
          ";tag=switch\r\nCall-ID: " + headerOf(*subscribe, "Call-ID") +
          "\r\nCSeq: " + headerOf(*subscribe, "CSeq") + "\r\nContent-Length: 0\r\n\r\n";
      if (!sendTo(ccsipPort, response)) return false;
      refused_.insert(headerOf(*subscribe, "Call-ID"));  // a retransmission is answered again
    }
    return true;
  }

 private:
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

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::set<std::string> refused_;
};

class VoicemailOverflowTest : public ServerTest {
 protected:
  // ccsip with the switch on a free port. Agent 5001 (box 5001, no-answer-timeout 2 s, overflow
  // to its box, notready) on 2000 in group sales (routing point 8000); agent 5002 on 2001 in
  // group support (box 7000, routing point 8001 with `no-answer-overflow: voicemail`: the
  // group's box). Deposit numbers 95001 and 97000. The CTI client registers `dns`; agent 5001
  // logs in when `login5001`.
  ::testing::AssertionResult start(const std::vector<std::string>& dns, bool login5001) {
    switchPort_ = std::make_unique<SwitchPort>();
    port_ = switchPort_->port();
    if (port_ == 0) return ::testing::AssertionFailure() << "no free port";
    TestConfigOptions config;
    config.extraYaml = "switch:\n  address: 127.0.0.1\n  port: " + std::to_string(port_) +
                       "\n  trusted: [127.0.0.1]\n  options-keepalive: 0\n"
                       "dns:\n"
                       "  - {dn: \"2000\", on: switch}\n"
                       "  - {dn: \"2001\", on: switch}\n"
                       "  - dn: \"8000\"\n"
                       "    type: routing-point\n"
                       "    routing-point: {target-group: sales}\n"
                       "  - dn: \"8001\"\n"
                       "    type: routing-point\n"
                       "    routing-point: {target-group: support}\n"
                       "    no-answer-overflow: voicemail\n"
                       "  - {dn: \"95001\", type: voicemail, voicemail: {mailbox: \"5001\"}}\n"
                       "  - {dn: \"97000\", type: voicemail, voicemail: {mailbox: \"7000\"}}\n"
                       "agents:\n"
                       "  - id: \"5001\"\n"
                       "    password: pw5001\n"
                       "    default-dn: \"2000\"\n"
                       "    mailbox: \"5001\"\n"
                       "    no-answer-timeout: 2\n"
                       "    no-answer-overflow: voicemail\n"
                       "    no-answer-action: notready\n"
                       "  - {id: \"5002\", password: pw5002, default-dn: \"2001\"}\n"
                       "groups:\n"
                       "  - {name: sales, members: [\"5001\"]}\n"
                       "  - {name: support, members: [\"5002\"], mailbox: \"7000\"}\n"
                       "cti:\n  listen: {address: 127.0.0.1, port: 0}\n";
    if (auto started = startServer(config); !started) return started;
    // Presence of 2000 and 2001.
    if (!switchPort_->refuseSubscribes(2, ccsip_.udpPort())) {
      return ::testing::AssertionFailure() << "no presence SUBSCRIBEs\n" << ccsip_.outputTail();
    }
    const std::uint16_t ctiPort = servicePort(readFile(dir_.file("ports.txt")), "cti");
    if (ctiPort == 0 || !cti_.open(ctiPort)) {
      return ::testing::AssertionFailure() << "no CTI session\n" << cti_.transcript();
    }
    for (const std::string& dn : dns) {
      if (!request(R"({"request":"RegisterAddress","thisDN":")" + dn + "\"", "EventRegistered")) {
        return ::testing::AssertionFailure() << cti_.transcript();
      }
    }
    if (login5001) {
      if (!request(R"({"request":"AgentLogin","thisDN":"2000","agentId":"5001",)"
                   R"("password":"pw5001","agentState":"Ready")",
                   "EventAgentLogin")) {
        return ::testing::AssertionFailure() << cti_.transcript() << ccsip_.outputTail();
      }
      // The MWI SUBSCRIBE of the agent's box (DESIGN.md: followed while logged in).
      if (!switchPort_->refuseSubscribes(3, ccsip_.udpPort())) {
        return ::testing::AssertionFailure() << "no MWI SUBSCRIBE\n" << ccsip_.outputTail();
      }
    }
    switchPort_.reset();  // the port is free for the switch's SIPp
    return ::testing::AssertionSuccess();
  }

  std::optional<std::string> request(const std::string& json, const std::string& answer) {
    const int reference = nextReference_++;
    if (!cti_.send(json + ",\"referenceId\":" + std::to_string(reference) + "}")) return {};
    return cti_.waitFor("\"" + answer + "\"", 10s);
  }

  // The switch behind ccsip's legs, in the background: SIPp on the switch port.
  std::future<SippResult> startSwitch(int calls) {
    SippOptions options;
    options.scenario = "vm_switch.xml";
    options.target = ccsip_.udpTarget();
    options.calls = calls;
    options.timeout = 30s;
    options.extraArgs = {"-p", std::to_string(port_)};
    auto run = std::async(std::launch::async, [this, options] { return runSipp(options, dir_); });
    std::this_thread::sleep_for(500ms);  // SIPp binds its port before the caller's INVITE
    return run;
  }

  // The switch's caller side calling routing point `rp`, in the background.
  std::future<SippResult> startCaller(const std::string& rp) {
    SippOptions options;
    options.scenario = "routed_caller.xml";
    options.target = ccsip_.udpTarget();
    options.service = rp;
    options.timeout = 30s;
    return std::async(std::launch::async, [this, options] { return runSipp(options, dir_); });
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

  std::unique_ptr<SwitchPort> switchPort_;
  std::uint16_t port_ = 0;
  CtiClient cti_;
  int nextReference_ = 1;
};

TEST_F(VoicemailOverflowTest, AgentWhoNeverAnswersSendsTheCallToTheAgentsBox) {
  ASSERT_TRUE(start({"2000", "95001"}, /*login5001=*/true)) << ccsip_.outputTail();
  auto switchSide = startSwitch(2);  // the agent leg, then the deposit
  auto caller = startCaller("8000");

  auto ringing = cti_.waitFor("\"EventRinging\"", 15s);
  ASSERT_TRUE(ringing) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*ringing);
  // After the 2 s no-answer timeout: the agent is set NotReady (no-answer-action), the agent leg
  // is cancelled and the call goes to the agent's box, deposit number 95001.
  auto notReady = cti_.waitFor("\"EventAgentNotReady\"", 10s);
  ASSERT_TRUE(notReady) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*notReady, "agentId"), "5001");
  auto diverted = cti_.waitFor("\"EventDiverted\"", 10s);
  ASSERT_TRUE(diverted) << cti_.transcript();
  EXPECT_EQ(fieldOf(*diverted, "thisDN"), "2000");
  EXPECT_EQ(fieldOf(*diverted, "thirdPartyDN"), "95001");
  auto established = cti_.waitFor("\"EventEstablished\"", 10s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*established, "thisDN"), "95001");
  EXPECT_EQ(fieldOf(*established, "otherDN"), "+15550100");
  ASSERT_TRUE(cti_.waitFor("\"EventReleased\"", 15s)) << cti_.transcript();

  expectPassed(caller, "caller");
  expectPassed(switchSide, "switch");
  // The deposit answers at once (no 18x, as Asterisk's VoiceMail()): no EventRinging there.
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRinging 2000", "EventDiverted 2000",
                                            "EventEstablished 95001", "EventReleased 95001"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(VoicemailOverflowTest, GroupWithNobodyLoggedInSendsTheCallToTheGroupsBox) {
  ASSERT_TRUE(start({"2001", "97000"}, /*login5001=*/false)) << ccsip_.outputTail();
  auto switchSide = startSwitch(1);  // the deposit only: nobody of `support` rings
  auto caller = startCaller("8001");

  // At once: nobody of `support` is logged in, so the call does not wait for the queue timeout.
  auto established = cti_.waitFor("\"EventEstablished\"", 10s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*established, "thisDN"), "97000");
  EXPECT_EQ(fieldOf(*established, "otherDN"), "+15550100");
  const std::string connId = connIdOf(*established);
  ASSERT_TRUE(cti_.waitFor("\"EventReleased\"", 15s)) << cti_.transcript();

  expectPassed(caller, "caller");
  expectPassed(switchSide, "switch");
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventEstablished 97000", "EventReleased 97000"));
  EXPECT_THAT(ccsip_.output(), ::testing::HasSubstr("route failed: no-agent"));
  EXPECT_TRUE(noCallLeft());
}

}  // namespace
}  // namespace ccsip::itest
