#include "cli/runner.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include <boost/json/object.hpp>

#include "cli/event_format.h"
#include "cli/requests.h"

namespace ccsip::cli {

namespace json = boost::json;

namespace {

using Clock = std::chrono::steady_clock;

std::string secondsText(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  std::string text = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
    while (fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text + " s";
}

// The steps of one ccsip-cli process over one connection.
class Runner {
 public:
  Runner(const Invocation& invocation, CtiConnection& connection, std::ostream& out,
         std::ostream& err)
      : invocation_(invocation), connection_(connection), out_(out), err_(err) {}

  ExitCode run() {
    const ConnectionOptions& options = invocation_.connection;
    auto peer = connection_.connect(options.host, options.port, options.timeout);
    if (!peer) {
      err_ << "ccsip-cli: " << peer.error().message << "\n";
      return ExitCode::ConnectionFailed;
    }
    // Ctrl-C ends a watch cleanly (exit 0); installed before the first request so that a
    // signal never finds the process half set up.
    if (watching()) connection_.interruptOnSignals();
    if (auto ended = setUp()) return *ended;
    return watching() ? watch() : oneShot();
  }

 private:
  enum class Outcome { Answered, NoAnswer, Interrupted, ConnectionLost };
  struct Answer {
    Outcome outcome = Outcome::NoAnswer;
    json::object event;
    std::string line;
  };

  static ExitCode exitCodeOf(Outcome outcome) {
    switch (outcome) {
      case Outcome::Answered:
      case Outcome::Interrupted:  // Ctrl-C is how a watch ends
        return ExitCode::Ok;
      case Outcome::NoAnswer:
        return ExitCode::RequestFailed;
      case Outcome::ConnectionLost:
        return ExitCode::ConnectionFailed;
    }
    return ExitCode::RequestFailed;
  }

  bool watching() const { return invocation_.command == Command::Watch; }

  // OpenSession, then RegisterAddress of each DN. The exit code when the run ends here.
  std::optional<ExitCode> setUp() {
    Answer session =
        ask(openSessionRequest(invocation_.connection, nextReference_++), "OpenSession");
    if (session.outcome != Outcome::Answered) return exitCodeOf(session.outcome);
    if (eventName(session.event) == "EventError") return failed("OpenSession", session);
    for (const std::string& dn : invocation_.dns) {
      Answer registered = ask(registerAddressRequest(dn, nextReference_++), "RegisterAddress");
      if (registered.outcome != Outcome::Answered) return exitCodeOf(registered.outcome);
      if (eventName(registered.event) == "EventError") {
        return failed("RegisterAddress " + dn, registered);
      }
      // A watcher sees its registrations: the sign that events now flow.
      if (watching()) print(registered.event, registered.line);
    }
    return std::nullopt;
  }

  ExitCode oneShot() {
    const std::string name(requestName(invocation_));
    const std::uint64_t reference = nextReference_;
    Answer answer = ask(commandRequest(invocation_, nextReference_++), name);
    if (answer.outcome != Outcome::Answered) return exitCodeOf(answer.outcome);
    // More answers of the same request (EventHeld then EventDialing, ...) come right after
    // the first; the linger time bounds the wait for them.
    do {
      if (eventName(answer.event) == "EventError") return failed(name, answer);
      print(answer.event, answer.line);
      answer = await(reference, name, invocation_.linger);
    } while (answer.outcome == Outcome::Answered);
    return answer.outcome == Outcome::NoAnswer ? ExitCode::Ok : exitCodeOf(answer.outcome);
  }

  ExitCode watch() {
    for (;;) {
      ReadResult read = connection_.readLine(std::nullopt);
      switch (read.status) {
        case ReadStatus::Line:
          if (auto event = decode(read.line)) showWatched(*event, read.line);
          break;
        case ReadStatus::Interrupted:
          return ExitCode::Ok;
        case ReadStatus::Timeout:  // no timeout was set
          break;
        case ReadStatus::Closed:
          err_ << "ccsip-cli: the server closed the connection\n";
          return ExitCode::ConnectionFailed;
        case ReadStatus::Failed:
          err_ << "ccsip-cli: " << read.error << "\n";
          return ExitCode::ConnectionFailed;
      }
    }
  }

  // watch --agent: only the events about that agent (agent events, calls on its DN).
  bool shown(const json::object& event) const {
    if (invocation_.agentId.empty()) return true;
    const json::value* agent = event.if_contains("agentId");
    return agent != nullptr && agent->is_string() && agent->get_string() == invocation_.agentId;
  }

  void showWatched(const json::object& event, const std::string& line) {
    if (!shown(event)) return;
    print(event, line);
    if (eventName(event) != "EventRouteRequest") return;
    // docs/protocol.md "Scoping": a client registered on a routing point is its router, and
    // the embedded strategy waits for its RouteCall, which a watch never sends.
    const json::value* dn = event.if_contains("thisDN");
    const std::string routingPoint =
        dn != nullptr && dn->is_string() ? std::string(dn->get_string()) : std::string("?");
    if (!warnedRoutingPoints_.insert(routingPoint).second) return;
    err_ << "ccsip-cli: note: this watch registered routing point " << routingPoint
         << ", so it is the routing point's router: its calls wait for a RouteCall that a watch "
            "never sends, until the router timeout. Watch the agents' DNs instead.\n";
  }

  // Sends `request` and waits for the first event carrying its referenceId.
  Answer ask(const json::object& request, const std::string& name) {
    auto sent = connection_.send(toLine(request));
    if (!sent) {
      err_ << "ccsip-cli: " << sent.error().message << "\n";
      return {Outcome::ConnectionLost, {}, {}};
    }
    const std::chrono::milliseconds timeout = invocation_.connection.timeout;
    Answer answer = await(referenceIdOf(request).value_or(0), name, timeout);
    if (answer.outcome == Outcome::NoAnswer) {
      err_ << "ccsip-cli: no answer to " << name << " within " << secondsText(timeout) << "\n";
    }
    return answer;
  }

  // The next event carrying `reference` within `timeout`: NoAnswer when none came (the caller
  // decides whether that is an error). Events of other requests are printed when
  // watching, ignored otherwise.
  Answer await(std::uint64_t reference, const std::string& name,
               std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      ReadResult read = connection_.readLine(std::max(left, std::chrono::milliseconds(0)));
      switch (read.status) {
        case ReadStatus::Line: {
          auto event = decode(read.line);
          if (!event) break;
          if (referenceIdOf(*event) == reference) {
            return {Outcome::Answered, std::move(*event), std::move(read.line)};
          }
          if (watching()) showWatched(*event, read.line);
          break;
        }
        case ReadStatus::Timeout:
          return {Outcome::NoAnswer, {}, {}};
        case ReadStatus::Interrupted:
          return {Outcome::Interrupted, {}, {}};
        case ReadStatus::Closed:
          err_ << "ccsip-cli: the server closed the connection (waiting for " << name << ")\n";
          return {Outcome::ConnectionLost, {}, {}};
        case ReadStatus::Failed:
          err_ << "ccsip-cli: " << read.error << "\n";
          return {Outcome::ConnectionLost, {}, {}};
      }
    }
  }

  std::optional<json::object> decode(const std::string& line) {
    if (line.empty()) return std::nullopt;  // blank lines are skipped, as the server does
    auto event = parseEventLine(line);
    if (!event) {
      err_ << "ccsip-cli: ignored " << event.error().message << "\n";
      return std::nullopt;
    }
    return std::move(*event);
  }

  ExitCode failed(const std::string& what, const Answer& answer) {
    if (invocation_.output.json) print(answer.event, answer.line);
    const json::value* code = answer.event.if_contains("errorCode");
    const json::value* message = answer.event.if_contains("errorMessage");
    err_ << "ccsip-cli: " << what << " failed: "
         << (message != nullptr && message->is_string() ? std::string(message->get_string())
                                                        : std::string("(no errorMessage)"));
    if (code != nullptr && code->is_int64()) err_ << " (error " << code->get_int64() << ")";
    err_ << "\n";
    return ExitCode::RequestFailed;
  }

  void print(const json::object& event, const std::string& line) {
    if (invocation_.output.json) {
      out_ << escapeControls(line) << "\n";
    } else {
      out_ << formatEvent(event, invocation_.output, std::chrono::system_clock::now()) << "\n";
    }
    out_.flush();  // a watcher's output is read line by line (pipes, files, tests)
  }

  const Invocation& invocation_;
  CtiConnection& connection_;
  std::ostream& out_;
  std::ostream& err_;
  std::uint64_t nextReference_ = 1;
  std::set<std::string> warnedRoutingPoints_;
};

}  // namespace

int run(const Invocation& invocation, CtiConnection& connection, std::ostream& out,
        std::ostream& err) {
  return toInt(Runner(invocation, connection, out, err).run());
}

}  // namespace ccsip::cli
