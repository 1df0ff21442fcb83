#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "harness/process.h"
#include "harness/temp_dir.h"

namespace ccsip::itest {

// One message of SIPp's -trace_msg log.
struct SippMessage {
  double time = 0;        // seconds since 1970 (the log's wall-clock stamp)
  bool received = false;  // received by SIPp (sent by ccsip)
  std::string text;       // the SIP message, CRLF line ends

  std::string startLine() const;
  std::string method() const;  // "" for a response
  int status() const;          // -1 for a request
  // The first header `name` (case-insensitive), trimmed; "" when absent.
  std::string header(std::string_view name) const;
  // The Request-URI of a request.
  std::string requestUri() const;
  bool hasToTag() const;  // an in-dialog request
};

// Parses a -trace_msg log.
std::vector<SippMessage> parseSippMessages(const std::string& log);

// The initial SUBSCRIBEs ccsip sent (no To-tag), once per transaction (retransmissions, which
// repeat the Via branch, left out), in order.
std::vector<SippMessage> initialSubscribes(const std::vector<SippMessage>& messages);
// In-dialog SUBSCRIBEs (refreshes, unsubscribes), once per transaction.
std::vector<SippMessage> inDialogSubscribes(const std::vector<SippMessage>& messages);

struct SippNotifierOptions {
  std::string scenario;    // a file name in tests/integration/scenarios
  std::uint16_t port = 0;  // where the switch is (ccsip's switch.port)
  int calls = 0;           // -m; 0: no limit (end it with quit())
  bool traceMessages = true;
  bool keepDeadCalls = false;  // false: -deadcall_wait 0, a reused Call-ID starts a new call
  std::chrono::seconds timeout{60};
  std::vector<std::string> extraArgs;  // e.g. {"-key", "silence", "7000"}
  bool tcp = false;                    // -t t1: SIPp listens on TCP `port` (switch.transport: tcp)
};

// SIPp as Asterisk's notifier: a UAS scenario on `port`, running in the background while the
// test drives ccsip and its CTI clients. The destructor kills a SIPp still running.
class SippNotifier {
 public:
  explicit SippNotifier(const TempDir& dir) : dir_(dir) {}

  // Starts SIPp and waits (bounded) until it holds the port.
  ::testing::AssertionResult start(const SippNotifierOptions& options);
  bool running() { return process_.running(); }
  // SIPp's exit code once it ends within `timeout`; nullopt: still running.
  std::optional<int> wait(std::chrono::milliseconds timeout) { return process_.waitFor(timeout); }
  // SIGINT (SIPp ends its calls and exits), then waits; killed after `timeout`.
  std::optional<int> quit(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Success when SIPp exits 0 within `timeout`, else its report.
  ::testing::AssertionResult passes(std::chrono::milliseconds timeout);

  std::vector<SippMessage> messages() const;
  // Polls the message log (bounded) until `done` holds; false on timeout.
  bool waitForMessages(const std::function<bool(const std::vector<SippMessage>&)>& done,
                       std::chrono::milliseconds timeout) const;
  // The command line, screen, errors and the end of the message log, for failure messages.
  std::string report() const;

 private:
  const TempDir& dir_;
  Process process_;
  std::string name_;
  std::string commandLine_;
};

// Whether something is bound to UDP 127.0.0.1:`port`.
bool udpPortInUse(std::uint16_t port);
// Whether something listens on TCP 127.0.0.1:`port`.
bool tcpPortListening(std::uint16_t port);
// A TCP port on 127.0.0.1 that was free a moment ago; 0 when none was found.
std::uint16_t freeTcpPort();

}  // namespace ccsip::itest
