// ccsip-cli: a command-line CTI client of ccsip. Usage in docs/ccsip-cli.md; exit codes in
// cli/invocation.h (0 ok, 1 request failed, 2 usage error, 3 connection failed).

#include <exception>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "cli/command_line.h"
#include "cli/cti_connection.h"
#include "cli/runner.h"

int main(int argc, char** argv) {
  using namespace ccsip::cli;
  try {
    std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    auto parsed = parseCommandLine(args, std::cout, std::cerr);
    if (auto* exitNow = std::get_if<ExitNow>(&parsed)) return exitNow->status;
    CtiConnection connection;
    return run(std::get<Invocation>(parsed), connection, std::cout, std::cerr);
  } catch (const std::exception& e) {
    // Only resource exhaustion gets here (bad_alloc, no signal handler): every server answer
    // and every user input is an error value, never an exception.
    std::cerr << "ccsip-cli: " << e.what() << "\n";
    return toInt(ExitCode::RequestFailed);
  }
}
