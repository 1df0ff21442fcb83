#include "harness/cti_call_test.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "harness/sip_socket.h"

namespace ccsip::itest {

using namespace std::chrono_literals;

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

SwitchPort::SwitchPort() {
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

SwitchPort::~SwitchPort() {
  if (fd_ >= 0) ::close(fd_);
}

bool SwitchPort::refuseSubscribes(std::size_t count, std::uint16_t ccsipPort) {
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

std::optional<std::string> SwitchPort::receive(std::chrono::milliseconds timeout) {
  pollfd event{fd_, POLLIN, 0};
  if (::poll(&event, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  char buffer[8192];
  const ssize_t got = ::recv(fd_, buffer, sizeof(buffer), 0);
  if (got <= 0) return std::nullopt;
  return std::string(buffer, static_cast<std::size_t>(got));
}

bool SwitchPort::sendTo(std::uint16_t port, const std::string& bytes) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&address),
                  sizeof(address)) == static_cast<ssize_t>(bytes.size());
}

::testing::AssertionResult CtiCallTest::openCti(const std::vector<std::string>& dns) {
  const std::uint16_t ctiPort = servicePort(readFile(dir_.file("ports.txt")), "cti");
  if (ctiPort == 0 || !cti_.open(ctiPort)) {
    return ::testing::AssertionFailure() << "no CTI session\n" << cti_.transcript();
  }
  for (const std::string& dn : dns) {
    if (!request(R"({"request":"RegisterAddress","thisDN":")" + dn + "\"", "EventRegistered")) {
      return ::testing::AssertionFailure() << cti_.transcript();
    }
  }
  return ::testing::AssertionSuccess();
}

std::optional<std::string> CtiCallTest::request(const std::string& json,
                                                const std::string& answer) {
  const int reference = nextReference_++;
  if (!cti_.send(json + ",\"referenceId\":" + std::to_string(reference) + "}")) return {};
  return cti_.waitFor("\"" + answer + "\"", 10s);
}

std::vector<std::string> CtiCallTest::eventsOf(const std::string& connId) const {
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

::testing::AssertionResult CtiCallTest::noCallLeft(bool partiesToo) {
  std::string last;
  for (int i = 0; i < 50; ++i) {
    auto info = request(R"({"request":"QueryServer")", "EventServerInfo");
    if (!info) break;
    last = *info;
    if (fieldOf(last, "calls") == "0" && (!partiesToo || fieldOf(last, "parties") == "0")) {
      return ::testing::AssertionSuccess();
    }
    std::this_thread::sleep_for(100ms);
  }
  return ::testing::AssertionFailure() << "calls left: " << last;
}

void CtiCallTest::expectPassed(std::future<SippResult>& run, const std::string& who) {
  const SippResult result = run.get();
  EXPECT_EQ(result.exitCode, std::optional<int>(0)) << who << "\n"
                                                    << result.report << "\n--- ccsip\n"
                                                    << ccsip_.outputTail();
}

std::future<SippResult> CtiCallTest::startSwitchSipp(const std::string& scenario, int calls) {
  SippOptions options;
  options.scenario = scenario;
  options.target = ccsip_.udpTarget();
  options.calls = calls;
  options.timeout = 30s;
  options.extraArgs = {"-p", std::to_string(switchPort_)};
  auto run = std::async(std::launch::async, [this, options] { return runSipp(options, dir_); });
  std::this_thread::sleep_for(500ms);  // SIPp binds its port before the first INVITE
  return run;
}

std::future<SippResult> CtiCallTest::startCallerSipp(const std::string& scenario,
                                                     const std::string& rp,
                                                     std::vector<std::string> extraArgs) {
  SippOptions options;
  options.scenario = scenario;
  options.target = ccsip_.udpTarget();
  options.service = rp;
  options.timeout = 30s;
  options.extraArgs = std::move(extraArgs);
  return std::async(std::launch::async, [this, options] { return runSipp(options, dir_); });
}

}  // namespace ccsip::itest
