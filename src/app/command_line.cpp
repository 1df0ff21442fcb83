#include "app/command_line.h"

#include <CLI/CLI.hpp>

#include "config/version.h"

namespace ccsip::app {

std::variant<CommandLine, ExitNow> parseCommandLine(int argc, char** argv) {
  CLI::App cli{"ccsip: a contact-center SIP server", "ccsip"};
  CommandLine line;
  std::string configFile;
  std::string checkConfigFile;
  std::string logLevel;
  std::string portFile;

  auto* config = cli.add_option("--config", configFile,
                                "Configuration file (YAML); default: the embedded demo.yaml");
  config->type_name("FILE");
  cli.add_option("--check-config", checkConfigFile,
                 "Validate FILE, print every error to stderr and exit: 0 valid, 2 invalid")
      ->type_name("FILE")
      ->excludes(config);
  cli.add_option("--log-level", logLevel, "Override log.level of the configuration")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  cli.add_option("--port-file", portFile,
                 "Once listening, write the bound ports to FILE (\"udp 127.0.0.1 5060\" lines)")
      ->type_name("FILE");
  cli.set_version_flag("--version", "ccsip " + std::string(config::version()));

  try {
    cli.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return ExitNow{cli.exit(e)};  // --help, --version
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return ExitNow{2};  // a usage error, like a configuration error
  }
  if (!configFile.empty()) line.configFile = configFile;
  if (!checkConfigFile.empty()) line.checkConfigFile = checkConfigFile;
  if (!logLevel.empty()) line.logLevel = config::parseLogLevel(logLevel);
  if (!portFile.empty()) line.portFile = portFile;
  return line;
}

}  // namespace ccsip::app
