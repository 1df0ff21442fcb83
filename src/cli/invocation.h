#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ccsip::cli {

// The process exit status of ccsip-cli (docs/ccsip-cli.md "Exit codes").
enum class ExitCode : int {
  Ok = 0,
  RequestFailed = 1,     // EventError, no answer in time, a malformed answer
  Usage = 2,             // bad command line
  ConnectionFailed = 3,  // cannot connect, or the server closed the connection
};

inline int toInt(ExitCode code) {
  return static_cast<int>(code);
}

enum class Command {
  Login,
  Logout,
  Ready,
  NotReady,
  AfterCallWork,
  Make,
  Answer,
  Release,
  Hold,
  Retrieve,
  Transfer,
  CompleteTransfer,
  Query,
  Watch,
};

// Where and how to reach the CTI port.
struct ConnectionOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7000;
  std::string token = "demo-desktop";         // OpenSession applicationToken
  std::string applicationName = "ccsip-cli";  // OpenSession applicationName (server logs)
  std::chrono::milliseconds timeout{10000};   // connecting, and waiting for each answer
};

// What to print and how.
struct OutputOptions {
  bool json = false;  // the raw event lines instead of one formatted line per event
  bool utc = false;   // timestamps in UTC instead of local time
};

// One command line, parsed: the command and its arguments.
struct Invocation {
  Command command = Command::Watch;
  ConnectionOptions connection;
  OutputOptions output;
  std::vector<std::string> dns;  // --dn; one for every command but watch (one or more)
  std::string agentId;           // --agent (watch: show only this agent's events)
  std::string password;          // login --password
  std::string otherDn;           // make / transfer --to
  std::string connId;            // --conn
  std::string consultConnId;     // complete --consult-conn
  std::string reason;            // notready / login --reason
  bool ready = false;            // login --ready
  bool consult = false;          // transfer --consult: InitiateTransfer
  std::vector<std::pair<std::string, std::string>> userData;  // --data key=value
  // After the first answer event, how long to wait for more answer events of the request.
  std::chrono::milliseconds linger{300};
};

}  // namespace ccsip::cli
