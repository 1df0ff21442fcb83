// InitiateTransfer, CompleteTransfer, AlternateCall and ReconnectCall on the routed inbound
// call (docs/call-flows.md "InitiateTransfer / CompleteTransfer"): the SIP on each leg and the
// events of both calls.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "consult_fixture.h"

namespace ccsip::control::test {
namespace {

using sip::sdp::Direction;

class ConsultTransferTest : public ConsultFixture {};

TEST_F(ConsultTransferTest, InitiateTransferHoldsTheCallerThenCallsTheTargetWithoutOffer) {
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.initiateTransfer(initiate("1001", 17)).ok());
  wire.pump();
  // The caller's leg is held first (RFC 3264 8.4)...
  ASSERT_EQ(countTo("ccsip:INVITE", kCallerPort), 1u);
  EXPECT_EQ(directionOf(lastTo("ccsip:INVITE", kCallerPort)), Direction::SendOnly);
  // ... then the consult call is made: 1001 on the switch, no offer, From the agent's DN.
  ASSERT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  const Message invite = lastTo("ccsip:INVITE", kAgentPort);
  EXPECT_EQ(invite.requestUri().user, "1001");
  EXPECT_TRUE(invite.body().empty());
  EXPECT_EQ(invite.from().uri.user, "1000");
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventHeld 1000", "EventDialing 1000", "EventRinging 1001"}));
  EXPECT_EQ(field(before, "connId"), kMain.str());
  EXPECT_EQ(intField(before, "referenceId"), 17);
  EXPECT_EQ(field(before + 1, "connId"), kConsult.str());
  EXPECT_EQ(field(before + 1, "callType"), "Consult");
  EXPECT_EQ(field(before + 1, "otherDN"), "1001");
  EXPECT_EQ(intField(before + 1, "referenceId"), 17);
  EXPECT_EQ(field(before + 2, "connId"), kConsult.str());
  EXPECT_EQ(field(before + 2, "otherDN"), "1000");
  EXPECT_EQ(model.findCall(kConsult)->mainConnId, kMain);
  EXPECT_EQ(partyOf(kMain, "1000")->state, model::PartyState::Held);

  // 1001 answers with its offer: it goes to the agent's phone as the next version of the
  // session ccsip holds with it (the caller's o= line, version 2); the phone's answer goes into
  // 1001's ACK.
  ASSERT_TRUE(targetLeg()->accept(sdp(kTargetSdp)));
  wire.pump();
  const Message reinvite = lastOn("ccsip:INVITE", *agentLeg());
  EXPECT_EQ(sdpOf(reinvite).origin.username, "caller");
  EXPECT_EQ(sdpOf(reinvite).origin.sessionVersion, 2u);
  EXPECT_EQ(sdpOf(reinvite).media.front().port, 30000);
  const Message ack = lastOn("ccsip:ACK", *targetLeg());
  EXPECT_EQ(sdpOf(ack).media.front().port, 20000);
  EXPECT_EQ(sdpOf(ack).origin.username, "agent");
  EXPECT_EQ(targetLeg()->state(), InviteSession::State::Confirmed);
  EXPECT_EQ(eventsAfter(before + 3),
            (std::vector<std::string>{"EventEstablished 1001", "EventEstablished 1000"}));
  EXPECT_EQ(field(before + 4, "connId"), kConsult.str());
  EXPECT_EQ(field(before + 4, "otherDN"), "1001");
  // The caller was left alone meanwhile: held, one re-INVITE.
  EXPECT_EQ(countTo("ccsip:INVITE", kCallerPort), 1u);

  // The agent hangs up: both calls are released.
  phones.sessions[0]->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_EQ(countOn("ccsip:BYE", *targetLeg()), 1u);
  EXPECT_EQ(
      eventsAfter(before + 5),
      (std::vector<std::string>{"EventReleased 1000", "EventReleased 1001", "EventReleased 1000"}));
  EXPECT_EQ(field(before + 5, "connId"), kConsult.str());
  EXPECT_EQ(field(before + 7, "connId"), kMain.str());
  expectNothingLeft();
}

TEST_F(ConsultTransferTest, CompleteTransferConnectsTheCallerWithTheTargetAndReleasesTheAgent) {
  auto session = consultTalking();
  ASSERT_TRUE(model.attachUserData(kMain, "1000", {{"case", "77"}}).ok());
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.completeTransfer(pair(kMain, kConsult, 18)).ok());
  wire.pump();
  // RFC 3725 flow I between the two existing sessions: the caller is re-INVITEd without offer,
  // its offer goes to 1001, 1001's answer into the caller's ACK.
  ASSERT_EQ(countTo("ccsip:INVITE", kCallerPort), 2u);
  EXPECT_TRUE(lastTo("ccsip:INVITE", kCallerPort).body().empty());
  const Message toTarget = lastOn("ccsip:INVITE", *targetLeg());
  EXPECT_EQ(sdpOf(toTarget).media.front().port, 10000);
  EXPECT_EQ(sdpOf(toTarget).origin.username, "agent");  // the session 1001 knows
  EXPECT_EQ(sdpOf(toTarget).origin.sessionVersion, 8u);
  const Message ack = lastTo("ccsip:ACK", kCallerPort);
  EXPECT_EQ(sdpOf(ack).media.front().port, 30000);
  EXPECT_EQ(sdpOf(ack).origin.username, "agent");  // the session the caller knows
  EXPECT_EQ(sdpOf(ack).origin.sessionVersion, 9u);
  EXPECT_EQ(directionOf(ack), Direction::SendRecv);
  // Nothing ended towards them; the agent's phone gets BYE.
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 0u);
  EXPECT_EQ(countOn("ccsip:BYE", *targetLeg()), 0u);
  EXPECT_EQ(countOn("ccsip:BYE", *agentLeg()), 1u);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1000", "EventReleased 1000",
                                      "EventPartyChanged 1001"}));
  EXPECT_EQ(field(before, "connId"), kConsult.str());
  EXPECT_EQ(field(before, "cause"), "transferred");
  EXPECT_EQ(field(before + 1, "connId"), kMain.str());
  EXPECT_EQ(intField(before + 1, "referenceId"), 18);
  const model::TEvent& changed = sink.all[before + 2];
  EXPECT_EQ(field(before + 2, "connId"), kMain.str());
  EXPECT_EQ(field(before + 2, "previousConnId"), kConsult.str());
  EXPECT_EQ(field(before + 2, "thirdPartyDN"), "1000");
  EXPECT_EQ(field(before + 2, "otherDN"), "5551234");
  EXPECT_EQ(field(before + 2, "callType"), "Inbound");
  EXPECT_EQ(changed.fields.at("userData").as_object().at("case").as_string(), "77");
  EXPECT_EQ(model.findCall(kConsult), nullptr);
  EXPECT_EQ(partyOf(kMain, "1001")->state, model::PartyState::Established);
  EXPECT_EQ(partyOf(kMain, "1000"), nullptr);

  // The main call goes on between the caller and 1001: 1001 holds it, then hangs up.
  ASSERT_TRUE(control.holdCall(party(kMain, 19, "1001")).ok());
  wire.pump();
  EXPECT_EQ(directionOf(lastTo("ccsip:INVITE", kCallerPort)), Direction::SendOnly);
  EXPECT_EQ(sink.events.back(), "EventHeld 1001");
  targetLeg()->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_EQ(sink.events.back(), "EventReleased 1001");
  EXPECT_EQ(router.log.back(), "ended " + kMain.str());
  expectNothingLeft();
}

TEST_F(ConsultTransferTest, AlternateCallSwapsTheCallTheAgentTalksTo) {
  auto session = consultTalking();
  const std::size_t before = sink.events.size();
  // From the consult (active) to the main call (held).
  ASSERT_TRUE(control.alternateCall(pair(kConsult, kMain, 25)).ok());
  wire.pump();
  // 1001 is held; the caller offers (re-INVITE without offer) and the agent's phone answers.
  EXPECT_EQ(directionOf(lastOn("ccsip:INVITE", *targetLeg())), Direction::SendOnly);
  EXPECT_TRUE(lastTo("ccsip:INVITE", kCallerPort).body().empty());
  const Message toAgent = lastOn("ccsip:INVITE", *agentLeg());
  EXPECT_EQ(sdpOf(toAgent).media.front().port, 10000);
  EXPECT_EQ(sdpOf(toAgent).origin.sessionVersion, 3u);
  EXPECT_EQ(sdpOf(lastTo("ccsip:ACK", kCallerPort)).media.front().port, 20000);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventHeld 1000", "EventRetrieved 1000"}));
  EXPECT_EQ(field(before, "connId"), kConsult.str());
  EXPECT_EQ(field(before + 1, "connId"), kMain.str());
  EXPECT_EQ(intField(before, "referenceId"), 25);
  EXPECT_EQ(intField(before + 1, "referenceId"), 25);
  EXPECT_EQ(partyOf(kMain, "1000")->state, model::PartyState::Established);
  EXPECT_EQ(partyOf(kConsult, "1000")->state, model::PartyState::Held);

  // The main call is active now: it is not held, so it cannot be alternated to or reconnected.
  EXPECT_EQ(codeOf(control.alternateCall(pair(kConsult, kMain, 90))),
            model::toInt(model::ErrorCode::InvalidCallState));
  EXPECT_EQ(codeOf(control.reconnectCall(pair(kConsult, kMain, 91))),
            model::toInt(model::ErrorCode::InvalidCallState));
  EXPECT_EQ(codeOf(control.retrieveCall(party(kMain, 92))),
            model::toInt(model::ErrorCode::InvalidCallState));
  EXPECT_EQ(sink.events.size(), before + 2);

  // A re-INVITE of the agent's phone now goes to the caller.
  const std::size_t callerInvites = countTo("ccsip:INVITE", kCallerPort);
  ASSERT_TRUE(phones.sessions[0]->reinvite(sdp(kAgentSdp)));
  wire.pump();
  EXPECT_EQ(countTo("ccsip:INVITE", kCallerPort), callerInvites + 1);

  // And back: the caller is held, 1001 offers and the agent's phone answers.
  ASSERT_TRUE(control.alternateCall(pair(kMain, kConsult, 26)).ok());
  wire.pump();
  EXPECT_EQ(directionOf(lastTo("ccsip:INVITE", kCallerPort)), Direction::SendOnly);
  EXPECT_TRUE(lastOn("ccsip:INVITE", *targetLeg()).body().empty());
  EXPECT_EQ(sdpOf(lastOn("ccsip:INVITE", *agentLeg())).media.front().port, 30000);
  EXPECT_EQ(sdpOf(lastOn("ccsip:ACK", *targetLeg())).media.front().port, 20000);
  EXPECT_EQ(eventsAfter(before + 2),
            (std::vector<std::string>{"EventHeld 1000", "EventRetrieved 1000"}));
  EXPECT_EQ(field(before + 2, "connId"), kMain.str());
  EXPECT_EQ(field(before + 3, "connId"), kConsult.str());

  // Alternating to the call that is not held is refused.
  EXPECT_EQ(codeOf(control.alternateCall(pair(kMain, kConsult, 27))),
            model::toInt(model::ErrorCode::InvalidCallState));
  session->end();
  wire.pump();
  targetLeg()->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(ConsultTransferTest, ReconnectCallReleasesTheConsultAndGivesTheCallBackToTheAgent) {
  auto session = consultTalking();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.reconnectCall(pair(kConsult, kMain, 26)).ok());
  wire.pump();
  EXPECT_EQ(countOn("ccsip:BYE", *targetLeg()), 1u);
  // The agent's phone talked to 1001: the caller offers and the phone answers.
  EXPECT_TRUE(lastTo("ccsip:INVITE", kCallerPort).body().empty());
  EXPECT_EQ(sdpOf(lastOn("ccsip:INVITE", *agentLeg())).media.front().port, 10000);
  EXPECT_EQ(sdpOf(lastTo("ccsip:ACK", kCallerPort)).media.front().port, 20000);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1000", "EventReleased 1001",
                                      "EventRetrieved 1000"}));
  EXPECT_EQ(field(before, "connId"), kConsult.str());
  EXPECT_EQ(intField(before, "referenceId"), 26);
  EXPECT_EQ(field(before + 2, "connId"), kMain.str());
  EXPECT_EQ(intField(before + 2, "referenceId"), 26);
  EXPECT_EQ(model.findCall(kConsult), nullptr);

  // The routed call is the agent's again, as before the consult: hold, relay, release.
  ASSERT_TRUE(control.holdCall(party(kMain, 27)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventHeld 1000");
  ASSERT_TRUE(control.retrieveCall(party(kMain, 28)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  session->end();
  wire.pump();
  EXPECT_EQ(countOn("ccsip:BYE", *agentLeg()), 1u);
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(ConsultTransferTest, ReconnectCallTheOtherWayReleasesTheMainCallAndKeepsTheConsult) {
  auto session = consultTalking();
  ASSERT_TRUE(control.alternateCall(pair(kConsult, kMain, 25)).ok());
  wire.pump();
  const std::size_t before = sink.events.size();
  // The agent talks to the caller, the consult is held: release the caller, take 1001 back.
  ASSERT_TRUE(control.reconnectCall(pair(kMain, kConsult, 27)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_TRUE(lastOn("ccsip:INVITE", *targetLeg()).body().empty());
  EXPECT_EQ(sdpOf(lastOn("ccsip:INVITE", *agentLeg())).media.front().port, 30000);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1000", "EventRetrieved 1000"}));
  EXPECT_EQ(field(before, "connId"), kMain.str());
  EXPECT_EQ(intField(before, "referenceId"), 27);
  EXPECT_EQ(field(before + 1, "connId"), kConsult.str());
  EXPECT_EQ(model.findCall(kMain), nullptr);
  // The consult is a call of its own now; the agent releases it.
  ASSERT_TRUE(control.releaseCall(party(kConsult, 28)).ok());
  wire.pump();
  EXPECT_EQ(eventsAfter(before + 2),
            (std::vector<std::string>{"EventReleased 1000", "EventReleased 1001"}));
  EXPECT_EQ(countOn("ccsip:BYE", *agentLeg()), 1u);
  expectNothingLeft();
}

TEST_F(ConsultTransferTest, HoldAndRetrieveWorkOnTheConsultCall) {
  auto session = consultTalking();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.holdCall(party(kConsult, 30)).ok());
  wire.pump();
  EXPECT_EQ(directionOf(lastOn("ccsip:INVITE", *targetLeg())), Direction::SendOnly);
  ASSERT_TRUE(control.retrieveCall(party(kConsult, 31)).ok());
  wire.pump();
  EXPECT_EQ(directionOf(lastOn("ccsip:INVITE", *targetLeg())), Direction::SendRecv);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventHeld 1000", "EventRetrieved 1000"}));
  EXPECT_EQ(field(before, "connId"), kConsult.str());
  // Both held, then the main call retrieved: the line is connected with the caller.
  ASSERT_TRUE(control.holdCall(party(kConsult, 32)).ok());
  wire.pump();
  ASSERT_TRUE(control.retrieveCall(party(kMain, 33)).ok());
  wire.pump();
  EXPECT_EQ(sdpOf(lastOn("ccsip:INVITE", *agentLeg())).media.front().port, 10000);
  EXPECT_EQ(eventsAfter(before + 2),
            (std::vector<std::string>{"EventHeld 1000", "EventRetrieved 1000"}));
  EXPECT_EQ(field(before + 3, "connId"), kMain.str());
  // The consult is released by 1001's desktop: the call is the agent's again.
  ASSERT_TRUE(control.releaseCall(party(kConsult, 34, "1001")).ok());
  wire.pump();
  EXPECT_EQ(eventsAfter(before + 4),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1000"}));
  EXPECT_EQ(intField(before + 4, "referenceId"), 34);
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(ConsultTransferTest, AReinviteOfTheTargetIsRelayedToTheAgentsPhone) {
  auto session = consultTalking();
  const std::size_t agentInvites = countOn("ccsip:INVITE", *agentLeg());
  std::string offer = kTargetSdp;
  offer.replace(offer.find("30000"), 5, "30002");
  ASSERT_TRUE(targetLeg()->reinvite(sdp(offer)));
  wire.pump();
  EXPECT_EQ(countOn("ccsip:INVITE", *agentLeg()), agentInvites + 1);
  EXPECT_EQ(sdpOf(lastOn("ccsip:INVITE", *agentLeg())).media.front().port, 30002);
  EXPECT_EQ(sdpOf(lastOn("ccsip:200/INVITE", *targetLeg())).media.front().port, 20000);
  // The caller, held and not talking to anyone, keeps its description: 488.
  ASSERT_TRUE(session->reinvite(sdp(kCallerSdp)));
  wire.pump();
  EXPECT_TRUE(callerRecorder.has("reinvite-rejected 488"));
  session->end();
  wire.pump();
  targetLeg()->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(ConsultTransferTest, InitiateTransferOnAHeldCallStartsTheConsultAtOnce) {
  auto session = answered();
  ASSERT_TRUE(control.holdCall(party(kMain, 14)).ok());
  wire.pump();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.initiateTransfer(initiate("5559999", 17)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:INVITE", kCallerPort), 1u);  // the hold's, nothing more
  // An external number: EventNetworkReached instead of EventRinging.
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventDialing 1000", "EventNetworkReached 1000"}));
  ASSERT_TRUE(targetLeg()->accept(sdp(kTargetSdp)));
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventEstablished 1000");
  ASSERT_TRUE(control.completeTransfer(pair(kMain, kConsult, 18)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  EXPECT_EQ(partyOf(kMain, "5559999")->state, model::PartyState::Established);
  session->end();
  wire.pump();
  EXPECT_EQ(countOn("ccsip:BYE", *targetLeg()), 1u);
  expectNothingLeft();
}

}  // namespace
}  // namespace ccsip::control::test
