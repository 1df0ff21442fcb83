#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/cti_client.h"
#include "harness/server_test.h"

namespace ccsip::itest {

// The value of "key" in a one-line JSON event: a string's text, or a number as written; "" when
// absent. Enough for the flat fields of TEvents.
std::string fieldOf(const std::string& line, const std::string& key);

// The switch's UDP port while ccsip starts (and agents log in): it answers ccsip's SUBSCRIBEs
// (presence at start-up, MWI of an agent's box at login) with 403, so that the switch's SIPp,
// which binds the port afterwards, sees only calls (ccsip retries a refused subscription after
// 60 s, long after the test). Close-on-exec: the ccsip process must not inherit it.
class SwitchPort {
 public:
  SwitchPort();
  ~SwitchPort();
  SwitchPort(const SwitchPort&) = delete;
  SwitchPort& operator=(const SwitchPort&) = delete;

  std::uint16_t port() const { return port_; }
  // Refuses SUBSCRIBEs until `count` distinct ones (by Call-ID) came; false on timeout.
  bool refuseSubscribes(std::size_t count, std::uint16_t ccsipPort);

 private:
  std::optional<std::string> receive(std::chrono::milliseconds timeout);
  bool sendTo(std::uint16_t port, const std::string& bytes);

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::set<std::string> refused_;
};

// A ccsip process with one CTI session: requests with running referenceIds, the events of a
// call, and the check that no call is left.
class CtiCallTest : public ServerTest {
 protected:
  // Opens the CTI session on the port file's `cti` port and registers `dns`.
  ::testing::AssertionResult openCti(const std::vector<std::string>& dns);
  // Sends `json` (without its closing brace) with the next referenceId; waits for `answer`.
  std::optional<std::string> request(const std::string& json, const std::string& answer);
  // Every event of call `connId` the client saw so far: "EventName thisDN".
  std::vector<std::string> eventsOf(const std::string& connId) const;
  // QueryServer until no call (and, with `partiesToo`, no party) is left (bounded).
  ::testing::AssertionResult noCallLeft(bool partiesToo = true);
  // SIPp `run` exited 0, else its report and ccsip's log.
  void expectPassed(std::future<SippResult>& run, const std::string& who = "");
  // SIPp on the switch port (the phones behind the switch), in the background.
  std::future<SippResult> startSwitchSipp(const std::string& scenario, int calls);
  // The switch's caller side calling routing point `rp`, in the background.
  std::future<SippResult> startCallerSipp(const std::string& scenario, const std::string& rp,
                                          std::vector<std::string> extraArgs = {});

  std::uint16_t switchPort_ = 0;
  CtiClient cti_;
  int nextReference_ = 1;
};

}  // namespace ccsip::itest
