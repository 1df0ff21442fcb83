#include "control/leg_sdp.h"

#include <gtest/gtest.h>

#include <string>

namespace ccsip::control {
namespace {

using sip::dialog::Body;
using sip::sdp::Direction;

constexpr const char* kSdp =
    "v=0\r\no=agent 200 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 20000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

Body sdpBody(std::string text) {
  return Body{"application/sdp", std::move(text)};
}

sip::sdp::SessionDescription parsed(const Body& body) {
  auto sdp = sip::sdp::parseSdp(body.content);
  EXPECT_TRUE(sdp.ok()) << body.content;
  return sdp ? *sdp : sip::sdp::SessionDescription{};
}

TEST(LegSdp, HoldOfferIsTheLastSdpSendOnlyWithTheNextVersion) {
  const auto hold = withDirection(sdpBody(kSdp), Direction::SendOnly);
  ASSERT_TRUE(hold.has_value());
  const auto sdp = parsed(*hold);
  EXPECT_EQ(sdp.origin.username, "agent");
  EXPECT_EQ(sdp.origin.sessionId, "200");
  EXPECT_EQ(sdp.origin.sessionVersion, 8u);
  EXPECT_EQ(sip::sdp::effectiveDirection(sdp, sdp.media.front()), Direction::SendOnly);
  EXPECT_NE(hold->content.find("a=sendonly\r\n"), std::string::npos);
  const auto back = withDirection(*hold, Direction::SendRecv);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(parsed(*back).origin.sessionVersion, 9u);
  EXPECT_NE(back->content.find("a=sendrecv\r\n"), std::string::npos);
}

TEST(LegSdp, NonSdpBodiesHaveNoHoldOfferAndPassUnchanged) {
  EXPECT_FALSE(withDirection(Body{"application/sdp", "garbage"}, Direction::SendOnly));
  EXPECT_FALSE(withDirection(Body{"text/plain", kSdp}, Direction::SendOnly));
  const Body text{"text/plain", "hello"};
  EXPECT_EQ(continueSession(sdpBody(kSdp), text).content, "hello");
  EXPECT_EQ(continueSession(text, sdpBody(kSdp)).content, kSdp);
  EXPECT_EQ(keepOnHold(text).content, "hello");
}

TEST(LegSdp, RelayedSdpContinuesTheLegsOriginLine) {
  // The other leg's peer started a new session (another o= line): the leg keeps its own.
  std::string other = kSdp;
  other.replace(other.find("o=agent 200 7"), 13, "o=other 9 1");
  other.replace(other.find("20000"), 5, "30000");
  const auto next = parsed(continueSession(sdpBody(kSdp), sdpBody(other)));
  EXPECT_EQ(next.origin.username, "agent");
  EXPECT_EQ(next.origin.sessionId, "200");
  EXPECT_EQ(next.origin.sessionVersion, 8u);
  EXPECT_EQ(next.media.front().port, 30000);
  // The same description again keeps its version (RFC 3264 8).
  std::string same = kSdp;
  same.replace(same.find("o=agent 200 7"), 13, "o=agent 200 9");
  EXPECT_EQ(parsed(continueSession(sdpBody(kSdp), sdpBody(same))).origin.sessionVersion, 7u);
}

TEST(LegSdp, KeepOnHoldTurnsSendingIntoSendOnly) {
  std::string offer = kSdp;
  offer += "m=video 0 RTP/AVP 96\r\nm=audio 20002 RTP/AVP 0\r\na=recvonly\r\n";
  const auto held = parsed(keepOnHold(sdpBody(offer)));
  ASSERT_EQ(held.media.size(), 3u);
  EXPECT_EQ(sip::sdp::effectiveDirection(held, held.media[0]), Direction::SendOnly);
  EXPECT_EQ(sip::sdp::effectiveDirection(held, held.media[2]), Direction::Inactive);
  EXPECT_TRUE(sip::sdp::isOnHold(held));
}

}  // namespace
}  // namespace ccsip::control
