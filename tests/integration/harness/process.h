#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ccsip::itest {

struct ProcessOptions {
  std::vector<std::string> argv;  // argv[0] is the executable's path
  std::string outputFile;         // stdout and stderr both go here (truncated first)
  std::string workingDirectory;   // empty: the test's own
};

// A child process started with posix_spawn, stdin from /dev/null. The destructor kills
// (SIGKILL) and reaps a child still running, so a failing test never leaves one behind.
class Process {
 public:
  Process() = default;
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // False (with the reason in *error) when the child could not be spawned.
  bool start(const ProcessOptions& options, std::string* error);

  // The exit status once the child has ended within `timeout`: its exit code, or 128 + signal
  // number when a signal ended it (as a shell reports it). nullopt: still running.
  std::optional<int> waitFor(std::chrono::milliseconds timeout);
  bool running();
  void signal(int signalNumber);
  // SIGKILL and reap; returns the status.
  int kill();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace ccsip::itest
