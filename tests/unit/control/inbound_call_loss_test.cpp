#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "inbound_call_fixture.h"

// A routed call whose caller-side ACK or BYE is lost or late, as on an overloaded UDP socket
// (the routed-load benchmark drops datagrams when ccsip is starved of CPU): ccsip's 2xx is
// retransmitted until the ACK (RFC 3261 13.3.1.4), and the caller's BYE, whenever one arrives,
// ends both legs. A call whose every BYE is lost stays up: nothing in SIP tells ccsip that the
// caller hung up (no session timer on these calls).

namespace ccsip::control::test {
namespace {

using namespace std::chrono_literals;

// Asterisk 20 chan_sip's requests in the caller's dialog (From tag, Call-ID, Contact of
// traces/asterisk-20/inbound-to-routing-point), to routing point 8000.
std::string chanSipRequest(const std::string& method, int cseq, const std::string& toTag,
                           const std::string& branch, bool withSdp) {
  const std::string sdpBody =
      "v=0\r\no=root 1203148836 1203148836 IN IP4 127.0.0.1\r\ns=Asterisk PBX 20.20.1\r\n"
      "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 10166 RTP/AVP 0 8 101\r\n"
      "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
      "a=fmtp:101 0-16\r\na=ptime:20\r\na=maxptime:140\r\na=sendrecv\r\n";
  std::string text = method + " sip:8000@127.0.0.1:5060 SIP/2.0\r\n" +
                     "Via: SIP/2.0/UDP 127.0.0.1:5071;branch=" + branch + ";rport\r\n" +
                     "Max-Forwards: 70\r\n"
                     "From: <sip:2000@127.0.0.1:5070>;tag=as018c1714\r\n"
                     "To: <sip:8000@127.0.0.1:5060>" +
                     (toTag.empty() ? "" : ";tag=" + toTag) +
                     "\r\n"
                     "Contact: <sip:2000@127.0.0.1:5071>\r\n"
                     "Call-ID: 601c92114a50658915a5dd3a7af290b1@127.0.0.1:5070\r\n"
                     "CSeq: " +
                     std::to_string(cseq) + " " + method +
                     "\r\nUser-Agent: Asterisk PBX 20.20.1\r\n";
  if (withSdp) text += "Content-Type: application/sdp\r\n";
  const std::string body = withSdp ? sdpBody : "";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return text;
}

class InboundCallLossTest : public InboundCallFixture {
 protected:
  InboundCallLossTest() : asterisk_(wire, "asterisk", kRawSwitchPort) {}

  // The call is answered by agent 1000; the 2xx is on its way to the switch. Returns its To tag.
  std::string answeredUnacked() {
    router.targets = {"1000"};
    asterisk_.sendText(chanSipRequest("INVITE", 102, "", "z9hG4bK2b9dc622", true), kCcsipPort);
    wire.pump();
    if (phones.last() == nullptr) {
      ADD_FAILURE() << "no agent leg";
      return {};
    }
    EXPECT_TRUE(phones.last()->accept(sdp(agentSdp_)));
    wire.pump();
    const Message* ok = asterisk_.lastResponse(Method::Invite);
    if (ok == nullptr || ok->statusCode() != 200) {
      ADD_FAILURE() << "no 200 to the caller";
      return {};
    }
    return std::string(ok->to().tag);
  }
  std::size_t invite200s() const {
    std::size_t n = 0;
    for (const auto& r : asterisk_.received) {
      n += r.message.isResponse() && r.message.statusCode() == 200 &&
                   r.message.cseq().method == Method::Invite
               ? 1
               : 0;
    }
    return n;
  }
  void sendAck(const std::string& tag) {
    // RFC 3261 17.1.1.3: the ACK of a 2xx is a transaction of its own (a new branch).
    asterisk_.sendText(chanSipRequest("ACK", 102, tag, "z9hG4bK-ack", false), kCcsipPort);
    wire.pump();
  }
  void sendBye(const std::string& tag) {
    asterisk_.sendText(chanSipRequest("BYE", 103, tag, "z9hG4bK-bye", false), kCcsipPort);
    wire.pump();
  }
  void expectBothLegsReleased() {
    const Message* bye200 = asterisk_.lastResponse(Method::Bye);
    ASSERT_NE(bye200, nullptr);
    EXPECT_EQ(bye200->statusCode(), 200);
    EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
    EXPECT_TRUE(phones.recorder.has("terminated remote-bye 0"));
    EXPECT_EQ(sink.events, (std::vector<std::string>{
                               "EventRouteRequest 8000", "EventRouteUsed 8000", "EventRinging 1000",
                               "EventEstablished 1000", "EventReleased 1000"}));
  }

  RawPeer asterisk_;
};

TEST_F(InboundCallLossTest, LateAckAfterA2xxRetransmissionThenTheByeEndsBothLegs) {
  const std::string tag = answeredUnacked();
  EXPECT_EQ(invite200s(), 1u);
  run(600ms);  // T1: the ACK is still in the socket, the 2xx goes again
  EXPECT_EQ(invite200s(), 2u);
  sendAck(tag);
  run(5s);
  EXPECT_EQ(invite200s(), 2u);  // acknowledged: no more
  sendBye(tag);
  expectBothLegsReleased();
  expectNothingLeft();
}

TEST_F(InboundCallLossTest, ByeWhoseAckWasLostEndsTheCallAndTheRetransmissions) {
  const std::string tag = answeredUnacked();
  run(600ms);
  sendBye(tag);  // the ACK never arrives; the caller hung up
  expectBothLegsReleased();
  const std::size_t sent = invite200s();
  run(40s);
  EXPECT_EQ(invite200s(), sent);  // RFC 3261 15.1.2: the BYE ends the 2xx retransmissions
  EXPECT_EQ(countTo("ccsip:BYE", kRawSwitchPort), 0u);
  expectNothingLeft();
}

TEST_F(InboundCallLossTest, FirstByeLostItsRetransmissionEndsTheCall) {
  const std::string tag = answeredUnacked();
  sendAck(tag);
  // The first BYE never reached ccsip; its retransmission (same branch) is a new request here.
  run(500ms);
  sendBye(tag);
  expectBothLegsReleased();
  sendBye(tag);  // a later copy is absorbed by the BYE's server transaction and answered again
  EXPECT_EQ(asterisk_.lastResponse(Method::Bye)->statusCode(), 200);
  expectNothingLeft();
}

TEST_F(InboundCallLossTest, EveryAckAndByeLostTheCallerIsByedAfterTimerH) {
  // RFC 3261 13.3.1.4: no ACK within 64*T1: ccsip confirms and ends the dialog with a BYE, and
  // releases the agent, so a caller that vanished does not hold an agent for ever.
  answeredUnacked();
  run(33s);
  EXPECT_EQ(asterisk_.countTransactions(Method::Bye), 1u);  // unanswered here: retransmitted
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(model.queryServer().calls, 0u);
  expectNothingLeft();
}

}  // namespace
}  // namespace ccsip::control::test
