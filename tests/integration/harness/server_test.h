#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "harness/ccsip_process.h"
#include "harness/sip_socket.h"
#include "harness/sipp.h"
#include "harness/temp_dir.h"

namespace ccsip::itest {

// A fixture owning one ccsip process per test; TearDown stops it with SIGTERM and expects a
// clean exit (status 0: no crash, no sanitizer report, no leak).
class ServerTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Starts ccsip on testConfig(options); use with ASSERT_TRUE.
  ::testing::AssertionResult startServer(const TestConfigOptions& options = {});
  // Runs SIPp; success when it exits 0, else its report and ccsip's log.
  ::testing::AssertionResult sippPasses(const SippOptions& options);
  // SIPp's exit code (nullopt: killed), for tests that expect a scenario to fail.
  std::optional<int> sippExitCode(const SippOptions& options, std::string* report = nullptr);
  // Sends an OPTIONS (fresh Call-ID) and expects a 200 within `timeout`.
  ::testing::AssertionResult answersOptionsUdp(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ::testing::AssertionResult answersOptionsTcp(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  std::string nextCallId(const std::string& prefix);

  TempDir dir_;
  CcsipProcess ccsip_{dir_};
  bool started_ = false;
  int callCounter_ = 0;
};

// Receives on `socket` until a message whose Call-ID is `callId` arrives (skipping strays).
std::optional<std::string> receiveFor(UdpSipSocket& socket, const std::string& callId,
                                      std::chrono::milliseconds timeout);
std::optional<std::string> receiveFor(TcpSipSocket& socket, const std::string& callId,
                                      std::chrono::milliseconds timeout);

}  // namespace ccsip::itest
