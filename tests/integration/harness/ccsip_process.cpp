#include "harness/ccsip_process.h"

#include <signal.h>

#include <sstream>
#include <thread>

namespace ccsip::itest {

namespace {

// Under ASan on a loaded two-core machine start-up can take seconds; bounded all the same.
constexpr auto kStartTimeout = std::chrono::seconds(30);

}  // namespace

std::string testPassword(const std::string& dn) {
  return "pw" + dn;
}

std::string testConfig(const TestConfigOptions& options) {
  std::ostringstream out;
  out << "sip:\n"
      << "  listen:\n"
      << "    - address: 127.0.0.1\n"
      << "      port: 0\n"
      << "      transports: " << options.transports << "\n"
      << "  domain: " << options.domain << "\n"
      << "  timers: {t1: " << options.t1Ms << ", t2: " << options.t2Ms << ", t4: " << options.t4Ms
      << "}\n"
      << "log:\n"
      << "  level: " << options.logLevel << "\n"
      << "registrar:\n"
      << "  realm: " << options.domain << "\n"
      << "  algorithms: " << options.algorithms << "\n"
      << "extensions:\n";
  for (const char* dn : {"1000", "1001", "1002", "1003"}) {
    out << "  - dn: \"" << dn << "\"\n"
        << "    password: " << testPassword(dn) << "\n";
  }
  out << options.extraYaml;
  return out.str();
}

RunResult runCommand(const std::vector<std::string>& argv, const TempDir& dir,
                     const std::string& outputName, std::chrono::seconds timeout) {
  RunResult result;
  Process process;
  std::string error;
  std::string outputFile = dir.file(outputName);
  if (!process.start({argv, outputFile, dir.path()}, &error)) {
    result.output = error;
    return result;
  }
  result.status = process.waitFor(timeout);
  if (!result.status) process.kill();
  result.output = readFile(outputFile);
  return result;
}

CcsipProcess::~CcsipProcess() {
  if (process_.running()) stop(std::chrono::seconds(10));
}

::testing::AssertionResult CcsipProcess::start(const std::string& configYaml,
                                               const std::vector<std::string>& extraArgs) {
  std::string configFile = dir_.write("ccsip.yaml", configYaml);
  std::string portFile = dir_.file("ports.txt");
  outputFile_ = dir_.file("ccsip.log");
  std::vector<std::string> argv = {CCSIP_BINARY, "--config", configFile, "--port-file", portFile};
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  std::string error;
  if (!process_.start({argv, outputFile_, dir_.path()}, &error)) {
    return ::testing::AssertionFailure() << "cannot start ccsip: " << error;
  }
  // The port file appears (by rename) once every listener is bound.
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string ports = readFile(portFile);
    if (!ports.empty()) {
      std::istringstream lines(ports);
      std::string kind, address;
      unsigned port = 0;
      while (lines >> kind >> address >> port) {
        if (kind == "udp" && udpPort_ == 0) udpPort_ = static_cast<std::uint16_t>(port);
        if (kind == "tcp" && tcpPort_ == 0) tcpPort_ = static_cast<std::uint16_t>(port);
      }
      if (udpPort_ == 0 && tcpPort_ == 0) {
        return ::testing::AssertionFailure() << "port file without ports:\n" << ports;
      }
      return ::testing::AssertionSuccess();
    }
    if (auto status = process_.waitFor(std::chrono::milliseconds(20))) {
      return ::testing::AssertionFailure()
             << "ccsip exited with " << *status << " before binding:\n"
             << outputTail();
    }
  }
  process_.kill();
  return ::testing::AssertionFailure() << "no port file after " << kStartTimeout.count() << " s:\n"
                                       << outputTail();
}

std::optional<int> CcsipProcess::stop(std::chrono::seconds timeout) {
  process_.signal(SIGTERM);
  auto status = process_.waitFor(timeout);
  if (!status) process_.kill();
  return status;
}

}  // namespace ccsip::itest
