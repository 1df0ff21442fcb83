#include "harness/sipp.h"

#include "harness/process.h"

namespace ccsip::itest {

SippResult runSipp(const SippOptions& options, const TempDir& dir) {
  // Distinct log names when one test runs SIPp several times.
  std::string name;
  for (int run = 1; name.empty() || !readFile(dir.file(name + "_output.log")).empty(); ++run) {
    name = "sipp" + std::to_string(run);
  }
  std::string screenFile = dir.file(name + "_screen.log");
  std::string errorFile = dir.file(name + "_errors.log");
  std::string messageFile = dir.file(name + "_messages.log");
  std::string outputFile = dir.file(name + "_output.log");

  std::vector<std::string> argv = {
      SIPP_BINARY,
      "-sf",
      std::string(CCSIP_SCENARIO_DIR) + "/" + options.scenario,
      options.target,
      "-t",
      options.tcp ? "t1" : "u1",
      // No -p: SIPp binds the first free port from 5060 upwards, so parallel runs never
      // collide (it skips ports in use rather than failing).
      "-i",
      "127.0.0.1",
      "-m",
      std::to_string(options.calls),
      "-r",
      std::to_string(options.rate),
      "-nostdin",
      "-timeout",
      std::to_string(options.timeout.count()) + "s",
      "-timeout_error",
      "-trace_err",
      "-error_file",
      errorFile,
      "-trace_msg",
      "-message_file",
      messageFile,
      "-trace_screen",
      "-screen_file",
      screenFile,
      "-key",
      "domain",
      "ccsip.test",
  };
  if (!options.service.empty()) argv.insert(argv.end(), {"-s", options.service});
  if (!options.authUser.empty()) {
    // SIPp's digest uri defaults to remote_ip:remote_port; RFC 3261 22.4 wants the
    // Request-URI, which the scenarios write as sip:[domain].
    argv.insert(argv.end(), {"-au", options.authUser, "-auth_uri", "ccsip.test"});
  }
  if (!options.authPassword.empty()) argv.insert(argv.end(), {"-ap", options.authPassword});
  argv.insert(argv.end(), options.extraArgs.begin(), options.extraArgs.end());

  SippResult result;
  std::string commandLine;
  for (const auto& arg : argv) commandLine += arg + " ";
  Process process;
  std::string error;
  if (!process.start({argv, outputFile, dir.path()}, &error)) {
    result.report = error;
    return result;
  }
  result.exitCode = process.waitFor(options.timeout + std::chrono::seconds(15));
  if (!result.exitCode) process.kill();
  result.report = "command: " + commandLine + "\n--- screen\n" + tailOfFile(screenFile, 3000) +
                  "\n--- errors\n" + tailOfFile(errorFile, 3000) + "\n--- output\n" +
                  tailOfFile(outputFile, 1500) + "\n--- messages\n" + tailOfFile(messageFile, 3000);
  return result;
}

}  // namespace ccsip::itest
