#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "harness/temp_dir.h"

namespace ccsip::itest {

struct SippOptions {
  std::string scenario;      // a file name in tests/integration/scenarios
  std::string target;        // "127.0.0.1:5060"
  bool tcp = false;          // -t t1 (one TCP connection) instead of -t u1
  int calls = 1;             // -m
  int rate = 10;             // -r, calls per second
  std::string service;       // -s: the Request-URI / AOR user
  std::string authUser;      // -au
  std::string authPassword;  // -ap
  std::vector<std::string> extraArgs;
  // Bounded twice: SIPp's own -timeout, and a kill of the process a little later.
  std::chrono::seconds timeout{60};
};

struct SippResult {
  // SIPp's exit code: 0 every call succeeded, 1 some failed, 97/99/255/254 other ends;
  // nullopt when it had to be killed.
  std::optional<int> exitCode;
  std::string report;  // command line, screen statistics and error log, for failure messages
};

SippResult runSipp(const SippOptions& options, const TempDir& dir);

}  // namespace ccsip::itest
