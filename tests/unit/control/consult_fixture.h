#pragma once

// Consult transfers on the routed inbound call (docs/call-flows.md "InitiateTransfer /
// CompleteTransfer") over the in-memory B2BUA fixture: the agent 1000 answered the routed call
// (ConnId 1) and consults 1001 (the consult call is ConnId 2), both phones behind the switch
// (the agents' port). Every phone answers offers with its own description and offers it when
// asked; the caller's switch answers with the direction an answerer takes (RFC 3264 6.1).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inbound_call_fixture.h"
#include "sip/sdp.h"

namespace ccsip::control::test {

// The target phone's description (its offer in the 2xx to the INVITE without offer, its answer
// to a re-INVITE).
inline constexpr const char* kTargetSdp =
    "v=0\r\no=target 300 3 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

class ConsultFixture : public InboundCallFixture {
 protected:
  static constexpr model::ConnId kMain{1};
  static constexpr model::ConnId kConsult{2};

  ConsultFixture() {
    // The phones answer re-INVITEs at once; their first INVITE is the test's to answer.
    phones.recorder.offerHook = [this](InviteSession& s, const Body& offer) {
      if (s.state() != InviteSession::State::Confirmed) return;
      s.accept(sdp(answerTo(offer, &s == agentLeg() ? kAgentSdp : kTargetSdp)));
    };
    phones.recorder.offerRequiredHook = [this](InviteSession& s) {
      if (s.state() != InviteSession::State::Confirmed) return;
      s.accept(sdp(&s == agentLeg() ? kAgentSdp : kTargetSdp));
    };
    callerRecorder.offerHook = [](InviteSession& s, const Body& offer) {
      s.accept(sdp(answerTo(offer, kCallerSdp)));
    };
    callerRecorder.offerRequiredHook = [](InviteSession& s) { s.accept(sdp(kCallerSdp)); };
  }

  // `description` with the direction an answerer of `offer` takes (RFC 3264 6.1).
  static std::string answerTo(const Body& offer, std::string description) {
    auto parsed = sip::sdp::parseSdp(offer.content);
    sip::sdp::Direction direction = sip::sdp::Direction::SendRecv;
    if (parsed && !parsed->media.empty()) {
      direction =
          sip::sdp::answerDirection(sip::sdp::effectiveDirection(*parsed, parsed->media.front()));
    }
    const std::string line = "a=" + std::string(sip::sdp::directionName(direction)) + "\r\n";
    if (auto at = description.find("a=sendrecv\r\n"); at != std::string::npos) {
      description.replace(at, 12, line);
    } else {
      description += line;
    }
    return description;
  }

  InviteSession* agentLeg() const {
    return phones.sessions.empty() ? nullptr : phones.sessions[0].get();
  }
  std::shared_ptr<InviteSession> targetLeg() const {
    return phones.sessions.size() < 2 ? nullptr : phones.sessions[1];
  }

  static InitiateTransferRequest initiate(std::string otherDn, std::int64_t reference,
                                          std::string dn = "1000") {
    return InitiateTransferRequest{
        kMain, std::move(dn), std::move(otherDn), {}, model::ReferenceId(reference)};
  }
  static CallPairRequest pair(model::ConnId connId, model::ConnId other, std::int64_t reference,
                              std::string dn = "1000") {
    return CallPairRequest{connId, other, std::move(dn), model::ReferenceId(reference)};
  }
  static PartyRequest party(model::ConnId connId, std::int64_t reference, std::string dn = "1000") {
    return PartyRequest{connId, std::move(dn), model::ReferenceId(reference)};
  }

  // answered(), then InitiateTransfer to 1001 (ref 17): the caller is held and 1001 rings.
  std::shared_ptr<InviteSession> consultRinging() {
    auto session = answered();
    EXPECT_TRUE(control.initiateTransfer(initiate("1001", 17)).ok());
    wire.pump();
    EXPECT_NE(targetLeg(), nullptr);
    return session;
  }
  // consultRinging(), then 1001 answers: the agent talks to it.
  std::shared_ptr<InviteSession> consultTalking() {
    auto session = consultRinging();
    if (targetLeg() != nullptr) {
      EXPECT_TRUE(targetLeg()->accept(sdp(kTargetSdp)));
    }
    wire.pump();
    return session;
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
  static std::string messageOf(const model::Status& status) {
    return status ? std::string() : status.error().message;
  }
  static sip::sdp::SessionDescription sdpOf(const Message& message) {
    auto parsed = sip::sdp::parseSdp(message.body());
    EXPECT_TRUE(parsed.ok()) << message.body();
    return parsed ? *parsed : sip::sdp::SessionDescription{};
  }
  static sip::sdp::Direction directionOf(const Message& message) {
    const auto sdp = sdpOf(message);
    if (sdp.media.empty()) return sip::sdp::Direction::Inactive;
    return sip::sdp::effectiveDirection(sdp, sdp.media.front());
  }
  // The last `entry` ("ccsip:INVITE", "ccsip:ACK", ...) sent on the dialog of `session`.
  Message lastOn(std::string_view entry, const InviteSession& session) const {
    for (std::size_t i = wire.log.size(); i-- > 0;) {
      if (wire.log[i] != entry) continue;
      Message message = wire.packets[i].parse();
      if (message.callId() == session.callId()) return message;
    }
    ADD_FAILURE() << "no " << entry << " on " << session.callId();
    return Message{};
  }
  std::size_t countOn(std::string_view entry, const InviteSession& session) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < wire.log.size(); ++i) {
      if (wire.log[i] == entry && wire.packets[i].parse().callId() == session.callId()) ++n;
    }
    return n;
  }
  const model::Party* partyOf(model::ConnId id, std::string_view dn) const {
    const model::Call* call = model.findCall(id);
    return call == nullptr ? nullptr : call->findParty(dn);
  }
};

}  // namespace ccsip::control::test
