// ccsip: the contact-center SIP server. Flags: see command_line.cpp; exit status 0 after a
// clean shutdown (SIGTERM / SIGINT), 2 for a configuration or usage error, 1 when it cannot
// start (a port in use, an unwritable --port-file).

#include <signal.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <variant>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "app/command_line.h"
#include "app/logging.h"
#include "app/port_file.h"
#include "app/server.h"
#include "config/loader.h"
#include "config/version.h"

namespace ccsip::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitCannotStart = 1;
constexpr int kExitConfigError = 2;

void printErrors(const std::vector<config::ConfigError>& errors) {
  std::fputs(config::toString(errors).c_str(), stderr);
}

int checkConfig(const std::string& path) {
  auto result = config::loadConfigFile(path);
  if (!result.ok()) {
    printErrors(result.errors);
    return kExitConfigError;
  }
  std::printf("%s: configuration is valid\n", path.c_str());
  return kExitOk;
}

// SIGTERM / SIGINT: stop listening and leave the event loop. SIGHUP: read the configuration
// file again and apply what can change while calls go on (Server::reload); a file with errors
// is reported and changes nothing.
class SignalHandler {
 public:
  SignalHandler(boost::asio::io_context& io, Server& server, const CommandLine& line)
      : io_(io), server_(server), line_(line), signals_(io, SIGINT, SIGTERM, SIGHUP) {
    wait();
  }

 private:
  void wait() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signalNumber) {
      if (ec) return;  // cancelled at shutdown
      if (signalNumber == SIGHUP) {
        reload();
        wait();
        return;
      }
      spdlog::info("{}: shutting down", signalNumber == SIGINT ? "SIGINT" : "SIGTERM");
      server_.shutdown([this] { io_.stop(); });
    });
  }

  void reload() {
    if (!line_.configFile) {
      spdlog::warn("SIGHUP: running on the embedded configuration, nothing to reload");
      return;
    }
    auto loaded = config::loadConfigFile(*line_.configFile);
    if (!loaded.ok()) {
      for (const auto& error : loaded.errors) {
        spdlog::error("SIGHUP: {}", config::toString(error));
      }
      spdlog::error("SIGHUP: {} has errors, configuration unchanged", *line_.configFile);
      return;
    }
    if (!line_.logLevel) setLogLevel(loaded.config.log.level);
    const Server::ReloadOutcome outcome = server_.reload(loaded.config);
    const model::ApplyReport& model = outcome.model;
    spdlog::info(
        "SIGHUP: reloaded {}: DNs +{} ~{} -{} (removing when idle: {}), agents +{} ~{} -{} "
        "(removing when idle: {}), groups {}",
        *line_.configFile, model.dnsAdded, model.dnsUpdated, model.dnsRemoved, model.dnsRemoving,
        model.agentsAdded, model.agentsUpdated, model.agentsRemoved, model.agentsRemoving,
        model.groups);
    for (const auto& warning : model.warnings) spdlog::warn("SIGHUP: call model: {}", warning);
    for (const auto& section : outcome.plan.needsRestart) {
      spdlog::warn("SIGHUP: {} changed: takes effect at the next restart", section);
    }
  }

  boost::asio::io_context& io_;
  Server& server_;
  const CommandLine& line_;
  boost::asio::signal_set signals_;
};

int run(const config::Config& config, const CommandLine& line) {
  // A peer closing its TCP connection must cost an error code, never the process.
  std::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context io(1);
  Server server(io, config);
  // Before binding: whoever reads the port file may send SIGTERM at once.
  std::optional<SignalHandler> signals(std::in_place, io, server, line);
  auto bound = server.start();
  if (!bound) {
    spdlog::critical("{}", bound.error().message);
    return kExitCannotStart;
  }
  if (line.portFile) {
    auto written = writePortFile(*line.portFile, *bound);
    if (!written) {
      spdlog::critical("--port-file: {}", written.error().message);
      return kExitCannotStart;
    }
  }
  spdlog::info("ccsip {} running", config::version());
  io.run();
  // Shutting down: a second SIGTERM / SIGINT must not kill the process half-way through its
  // teardown (removing the handlers restores the default action).
  signals.reset();
  std::signal(SIGTERM, SIG_IGN);
  std::signal(SIGINT, SIG_IGN);
  spdlog::info("stopped");
  return kExitOk;
}

int runMain(int argc, char** argv) {
  auto parsed = parseCommandLine(argc, argv);
  if (const auto* exitNow = std::get_if<ExitNow>(&parsed)) return exitNow->status;
  const auto& line = std::get<CommandLine>(parsed);
  if (line.checkConfigFile) return checkConfig(*line.checkConfigFile);

  auto loaded =
      line.configFile ? config::loadConfigFile(*line.configFile) : config::loadEmbeddedConfig();
  if (!loaded.ok()) {
    printErrors(loaded.errors);
    return kExitConfigError;
  }
  setupLogging(line.logLevel.value_or(loaded.config.log.level));
  if (!line.configFile) spdlog::info("no --config: running on the embedded demo.yaml");
  return run(loaded.config, line);
}

}  // namespace
}  // namespace ccsip::app

int main(int argc, char** argv) {
  try {
    return ccsip::app::runMain(argc, argv);
  } catch (const std::exception& e) {
    // Only start-up can get here (the event loop's handlers do not throw); say what failed.
    std::fprintf(stderr, "ccsip: fatal: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "ccsip: fatal: unknown exception\n");
  }
  return 1;
}
