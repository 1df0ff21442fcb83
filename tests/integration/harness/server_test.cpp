#include "harness/server_test.h"

namespace ccsip::itest {

namespace {

template <class Socket>
std::optional<std::string> receiveMatching(Socket& socket, const std::string& callId,
                                           std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto message = socket.receive(left);
    if (!message) return std::nullopt;
    if (headerOf(*message, "Call-ID") == callId || headerOf(*message, "i") == callId) {
      return message;
    }
  }
}

}  // namespace

std::optional<std::string> receiveFor(UdpSipSocket& socket, const std::string& callId,
                                      std::chrono::milliseconds timeout) {
  return receiveMatching(socket, callId, timeout);
}

std::optional<std::string> receiveFor(TcpSipSocket& socket, const std::string& callId,
                                      std::chrono::milliseconds timeout) {
  return receiveMatching(socket, callId, timeout);
}

void ServerTest::TearDown() {
  if (!started_) return;
  auto status = ccsip_.stop();
  EXPECT_EQ(status, std::optional<int>(0)) << "ccsip did not exit cleanly on SIGTERM; its log:\n"
                                           << ccsip_.outputTail();
}

::testing::AssertionResult ServerTest::startServer(const TestConfigOptions& options) {
  auto result = ccsip_.start(testConfig(options));
  started_ = static_cast<bool>(result);
  return result;
}

std::optional<int> ServerTest::sippExitCode(const SippOptions& options, std::string* report) {
  SippResult result = runSipp(options, dir_);
  if (report != nullptr) *report = result.report;
  return result.exitCode;
}

::testing::AssertionResult ServerTest::sippPasses(const SippOptions& options) {
  SippResult result = runSipp(options, dir_);
  if (result.exitCode == 0) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  if (result.exitCode) {
    failure << "sipp exited with " << *result.exitCode;
  } else {
    failure << "sipp did not finish and was killed";
  }
  return failure << "\n" << result.report << "\n--- ccsip log\n" << ccsip_.outputTail();
}

std::string ServerTest::nextCallId(const std::string& prefix) {
  return prefix + "-" + std::to_string(++callCounter_) + "@itest";
}

::testing::AssertionResult ServerTest::answersOptionsUdp(std::chrono::milliseconds timeout) {
  UdpSipSocket socket;
  TestRequest request;
  request.localPort = socket.localPort();
  request.callId = nextCallId("alive-udp");
  socket.sendTo(ccsip_.udpPort(), buildRequest(request));
  auto response = receiveFor(socket, request.callId, timeout);
  if (!response) {
    return ::testing::AssertionFailure() << "no answer to OPTIONS over UDP; ccsip log:\n"
                                         << ccsip_.outputTail();
  }
  if (statusOf(*response) != 200) {
    return ::testing::AssertionFailure() << "OPTIONS over UDP answered:\n" << *response;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult ServerTest::answersOptionsTcp(std::chrono::milliseconds timeout) {
  TcpSipSocket socket;
  if (!socket.connect(ccsip_.tcpPort())) {
    return ::testing::AssertionFailure() << "cannot connect over TCP; ccsip log:\n"
                                         << ccsip_.outputTail();
  }
  TestRequest request;
  request.transport = "TCP";
  request.localPort = socket.localPort();
  request.callId = nextCallId("alive-tcp");
  socket.send(buildRequest(request));
  auto response = receiveFor(socket, request.callId, timeout);
  if (!response) {
    return ::testing::AssertionFailure() << "no answer to OPTIONS over TCP; ccsip log:\n"
                                         << ccsip_.outputTail();
  }
  if (statusOf(*response) != 200) {
    return ::testing::AssertionFailure() << "OPTIONS over TCP answered:\n" << *response;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace ccsip::itest
