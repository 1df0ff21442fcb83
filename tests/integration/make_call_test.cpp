// MakeCall through the whole process (docs/call-flows.md "MakeCall"): a CTI client registered on
// the DNs asks ccsip to call, ccsip engages both phones on the switch with RFC 3725 flow I, and
// one SIPp plays the switch for both legs. The events are checked by name and fields, the SDP
// by SIPp's message trace, and that no call is left by QueryServer.

#include <future>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_call_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The SIP messages SIPp received, from its -trace_msg file (blocks that start with a line of
// dashes and a "... message received ..." line), each from its start line.
std::vector<std::string> receivedMessages(const std::string& trace) {
  std::vector<std::string> out;
  const std::string separator = "\n-----------";
  std::size_t at = 0;
  while (at < trace.size()) {
    std::size_t end = trace.find(separator, at + 1);
    if (end == std::string::npos) end = trace.size();
    const std::string block = trace.substr(at, end - at);
    const std::size_t header = block.find("message received");
    const std::size_t start = block.find("\n\n");
    if (header != std::string::npos && start != std::string::npos && header < start) {
      out.push_back(block.substr(start + 2));
    }
    at = end + 1;
  }
  return out;
}

// The line of `message` that starts with `prefix` ("o=", "Call-ID:"), without its line end.
std::string lineOf(const std::string& message, const std::string& prefix) {
  const std::size_t at = message.find("\n" + prefix);
  if (at == std::string::npos) return {};
  const std::size_t end = message.find_first_of("\r\n", at + 1);
  return message.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
}

class MakeCallProcessTest : public CtiCallTest {
 protected:
  // ccsip with the switch on a free port (where SIPp listens), extensions 2000 and 2001 on it,
  // and a CTI client registered on both.
  ::testing::AssertionResult start() {
    switchPort_ = freeUdpPort();
    if (switchPort_ == 0) return ::testing::AssertionFailure() << "no free port";
    TestConfigOptions config;
    config.extraYaml = "switch:\n  address: 127.0.0.1\n  port: " + std::to_string(switchPort_) +
                       "\n  trusted: [127.0.0.1]\n  options-keepalive: 0\n"
                       "dns:\n"
                       "  - {dn: \"2000\", on: switch}\n"
                       "  - {dn: \"2001\", on: switch}\n"
                       "options:\n  makecall-flow: 1\n"
                       "cti:\n  listen: {address: 127.0.0.1, port: 0}\n";
    if (auto started = startServer(config); !started) return started;
    return openCti({"2000", "2001"});
  }

  // The switch answering both legs (one SIPp call each), in the background; the scenario stops
  // SIPp once both legs are done.
  std::future<SippResult> startSwitch(const std::string& scenario) {
    return startSwitchSipp(scenario, 100);
  }

  // MakeCall checks the calls only: QueryServer's calls back to 0.
  ::testing::AssertionResult noCallLeft() { return CtiCallTest::noCallLeft(false); }
};

TEST_F(MakeCallProcessTest, FlowOneConnectsBothPhonesAndReleaseCallEndsBoth) {
  ASSERT_TRUE(start());
  auto sipp = startSwitch("mc_switch.xml");
  ASSERT_TRUE(cti_.send(
      R"({"request":"MakeCall","referenceId":50,"thisDN":"2000","otherDN":"2001","userData":{"case":"77"}})"));

  auto dialing = cti_.waitFor("\"EventDialing\"", 10s);
  ASSERT_TRUE(dialing) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*dialing);
  ASSERT_EQ(connId.size(), 16U) << *dialing;
  EXPECT_EQ(fieldOf(*dialing, "thisDN"), "2000");
  EXPECT_EQ(fieldOf(*dialing, "otherDN"), "2001");
  EXPECT_EQ(fieldOf(*dialing, "callType"), "Internal");
  EXPECT_EQ(fieldOf(*dialing, "referenceId"), "50");
  EXPECT_THAT(*dialing, HasSubstr(R"("userData":{"case":"77"})"));

  auto ringing = cti_.waitFor("\"EventRinging\"", 10s);
  ASSERT_TRUE(ringing) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*ringing, "thisDN"), "2001");
  EXPECT_EQ(fieldOf(*ringing, "otherDN"), "2000");
  EXPECT_EQ(connIdOf(*ringing), connId);

  for (const char* dn : {"2001", "2000"}) {
    auto established = cti_.waitFor("\"EventEstablished\"", 10s);
    ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
    EXPECT_EQ(fieldOf(*established, "thisDN"), dn);
    EXPECT_EQ(fieldOf(*established, "otherDN"), dn == std::string("2000") ? "2001" : "2000");
    EXPECT_EQ(fieldOf(*established, "connId"), connId);
    EXPECT_EQ(fieldOf(*established, "callType"), "Internal");
  }

  ASSERT_TRUE(cti_.send(R"({"request":"ReleaseCall","referenceId":51,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  auto released = cti_.waitFor("\"EventReleased\"", 10s);
  ASSERT_TRUE(released) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*released, "thisDN"), "2000");
  EXPECT_EQ(fieldOf(*released, "referenceId"), "51");
  EXPECT_EQ(fieldOf(*released, "cause"), "normal");
  auto releasedOther = cti_.waitFor("\"EventReleased\"", 10s);
  ASSERT_TRUE(releasedOther) << cti_.transcript();
  EXPECT_EQ(fieldOf(*releasedOther, "thisDN"), "2001");
  expectPassed(sipp);
  EXPECT_THAT(eventsOf(connId),
              ElementsAre("EventDialing 2000", "EventRinging 2001", "EventEstablished 2001",
                          "EventEstablished 2000", "EventReleased 2000", "EventReleased 2001"));
  EXPECT_TRUE(noCallLeft());

  // RFC 3725 flow I on the wire: thisDN's INVITE without SDP; otherDN's INVITE with the offer
  // of thisDN's 200; thisDN's ACK with otherDN's answer (SIPp numbers each leg's origin).
  const auto messages = receivedMessages(readFile(dir_.file("sipp1_messages.log")));
  std::string inviteThis;
  std::string inviteOther;
  std::string ackWithAnswer;
  for (const std::string& message : messages) {
    if (message.starts_with("INVITE sip:2000@")) inviteThis = message;
    if (message.starts_with("INVITE sip:2001@")) inviteOther = message;
    if (message.starts_with("ACK ") && !lineOf(message, "o=").empty()) ackWithAnswer = message;
  }
  ASSERT_FALSE(inviteThis.empty()) << messages.size() << " messages";
  EXPECT_TRUE(lineOf(inviteThis, "o=").empty()) << inviteThis;
  const std::string offer = lineOf(inviteOther, "o=");
  EXPECT_THAT(offer, HasSubstr("o=leg")) << inviteOther;
  const std::string answer = lineOf(ackWithAnswer, "o=");
  EXPECT_THAT(answer, HasSubstr("o=leg")) << ackWithAnswer;
  EXPECT_NE(answer, offer);
  EXPECT_EQ(lineOf(ackWithAnswer, "Call-ID:"), lineOf(inviteThis, "Call-ID:"));
}

TEST_F(MakeCallProcessTest, BusyOtherDnEndsTheCallWithDestinationBusy) {
  ASSERT_TRUE(start());
  auto sipp = startSwitch("mc_switch_busy.xml");
  ASSERT_TRUE(
      cti_.send(R"({"request":"MakeCall","referenceId":60,"thisDN":"2000","otherDN":"486486"})"));
  auto dialing = cti_.waitFor("\"EventDialing\"", 10s);
  ASSERT_TRUE(dialing) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*dialing);
  EXPECT_EQ(fieldOf(*dialing, "callType"), "Outbound");
  auto busy = cti_.waitFor("\"EventDestinationBusy\"", 10s);
  ASSERT_TRUE(busy) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*busy, "thisDN"), "2000");
  EXPECT_EQ(fieldOf(*busy, "otherDN"), "486486");
  EXPECT_EQ(connIdOf(*busy), connId);
  auto released = cti_.waitFor("\"EventReleased\"", 10s);
  ASSERT_TRUE(released) << cti_.transcript();
  EXPECT_EQ(fieldOf(*released, "thisDN"), "2000");
  EXPECT_EQ(fieldOf(*released, "cause"), "busy");
  expectPassed(sipp);
  EXPECT_THAT(eventsOf(connId),
              ElementsAre("EventDialing 2000", "EventDestinationBusy 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(MakeCallProcessTest, BadMakeCallsGetEventError) {
  ASSERT_TRUE(start());
  auto error = request(R"({"request":"MakeCall","thisDN":"2000","otherDN":"1@evil")", "EventError");
  ASSERT_TRUE(error) << cti_.transcript();
  EXPECT_EQ(fieldOf(*error, "errorCode"), "44");
  error =
      request(R"({"request":"MakeCall","thisDN":"2000","otherDN":"2001","makeCallType":"Priority")",
              "EventError");
  ASSERT_TRUE(error) << cti_.transcript();
  EXPECT_EQ(fieldOf(*error, "errorCode"), "90");
  EXPECT_TRUE(noCallLeft());
}

}  // namespace
}  // namespace ccsip::itest
