// The command flow against a scripted CTI server on loopback (port 0, its own thread): which
// requests go out, which answers are printed, and the exit codes.

#include "cli/runner.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace ccsip::cli {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::ip::tcp;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kClose = "<close>";
constexpr const char* kInterrupt = "<sigint>";

std::string stringOf(const json::object& request, std::string_view key) {
  const json::value* value = request.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

std::string refOf(const json::object& request) {
  return json::serialize(request.at("referenceId"));
}

// A one-connection CTI server. Each request line is answered with the lines `respond` returns;
// kClose closes the connection, kInterrupt sends SIGINT to the process.
class ScriptedServer {
 public:
  using Responder = std::function<std::vector<std::string>(const json::object& request)>;

  explicit ScriptedServer(Responder respond)
      : respond_(std::move(respond)),
        acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
        port_(acceptor_.local_endpoint().port()) {
    thread_ = std::thread([this] { serve(); });
  }

  ~ScriptedServer() {
    if (!accepted_) {  // unblock accept() when no client came
      asio::io_context io;
      tcp::socket poke(io);
      boost::system::error_code ignored;
      poke.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port_), ignored);
    }
    thread_.join();
  }

  std::uint16_t port() const { return port_; }

  std::vector<json::object> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    tcp::socket socket(io_);
    boost::system::error_code ec;
    acceptor_.accept(socket, ec);
    accepted_ = true;
    if (ec) return;
    std::string buffer;
    for (;;) {
      std::size_t n = asio::read_until(socket, asio::dynamic_buffer(buffer), '\n', ec);
      if (ec) return;  // the client closed
      json::object request = json::parse(buffer.substr(0, n - 1)).as_object();
      buffer.erase(0, n);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      for (const std::string& reply : respond_(request)) {
        if (reply == kClose) return;
        if (reply == kInterrupt) {
          ::kill(::getpid(), SIGINT);
          continue;
        }
        asio::write(socket, asio::buffer(reply + "\n"), ec);
      }
    }
  }

  Responder respond_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::uint16_t port_;
  std::atomic<bool> accepted_{false};
  std::mutex mutex_;
  std::vector<json::object> requests_;
  std::thread thread_;
};

// OpenSession and RegisterAddress answered as the server does; `other` for the rest.
ScriptedServer::Responder desk(ScriptedServer::Responder other) {
  return [other](const json::object& request) -> std::vector<std::string> {
    const std::string name = stringOf(request, "request");
    if (name == "OpenSession") {
      return {R"({"event":"EventAck","referenceId":)" + refOf(request) +
              R"(,"request":"OpenSession","clientId":7,"protocolVersion":1})"};
    }
    if (name == "RegisterAddress") {
      return {R"({"event":"EventRegistered","thisDN":")" + stringOf(request, "thisDN") +
              R"(","referenceId":)" + refOf(request) + "}"};
    }
    return other(request);
  };
}

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

Invocation invocationOn(const ScriptedServer& server, Command command) {
  Invocation invocation;
  invocation.command = command;
  invocation.connection.port = server.port();
  invocation.connection.timeout = std::chrono::milliseconds(3000);
  invocation.linger = std::chrono::milliseconds(100);
  invocation.output.utc = true;
  invocation.dns = {"1000"};
  return invocation;
}

RunResult runWith(const Invocation& invocation) {
  std::ostringstream out;
  std::ostringstream err;
  CtiConnection connection;
  RunResult result;
  result.status = run(invocation, connection, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

Invocation loginOn(const ScriptedServer& server) {
  Invocation login = invocationOn(server, Command::Login);
  login.agentId = "5001";
  login.password = "agent5001";
  login.ready = true;
  return login;
}

TEST(CliRunner, OneShotSendsSessionRegistrationRequestAndPrintsItsAnswersOnly) {
  ScriptedServer server(desk([](const json::object& request) -> std::vector<std::string> {
    const std::string ref = refOf(request);
    return {
        // Another client's call on the same DN: not an answer of this request.
        R"({"event":"EventRinging","time":1764261000000,"thisDN":"1000","connId":"6747a3f0000c2b1e"})",
        R"({"event":"EventAgentLogin","referenceId":)" + ref +
            R"(,"time":1764261000123,"thisDN":"1000","agentId":"5001","agentState":"Ready"})",
    };
  }));
  RunResult result = runWith(loginOn(server));
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "16:30:00.123 EventAgentLogin thisDN=1000 agentId=5001 agentState=Ready "
            "referenceId=3\n");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(json::serialize(requests[0]),
            R"({"request":"OpenSession","referenceId":1,"applicationToken":"demo-desktop",)"
            R"("applicationName":"ccsip-cli"})");
  EXPECT_EQ(json::serialize(requests[1]),
            R"({"request":"RegisterAddress","referenceId":2,"thisDN":"1000"})");
  EXPECT_EQ(json::serialize(requests[2]),
            R"({"request":"AgentLogin","referenceId":3,"thisDN":"1000","agentId":"5001",)"
            R"("password":"agent5001","agentState":"Ready"})");
}

TEST(CliRunner, SeveralAnswersOfOneRequestAreAllPrinted) {
  ScriptedServer server(desk([](const json::object& request) -> std::vector<std::string> {
    const std::string ref = refOf(request);
    return {
        R"({"event":"EventHeld","referenceId":)" + ref + R"(,"thisDN":"1000"})",
        R"({"event":"EventDialing","referenceId":)" + ref + R"(,"thisDN":"1000"})",
    };
  }));
  Invocation transfer = invocationOn(server, Command::Transfer);
  transfer.consult = true;
  transfer.connId = "6747a3f0000c2b1e";
  transfer.otherDn = "1002";
  transfer.output.json = true;
  RunResult result = runWith(transfer);
  EXPECT_EQ(result.status, 0) << result.err;
  // --json: the server's lines as they came.
  EXPECT_EQ(result.out,
            "{\"event\":\"EventHeld\",\"referenceId\":3,\"thisDN\":\"1000\"}\n"
            "{\"event\":\"EventDialing\",\"referenceId\":3,\"thisDN\":\"1000\"}\n");
}

TEST(CliRunner, EventErrorExitsOneWithTheServersMessage) {
  ScriptedServer server(desk([](const json::object& request) -> std::vector<std::string> {
    return {R"({"event":"EventError","errorCode":72,"errorMessage":"Wrong password: 5001",)"
            R"("referenceId":)" +
            refOf(request) + "}"};
  }));
  RunResult result = runWith(loginOn(server));
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "ccsip-cli: AgentLogin failed: Wrong password: 5001 (error 72)\n");
}

TEST(CliRunner, EventErrorInJsonModeAlsoPrintsTheEvent) {
  ScriptedServer server(desk([](const json::object& request) -> std::vector<std::string> {
    return {R"({"event":"EventError","errorCode":90,"errorMessage":"Request not supported",)"
            R"("referenceId":)" +
            refOf(request) + "}"};
  }));
  Invocation make = invocationOn(server, Command::Make);
  make.otherDn = "1001";
  make.output.json = true;
  RunResult result = runWith(make);
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.out, HasSubstr(R"("errorCode":90)"));
  EXPECT_THAT(result.err, HasSubstr("MakeCall failed: Request not supported (error 90)"));
}

TEST(CliRunner, WrongTokenExitsOne) {
  ScriptedServer server([](const json::object& request) -> std::vector<std::string> {
    return {R"({"event":"EventError","errorCode":51,"errorMessage":"Authentication failed",)"
            R"("referenceId":)" +
            refOf(request) + "}"};
  });
  RunResult result = runWith(invocationOn(server, Command::Ready));
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.err, "ccsip-cli: OpenSession failed: Authentication failed (error 51)\n");
  EXPECT_EQ(server.requests().size(), 1U);  // nothing more after the refusal
}

TEST(CliRunner, UnknownDnExitsOne) {
  ScriptedServer server([](const json::object& request) -> std::vector<std::string> {
    if (stringOf(request, "request") == "OpenSession") {
      return {R"({"event":"EventAck","referenceId":1})"};
    }
    return {R"({"event":"EventError","errorCode":56,"errorMessage":"Unknown DN: 9999",)"
            R"("referenceId":)" +
            refOf(request) + "}"};
  });
  Invocation ready = invocationOn(server, Command::Ready);
  ready.dns = {"9999"};
  RunResult result = runWith(ready);
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.err, "ccsip-cli: RegisterAddress 9999 failed: Unknown DN: 9999 (error 56)\n");
}

TEST(CliRunner, NoAnswerWithinTheTimeoutExitsOne) {
  ScriptedServer server(desk([](const json::object&) { return std::vector<std::string>{}; }));
  Invocation ready = invocationOn(server, Command::Ready);
  ready.connection.timeout = std::chrono::milliseconds(200);
  RunResult result = runWith(ready);
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.err, "ccsip-cli: no answer to AgentSetReady within 0.2 s\n");
}

TEST(CliRunner, ServerClosingBeforeTheAnswerExitsThree) {
  ScriptedServer server(desk([](const json::object&) { return std::vector<std::string>{kClose}; }));
  RunResult result = runWith(invocationOn(server, Command::Ready));
  EXPECT_EQ(result.status, 3);
  EXPECT_THAT(result.err, HasSubstr("the server closed the connection"));
}

TEST(CliRunner, MalformedLinesAreReportedAndSkipped) {
  ScriptedServer server(desk([](const json::object& request) -> std::vector<std::string> {
    return {"not json", "[1]", "",
            R"({"event":"EventAgentReady","referenceId":)" + refOf(request) + "}"};
  }));
  RunResult result = runWith(invocationOn(server, Command::Ready));
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("EventAgentReady"));
  EXPECT_THAT(result.err, HasSubstr("ignored malformed JSON"));
  EXPECT_THAT(result.err, HasSubstr("not a JSON object"));
}

TEST(CliRunner, ConnectionRefusedExitsThree) {
  std::uint16_t port = 0;
  {
    asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    port = probe.local_endpoint().port();
  }  // closed: nothing listens on `port` now
  Invocation ready;
  ready.command = Command::Ready;
  ready.dns = {"1000"};
  ready.connection.port = port;
  RunResult result = runWith(ready);
  EXPECT_EQ(result.status, 3);
  EXPECT_THAT(result.err, HasSubstr("cannot connect to 127.0.0.1:" + std::to_string(port)));
}

TEST(CliRunner, WatchRegistersEveryDnAndPrintsEventsUntilTheServerCloses) {
  ScriptedServer server([](const json::object& request) -> std::vector<std::string> {
    std::vector<std::string> lines =
        desk([](const json::object&) { return std::vector<std::string>{}; })(request);
    if (stringOf(request, "thisDN") == "1001") {
      lines.push_back(
          R"({"event":"EventRinging","time":1764261000123,"thisDN":"1001","otherDN":"7001",)"
          R"("connId":"6747a3f0000c2b1e","callType":"Inbound","userData":{}})");
      lines.push_back(kClose);
    }
    return lines;
  });
  Invocation watch = invocationOn(server, Command::Watch);
  watch.dns = {"1000", "1001"};
  RunResult result = runWith(watch);
  EXPECT_EQ(result.status, 3);
  EXPECT_THAT(result.out, HasSubstr("EventRegistered thisDN=1000 referenceId=2\n"));
  EXPECT_THAT(result.out, HasSubstr("EventRegistered thisDN=1001 referenceId=3\n"));
  EXPECT_THAT(result.out, HasSubstr("16:30:00.123 EventRinging thisDN=1001 otherDN=7001 "
                                    "connId=6747a3f0000c2b1e callType=Inbound\n"));
  EXPECT_THAT(result.err, HasSubstr("the server closed the connection"));
}

TEST(CliRunner, WatchWithAnAgentShowsOnlyThatAgentsEvents) {
  ScriptedServer::Responder respond =
      desk([](const json::object&) { return std::vector<std::string>{}; });
  ScriptedServer filtered([respond](const json::object& request) {
    std::vector<std::string> lines = respond(request);
    lines.push_back(R"({"event":"EventAgentReady","thisDN":"1000","agentId":"5002"})");
    lines.push_back(R"({"event":"EventAgentReady","thisDN":"1000","agentId":"5001"})");
    lines.push_back(R"({"event":"EventDNBackInService","thisDN":"1000"})");
    if (stringOf(request, "request") == "RegisterAddress") lines.push_back(kClose);
    return lines;
  });
  Invocation watch = invocationOn(filtered, Command::Watch);
  watch.agentId = "5001";
  RunResult result = runWith(watch);
  EXPECT_EQ(result.status, 3);
  EXPECT_THAT(result.out, HasSubstr("EventAgentReady thisDN=1000 agentId=5001"));
  EXPECT_THAT(result.out, Not(HasSubstr("5002")));
  EXPECT_THAT(result.out, Not(HasSubstr("EventDNBackInService")));
  // Registrations show even so: they tell that events now flow.
  EXPECT_THAT(result.out, HasSubstr("EventRegistered thisDN=1000"));
}

TEST(CliRunner, WatchingARoutingPointNotesOnceThatItIsItsRouter) {
  ScriptedServer::Responder respond =
      desk([](const json::object&) { return std::vector<std::string>{}; });
  ScriptedServer server([respond](const json::object& request) {
    std::vector<std::string> lines = respond(request);
    for (int call = 0; call < 2; ++call) {
      lines.push_back(R"({"event":"EventRouteRequest","thisDN":"8000","otherDN":"7001"})");
    }
    lines.push_back(kClose);
    return lines;
  });
  Invocation watch = invocationOn(server, Command::Watch);
  watch.dns = {"8000"};
  RunResult result = runWith(watch);
  EXPECT_EQ(result.status, 3);
  const std::string note = "note: this watch registered routing point 8000";
  ASSERT_THAT(result.err, HasSubstr(note));
  EXPECT_EQ(result.err.find(note), result.err.rfind(note));  // once
}

TEST(CliRunner, WatchEndsCleanlyOnSigint) {
  ScriptedServer::Responder respond =
      desk([](const json::object&) { return std::vector<std::string>{}; });
  ScriptedServer interrupting([respond](const json::object& request) {
    std::vector<std::string> lines = respond(request);
    if (stringOf(request, "request") == "RegisterAddress") lines.push_back(kInterrupt);
    return lines;
  });
  Invocation watch = invocationOn(interrupting, Command::Watch);
  watch.output.json = true;
  RunResult result = runWith(watch);
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "{\"event\":\"EventRegistered\",\"thisDN\":\"1000\",\"referenceId\":2}\n");
}

}  // namespace
}  // namespace ccsip::cli
