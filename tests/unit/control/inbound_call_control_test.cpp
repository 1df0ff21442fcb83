// Third-party call control and re-INVITE relay on the routed inbound call (docs/call-flows.md):
// ReleaseCall / ClearCall, HoldCall / RetrieveCall, AnswerCall, and the relay of in-dialog
// offers between the caller leg and the agent leg, over in-memory SIP wires.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inbound_call_fixture.h"
#include "sip/sdp.h"

namespace ccsip::control::test {
namespace {

using sip::sdp::Direction;

class InboundCallControlTest : public InboundCallFixture {
 protected:
  PartyRequest request(std::string dn, std::int64_t reference) {
    return PartyRequest{model::ConnId{1}, std::move(dn), model::ReferenceId(reference)};
  }
  // The parsed SDP of a message body (a failure if it does not parse).
  static sip::sdp::SessionDescription sdpOf(const Message& message) {
    auto parsed = sip::sdp::parseSdp(message.body());
    EXPECT_TRUE(parsed.ok()) << message.body();
    return parsed ? *parsed : sip::sdp::SessionDescription{};
  }
  static Direction directionOf(const Message& message) {
    const auto sdp = sdpOf(message);
    if (sdp.media.empty()) return Direction::Inactive;
    return sip::sdp::effectiveDirection(sdp, sdp.media.front());
  }
  // The caller's switch answers every offer of a re-INVITE with its own SDP, the direction an
  // answerer takes (RFC 3264 6.1).
  void callerAnswersOffers() {
    callerRecorder.offerHook = [](InviteSession& s, const Body& offer) {
      auto parsed = sip::sdp::parseSdp(offer.content);
      Direction direction = Direction::SendRecv;
      if (parsed && !parsed->media.empty()) {
        direction =
            sip::sdp::answerDirection(sip::sdp::effectiveDirection(*parsed, parsed->media.front()));
      }
      std::string answer = kCallerSdp;
      answer.replace(answer.find("a=sendrecv"), 10,
                     "a=" + std::string(sip::sdp::directionName(direction)));
      s.accept(sdp(answer));
    };
  }
  std::int64_t referenceOf(std::size_t index) const {
    if (index >= sink.all.size()) return -1;
    const auto* value = sink.all[index].fields.if_contains("referenceId");
    return value != nullptr && value->is_int64() ? value->as_int64() : -1;
  }
  std::int64_t errorCodeOf(std::size_t index) const {
    if (index >= sink.all.size()) return -1;
    const auto* value = sink.all[index].fields.if_contains("errorCode");
    return value != nullptr && value->is_int64() ? value->as_int64() : -1;
  }
  std::vector<std::string> eventsAfter(std::size_t first) const {
    return {sink.events.begin() + static_cast<std::ptrdiff_t>(std::min(first, sink.events.size())),
            sink.events.end()};
  }
};

// --- ReleaseCall / ClearCall

TEST_F(InboundCallControlTest, ReleaseCallFromTheAgentsDesktopByesBothLegs) {
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.releaseCall(request("1000", 7)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated remote-bye 0"));
  EXPECT_TRUE(phones.recorder.has("terminated remote-bye 0"));
  // The caller (5551234) is not a configured DN: only the agent's DN gets an event.
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventReleased 1000"});
  EXPECT_EQ(referenceOf(before), 7);
  EXPECT_EQ(field(before, "cause"), "normal");
  EXPECT_EQ(field(before, "otherDN"), "5551234");
  EXPECT_EQ(field(before, "connId"), "0000000000000001");
  EXPECT_EQ(field(before, "callType"), "Inbound");
  EXPECT_EQ(router.log.back(), "ended 0000000000000001");
  // The call is gone: a second request finds nothing.
  EXPECT_EQ(control.releaseCall(request("1000", 8)).error().code,
            model::toInt(model::ErrorCode::UnknownCall));
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, ReleaseCallWhileTheAgentRingsCancelsAndRejectsTheCaller) {
  auto session = ringing();
  ASSERT_TRUE(control.releaseCall(request("1000", 9)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(countTo("agent:487/INVITE", kCcsipPort), 1u);
  EXPECT_EQ(countTo("ccsip:480/INVITE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated rejected 480"));
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000", "EventRouteUsed 5000",
                                                   "EventRinging 1000", "EventReleased 1000"}));
  EXPECT_EQ(referenceOf(3), 9);
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, ReleaseCallOnTheRoutingPointRejectsTheWaitingCaller) {
  auto session = call(caller);  // the router stays silent
  ASSERT_TRUE(control.releaseCall(request("5000", 3)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:480/INVITE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 0u);
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"EventRouteRequest 5000", "EventReleased 5000"}));
  EXPECT_EQ(referenceOf(1), 3);
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, ClearCallEndsEveryParty) {
  auto session = answered();
  ASSERT_TRUE(control.clearCall(request("1000", 4)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  EXPECT_EQ(referenceOf(sink.all.size() - 1), 4);
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, ReleaseCallBeforeTheCallersAckByesAfterIt) {
  auto session = ringing();
  wire.dropIf = [](const Wire::Packet&, const Message& m) {
    return m.isRequest() && m.method() == Method::Ack && m.cseq().number == 1 &&
           m.requestUri().user == "5000";
  };
  ASSERT_NE(phones.last(), nullptr);
  EXPECT_TRUE(phones.last()->accept(sdp(kAgentSdp)));
  wire.pump();
  wire.dropIf = nullptr;
  ASSERT_TRUE(control.releaseCall(request("1000", 5)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  // RFC 3261 15: no BYE to the caller before its ACK (which its 2xx retransmission brings).
  run(std::chrono::seconds(2));
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, ReleaseCallByANonPartyIsRefused) {
  auto session = answered();
  EXPECT_EQ(control.releaseCall(request("1001", 1)).error().code,
            model::toInt(model::ErrorCode::CallNotOnDn));
  EXPECT_EQ(control.releaseCall(PartyRequest{model::ConnId{77}, "1000", {}}).error().code,
            model::toInt(model::ErrorCode::UnknownCall));
  session->end();
  wire.pump();
  expectNothingLeft();
}

// --- HoldCall / RetrieveCall

TEST_F(InboundCallControlTest, HoldAndRetrieveReinviteTheCallerLegOnly) {
  callerAnswersOffers();
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.holdCall(request("1000", 11)).ok());
  wire.pump();
  // RFC 3264 8.4: the hold offer is the last SDP sent on the caller leg (the agent's answer),
  // a=sendonly, same o= line with sess-version + 1.
  ASSERT_EQ(countTo("ccsip:INVITE", kCallerPort), 1u);
  const Message hold = lastTo("ccsip:INVITE", kCallerPort);
  EXPECT_EQ(directionOf(hold), Direction::SendOnly);
  EXPECT_EQ(sdpOf(hold).origin.username, "agent");
  EXPECT_EQ(sdpOf(hold).origin.sessionId, "200");
  EXPECT_EQ(sdpOf(hold).origin.sessionVersion, 8u);
  EXPECT_EQ(sdpOf(hold).media.front().port, 20000);
  EXPECT_EQ(countTo("caller:200/INVITE", kCcsipPort), 1u);
  EXPECT_EQ(countTo("ccsip:ACK", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 1u);  // the agent leg is left alone
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventHeld 1000"});
  EXPECT_EQ(referenceOf(before), 11);
  EXPECT_EQ(field(before, "otherDN"), "5551234");
  EXPECT_EQ(field(before, "connId"), "0000000000000001");
  EXPECT_EQ(model.findCall(model::ConnId{1})->findParty("1000")->state, model::PartyState::Held);

  ASSERT_TRUE(control.retrieveCall(request("1000", 12)).ok());
  wire.pump();
  ASSERT_EQ(countTo("ccsip:INVITE", kCallerPort), 2u);
  const Message retrieve = lastTo("ccsip:INVITE", kCallerPort);
  EXPECT_EQ(directionOf(retrieve), Direction::SendRecv);
  EXPECT_EQ(sdpOf(retrieve).origin.sessionVersion, 9u);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventHeld 1000", "EventRetrieved 1000"}));
  EXPECT_EQ(referenceOf(before + 1), 12);
  EXPECT_EQ(model.findCall(model::ConnId{1})->findParty("1000")->state,
            model::PartyState::Established);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 1u);

  session->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, HoldRequestsInTheWrongStateAreRefused) {
  auto session = ringing();
  auto codeOf = [](const model::Status& status) { return status ? 0 : status.error().code; };
  // Not established yet.
  EXPECT_EQ(codeOf(control.holdCall(request("1000", 1))),
            model::toInt(model::ErrorCode::InvalidCallState));
  ASSERT_NE(phones.last(), nullptr);
  EXPECT_TRUE(phones.last()->accept(sdp(kAgentSdp)));
  wire.pump();
  // Not held: nothing to retrieve.
  EXPECT_EQ(codeOf(control.retrieveCall(request("1000", 2))),
            model::toInt(model::ErrorCode::InvalidCallState));
  // The routing point left the call: not a party.
  EXPECT_EQ(codeOf(control.holdCall(request("5000", 3))),
            model::toInt(model::ErrorCode::CallNotOnDn));
  // The hold's re-INVITE is not answered yet: a second one waits for it.
  ASSERT_TRUE(control.holdCall(request("1000", 4)).ok());
  const auto busy = control.holdCall(request("1000", 5));
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, model::toInt(model::ErrorCode::OperationInProgress));
  EXPECT_NE(busy.error().message.find("re-INVITE"), std::string::npos) << busy.error().message;
  EXPECT_EQ(codeOf(control.retrieveCall(request("1000", 6))),
            model::toInt(model::ErrorCode::InvalidCallState));
  callerAnswersOffers();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventHeld 1000");
  // Held already.
  const auto twice = control.holdCall(request("1000", 7));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, model::toInt(model::ErrorCode::InvalidCallState));
  EXPECT_NE(twice.error().message.find("already held by 1000"), std::string::npos);
  session->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, HoldRefusedByTheCallerIsAnEventErrorAndTheCallGoesOn) {
  callerRecorder.offerHook = [](InviteSession& s, const Body&) { s.reject(488); };
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.holdCall(request("1000", 21)).ok());
  wire.pump();
  EXPECT_EQ(countTo("caller:488/INVITE", kCcsipPort), 1u);
  ASSERT_EQ(eventsAfter(before), std::vector<std::string>{"EventError 1000"});
  EXPECT_EQ(errorCodeOf(before), model::toInt(model::ErrorCode::RejectedByEndpoint));
  EXPECT_EQ(referenceOf(before), 21);
  EXPECT_EQ(field(before, "connId"), "0000000000000001");
  EXPECT_NE(field(before, "errorMessage")
                .find("HoldCall: the caller's leg refused the re-INVITE "
                      "with 488"),
            std::string::npos)
      << field(before, "errorMessage");
  EXPECT_EQ(model.findCall(model::ConnId{1})->findParty("1000")->state,
            model::PartyState::Established);
  // The next attempt works.
  callerAnswersOffers();
  ASSERT_TRUE(control.holdCall(request("1000", 22)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventHeld 1000");
  phones.last()->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, CallerByeCrossingTheHoldReinviteEndsTheCallOnce) {
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.holdCall(request("1000", 31)).ok());
  session->end();  // the caller's BYE crosses the hold re-INVITE
  wire.pump();
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventReleased 1000"});
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, AgentByeWhileTheHoldReinviteIsUnansweredEndsTheCallOnce) {
  auto session = answered();  // the caller does not answer the re-INVITE
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.holdCall(request("1000", 32)).ok());
  wire.pump();
  ASSERT_NE(phones.last(), nullptr);
  phones.last()->end();
  wire.pump();
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventReleased 1000"});
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated remote-bye 0"));
  expectNothingLeft();
}

// --- AnswerCall

TEST_F(InboundCallControlTest, AnswerCallIsNotSupportedAndSaysWhy) {
  auto session = ringing();
  const auto status = control.answerCall(request("1000", 41));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, model::toInt(model::ErrorCode::NotSupported));
  EXPECT_NE(status.error().message.find("cannot be answered remotely"), std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("answer on the phone"), std::string::npos);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 1u);  // nothing else happened
  session->end();
  wire.pump();
  expectNothingLeft();
}

// --- re-INVITE relay

TEST_F(InboundCallControlTest, CallerReinviteIsRelayedToTheAgentAndTheAnswerBack) {
  auto session = answered();
  phones.recorder.offerHook = [](InviteSession& s, const Body&) {
    std::string answer = kAgentSdp;
    answer += "a=recvonly\r\n";
    s.accept(sdp(answer));
  };
  const std::size_t before = sink.events.size();
  std::string offer = kCallerSdp;
  offer.replace(offer.find("o=caller 100 1"), 14, "o=caller 100 2");
  offer.replace(offer.find("a=sendrecv"), 10, "a=sendonly");  // the caller's switch holds
  EXPECT_TRUE(session->reinvite(sdp(offer)));
  wire.pump();
  ASSERT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  const Message relayed = lastTo("ccsip:INVITE", kAgentPort);
  EXPECT_EQ(directionOf(relayed), Direction::SendOnly);
  EXPECT_EQ(sdpOf(relayed).origin.username, "caller");
  EXPECT_EQ(sdpOf(relayed).origin.sessionVersion, 2u);  // continues what the agent leg had
  const Message answer = lastTo("ccsip:200/INVITE", kCallerPort);
  EXPECT_EQ(directionOf(answer), Direction::RecvOnly);
  EXPECT_EQ(sdpOf(answer).origin.sessionVersion, 8u);  // the agent's o= line, next version
  EXPECT_TRUE(callerRecorder.has("answer " + std::string(answer.body())));
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{});  // signalling only, no TEvent
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, AgentReinviteIsRelayedToTheCaller) {
  callerAnswersOffers();
  auto session = answered();
  ASSERT_NE(phones.last(), nullptr);
  std::string offer = kAgentSdp;
  offer.replace(offer.find("o=agent 200 7"), 13, "o=agent 200 8");
  offer += "a=inactive\r\n";
  EXPECT_TRUE(phones.last()->reinvite(sdp(offer)));
  wire.pump();
  ASSERT_EQ(countTo("ccsip:INVITE", kCallerPort), 1u);
  EXPECT_EQ(directionOf(lastTo("ccsip:INVITE", kCallerPort)), Direction::Inactive);
  EXPECT_EQ(directionOf(lastTo("ccsip:200/INVITE", kAgentPort)), Direction::Inactive);
  EXPECT_TRUE(
      phones.recorder.has("answer " + std::string(lastTo("ccsip:200/INVITE", kAgentPort).body())));
  phones.last()->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, ARefusedRelayIsRefusedBackWithItsStatus) {
  auto session = answered();
  phones.recorder.offerHook = [](InviteSession& s, const Body&) { s.reject(488); };
  EXPECT_TRUE(session->reinvite(sdp(kCallerSdp)));
  wire.pump();
  EXPECT_EQ(countTo("agent:488/INVITE", kCcsipPort), 1u);
  EXPECT_EQ(countTo("ccsip:488/INVITE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("reinvite-rejected 488"));
  // The call goes on, and hold still works afterwards.
  callerAnswersOffers();
  ASSERT_TRUE(control.holdCall(request("1000", 51)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventHeld 1000");
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, OfferlessReinviteIsAnsweredWithTheLastSdpSent) {
  auto session = answered();
  callerRecorder.offerHook = [](InviteSession& s, const Body&) {
    s.provideAnswer(sdp(kCallerSdp));
  };
  EXPECT_TRUE(session->reinvite());
  wire.pump();
  const Message ok = lastTo("ccsip:200/INVITE", kCallerPort);
  EXPECT_EQ(ok.body(), kAgentSdp);  // unchanged, same version (RFC 3264 8)
  EXPECT_EQ(wire.count("caller:ACK"), 2u);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 1u);  // nothing relayed
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, ReinviteWhileTheHoldIsPendingGets491) {
  auto session = answered();
  ASSERT_TRUE(control.holdCall(request("1000", 61)).ok());  // the caller does not answer yet
  wire.pump();
  ASSERT_NE(phones.last(), nullptr);
  EXPECT_TRUE(phones.last()->reinvite(sdp(kAgentSdp)));
  wire.pump();
  EXPECT_EQ(countTo("ccsip:491/INVITE", kAgentPort), 1u);
  session->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, AnOfferRelayedToTheHeldCallerKeepsTheHold) {
  callerAnswersOffers();
  auto session = answered();
  ASSERT_TRUE(control.holdCall(request("1000", 71)).ok());
  wire.pump();
  ASSERT_EQ(sink.events.back(), "EventHeld 1000");
  ASSERT_NE(phones.last(), nullptr);
  std::string offer = kAgentSdp;
  offer.replace(offer.find("o=agent 200 7"), 13, "o=agent 200 8");
  offer.replace(offer.find("m=audio 20000"), 13, "m=audio 20002");  // a new port, sendrecv
  EXPECT_TRUE(phones.last()->reinvite(sdp(offer)));
  wire.pump();
  ASSERT_EQ(countTo("ccsip:INVITE", kCallerPort), 2u);
  const Message relayed = lastTo("ccsip:INVITE", kCallerPort);
  EXPECT_EQ(directionOf(relayed), Direction::SendOnly);
  EXPECT_EQ(sdpOf(relayed).media.front().port, 20002);
  EXPECT_EQ(sdpOf(relayed).origin.sessionVersion, 9u);  // after the hold's 8
  EXPECT_EQ(directionOf(lastTo("ccsip:200/INVITE", kAgentPort)), Direction::RecvOnly);
  phones.last()->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, ReinviteGlareBetweenTheLegsResolvesWithRetries) {
  callerAnswersOffers();
  auto session = answered();
  ASSERT_NE(phones.last(), nullptr);
  phones.recorder.offerHook = [](InviteSession& s, const Body&) { s.accept(sdp(kAgentSdp)); };
  std::string callerOffer = kCallerSdp;
  callerOffer.replace(callerOffer.find("o=caller 100 1"), 14, "o=caller 100 2");
  std::string agentOffer = kAgentSdp;
  agentOffer.replace(agentOffer.find("o=agent 200 7"), 13, "o=agent 200 8");
  // Both switches' re-INVITEs are on the wire at once: ccsip relays the caller's, which crosses
  // the agent's (RFC 3261 14.1: 491 on both sides, each retried after its random delay).
  EXPECT_TRUE(session->reinvite(sdp(callerOffer)));
  EXPECT_TRUE(phones.last()->reinvite(sdp(agentOffer)));
  wire.pump();
  EXPECT_GE(countTo("ccsip:491/INVITE", kAgentPort), 1u);
  EXPECT_GE(countTo("agent:491/INVITE", kCcsipPort), 1u);
  run(std::chrono::seconds(12));
  // Both offers finally went through: each side got its 200.
  EXPECT_EQ(callerRecorder.count("reinvite-rejected 491"), 0u);
  EXPECT_GE(countTo("ccsip:200/INVITE", kCallerPort), 2u);  // the initial 2xx and the relay's
  EXPECT_GE(countTo("ccsip:200/INVITE", kAgentPort), 1u);
  EXPECT_EQ(countTo("caller:200/INVITE", kCcsipPort), 1u);  // the agent's offer reached it
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, AgentByeCrossingARelayedReinviteEndsTheCallOnce) {
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_NE(phones.last(), nullptr);
  EXPECT_TRUE(session->reinvite(sdp(kCallerSdp)));
  phones.last()->end();  // the agent's BYE is on the wire before the relayed re-INVITE
  wire.pump();
  EXPECT_EQ(countTo("ccsip:487/INVITE", kCallerPort), 1u);  // the caller's re-INVITE, ended
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated remote-bye 0"));
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventReleased 1000"});
  expectNothingLeft();
}

TEST_F(InboundCallControlTest, CallerByeWhileItsRelayedReinviteIsPendingEndsTheCallOnce) {
  auto session = answered();  // the agent does not answer the relayed re-INVITE
  const std::size_t before = sink.events.size();
  EXPECT_TRUE(session->reinvite(sdp(kCallerSdp)));
  wire.pump();
  ASSERT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  session->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_TRUE(phones.recorder.has("terminated remote-bye 0"));
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventReleased 1000"});
  expectNothingLeft();
}

}  // namespace
}  // namespace ccsip::control::test
