#pragma once

#include <optional>
#include <string>
#include <variant>

#include "config/config.h"

namespace ccsip::app {

struct CommandLine {
  std::optional<std::string> configFile;       // --config; none: the embedded demo.yaml
  std::optional<std::string> checkConfigFile;  // --check-config: validate and exit
  std::optional<config::LogLevel> logLevel;    // --log-level: overrides log.level
  std::optional<std::string> portFile;         // --port-file: bound ports, written once bound
};

// What main() does next: run with these options, or exit now with this status (help and
// --version print and exit 0; usage errors print and exit 2).
struct ExitNow {
  int status = 0;
};

std::variant<CommandLine, ExitNow> parseCommandLine(int argc, char** argv);

}  // namespace ccsip::app
