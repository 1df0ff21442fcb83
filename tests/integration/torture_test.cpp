// RFC 4475 torture messages sent raw to the real ccsip over UDP and TCP. After every message the
// server must still answer an OPTIONS; over TCP, where answers come back on the connection
// (RFC 3261 18.2.2) whatever the torture Via says, the status is checked against
// ../shared/torture/README.md.

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <vector>

#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;

enum class Expect {
  Answer,        // a valid request: answered, never with 400 (RFC 4475 3.1.1)
  Status,        // answered with one of `statuses`
  StatusOrDrop,  // one of `statuses`, or no answer (RFC 4475 3.1.2: "or drop")
  NoAnswer,      // a response sent to the server: nothing comes back
  Survive,       // whatever the RFC leaves to the application: only the server's health
};

struct Case {
  const char* name;
  Expect expect;
  std::set<int> statuses;
};

// torture/README.md, section by section.
const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      // 3.1.1 valid messages
      {"wsinv", Expect::Answer, {}},
      {"intmeth", Expect::Answer, {}},
      {"esc01", Expect::Answer, {}},
      {"escnull", Expect::Answer, {}},
      {"esc02", Expect::Answer, {}},
      {"lwsdisp", Expect::Answer, {}},
      {"longreq", Expect::Answer, {}},
      {"dblreq", Expect::Answer, {}},
      {"semiuri", Expect::Answer, {}},
      {"transports", Expect::Answer, {}},
      {"mpart01", Expect::Answer, {}},
      {"unreason", Expect::NoAnswer, {}},
      {"noreason", Expect::NoAnswer, {}},
      // 3.1.2 invalid messages
      {"badinv01", Expect::StatusOrDrop, {400}},
      {"clerr", Expect::StatusOrDrop, {400}},
      {"ncl", Expect::StatusOrDrop, {400}},
      {"scalar02", Expect::StatusOrDrop, {400}},
      {"scalarlg", Expect::NoAnswer, {}},
      {"quotbal", Expect::StatusOrDrop, {400}},
      {"ltgtruri", Expect::StatusOrDrop, {400}},
      {"lwsruri", Expect::StatusOrDrop, {400}},
      {"lwsstart", Expect::StatusOrDrop, {400}},
      {"trws", Expect::StatusOrDrop, {400}},
      {"escruri", Expect::StatusOrDrop, {400}},
      {"baddate", Expect::StatusOrDrop, {400}},
      {"regbadct", Expect::StatusOrDrop, {400}},
      {"badaspec", Expect::StatusOrDrop, {400}},
      {"baddn", Expect::StatusOrDrop, {400}},
      {"badvers", Expect::StatusOrDrop, {505}},
      {"mismatch01", Expect::Status, {400}},
      {"mismatch02", Expect::StatusOrDrop, {400}},
      {"bigcode", Expect::NoAnswer, {}},
      // 3.2 transaction layer: an RFC 2543 transaction (no magic cookie) is still answered
      {"badbranch", Expect::Answer, {}},
      // 3.3 application layer
      {"insuf", Expect::StatusOrDrop, {400}},
      {"unkscm", Expect::Status, {416}},
      {"novelsc", Expect::Status, {416}},
      {"unksm2", Expect::Survive, {}},
      {"bext01", Expect::Status, {420}},
      {"invut", Expect::Status, {415}},
      {"regaut01", Expect::Status, {401}},
      {"multi01", Expect::Status, {400}},
      {"mcl01", Expect::StatusOrDrop, {400}},
      {"bcast", Expect::NoAnswer, {}},
      {"zeromf", Expect::Status, {483, 200}},
      {"cparam01", Expect::Survive, {}},
      {"cparam02", Expect::Survive, {}},
      {"regescrt", Expect::Survive, {}},
      {"sdp01", Expect::Status, {406, 415}},
      // 3.4 backward compatibility
      {"inv2543", Expect::Answer, {}},
  };
  return kCases;
}

std::string tortureDir() {
  return std::string(CCSIP_SHARED_DIR) + "/torture/rfc4475";
}

std::string loadMessage(const std::string& name) {
  return readFile(tortureDir() + "/" + name + ".dat");
}

std::string statuses(const std::set<int>& set) {
  std::string out;
  for (int s : set) out += (out.empty() ? "" : "/") + std::to_string(s);
  return out;
}

class TortureTest : public ServerTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::is_directory(tortureDir()))
        << "RFC 4475 messages missing: " << tortureDir()
        << " (the shared folder must sit at ../shared from the project root)";
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(tortureDir())) {
      if (entry.path().extension() == ".dat") ++files;
    }
    ASSERT_EQ(files, cases().size()) << "the table below no longer covers every message";
    // The torture messages address example.com (REGISTER sip:example.com): serve that domain
    // so that they reach the registrar (regaut01 must get a challenge, not 404).
    TestConfigOptions config;
    config.domain = "example.com";
    ASSERT_TRUE(startServer(config));
  }
};

TEST_F(TortureTest, EveryMessageOverUdpThenOptionsAnswered) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    std::string message = loadMessage(c.name);
    ASSERT_FALSE(message.empty()) << c.name;
    UdpSipSocket socket;
    ASSERT_TRUE(socket.sendTo(ccsip_.udpPort(), message));
    // Answers follow the torture Via (other hosts and ports), so only the server's health is
    // checked here: it must still answer.
    ASSERT_TRUE(answersOptionsUdp()) << "after " << c.name;
  }
  EXPECT_TRUE(answersOptionsTcp());
}

TEST_F(TortureTest, EveryMessageOverTcpAnsweredAsTheRfcSays) {
  std::vector<std::string> failures;
  std::string summary;  // every answer, printed for the record
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    std::string message = loadMessage(c.name);
    ASSERT_FALSE(message.empty()) << c.name;
    // A fresh connection each: a message with a wrong Content-Length (clerr, mcl01) may leave
    // the stream unframeable, which is that connection's problem only.
    TcpSipSocket socket;
    ASSERT_TRUE(socket.connect(ccsip_.tcpPort())) << ccsip_.outputTail();
    ASSERT_TRUE(socket.send(message));
    // RFC 3261 18.3: a stream needs Content-Length to frame a message; without one (inv2543,
    // an RFC 2543 message meant for UDP) the server can only drop the connection.
    Expect expect = c.expect;
    if (headerOf(message, "Content-Length").empty() && headerOf(message, "l").empty()) {
      expect = Expect::Survive;
    }
    bool mustAnswer = expect == Expect::Answer || expect == Expect::Status;
    auto answer = socket.receive(mustAnswer ? 10s : 1500ms);
    int status = answer ? statusOf(*answer) : 0;
    std::string got = answer ? answer->substr(0, answer->find("\r\n")) : "no answer";
    summary += std::string(c.name) + ": " + got + "\n";
    switch (expect) {
      case Expect::Answer:
        if (!answer || status == 400 || status < 100) {
          failures.push_back(std::string(c.name) + ": expected an answer other than 400, got " +
                             got);
        }
        break;
      case Expect::Status:
        if (!c.statuses.count(status)) {
          failures.push_back(std::string(c.name) + ": expected " + statuses(c.statuses) + ", got " +
                             got);
        }
        break;
      case Expect::StatusOrDrop:
        if (answer && !c.statuses.count(status)) {
          failures.push_back(std::string(c.name) + ": expected " + statuses(c.statuses) +
                             " or no answer, got " + got);
        }
        break;
      case Expect::NoAnswer:
        if (answer) {
          failures.push_back(std::string(c.name) + ": a response was answered: " + got);
        }
        break;
      case Expect::Survive:
        break;
    }
    ASSERT_TRUE(answersOptionsTcp()) << "after " << c.name;
  }
  std::cout << "RFC 4475 over TCP:\n" << summary;
  std::string all;
  for (const auto& f : failures) all += f + "\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " torture answers differ:\n" << all;
  EXPECT_TRUE(answersOptionsUdp());
}

}  // namespace
}  // namespace ccsip::itest
