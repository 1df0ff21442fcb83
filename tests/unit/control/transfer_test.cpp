// SingleStepTransfer and RedirectCall on the routed inbound call (docs/call-flows.md
// "SingleStepTransfer", "RedirectCall"), over in-memory SIP wires: the target is dialled on
// the switch like any agent (the agents' port), without offer; the caller is re-INVITEd with the
// target's offer and the target's ACK carries the caller's answer.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inbound_call_fixture.h"
#include "sip/sdp.h"

namespace ccsip::control::test {
namespace {

// The target phone's offer (in its 2xx to the INVITE without offer).
constexpr const char* kTargetSdp =
    "v=0\r\no=target 300 3 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
// The caller's answer to it.
constexpr const char* kCallerAnswerSdp =
    "v=0\r\no=caller 100 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 10000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

class TransferTest : public InboundCallFixture {
 protected:
  TransferRequest transfer(std::string otherDn, std::int64_t reference, std::string dn = "1000") {
    return TransferRequest{model::ConnId{1}, std::move(dn), std::move(otherDn),
                           model::ReferenceId(reference)};
  }
  std::vector<std::string> eventsAfter(std::size_t first) const {
    return {sink.events.begin() + static_cast<std::ptrdiff_t>(std::min(first, sink.events.size())),
            sink.events.end()};
  }
  std::int64_t intField(std::size_t index, std::string_view key) const {
    if (index >= sink.all.size()) return -1;
    const auto* value = sink.all[index].fields.if_contains(key);
    return value != nullptr && value->is_int64() ? value->as_int64() : -1;
  }
  static int codeOf(const model::Status& status) { return status ? 0 : status.error().code; }
  static sip::sdp::SessionDescription sdpOf(const Message& message) {
    auto parsed = sip::sdp::parseSdp(message.body());
    EXPECT_TRUE(parsed.ok()) << message.body();
    return parsed ? *parsed : sip::sdp::SessionDescription{};
  }
  // The caller's switch answers every re-INVITE offer with `answer`.
  void callerAnswers(std::string answer = kCallerAnswerSdp) {
    callerRecorder.offerHook = [answer](InviteSession& s, const Body&) { s.accept(sdp(answer)); };
  }
  // The target's leg (the second session the switch got for the agents' phones).
  std::shared_ptr<InviteSession> targetLeg() const {
    return phones.sessions.size() < 2 ? nullptr : phones.sessions[1];
  }
  std::size_t partiesOfTheCall() const {
    const model::Call* call = model.findCall(model::ConnId{1});
    return call == nullptr ? 0 : call->parties.size();
  }
};

// --- SingleStepTransfer

TEST_F(TransferTest, SingleStepTransferConnectsTheCallerToTheTargetAndReleasesTheAgent) {
  callerAnswers();
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.singleStepTransfer(transfer("1001", 19)).ok());
  wire.pump();
  // The target is called on the switch without offer (it offers in its 2xx).
  ASSERT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  const Message invite = lastTo("ccsip:INVITE", kAgentPort);
  EXPECT_EQ(invite.requestUri().user, "1001");
  EXPECT_TRUE(invite.body().empty());
  EXPECT_EQ(invite.from().uri.user, "5551234");  // the target's phone shows the caller
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventRinging 1001"});
  EXPECT_EQ(field(before, "thirdPartyDN"), "1000");
  EXPECT_EQ(field(before, "otherDN"), "5551234");
  // Meanwhile the agent still talks with the caller: nothing was sent on their legs.
  EXPECT_EQ(countTo("ccsip:INVITE", kCallerPort), 0u);
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 0u);

  ASSERT_NE(targetLeg(), nullptr);
  ASSERT_TRUE(targetLeg()->accept(sdp(kTargetSdp)));
  wire.pump();
  // RFC 3264 8: the target's offer reaches the caller as the next version of ccsip's session
  // with it (the o= line it got first, from the agent's answer).
  ASSERT_EQ(countTo("ccsip:INVITE", kCallerPort), 1u);
  const auto offer = sdpOf(lastTo("ccsip:INVITE", kCallerPort));
  EXPECT_EQ(offer.origin.username, "agent");
  EXPECT_EQ(offer.origin.sessionVersion, 8u);
  EXPECT_EQ(offer.media.front().port, 30000);
  // The caller's answer completes the target's 2xx; the agent leg gets BYE.
  const Message ack = lastTo("ccsip:ACK", kAgentPort);
  EXPECT_EQ(ack.callId(), targetLeg()->callId());
  EXPECT_NE(ack.body().find("m=audio 10000"), std::string::npos);
  EXPECT_EQ(targetLeg()->state(), InviteSession::State::Confirmed);
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(phones.sessions[0]->state(), InviteSession::State::Terminated);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventRinging 1001", "EventEstablished 1001",
                                      "EventReleased 1000"}));
  EXPECT_EQ(field(before + 2, "cause"), "transferred");
  EXPECT_EQ(field(before + 2, "thirdPartyDN"), "1001");
  EXPECT_EQ(intField(before + 2, "referenceId"), 19);
  EXPECT_EQ(partiesOfTheCall(), 2u);

  // The target is now the call's agent: its BYE ends the call.
  targetLeg()->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kCallerPort), 1u);
  EXPECT_EQ(sink.events.back(), "EventReleased 1001");
  expectNothingLeft();
}

TEST_F(TransferTest, TheTransferredCallKeepsWorkingHoldAndReleaseGoToTheTarget) {
  callerAnswers();
  auto session = answered();
  ASSERT_TRUE(control.singleStepTransfer(transfer("1001", 1)).ok());
  wire.pump();
  ASSERT_NE(targetLeg(), nullptr);
  ASSERT_TRUE(targetLeg()->accept(sdp(kTargetSdp)));
  wire.pump();
  // The new agent holds the caller: the hold offer continues the caller leg's session.
  ASSERT_TRUE(control.holdCall(PartyRequest{model::ConnId{1}, "1001", model::ReferenceId(2)}).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:INVITE", kCallerPort), 2u);
  EXPECT_EQ(sdpOf(lastTo("ccsip:INVITE", kCallerPort)).origin.sessionVersion, 9u);
  EXPECT_EQ(sink.events.back(), "EventHeld 1001");
  // The agent who left has nothing to say any more.
  EXPECT_EQ(codeOf(control.releaseCall(PartyRequest{model::ConnId{1}, "1000", {}})),
            model::toInt(model::ErrorCode::CallNotOnDn));
  ASSERT_TRUE(control.releaseCall(PartyRequest{model::ConnId{1}, "1001", {}}).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1001");
  expectNothingLeft();
}

TEST_F(TransferTest, ABusyTargetLeavesTheCallWithTheAgent) {
  callerAnswers();
  auto session = answered();
  phones.newSessionHook = [](InviteSession& s, const Message&) { s.reject(486); };
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.singleStepTransfer(transfer("1001", 21)).ok());
  wire.pump();
  EXPECT_EQ(eventsAfter(before), std::vector<std::string>{"EventError 1000"});
  EXPECT_EQ(intField(before, "errorCode"), model::toInt(model::ErrorCode::DnBusy));
  EXPECT_EQ(intField(before, "referenceId"), 21);
  EXPECT_NE(field(before, "errorMessage").find("1001 is busy"), std::string::npos);
  EXPECT_EQ(countTo("ccsip:INVITE", kCallerPort), 0u);
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 0u);
  EXPECT_EQ(partiesOfTheCall(), 2u);
  // Still the agent's call: a second attempt may follow, and the agent may hang up.
  phones.newSessionHook = [](InviteSession& s, const Message&) { s.reject(603); };
  ASSERT_TRUE(control.singleStepTransfer(transfer("5559999", 22)).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventError 1000");
  EXPECT_EQ(intField(sink.all.size() - 1, "errorCode"),
            model::toInt(model::ErrorCode::RejectedByEndpoint));
  phones.sessions[0]->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(TransferTest, ATargetThatDoesNotAnswerIsCancelledAndTheAgentKeepsTheCall) {
  callerAnswers();
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.singleStepTransfer(transfer("1001", 23)).ok());
  run(std::chrono::seconds(6));  // 1001's no-answer-timeout is 5 s
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(
      eventsAfter(before),
      (std::vector<std::string>{"EventRinging 1001", "EventReleased 1001", "EventError 1000"}));
  EXPECT_EQ(field(before + 1, "cause"), "no-answer");
  EXPECT_EQ(intField(before + 2, "errorCode"), model::toInt(model::ErrorCode::RejectedByEndpoint));
  EXPECT_EQ(intField(before + 2, "referenceId"), 23);
  EXPECT_EQ(partiesOfTheCall(), 2u);
  session->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(TransferTest, ACallerThatRefusesTheTargetsOfferKeepsTalkingToTheAgent) {
  callerRecorder.offerHook = [](InviteSession& s, const Body&) { s.reject(488); };
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.singleStepTransfer(transfer("1001", 24)).ok());
  wire.pump();
  ASSERT_NE(targetLeg(), nullptr);
  ASSERT_TRUE(targetLeg()->accept(sdp(kTargetSdp)));
  wire.pump();
  // The target's 2xx is ACKed and BYEd (RFC 3261 13.2.2.4, 15); the agent leg is untouched.
  EXPECT_EQ(targetLeg()->state(), InviteSession::State::Terminated);
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(lastTo("ccsip:BYE", kAgentPort).callId(), targetLeg()->callId());
  EXPECT_EQ(phones.sessions[0]->state(), InviteSession::State::Confirmed);
  EXPECT_EQ(
      eventsAfter(before),
      (std::vector<std::string>{"EventRinging 1001", "EventReleased 1001", "EventError 1000"}));
  EXPECT_EQ(intField(before + 2, "referenceId"), 24);
  EXPECT_NE(field(before + 2, "errorMessage").find("488"), std::string::npos);
  session->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(TransferTest, TheCallerHangingUpWhileTheTargetRingsCancelsTheTarget) {
  auto session = answered();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.singleStepTransfer(transfer("1001", 25)).ok());
  wire.pump();
  session->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kAgentPort), 1u);
  EXPECT_EQ(
      eventsAfter(before),
      (std::vector<std::string>{"EventRinging 1001", "EventReleased 1001", "EventReleased 1000"}));
  expectNothingLeft();
}

TEST_F(TransferTest, ReleaseCallWhileTheTargetRingsReleasesEveryone) {
  auto session = answered();
  ASSERT_TRUE(control.singleStepTransfer(transfer("1001", 25)).ok());
  wire.pump();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.releaseCall(PartyRequest{model::ConnId{1}, "1000", {}}).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1000", "EventReleased 1001"}));
  expectNothingLeft();
}

TEST_F(TransferTest, SingleStepTransferRequestsInTheWrongStateAreRefused) {
  auto session = ringing();
  // Not answered yet: RedirectCall is the request for a ringing call.
  EXPECT_EQ(codeOf(control.singleStepTransfer(transfer("1001", 1))),
            model::toInt(model::ErrorCode::InvalidCallState));
  ASSERT_TRUE(phones.last()->accept(sdp(kAgentSdp)));
  wire.pump();
  EXPECT_EQ(codeOf(control.singleStepTransfer(transfer("1000", 2))),
            model::toInt(model::ErrorCode::BadFieldValue));
  EXPECT_EQ(codeOf(control.singleStepTransfer(transfer("10<01>", 3))),
            model::toInt(model::ErrorCode::BadFieldValue));
  EXPECT_EQ(codeOf(control.singleStepTransfer(transfer("8000", 4))),
            model::toInt(model::ErrorCode::NotSupported));
  EXPECT_EQ(codeOf(control.singleStepTransfer(transfer("5551234", 5))),
            model::toInt(model::ErrorCode::BadFieldValue));
  EXPECT_EQ(codeOf(control.singleStepTransfer(transfer("1001", 6, "1001"))),
            model::toInt(model::ErrorCode::CallNotOnDn));
  ASSERT_TRUE(control.singleStepTransfer(transfer("1001", 7)).ok());
  EXPECT_EQ(codeOf(control.singleStepTransfer(transfer("5559999", 8))),
            model::toInt(model::ErrorCode::OperationInProgress));
  // While the target rings, the agent may still release the call.
  session->end();
  wire.pump();
  expectNothingLeft();
}

// --- RedirectCall

TEST_F(TransferTest, RedirectCallMovesTheRingingCallToOtherDn) {
  auto session = ringing();
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control.redirectCall(transfer("1001", 16)).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  ASSERT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  const Message invite = lastTo("ccsip:INVITE", kAgentPort);
  EXPECT_EQ(invite.requestUri().user, "1001");
  EXPECT_NE(invite.body().find("m=audio 10000"), std::string::npos);  // the caller's offer
  EXPECT_EQ(eventsAfter(before),
            (std::vector<std::string>{"EventReleased 1000", "EventRinging 1001"}));
  EXPECT_EQ(field(before, "cause"), "redirected");
  EXPECT_EQ(field(before, "thirdPartyDN"), "1001");
  EXPECT_EQ(intField(before, "referenceId"), 16);
  EXPECT_EQ(field(before + 1, "thirdPartyDN"), "1000");
  ASSERT_NE(targetLeg(), nullptr);
  ASSERT_TRUE(targetLeg()->accept(sdp(kAgentSdp)));
  wire.pump();
  EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  EXPECT_EQ(sink.events.back(), "EventEstablished 1001");
  session->end();
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventReleased 1001");
  expectNothingLeft();
}

TEST_F(TransferTest, RedirectCallOfAnAnsweredCallIsRefused) {
  auto session = answered();
  EXPECT_EQ(codeOf(control.redirectCall(transfer("1001", 1))),
            model::toInt(model::ErrorCode::InvalidCallState));
  session->end();
  wire.pump();
  expectNothingLeft();
}

}  // namespace
}  // namespace ccsip::control::test
