#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/process.h"
#include "harness/temp_dir.h"

namespace ccsip::itest {

// Extension credentials every generated config holds: 1000..1003 with password "pw<dn>".
inline constexpr const char* kTestDomain = "ccsip.test";
std::string testPassword(const std::string& dn);

struct TestConfigOptions {
  std::string domain = kTestDomain;  // sip.domain and registrar.realm
  std::string transports = "[udp, tcp]";
  std::string logLevel = "debug";
  int t1Ms = 500;
  int t2Ms = 4000;
  int t4Ms = 5000;
  std::string algorithms = "[SHA-256, MD5]";
  std::string extraYaml;  // appended as is (more top-level sections)
};

// A config binding 127.0.0.1 port 0 (so parallel tests never collide).
std::string testConfig(const TestConfigOptions& options = {});

// Runs a command to completion (bounded), output captured.
struct RunResult {
  std::optional<int> status;  // nullopt: timed out (and killed)
  std::string output;
};
RunResult runCommand(const std::vector<std::string>& argv, const TempDir& dir,
                     const std::string& outputName, std::chrono::seconds timeout);

// The real ccsip binary (CCSIP_BINARY) started on a generated config with --port-file.
class CcsipProcess {
 public:
  explicit CcsipProcess(const TempDir& dir) : dir_(dir) {}
  ~CcsipProcess();

  // Starts ccsip and waits (bounded) for the port file; fails with ccsip's output otherwise.
  ::testing::AssertionResult start(const std::string& configYaml,
                                   const std::vector<std::string>& extraArgs = {});
  std::uint16_t udpPort() const { return udpPort_; }
  std::uint16_t tcpPort() const { return tcpPort_; }
  std::string udpTarget() const { return "127.0.0.1:" + std::to_string(udpPort_); }
  std::string tcpTarget() const { return "127.0.0.1:" + std::to_string(tcpPort_); }

  bool running() { return process_.running(); }
  // The exit status once ccsip has ended by itself within `timeout`; nullopt: still running.
  std::optional<int> waitForExit(std::chrono::milliseconds timeout) {
    return process_.waitFor(timeout);
  }
  // SIGTERM, then waits (bounded) for the exit; nullopt when it did not exit (then killed).
  std::optional<int> stop(std::chrono::seconds timeout = std::chrono::seconds(30));
  void signal(int signalNumber) { process_.signal(signalNumber); }
  std::string output() const { return readFile(outputFile_); }
  std::string outputTail() const { return tailOfFile(outputFile_, 6000); }

 private:
  const TempDir& dir_;
  Process process_;
  std::string outputFile_;
  std::uint16_t udpPort_ = 0;
  std::uint16_t tcpPort_ = 0;
};

}  // namespace ccsip::itest
