#include "control/inbound_call.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inbound_call_fixture.h"

namespace ccsip::control::test {
namespace {

// Opaque bodies: each assertion shows which leg's body went where.
class InboundCallTest : public InboundCallFixture {
 protected:
  InboundCallTest() {
    callerSdp_ = "caller-offer";
    agentSdp_ = "agent-answer";
  }
};

TEST_F(InboundCallTest, AnsweredCallReleasedByTheCaller) {
  auto session = ringing();
  EXPECT_EQ(router.log, std::vector<std::string>{"route 5000"});

  // The agent leg: a new dialog to the switch for the agent DN with the caller's offer.
  const Message invite = lastTo("ccsip:INVITE", kAgentPort);
  ASSERT_NE(wire.last("caller:INVITE"), nullptr);
  const Message callerInvite = wire.last("caller:INVITE")->parse();
  EXPECT_EQ(invite.requestUri().text, "sip:1000@127.0.0.1:5080");
  EXPECT_EQ(invite.from().uri.text, "sip:5551234@127.0.0.1:5070");
  EXPECT_EQ(invite.from().displayName, "Customer");
  EXPECT_EQ(invite.to().uri.text, "sip:1000@127.0.0.1:5080");
  EXPECT_NE(invite.callId(), callerInvite.callId());
  EXPECT_NE(invite.from().tag, callerInvite.from().tag);
  EXPECT_EQ(invite.body(), "caller-offer");
  EXPECT_EQ(invite.contentType(), "application/sdp");
  EXPECT_EQ(phones.recorder.events, std::vector<std::string>{"offer caller-offer"});
  EXPECT_EQ(field(2, "connId"), "0000000000000001");
  EXPECT_EQ(field(2, "otherDN"), "5551234");
  EXPECT_EQ(field(2, "thirdPartyDN"), "5000");

  ASSERT_NE(phones.last(), nullptr);
  EXPECT_TRUE(phones.last()->accept(sdp("agent-answer")));
  wire.pump();
  // Early offer: the agent leg is ACKed at once, without body; the caller gets the answer.
  EXPECT_EQ(countTo("ccsip:ACK", kAgentPort), 1u);
  EXPECT_TRUE(lastTo("ccsip:ACK", kAgentPort).body().empty());
  EXPECT_EQ(lastTo("ccsip:200/INVITE", kCallerPort).body(), "agent-answer");
  EXPECT_EQ(wire.count("caller:ACK"), 1u);
  EXPECT_EQ(callerRecorder.events, (std::vector<std::string>{"early", "provisional 180", "answered",
                                                             "answer agent-answer", "confirmed"}));
  EXPECT_EQ(sink.events.size() > 0 ? sink.events.back() : "", "EventEstablished 1000");

  session->end();
  wire.pump();
  EXPECT_EQ(wire.count("caller:BYE"), 1u);
  EXPECT_EQ(countTo("ccsip:200/BYE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(countTo("agent:200/BYE", kCcsipPort), 1u);
  EXPECT_TRUE(phones.recorder.has("terminated remote-bye 0"));
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                                   "EventRinging 1000", "EventEstablished 1000",
                                                   "EventReleased 1000"}));
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 5000", "ended 0000000000000001"}));
  expectNothingLeft();
}

TEST_F(InboundCallTest, AnsweredCallReleasedByTheAgent) {
  auto session = answered();
  ASSERT_NE(phones.last(), nullptr);
  phones.last()->end();
  wire.pump();
  EXPECT_EQ(countTo("agent:BYE", kCcsipPort), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_EQ(countTo("caller:200/BYE", kCcsipPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated remote-bye 0"));
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                                   "EventRinging 1000", "EventEstablished 1000",
                                                   "EventReleased 1000"}));
  expectNothingLeft();
}

TEST_F(InboundCallTest, CallerCancelWhileTheAgentRings) {
  auto session = ringing();
  session->end();
  wire.pump();
  EXPECT_EQ(wire.count("caller:CANCEL"), 1u);
  EXPECT_EQ(countTo("ccsip:200/CANCEL", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:487/INVITE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(countTo("agent:487/INVITE", kCcsipPort), 1u);
  EXPECT_EQ(countTo("ccsip:ACK", kAgentPort), 1u);  // the layer's ACK of the 487
  EXPECT_TRUE(callerRecorder.has("terminated cancelled 487"));
  EXPECT_TRUE(phones.recorder.has("terminated cancelled 487"));
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                                   "EventRinging 1000", "EventAbandoned 1000"}));
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 5000", "ended 0000000000000001"}));
  expectNothingLeft();
}

TEST_F(InboundCallTest, CallerCancelWhileWaitingOnTheRoutingPoint) {
  auto session = call(caller);  // the router stays silent
  run(std::chrono::seconds(1));
  EXPECT_EQ(countTo("ccsip:100/INVITE", kCallerPort), 1u);
  session->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:487/INVITE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 0u);
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"EventRouteRequest 5000", "EventAbandoned 5000"}));
  // A late decision for the ended call is refused.
  RouteTarget late;
  late.dn = "1000";
  EXPECT_FALSE(control.routeTo(model::ConnId{1}, late));
  expectNothingLeft();
}

TEST_F(InboundCallTest, AgentBusyIsReroutedToAnotherAgent) {
  phones.newSessionHook = [](InviteSession& s, const Message& invite) {
    if (invite.requestUri().user == "1000") {
      s.reject(486);
    } else {
      s.provisional(180);
    }
  };
  router.targets = {"1000", "1001"};
  auto session = call(caller);
  EXPECT_EQ(countTo("agent:486/INVITE", kCcsipPort), 1u);
  EXPECT_EQ(countTo("ccsip:ACK", kAgentPort), 1u);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).requestUri().text, "sip:1001@127.0.0.1:5080");
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).body(), "caller-offer");
  EXPECT_EQ(countTo("ccsip:180/INVITE", kCallerPort), 1u);  // the caller heard nothing of 1000
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 5000", "failed 5000 1000 busy 486"}));

  ASSERT_NE(phones.last(), nullptr);
  EXPECT_TRUE(phones.last()->accept(sdp("agent-answer")));
  wire.pump();
  EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  session->end();
  wire.pump();
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                      "EventDestinationBusy 5000", "EventRouteRequest 5000",
                                      "EventRouteUsed 5000", "EventRinging 1001",
                                      "EventEstablished 1001", "EventReleased 1001"}));
  EXPECT_EQ(field(2, "otherDN"), "1000");
  expectNothingLeft();
}

TEST_F(InboundCallTest, AgentNotRegisteredAndNoOtherTargetRejectsTheCaller) {
  // chan_sip answers an unregistered agent with 480 (traces/asterisk-20/call-to-agent-failures).
  phones.newSessionHook = [](InviteSession& s, const Message&) { s.reject(480); };
  router.targets = {"1000"};
  router.giveUpStatus = 486;
  auto session = call(caller);
  EXPECT_EQ(countTo("ccsip:486/INVITE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated rejected 486"));
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 5000", "failed 5000 1000 rejected 480",
                                                  "ended 0000000000000001"}));
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                      "EventDestinationBusy 5000", "EventRouteRequest 5000",
                                      "EventReleased 5000"}));
  expectNothingLeft();
}

TEST_F(InboundCallTest, NoAnswerTimeoutCancelsTheAgentLegAndReroutes) {
  auto session = ringing();
  router.targets = {"1001"};
  run(std::chrono::milliseconds(14'800));
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 0u);
  run(std::chrono::milliseconds(300));  // 15 s after the agent INVITE
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(countTo("agent:487/INVITE", kCcsipPort), 1u);
  ASSERT_FALSE(phones.sessions.empty());
  EXPECT_TRUE(phones.sessions.front()->terminated());
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 5000", "failed 5000 1000 no-answer 408"}));
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).requestUri().text, "sip:1001@127.0.0.1:5080");

  ASSERT_NE(phones.last(), nullptr);
  EXPECT_TRUE(phones.last()->accept(sdp("agent-answer")));
  wire.pump();
  EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  ASSERT_NE(phones.last(), nullptr);
  phones.last()->end();
  wire.pump();
  EXPECT_EQ(sink.events, (std::vector<std::string>{
                             "EventRouteRequest 5000", "EventRouteUsed 5000", "EventRinging 1000",
                             "EventReleased 1000", "EventRouteRequest 5000", "EventRouteUsed 5000",
                             "EventRinging 1001", "EventEstablished 1001", "EventReleased 1001"}));
  EXPECT_EQ(field(3, "cause"), "no-answer");
  expectNothingLeft();
}

TEST_F(InboundCallTest, TheDnsOwnNoAnswerTimeoutWinsAndTheRouterMayGiveUp) {
  router.targets = {"1001"};  // no-answer-timeout 5 s
  router.giveUpStatus = 480;
  auto session = call(caller);
  run(std::chrono::milliseconds(4'900));
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 0u);
  run(std::chrono::milliseconds(200));
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(countTo("ccsip:480/INVITE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated rejected 480"));
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 5000", "failed 5000 1001 no-answer 408",
                                                  "ended 0000000000000001"}));
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                      "EventRinging 1001", "EventReleased 1001",
                                      "EventRouteRequest 5000", "EventReleased 5000"}));
  expectNothingLeft();
}

TEST_F(InboundCallTest, UntrustedSourceGets403) {
  Endpoint stranger(wire, clock, "stranger", kStrangerPort, {}, 4);
  auto session = call(stranger);
  EXPECT_EQ(countTo("ccsip:403/INVITE", kStrangerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated rejected 403"));
  EXPECT_TRUE(sink.events.empty());
  EXPECT_TRUE(router.log.empty());
  run(std::chrono::minutes(1));
  EXPECT_TRUE(stranger.idle());
  expectNothingLeft();
}

TEST_F(InboundCallTest, LateOfferFromTheSwitchGets488) {
  InviteSessionOptions options;
  options.requestUri = "sip:5000@127.0.0.1:5060";
  options.from = "<sip:5551234@127.0.0.1:5070>";
  auto session = caller.core.invite(options, callerRecorder);
  wire.pump();
  EXPECT_EQ(countTo("ccsip:488/INVITE", kCallerPort), 1u);
  EXPECT_TRUE(sink.events.empty());
  expectNothingLeft();
}

TEST_F(InboundCallTest, ReinviteRefusedByTheAgentIsRefusedToTheCallerAndTheCallGoesOn) {
  auto session = answered();
  phones.recorder.offerHook = [](InviteSession& s, const Body&) { s.reject(488); };
  EXPECT_TRUE(session->reinvite(sdp("hold")));
  wire.pump();
  // Relayed to the agent leg (inbound_call_control_test.cpp has the relay in full); the
  // agent's refusal goes back to the caller.
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  EXPECT_EQ(countTo("ccsip:488/INVITE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("reinvite-rejected 488"));
  session->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(InboundCallTest, UnknownRoutingPointGets404) {
  auto session = call(caller, "1000");  // an extension, not a routing point
  EXPECT_EQ(countTo("ccsip:404/INVITE", kCallerPort), 1u);
  EXPECT_TRUE(sink.events.empty());
  expectNothingLeft();
}

TEST_F(InboundCallTest, CallerCancelCrossingTheAgents200) {
  auto session = ringing();
  ASSERT_NE(phones.last(), nullptr);
  // The caller's CANCEL reaches ccsip first, while the agent's 200 is on the way.
  session->end();
  EXPECT_TRUE(phones.last()->accept(sdp("agent-answer")));
  wire.pump();
  EXPECT_EQ(countTo("ccsip:487/INVITE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:200/INVITE", kCallerPort), 0u);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  // RFC 3261 9.1 / 15: the 2xx that crossed our CANCEL is ACKed and the dialog BYEd.
  EXPECT_EQ(countTo("ccsip:ACK", kAgentPort), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(countTo("agent:200/BYE", kCcsipPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated cancelled 487"));
  EXPECT_TRUE(phones.recorder.has("terminated remote-bye 0"));
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                                   "EventRinging 1000", "EventAbandoned 1000"}));
  expectNothingLeft();
}

TEST_F(InboundCallTest, CallerCancelCrossingOur200EndsWithByes) {
  auto session = ringing();
  ASSERT_NE(phones.last(), nullptr);
  EXPECT_TRUE(phones.last()->accept(sdp("agent-answer")));  // ccsip answers the caller...
  session->end();  // ...while the caller's CANCEL is on the way: it cannot stop the 2xx
  wire.pump();
  EXPECT_EQ(countTo("ccsip:200/INVITE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:487/INVITE", kCallerPort), 0u);
  // RFC 3261 9.1 / 15: the caller ACKs and BYEs the 2xx; ccsip releases the agent leg.
  EXPECT_EQ(wire.count("caller:ACK"), 1u);
  EXPECT_EQ(wire.count("caller:BYE"), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_TRUE(phones.recorder.has("terminated remote-bye 0"));
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                                   "EventRinging 1000", "EventEstablished 1000",
                                                   "EventReleased 1000"}));
  expectNothingLeft();
}

// Asterisk 20 chan_sip's INVITE to a routing point (traces/asterisk-20/inbound-to-routing-point),
// sent from port 5071, and the requests that follow in its dialog.
std::string asteriskRequest(const std::string& method, int cseq, const std::string& toTag,
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
                     "\r\n"
                     "User-Agent: Asterisk PBX 20.20.1\r\n"
                     "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, "
                     "PUBLISH, MESSAGE\r\n"
                     "Supported: replaces, timer\r\n";
  if (withSdp) text += "Content-Type: application/sdp\r\n";
  const std::string body = withSdp ? sdpBody : "";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return text;
}

TEST_F(InboundCallTest, CallerByeWhileTheAgentRingsCancelsTheAgentLeg) {
  RawPeer asterisk(wire, "asterisk", kRawSwitchPort);
  router.targets = {"1000"};
  asterisk.sendText(asteriskRequest("INVITE", 102, "", "z9hG4bK2b9dc622", true), kCcsipPort);
  wire.pump();
  const Message* ringing = asterisk.lastResponse(Method::Invite);
  ASSERT_NE(ringing, nullptr);
  ASSERT_EQ(ringing->statusCode(), 180);
  // The agent got Asterisk's offer and the caller's identity.
  const Message agentInvite = lastTo("ccsip:INVITE", kAgentPort);
  EXPECT_EQ(agentInvite.from().uri.text, "sip:2000@127.0.0.1:5070");
  EXPECT_NE(agentInvite.body().find("m=audio 10166 RTP/AVP 0 8 101"), std::string_view::npos);

  // RFC 3261 15: the caller may BYE an early dialog; the agent leg is cancelled.
  const std::string tag(ringing->to().tag);
  asterisk.sendText(asteriskRequest("BYE", 103, tag, "z9hG4bK-bye", false), kCcsipPort);
  wire.pump();
  EXPECT_EQ(asterisk.lastResponse(Method::Bye)->statusCode(), 200);
  EXPECT_EQ(asterisk.lastResponse(Method::Invite)->statusCode(), 487);
  asterisk.sendText(asteriskRequest("ACK", 102, tag, "z9hG4bK2b9dc622", false), kCcsipPort);
  wire.pump();
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_TRUE(phones.recorder.has("terminated cancelled 487"));
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 8000", "EventRouteUsed 8000",
                                                   "EventRinging 1000", "EventAbandoned 1000"}));
  EXPECT_EQ(field(2, "otherDN"), "2000");
  expectNothingLeft();
}

TEST_F(InboundCallTest, TearingDownWithCallsUpIsSafe) {
  auto routed = answered();
  router.targets.clear();
  auto waiting = call(caller);
  // The fixture destroys CallControl and the stacks with both calls alive.
}

}  // namespace
}  // namespace ccsip::control::test
