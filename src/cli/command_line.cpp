#include "cli/command_line.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ostream>

#include <CLI/CLI.hpp>

namespace ccsip::cli {

namespace {

constexpr const char* kConnIdHelp = "ConnID of the call (16 hex digits, from its events)";

// Options that every command takes, bound once and reachable from each subcommand (CLI11
// "fallthrough"): `ccsip-cli login ... --json` reads as well as `ccsip-cli --json login ...`.
struct GlobalValues {
  std::string host = "127.0.0.1";
  int port = 7000;
  std::string token = "demo-desktop";
  std::string name = "ccsip-cli";
  double timeoutSeconds = 10;
  int lingerMs = 300;
  bool json = false;
  bool utc = false;
};

// Per-command values; only the chosen subcommand's options are filled.
struct CommandValues {
  std::string dn;
  std::vector<std::string> dns;  // watch: --dn repeated
  std::vector<std::string> data;
};

CLI::Validator connIdValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return isConnId(text) ? std::string() : "not a ConnID (16 hex digits): " + text;
      },
      "CONNID");
}

CLI::Validator keyValueValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::size_t equals = text.find('=');
        return equals == std::string::npos || equals == 0 ? "expected KEY=VALUE: " + text
                                                          : std::string();
      },
      "KEY=VALUE");
}

CLI::App* addCommand(CLI::App& app, const std::string& name, const std::string& description) {
  CLI::App* command = app.add_subcommand(name, description);
  command->fallthrough();
  return command;
}

void addThisDn(CLI::App* command, CommandValues& values) {
  command->add_option("--dn", values.dn, "The DN (extension) to act on; it is registered first")
      ->required()
      ->type_name("DN");
}

void addOptionalAgent(CLI::App* command, Invocation& invocation) {
  command->add_option("--agent", invocation.agentId, "Agent id (optional; must be on --dn)")
      ->type_name("AGENT");
}

void addConnId(CLI::App* command, Invocation& invocation) {
  command->add_option("--conn", invocation.connId, kConnIdHelp)
      ->required()
      ->check(connIdValidator());
}

void addUserData(CLI::App* command, CommandValues& values) {
  command->add_option("--data", values.data, "Attach user data to the call (repeatable)")
      ->type_name("KEY=VALUE")
      ->check(keyValueValidator());
}

}  // namespace

bool isConnId(const std::string& text) {
  return text.size() == 16 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c); });
}

std::variant<Invocation, ExitNow> parseCommandLine(const std::vector<std::string>& args,
                                                   std::ostream& out, std::ostream& err) {
  CLI::App app{"ccsip-cli: a command-line CTI client of ccsip (docs/ccsip-cli.md)", "ccsip-cli"};
  Invocation invocation;
  GlobalValues global;
  CommandValues values;

  app.add_option("--host", global.host, "CTI host (default 127.0.0.1)")->type_name("HOST");
  app.add_option("--port", global.port, "CTI TCP port (default 7000)")
      ->check(CLI::Range(1, 65535))
      ->type_name("PORT");
  app.add_option("--token", global.token, "Application token for OpenSession (demo-desktop)")
      ->type_name("TOKEN");
  app.add_option("--name", global.name, "Application name shown in the server's logs")
      ->type_name("NAME");
  app.add_option("--timeout", global.timeoutSeconds,
                 "Seconds to wait for the connection and for each answer (default 10)")
      ->check(CLI::Range(0.1, 3600.0))
      ->type_name("SECONDS");
  app.add_option("--linger", global.lingerMs,
                 "After the first answer, milliseconds to wait for more answers (default 300)")
      ->check(CLI::Range(0, 60000))
      ->type_name("MS");
  app.add_flag("--json", global.json, "Print each event as its raw JSON line");
  app.add_flag("--utc", global.utc, "Print times in UTC instead of local time");
  app.set_version_flag("--version", "ccsip-cli " CCSIP_CLI_VERSION);
  app.require_subcommand(1);

  CLI::App* login = addCommand(app, "login", "AgentLogin: log an agent in on a DN");
  login->add_option("--agent", invocation.agentId, "Agent id")->required()->type_name("AGENT");
  login->add_option("--password", invocation.password, "The agent's password")
      ->required()
      ->type_name("PASSWORD");
  addThisDn(login, values);
  login->add_flag("--ready", invocation.ready, "Log in Ready (default NotReady)");
  login->add_option("--reason", invocation.reason, "NotReady reason of the login")
      ->type_name("REASON");

  CLI::App* logout = addCommand(app, "logout", "AgentLogout");
  addThisDn(logout, values);
  addOptionalAgent(logout, invocation);

  CLI::App* ready = addCommand(app, "ready", "AgentSetReady");
  addThisDn(ready, values);
  addOptionalAgent(ready, invocation);

  CLI::App* notReady = addCommand(app, "notready", "AgentSetNotReady");
  addThisDn(notReady, values);
  addOptionalAgent(notReady, invocation);
  notReady->add_option("--reason", invocation.reason, "Reason, e.g. break")->type_name("REASON");

  CLI::App* acw = addCommand(app, "acw", "AgentSetAfterCallWork");
  addThisDn(acw, values);
  addOptionalAgent(acw, invocation);

  CLI::App* make = addCommand(app, "make", "MakeCall from --dn to --to");
  addThisDn(make, values);
  make->add_option("--to", invocation.otherDn, "The DN or number to call")
      ->required()
      ->type_name("DN");
  addUserData(make, values);

  struct CallCommand {
    const char* name;
    const char* description;
    Command command;
  };
  const CallCommand callCommands[] = {
      {"answer", "AnswerCall: answer a ringing call (where the phone allows it)", Command::Answer},
      {"release", "ReleaseCall: hang up", Command::Release},
      {"hold", "HoldCall", Command::Hold},
      {"retrieve", "RetrieveCall", Command::Retrieve},
  };
  std::vector<std::pair<CLI::App*, Command>> chosen = {
      {login, Command::Login},       {logout, Command::Logout},     {ready, Command::Ready},
      {notReady, Command::NotReady}, {acw, Command::AfterCallWork}, {make, Command::Make},
  };
  for (const CallCommand& call : callCommands) {
    CLI::App* command = addCommand(app, call.name, call.description);
    addThisDn(command, values);
    addConnId(command, invocation);
    chosen.emplace_back(command, call.command);
  }

  CLI::App* transfer = addCommand(
      app, "transfer", "SingleStepTransfer of --conn to --to (InitiateTransfer with --consult)");
  addThisDn(transfer, values);
  addConnId(transfer, invocation);
  transfer->add_option("--to", invocation.otherDn, "Transfer target")->required()->type_name("DN");
  transfer->add_flag("--consult", invocation.consult,
                     "Hold the call and dial --to first (finish with `complete`)");
  addUserData(transfer, values);

  CLI::App* complete = addCommand(app, "complete", "CompleteTransfer of a consult transfer");
  addThisDn(complete, values);
  complete->add_option("--conn", invocation.connId, "ConnID of the held original call")
      ->required()
      ->check(connIdValidator());
  complete->add_option("--consult-conn", invocation.consultConnId, "ConnID of the consult call")
      ->required()
      ->check(connIdValidator());

  CLI::App* query = addCommand(app, "query", "QueryAddress of --dn (QueryCall with --conn)");
  addThisDn(query, values);
  query->add_option("--conn", invocation.connId, kConnIdHelp)->check(connIdValidator());

  CLI::App* watch = addCommand(app, "watch", "Register DNs and print their events until Ctrl-C");
  watch->add_option("--dn", values.dns, "A DN to watch (repeat for more)")
      ->required()
      ->type_name("DN")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  watch->add_option("--agent", invocation.agentId, "Show only the events of this agent")
      ->type_name("AGENT");

  chosen.emplace_back(transfer, Command::Transfer);
  chosen.emplace_back(complete, Command::CompleteTransfer);
  chosen.emplace_back(query, Command::Query);
  chosen.emplace_back(watch, Command::Watch);

  // CLI11 takes the arguments last first.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::Success& e) {
    return ExitNow{app.exit(e, out, err)};  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e, out, err);
    return ExitNow{toInt(ExitCode::Usage)};
  }

  for (const auto& [command, which] : chosen) {
    if (command->parsed()) invocation.command = which;
  }
  invocation.connection.host = global.host;
  invocation.connection.port = static_cast<std::uint16_t>(global.port);
  invocation.connection.token = global.token;
  invocation.connection.applicationName = global.name;
  invocation.connection.timeout =
      std::chrono::milliseconds(std::llround(global.timeoutSeconds * 1000));
  invocation.linger = std::chrono::milliseconds(global.lingerMs);
  invocation.output.json = global.json;
  invocation.output.utc = global.utc;
  invocation.dns =
      invocation.command == Command::Watch ? values.dns : std::vector<std::string>{values.dn};
  for (const std::string& item : values.data) {
    std::size_t equals = item.find('=');
    invocation.userData.emplace_back(item.substr(0, equals), item.substr(equals + 1));
  }
  return invocation;
}

}  // namespace ccsip::cli
