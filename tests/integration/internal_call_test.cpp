// Phones registered on ccsip (docs/call-flows.md "Phones registered on ccsip"), on a
// configuration without a switch like config/demo.yaml: SIPp phones REGISTER with digest, call
// each other (an internal call, events on both DNs) and call routing point 8000, whose call
// reaches the Ready agent logged in on another registered phone. The phones are the scenarios
// the README's walk-through ships (config/examples/sipp/).

#include <chrono>
#include <future>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_client.h"
#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

const std::string kExamples = "../../../config/examples/sipp/";  // from the scenario folder

// config/demo.yaml's structure on port 0: extensions 1000-1003 on ccsip (testConfig), routing
// point 8000 -> group sales (longest idle), agents 5001-5004 on 1000-1003, no switch.
TestConfigOptions demoLikeConfig() {
  TestConfigOptions options;
  options.algorithms = "[MD5, SHA-256]";  // SIPp 3.6 answers the first challenge, MD5 only
  options.extraYaml =
      "dns:\n"
      "  - dn: \"8000\"\n"
      "    type: routing-point\n"
      "    routing-point: {target-group: sales, strategy: longest-idle}\n"
      "agents:\n"
      "  - {id: \"5001\", password: agent5001, default-dn: \"1000\"}\n"
      "  - {id: \"5002\", password: agent5002, default-dn: \"1001\"}\n"
      "  - {id: \"5003\", password: agent5003, default-dn: \"1002\"}\n"
      "  - {id: \"5004\", password: agent5004, default-dn: \"1003\"}\n"
      "groups:\n"
      "  - {name: sales, members: [\"5001\", \"5002\", \"5003\", \"5004\"]}\n"
      "cti:\n"
      "  listen: {address: 127.0.0.1, port: 0}\n";
  return options;
}

class InternalCallTest : public ServerTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(startServer(demoLikeConfig()));
    ctiPort_ = servicePort(readFile(dir_.file("ports.txt")), "cti");
    ASSERT_NE(ctiPort_, 0);
    ASSERT_TRUE(cti_.open(ctiPort_)) << cti_.transcript();
  }

  void watch(const std::string& dn) {
    ASSERT_TRUE(cti_.send(R"({"request":"RegisterAddress","referenceId":)" +
                          std::to_string(++reference_) + R"(,"thisDN":")" + dn + R"("})"));
    ASSERT_TRUE(cti_.waitFor("EventRegistered", 10s)) << cti_.transcript();
  }

  // An agent's phone (agent_phone.xml + agent_answer.xml): registers `dn`, then answers the
  // calls ccsip sends it for `seconds`. Returns once the REGISTER got its 200.
  std::future<SippResult> startPhone(const std::string& dn, int seconds) {
    SippOptions phone;
    phone.scenario = kExamples + "agent_phone.xml";
    phone.target = ccsip_.udpTarget();
    phone.service = dn;
    phone.authUser = dn;  // -auth_uri ccsip.test: the REGISTER's Request-URI
    phone.authPassword = testPassword(dn);
    phone.extraArgs = {"-oocsf",
                       std::string(CCSIP_SOURCE_DIR) + "/config/examples/sipp/agent_answer.xml",
                       "-d", std::to_string(seconds * 1000)};
    phone.timeout = std::chrono::seconds(seconds + 30);
    auto run = std::async(std::launch::async, [this, phone] { return runSipp(phone, dir_); });
    // The 200 to the REGISTER with credentials (CSeq 2) of `dn`, in a SIPp message trace.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline && !registered(dn)) {
      std::this_thread::sleep_for(50ms);
    }
    return run;
  }

  bool registered(const std::string& dn) const {
    for (int run = 1; run <= 10; ++run) {
      const std::string messages =
          readFile(dir_.file("sipp" + std::to_string(run) + "_messages.log"));
      for (auto ok = messages.find("SIP/2.0 200"); ok != std::string::npos;
           ok = messages.find("SIP/2.0 200", ok + 1)) {
        const std::string block = messages.substr(ok, 600);
        if (block.find("CSeq: 2 REGISTER") != std::string::npos &&
            block.find("<sip:" + dn + "@") != std::string::npos) {
          return true;
        }
      }
    }
    return false;
  }

  // A phone of `from` calling `to` (caller.xml, or an ic_ scenario).
  SippOptions caller(const std::string& from, const std::string& to,
                     const std::string& scenario = kExamples + "caller.xml",
                     std::string password = {}) {
    SippOptions options;
    options.scenario = scenario;
    options.target = ccsip_.udpTarget();
    options.service = to;
    if (password.empty()) password = testPassword(from);
    // Credentials set here rather than through authUser: the digest uri is the INVITE's
    // Request-URI sip:<to>@<domain>.
    options.extraArgs = {"-au",  from, "-ap", password, "-auth_uri", to + "@" + kTestDomain,
                         "-key", "dn", from,  "-d",     "1000"};
    return options;
  }

  void login(const std::string& agent, const std::string& dn) {
    watch(dn);
    ASSERT_TRUE(cti_.send(R"({"request":"AgentLogin","referenceId":)" +
                          std::to_string(++reference_) + R"(,"thisDN":")" + dn +
                          R"(","agentId":")" + agent + R"(","password":"agent)" + agent +
                          R"(","agentState":"Ready"})"));
    ASSERT_TRUE(cti_.waitFor("\"EventAgentLogin\"", 10s)) << cti_.transcript();
  }

  // No call left in the model (QueryServer).
  void expectNoCall() {
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(cti_.send(R"({"request":"QueryServer","referenceId":)" +
                            std::to_string(++reference_) + "}"));
      auto info = cti_.waitFor("EventServerInfo", 10s);
      ASSERT_TRUE(info) << cti_.transcript();
      if (info->find("\"calls\":0") != std::string::npos) return;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "calls left: " << cti_.transcript();
  }

  std::uint16_t ctiPort_ = 0;
  CtiClient cti_;
  int reference_ = 10;
};

TEST_F(InternalCallTest, TwoRegisteredPhonesCallEachOtherWithEventsOnBothDns) {
  watch("1000");
  watch("1001");
  auto bob = startPhone("1001", 6);
  const SippResult alice = runSipp(caller("1000", "1001"), dir_);
  EXPECT_EQ(alice.exitCode, std::optional<int>(0)) << alice.report << ccsip_.outputTail();

  auto dialing = cti_.waitFor("\"EventDialing\"", 10s);
  ASSERT_TRUE(dialing) << cti_.transcript();
  EXPECT_THAT(*dialing, HasSubstr("\"thisDN\":\"1000\""));
  EXPECT_THAT(*dialing, HasSubstr("\"callType\":\"Internal\""));
  const std::string connId = connIdOf(*dialing);
  auto ringing = cti_.waitFor("\"EventRinging\"", 10s);
  ASSERT_TRUE(ringing) << cti_.transcript();
  EXPECT_THAT(*ringing, HasSubstr("\"thisDN\":\"1001\""));
  EXPECT_EQ(connIdOf(*ringing), connId);
  for (const char* dn : {"1001", "1000"}) {
    auto established = cti_.waitFor("\"EventEstablished\"", 10s);
    ASSERT_TRUE(established) << cti_.transcript();
    EXPECT_THAT(*established, HasSubstr(std::string("\"thisDN\":\"") + dn + "\""));
  }
  // Alice's BYE releases both.
  for (const char* dn : {"1000", "1001"}) {
    auto released = cti_.waitFor("\"EventReleased\"", 10s);
    ASSERT_TRUE(released) << cti_.transcript();
    EXPECT_THAT(*released, HasSubstr(std::string("\"thisDN\":\"") + dn + "\""));
    EXPECT_EQ(connIdOf(*released), connId);
  }
  expectNoCall();
  const SippResult bobResult = bob.get();
  EXPECT_EQ(bobResult.exitCode, std::optional<int>(0)) << bobResult.report;
}

// The README walk-through (docs/ccsip-cli.md): two agents' phones registered, both agents
// Ready, a phone calls routing point 8000: the agent idle the longest gets it.
TEST_F(InternalCallTest, RegisteredPhoneCallsRoutingPointAndReachesTheLongestIdleAgent) {
  auto alice = startPhone("1000", 8);
  auto bob = startPhone("1001", 8);
  login("5001", "1000");  // idle the longest
  login("5002", "1001");
  watch("1003");
  const SippResult dave = runSipp(caller("1003", "8000"), dir_);
  EXPECT_EQ(dave.exitCode, std::optional<int>(0)) << dave.report << ccsip_.outputTail();

  auto dialing = cti_.waitFor("\"EventDialing\"", 10s);
  ASSERT_TRUE(dialing) << cti_.transcript();
  EXPECT_THAT(*dialing, HasSubstr("\"thisDN\":\"1003\""));
  auto ringing = cti_.waitFor("\"EventRinging\"", 10s);
  ASSERT_TRUE(ringing) << cti_.transcript();
  EXPECT_THAT(*ringing, HasSubstr("\"thisDN\":\"1000\""));
  EXPECT_THAT(*ringing, HasSubstr("\"thirdPartyDN\":\"8000\""));
  EXPECT_THAT(*ringing, HasSubstr("\"agentId\":\"5001\""));
  auto established = cti_.waitFor("\"EventEstablished\"", 10s);
  ASSERT_TRUE(established) << cti_.transcript();
  EXPECT_THAT(*established, HasSubstr("\"thisDN\":\"1000\""));
  auto released = cti_.waitFor("\"EventReleased\"", 10s);
  ASSERT_TRUE(released) << cti_.transcript();
  expectNoCall();
  for (auto* phone : {&alice, &bob}) {
    const SippResult result = phone->get();
    EXPECT_EQ(result.exitCode, std::optional<int>(0)) << result.report;
  }
}

TEST_F(InternalCallTest, UnregisteredCalleeGets480) {
  watch("1002");
  EXPECT_TRUE(sippPasses(caller("1000", "1002", "ic_unregistered_callee.xml")));
  // The callee's DN is out of service from now on (EventDNOutOfService).
  EXPECT_TRUE(cti_.waitFor("\"EventDNOutOfService\"", 10s)) << cti_.transcript();
  expectNoCall();
}

TEST_F(InternalCallTest, WrongDigestGets403) {
  auto bob = startPhone("1001", 3);
  EXPECT_TRUE(sippPasses(caller("1000", "1001", "ic_wrong_password.xml", "not-the-password")));
  expectNoCall();
  EXPECT_EQ(bob.get().exitCode, std::optional<int>(0));
}

// The positive scenario must be able to fail: with a wrong password it never gets its 200.
TEST_F(InternalCallTest, CallerScenarioFailsWithWrongPassword) {
  auto options = caller("1000", "1001", kExamples + "caller.xml", "not-the-password");
  options.timeout = 15s;
  std::string report;
  EXPECT_EQ(sippExitCode(options, &report), std::optional<int>(1)) << report;
}

}  // namespace
}  // namespace ccsip::itest
