// A phone registered on ccsip reaches its voicemail box on Asterisk (docs/asterisk.md
// "Voicemail deposits and access", docs/call-flows.md "Agents on ccsip's own phones dialling
// voicemail"): the phone REGISTERs, then dials voicemail DN 9000 (access number *97, any box);
// ccsip sends the call to the switch as sip:*97@switch with X-Ccsip-Mailbox naming the box (the
// logged-in agent's, else the phone's DN's) and bridges the two legs. Phone, ccsip and switch
// share 127.0.0.1, as in docs/asterisk.md's lab: the phone is told from the switch (trusted on
// any port) by the address and port it registered from.

#include <future>
#include <memory>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_call_test.h"
#include "harness/cti_client.h"
#include "harness/sipp_notifier.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

const std::string kExamples = "../../../config/examples/sipp/";  // from the scenario folder

class VoicemailAccessTest : public CtiCallTest {
 protected:
  // Extension 3000 on ccsip (box 3000), agent 5001 (box 5001), voicemail DN 9000 reaching any
  // box through *97 on the switch. With `login`, agent 5001 logs in on 3000 (its box's MWI
  // SUBSCRIBE is refused before the switch's SIPp takes the port).
  ::testing::AssertionResult start(bool login) {
    auto switchPort = std::make_unique<SwitchPort>();
    switchPort_ = switchPort->port();
    phonePort_ = freeUdpPort();
    if (switchPort_ == 0 || phonePort_ == 0) return ::testing::AssertionFailure() << "no port";
    TestConfigOptions config;
    config.algorithms = "[MD5, SHA-256]";  // SIPp 3.6 answers the first challenge, MD5 only
    config.extraYaml = "switch:\n  address: 127.0.0.1\n  port: " + std::to_string(switchPort_) +
                       "\n  trusted: [127.0.0.1]\n  options-keepalive: 0\n"
                       "dns:\n"
                       "  - {dn: \"3000\", password: pw3000, mailbox: \"3000\"}\n"
                       "  - dn: \"9000\"\n"
                       "    type: voicemail\n"
                       "    voicemail: {access-number: \"*97\"}\n"
                       "agents:\n"
                       "  - {id: \"5001\", password: pw5001, mailbox: \"5001\"}\n"
                       "cti:\n  listen: {address: 127.0.0.1, port: 0}\n";
    if (auto started = startServer(config); !started) return started;
    if (auto opened = openCti({"3000", "9000"}); !opened) return opened;
    if (login) {
      if (!request(R"({"request":"AgentLogin","thisDN":"3000","agentId":"5001",)"
                   R"("password":"pw5001","agentState":"Ready")",
                   "EventAgentLogin")) {
        return ::testing::AssertionFailure() << cti_.transcript() << ccsip_.outputTail();
      }
      if (!switchPort->refuseSubscribes(1, ccsip_.udpPort())) {
        return ::testing::AssertionFailure() << "no MWI SUBSCRIBE\n" << ccsip_.outputTail();
      }
    }
    switchPort.reset();  // the port is free for the switch's SIPp
    // The phone registers from the port it then calls from.
    SippOptions registration;
    registration.scenario = "register_auth.xml";
    registration.target = ccsip_.udpTarget();
    registration.service = "3000";
    registration.authUser = "3000";
    registration.authPassword = "pw3000";
    registration.extraArgs = {"-p", std::to_string(phonePort_)};
    registration.timeout = 20s;
    return sippPasses(registration);
  }

  // The phone dials 9000 (config/examples/sipp/caller.xml), talks 1 s, hangs up.
  SippOptions phoneCall() const {
    SippOptions call;
    call.scenario = kExamples + "caller.xml";
    call.target = ccsip_.udpTarget();
    call.service = "9000";
    call.timeout = 30s;
    call.extraArgs = {
        "-au", "3000", "-ap", "pw3000", "-auth_uri", "9000@ccsip.test",         "-key",
        "dn",  "3000", "-d",  "1000",   "-p",        std::to_string(phonePort_)};
    return call;
  }

  // The whole call: the switch's SIPp answers *97, the phone calls and hangs up; returns the
  // INVITE the switch got.
  std::optional<SippMessage> callVoicemail() {
    SippNotifier voicemail(dir_);
    SippNotifierOptions options;
    options.scenario = "vm_access_switch.xml";
    options.port = switchPort_;
    options.calls = 1;
    if (auto started = voicemail.start(options); !started) {
      ADD_FAILURE() << started.message();
      return std::nullopt;
    }
    EXPECT_TRUE(sippPasses(phoneCall()));
    EXPECT_TRUE(voicemail.passes(10s)) << ccsip_.outputTail();
    for (const SippMessage& m : voicemail.messages()) {
      if (m.received && m.method() == "INVITE") return m;
    }
    ADD_FAILURE() << "the switch got no INVITE\n" << voicemail.report() << ccsip_.outputTail();
    return std::nullopt;
  }

  // EventDialing to the phone, EventEstablished to the voicemail DN and the phone, EventReleased
  // to both: one internal call.
  void expectOneBridgedCall() {
    auto released = cti_.waitFor("\"EventReleased\"", 10s);
    ASSERT_TRUE(released) << cti_.transcript() << ccsip_.outputTail();
    ASSERT_TRUE(cti_.waitFor("\"EventReleased\"", 10s)) << cti_.transcript();
    const std::string connId = connIdOf(*released);
    EXPECT_THAT(eventsOf(connId),
                ElementsAre("EventDialing 3000", "EventEstablished 9000", "EventEstablished 3000",
                            "EventReleased 3000", "EventReleased 9000"))
        << cti_.transcript();
    EXPECT_TRUE(noCallLeft());
  }

  std::uint16_t phonePort_ = 0;
};

// The agent logged in on the phone's DN: its box, 5001 (the seed's box "associated with the
// Agent Login").
TEST_F(VoicemailAccessTest, PhoneReachesTheLoggedInAgentsBox) {
  ASSERT_TRUE(start(/*login=*/true)) << ccsip_.outputTail();
  auto invite = callVoicemail();
  ASSERT_TRUE(invite);
  EXPECT_EQ(invite->requestUri(), "sip:*97@127.0.0.1:" + std::to_string(switchPort_));
  EXPECT_EQ(invite->header("X-Ccsip-Mailbox"), "5001") << invite->text;
  EXPECT_THAT(invite->header("From"), ::testing::HasSubstr("sip:3000@ccsip.test"));
  expectOneBridgedCall();
}

// Nobody logged in: the DN's own box, 3000.
TEST_F(VoicemailAccessTest, PhoneWithoutAgentReachesItsDnsBox) {
  ASSERT_TRUE(start(/*login=*/false)) << ccsip_.outputTail();
  auto invite = callVoicemail();
  ASSERT_TRUE(invite);
  EXPECT_EQ(invite->header("X-Ccsip-Mailbox"), "3000") << invite->text;
  expectOneBridgedCall();
}

}  // namespace
}  // namespace ccsip::itest
