// No answer and voicemail through the whole process (docs/call-flows.md "No answer and
// voicemail"): SIPp plays the switch's caller side (calls to routing points 8000 / 8001) and the
// switch behind ccsip's legs (the agent's phone, the voicemail deposit numbers of
// config/examples/asterisk/*/extensions.conf); a CTI client registered on the DNs checks the
// events of the call, then that no call is left.

#include <future>
#include <memory>
#include <set>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_call_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

class VoicemailOverflowTest : public CtiCallTest {
 protected:
  // ccsip with the switch on a free port. Agent 5001 (box 5001, no-answer-timeout 2 s, overflow
  // to its box, notready) on 2000 in group sales (routing point 8000); agent 5002 on 2001 in
  // group support (box 7000, routing point 8001 with `no-answer-overflow: voicemail`: the
  // group's box). Deposit numbers 95001 and 97000. The CTI client registers `dns`; agent 5001
  // logs in when `login5001`, agent 5002 NotReady when `login5002NotReady`.
  ::testing::AssertionResult start(const std::vector<std::string>& dns, bool login5001,
                                   bool login5002NotReady = false) {
    switchSocket_ = std::make_unique<SwitchPort>();
    switchPort_ = switchSocket_->port();
    if (switchPort_ == 0) return ::testing::AssertionFailure() << "no free port";
    TestConfigOptions config;
    config.extraYaml = "switch:\n  address: 127.0.0.1\n  port: " + std::to_string(switchPort_) +
                       "\n  trusted: [127.0.0.1]\n  options-keepalive: 0\n"
                       "dns:\n"
                       "  - {dn: \"2000\", on: switch}\n"
                       "  - {dn: \"2001\", on: switch}\n"
                       "  - dn: \"8000\"\n"
                       "    type: routing-point\n"
                       "    routing-point: {target-group: sales}\n"
                       "  - dn: \"8001\"\n"
                       "    type: routing-point\n"
                       "    routing-point: {target-group: support}\n"
                       "    no-answer-overflow: voicemail\n"
                       "  - {dn: \"95001\", type: voicemail, voicemail: {mailbox: \"5001\"}}\n"
                       "  - {dn: \"97000\", type: voicemail, voicemail: {mailbox: \"7000\"}}\n"
                       "agents:\n"
                       "  - id: \"5001\"\n"
                       "    password: pw5001\n"
                       "    default-dn: \"2000\"\n"
                       "    mailbox: \"5001\"\n"
                       "    no-answer-timeout: 2\n"
                       "    no-answer-overflow: voicemail\n"
                       "    no-answer-action: notready\n"
                       "  - {id: \"5002\", password: pw5002, default-dn: \"2001\"}\n"
                       "groups:\n"
                       "  - {name: sales, members: [\"5001\"]}\n"
                       "  - {name: support, members: [\"5002\"], mailbox: \"7000\"}\n"
                       "cti:\n  listen: {address: 127.0.0.1, port: 0}\n";
    if (auto started = startServer(config); !started) return started;
    // Presence of 2000 and 2001.
    if (!switchSocket_->refuseSubscribes(2, ccsip_.udpPort())) {
      return ::testing::AssertionFailure() << "no presence SUBSCRIBEs\n" << ccsip_.outputTail();
    }
    if (auto opened = openCti(dns); !opened) return opened;
    if (login5001) {
      if (!request(R"({"request":"AgentLogin","thisDN":"2000","agentId":"5001",)"
                   R"("password":"pw5001","agentState":"Ready")",
                   "EventAgentLogin")) {
        return ::testing::AssertionFailure() << cti_.transcript() << ccsip_.outputTail();
      }
      // The MWI SUBSCRIBE of the agent's box (DESIGN.md: followed while logged in).
      if (!switchSocket_->refuseSubscribes(3, ccsip_.udpPort())) {
        return ::testing::AssertionFailure() << "no MWI SUBSCRIBE\n" << ccsip_.outputTail();
      }
    }
    if (login5002NotReady) {
      if (!request(R"({"request":"AgentLogin","thisDN":"2001","agentId":"5002",)"
                   R"("password":"pw5002","agentState":"NotReady")",
                   "EventAgentLogin")) {
        return ::testing::AssertionFailure() << cti_.transcript() << ccsip_.outputTail();
      }
      // The MWI SUBSCRIBE of group support's box 7000 (followed while a member is logged in).
      if (!switchSocket_->refuseSubscribes(login5001 ? 4 : 3, ccsip_.udpPort())) {
        return ::testing::AssertionFailure() << "no MWI SUBSCRIBE\n" << ccsip_.outputTail();
      }
    }
    switchSocket_.reset();  // the port is free for the switch's SIPp
    return ::testing::AssertionSuccess();
  }

  // The switch behind ccsip's legs, in the background: SIPp on the switch port.
  std::future<SippResult> startSwitch(int calls) { return startSwitchSipp("vm_switch.xml", calls); }

  // The switch's caller side calling routing point `rp`, in the background.
  std::future<SippResult> startCaller(const std::string& rp) {
    return startCallerSipp("routed_caller.xml", rp);
  }

  std::unique_ptr<SwitchPort> switchSocket_;
};

TEST_F(VoicemailOverflowTest, AgentWhoNeverAnswersSendsTheCallToTheAgentsBox) {
  ASSERT_TRUE(start({"2000", "95001"}, /*login5001=*/true)) << ccsip_.outputTail();
  auto switchSide = startSwitch(2);  // the agent leg, then the deposit
  auto caller = startCaller("8000");

  auto ringing = cti_.waitFor("\"EventRinging\"", 15s);
  ASSERT_TRUE(ringing) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*ringing);
  // After the 2 s no-answer timeout: the agent is set NotReady (no-answer-action), the agent leg
  // is cancelled and the call goes to the agent's box, deposit number 95001.
  auto notReady = cti_.waitFor("\"EventAgentNotReady\"", 10s);
  ASSERT_TRUE(notReady) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*notReady, "agentId"), "5001");
  auto diverted = cti_.waitFor("\"EventDiverted\"", 10s);
  ASSERT_TRUE(diverted) << cti_.transcript();
  EXPECT_EQ(fieldOf(*diverted, "thisDN"), "2000");
  EXPECT_EQ(fieldOf(*diverted, "thirdPartyDN"), "95001");
  auto established = cti_.waitFor("\"EventEstablished\"", 10s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*established, "thisDN"), "95001");
  EXPECT_EQ(fieldOf(*established, "otherDN"), "+15550100");
  ASSERT_TRUE(cti_.waitFor("\"EventReleased\"", 15s)) << cti_.transcript();

  expectPassed(caller, "caller");
  expectPassed(switchSide, "switch");
  // The deposit answers at once (no 18x, as Asterisk's VoiceMail()): no EventRinging there.
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRinging 2000", "EventDiverted 2000",
                                            "EventEstablished 95001", "EventReleased 95001"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(VoicemailOverflowTest, GroupWithNobodyLoggedInSendsTheCallToTheGroupsBox) {
  ASSERT_TRUE(start({"2001", "97000"}, /*login5001=*/false)) << ccsip_.outputTail();
  auto switchSide = startSwitch(1);  // the deposit only: nobody of `support` rings
  auto caller = startCaller("8001");

  // At once: nobody of `support` is logged in, so the call does not wait for the queue timeout.
  auto established = cti_.waitFor("\"EventEstablished\"", 10s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*established, "thisDN"), "97000");
  EXPECT_EQ(fieldOf(*established, "otherDN"), "+15550100");
  const std::string connId = connIdOf(*established);
  ASSERT_TRUE(cti_.waitFor("\"EventReleased\"", 15s)) << cti_.transcript();

  expectPassed(caller, "caller");
  expectPassed(switchSide, "switch");
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventEstablished 97000", "EventReleased 97000"));
  EXPECT_THAT(ccsip_.output(), ::testing::HasSubstr("route failed: no-agent"));
  EXPECT_TRUE(noCallLeft());
}

// A caller waits in the queue of routing point 8001 (the only member of `support` is logged in
// but NotReady). When that agent logs out, nobody of the group can come but by logging in: the
// call goes to the routing point's overflow, the group's box, at once (docs/call-flows.md "A
// routing point that finds no agent"), not after the queue timeout (300 s by default). No
// client registers 8001: that would make it the routing point's router.
TEST_F(VoicemailOverflowTest, QueuedCallGoesToTheGroupsBoxWhenTheLastAgentLogsOut) {
  ASSERT_TRUE(start({"97000", "2001"}, /*login5001=*/false, /*login5002NotReady=*/true))
      << ccsip_.outputTail();
  auto switchSide = startSwitch(1);  // the deposit only
  auto caller = startCaller("8001");

  // The call waits: nothing reaches the box while the NotReady agent is logged in.
  std::this_thread::sleep_for(1500ms);
  EXPECT_FALSE(cti_.waitFor("\"EventEstablished\"", 100ms)) << cti_.transcript();
  EXPECT_THAT(ccsip_.output(), ::testing::Not(::testing::HasSubstr("route failed")));

  ASSERT_TRUE(
      request(R"({"request":"AgentLogout","thisDN":"2001","agentId":"5002")", "EventAgentLogout"))
      << cti_.transcript();
  auto established = cti_.waitFor("\"EventEstablished\"", 10s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*established, "thisDN"), "97000");
  EXPECT_EQ(fieldOf(*established, "otherDN"), "+15550100");
  const std::string connId = connIdOf(*established);
  ASSERT_TRUE(cti_.waitFor("\"EventReleased\"", 15s)) << cti_.transcript();

  expectPassed(caller, "caller");
  // vm_switch.xml fails a deposit without `Diversion: <sip:...>;reason=...;counter=1`.
  expectPassed(switchSide, "switch");
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventEstablished 97000", "EventReleased 97000"));
  EXPECT_THAT(ccsip_.output(), ::testing::HasSubstr("route failed: no-agent"));
  EXPECT_TRUE(noCallLeft());
}

}  // namespace
}  // namespace ccsip::itest
