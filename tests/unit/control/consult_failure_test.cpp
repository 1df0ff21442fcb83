// Consult transfers that fail, end early or are asked in the wrong state (docs/call-flows.md
// "InitiateTransfer / CompleteTransfer", failures and refusals).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "consult_fixture.h"

namespace ccsip::control::test {
namespace {

using sip::sdp::Direction;

class ConsultFailureTest : public ConsultFixture {
 protected:
  void expectError(std::size_t index, model::ErrorCode code, std::int64_t reference) {
    EXPECT_EQ(intField(index, "errorCode"), model::toInt(code));
    EXPECT_EQ(intField(index, "referenceId"), reference);
  }
};

TEST_F(ConsultFailureTest, ABusyTargetReleasesTheConsultAndReconnectRetrievesTheCall) {
  auto session = answered();
  phones.newSessionHook = [](InviteSession& s, const Message&) { s.reject(486); };
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.initiateTransfer(initiate("1001", 17)).ok());
  wire.pump();
  EXPECT_EQ(countTo("agent:486/INVITE", kCcsipPort), 1u);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventHeld 1000", "EventDialing 1000",
                                      "EventDestinationBusy 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(before + 2, "connId"), kConsult.str());
  EXPECT_EQ(field(before + 2, "otherDN"), "1001");
  EXPECT_EQ(field(before + 3, "connId"), kConsult.str());
  EXPECT_EQ(field(before + 3, "cause"), "busy");
  EXPECT_EQ(model.findCall(kConsult), nullptr);
  EXPECT_EQ(partyOf(kMain, "1000")->state, model::PartyState::Held);
  // The consult call is gone: ReconnectCall is the retrieve of the main call (its media never
  // left the agent's phone: a=sendrecv is enough).
  ASSERT_TRUE(control.reconnectCall(pair(kConsult, kMain, 26)).ok());
  wire.pump();
  EXPECT_EQ(directionOf(lastTo("ccsip:INVITE", kCallerPort)), Direction::SendRecv);
  EXPECT_EQ(countOn("ccsip:INVITE", *agentLeg()), 1u);
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  EXPECT_EQ(intField(sink.all.size() - 1, "referenceId"), 26);
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, ARefusingTargetReleasesTheConsultWithTheCause) {
  auto session = answered();
  phones.newSessionHook = [](InviteSession& s, const Message&) {
    s.provisional(180);
    s.reject(404);
  };
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.initiateTransfer(initiate("1001", 17)).ok());
  wire.pump();
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventHeld 1000", "EventDialing 1000", "EventRinging 1001",
                                      "EventReleased 1001", "EventReleased 1000"}));
  EXPECT_EQ(field(before + 3, "cause"), "rejected-404");
  EXPECT_EQ(field(before + 4, "cause"), "rejected-404");
  ASSERT_TRUE(control.retrieveCall(party(kMain, 15)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, ATargetThatDoesNotAnswerIsCancelled) {
  auto session = consultRinging();
  const std::size_t before = sink.events.size();
  run(std::chrono::seconds(6));  // 1001's no-answer-timeout is 5 s
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1000"}));
  EXPECT_EQ(field(before, "cause"), "no-answer");
  EXPECT_EQ(field(before + 1, "connId"), kConsult.str());
  EXPECT_EQ(partyOf(kMain, "1000")->state, model::PartyState::Held);
  session->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, TheCallerHangingUpReleasesTheMainCallAndTheConsultGoesOn) {
  auto session = consultTalking();
  const std::size_t before = sink.events.size();
  session->end();
  wire.pump();
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventReleased 1000"});
  EXPECT_EQ(field(before, "connId"), kMain.str());
  EXPECT_EQ(model.findCall(kMain), nullptr);
  EXPECT_EQ(router.log.back(), "ended " + kMain.str());
  EXPECT_EQ(countOn("ccsip:BYE", *agentLeg()), 0u);
  // A call of its own: hold and retrieve it, then 1001 hangs up and the agent's phone is freed.
  ASSERT_TRUE(control.holdCall(party(kConsult, 30)).ok());
  wire.pump();
  ASSERT_TRUE(control.retrieveCall(party(kConsult, 31)).ok());
  wire.pump();
  EXPECT_EQ(eventsAfter(before + 1),
            (std::vector<std::string>{"EventHeld 1000", "EventRetrieved 1000"}));
  targetLeg()->end();
  wire.pump();
  EXPECT_EQ(eventsAfter(before + 3),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1000"}));
  EXPECT_EQ(countOn("ccsip:BYE", *agentLeg()), 1u);
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, TheTargetHangingUpLeavesTheCallHeldUntilRetrieved) {
  auto session = consultTalking();
  const std::size_t before = sink.events.size();
  targetLeg()->end();
  wire.pump();
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1000"}));
  EXPECT_EQ(field(before + 1, "connId"), kConsult.str());
  EXPECT_EQ(countTo("ccsip:INVITE", kCallerPort), 1u);  // still held
  // The agent's phone talked to 1001: the retrieve connects it with the caller again.
  ASSERT_TRUE(control.retrieveCall(party(kMain, 15)).ok());
  wire.pump();
  EXPECT_TRUE(lastTo("ccsip:INVITE", kCallerPort).body().empty());
  EXPECT_EQ(sdpOf(lastOn("ccsip:INVITE", *agentLeg())).media.front().port, 10000);
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  session->end();
  wire.pump();
  EXPECT_EQ(countOn("ccsip:BYE", *agentLeg()), 1u);
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, TheAgentHangingUpWhileTheTargetRingsReleasesBothCalls) {
  auto session = consultRinging();
  const std::size_t before = sink.events.size();
  phones.sessions[0]->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1000", "EventAbandoned 1001",
                                      "EventReleased 1000"}));
  EXPECT_EQ(field(before, "connId"), kConsult.str());
  EXPECT_EQ(field(before + 2, "connId"), kMain.str());
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, AHoldRefusedByTheCallerIsAnEventErrorAndNoConsultIsMade) {
  auto session = answered();
  callerRecorder.offerHook = [](InviteSession& s, const Body&) { s.reject(488); };
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.initiateTransfer(initiate("1001", 17)).ok());
  wire.pump();
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventError 1000"});
  expectError(before, model::ErrorCode::RejectedByEndpoint, 17);
  EXPECT_EQ(field(before, "connId"), kMain.str());
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 1u);
  // The call is the agent's as before (and a second attempt may follow).
  callerRecorder.offerHook = nullptr;
  ASSERT_TRUE(control.releaseCall(party(kMain, 12)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, TheAgentHangingUpDuringTheHoldAbortsTheConsult) {
  auto session = answered();
  callerRecorder.offerHook = [](InviteSession&, const Body&) {};  // never answers
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.initiateTransfer(initiate("1001", 17)).ok());
  wire.pump();
  phones.sessions[0]->end();
  wire.pump();
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1000", "EventError 1000"}));
  EXPECT_EQ(field(before, "connId"), kMain.str());
  expectError(before + 1, model::ErrorCode::InvalidCallState, 17);
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 1u);  // no consult call was made
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, TheCallerHangingUpAfterRefusingTheHoldEndsTheCall) {
  auto session = answered();
  callerRecorder.offerHook = [](InviteSession&, const Body&) {};  // never answers
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.initiateTransfer(initiate("1001", 17)).ok());
  wire.pump();
  // The caller's BYE answers the pending re-INVITE 487 first: the hold failed, then the call.
  session->end();
  wire.pump();
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventError 1000", "EventReleased 1000"}));
  expectError(before, model::ErrorCode::RejectedByEndpoint, 17);
  EXPECT_EQ(countOn("ccsip:BYE", *agentLeg()), 1u);
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, TheAgentsPhoneRefusingTheTargetsOfferReleasesTheConsult) {
  auto session = consultRinging();
  phones.recorder.offerHook = [](InviteSession& s, const Body&) { s.reject(488); };
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(targetLeg()->accept(sdp(kTargetSdp)));
  wire.pump();
  // The target's 2xx is ACKed and BYEd (RFC 3261 13.2.2.4, 15).
  EXPECT_EQ(countOn("ccsip:ACK", *targetLeg()), 1u);
  EXPECT_EQ(countOn("ccsip:BYE", *targetLeg()), 1u);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1000"}));
  EXPECT_EQ(field(before + 1, "cause"), "error-488");
  // The phone kept talking to the caller's media: a plain retrieve.
  phones.recorder.offerHook = [](InviteSession& s, const Body&) {
    if (s.state() == InviteSession::State::Confirmed) s.accept(sdp(kAgentSdp));
  };
  ASSERT_TRUE(control.retrieveCall(party(kMain, 15)).ok());
  wire.pump();
  EXPECT_EQ(directionOf(lastTo("ccsip:INVITE", kCallerPort)), Direction::SendRecv);
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, ACompleteTransferRefusedByTheTargetLeavesBothCallsAsTheyWere) {
  auto session = consultTalking();
  phones.recorder.offerHook = [](InviteSession& s, const Body&) { s.reject(488); };
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.completeTransfer(pair(kMain, kConsult, 18)).ok());
  wire.pump();
  // The caller offered; it gets its previous description back (still held) in the ACK.
  EXPECT_EQ(directionOf(lastTo("ccsip:ACK", kCallerPort)), Direction::SendOnly);
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventError 1000"});
  expectError(before, model::ErrorCode::RejectedByEndpoint, 18);
  EXPECT_NE(field(before, "errorMessage").find("CompleteTransfer"), std::string::npos);
  EXPECT_EQ(countOn("ccsip:BYE", *agentLeg()), 0u);
  // Still consulting: the agent goes back to the caller.
  phones.recorder.offerHook = [](InviteSession& s, const Body&) {
    if (s.state() == InviteSession::State::Confirmed) s.accept(sdp(kAgentSdp));
  };
  ASSERT_TRUE(control.reconnectCall(pair(kConsult, kMain, 26)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(ConsultFailureTest, RequestsInTheWrongStateAreRefusedAndTheCallsGoOn) {
  const int invalid = model::toInt(model::ErrorCode::InvalidCallState);
  auto session = ringing();
  // Not answered yet.
  EXPECT_EQ(codeOf(control.initiateTransfer(initiate("1001", 1))), invalid);
  ASSERT_TRUE(phones.last()->accept(sdp(kAgentSdp)));
  wire.pump();
  // otherDN: the caller itself, a routing point, thisDN.
  EXPECT_EQ(codeOf(control.initiateTransfer(initiate("5551234", 2))),
            model::toInt(model::ErrorCode::BadFieldValue));
  EXPECT_EQ(codeOf(control.initiateTransfer(initiate("5000", 3))),
            model::toInt(model::ErrorCode::NotSupported));
  EXPECT_EQ(codeOf(control.initiateTransfer(initiate("1000", 4))),
            model::toInt(model::ErrorCode::BadFieldValue));
  // No consult call: the pair requests have nothing to work on.
  EXPECT_EQ(codeOf(control.completeTransfer(pair(kMain, kMain, 5))), invalid);
  EXPECT_EQ(codeOf(control.alternateCall(pair(kMain, model::ConnId{9}, 6))),
            model::toInt(model::ErrorCode::UnknownCall));
  EXPECT_EQ(sink.events.back(), "EventEstablished 1000");

  ASSERT_TRUE(control.initiateTransfer(initiate("1001", 7)).ok());
  wire.pump();
  ASSERT_EQ(sink.events.back(), "EventRinging 1001");
  // The consult rings: it cannot be completed, alternated, held; the main call is held.
  const auto complete = control.completeTransfer(pair(kMain, kConsult, 8));
  EXPECT_EQ(codeOf(complete), invalid);
  EXPECT_NE(messageOf(complete).find("not answered yet"), std::string::npos);
  EXPECT_EQ(codeOf(control.alternateCall(pair(kConsult, kMain, 9))), invalid);
  EXPECT_EQ(codeOf(control.holdCall(party(kConsult, 10))), invalid);
  EXPECT_EQ(codeOf(control.holdCall(party(kMain, 11))), invalid);
  EXPECT_EQ(codeOf(control.retrieveCall(party(kMain, 12))), invalid);
  // One consult at a time, and no other transfer meanwhile.
  EXPECT_EQ(codeOf(control.initiateTransfer(initiate("5559999", 13))), invalid);
  EXPECT_EQ(codeOf(control.singleStepTransfer(
                TransferRequest{kMain, "1000", "5559999", model::ReferenceId(14)})),
            invalid);
  // Only the agent who consults completes; the target is no party of the main call.
  EXPECT_EQ(codeOf(control.completeTransfer(pair(kMain, kConsult, 15, "1001"))),
            model::toInt(model::ErrorCode::CallNotOnDn));
  EXPECT_EQ(sink.events.back(), "EventRinging 1001");  // nothing happened

  // The agent gives the consult up while it rings: CANCEL, EventAbandoned to 1001.
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.releaseCall(party(kConsult, 16)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1000", "EventAbandoned 1001"}));
  EXPECT_EQ(intField(before, "referenceId"), 16);
  ASSERT_TRUE(control.retrieveCall(party(kMain, 17)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  session->end();
  wire.pump();
  expectNothingLeft();
}

}  // namespace
}  // namespace ccsip::control::test
