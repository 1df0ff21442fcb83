// UDP reliability (RFC 3261 17): the server absorbs request retransmissions and re-sends its
// response; the INVITE server transaction retransmits a final response until the ACK.

#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;

class RetransmissionTest : public ServerTest {};

// SIPp drops 10 % of the messages it sends and receives; every call must still complete
// through retransmissions (client side) and absorption (server side, RFC 3261 17.2.2).
TEST_F(RetransmissionTest, OptionsCompleteUnderPacketLoss) {
  ASSERT_TRUE(startServer());
  SippOptions options;
  options.scenario = "options.xml";
  options.target = ccsip_.udpTarget();
  options.service = "1000";
  options.calls = 60;
  options.rate = 30;
  options.extraArgs = {"-lost", "10"};
  EXPECT_TRUE(sippPasses(options));
}

TEST_F(RetransmissionTest, RegisterCompletesUnderPacketLoss) {
  TestConfigOptions config;
  config.algorithms = "[MD5]";  // SIPp 3.6 answers MD5 only
  ASSERT_TRUE(startServer(config));
  SippOptions options;
  options.scenario = "register_auth.xml";
  options.target = ccsip_.udpTarget();
  options.service = "1001";
  options.authUser = "1001";
  options.authPassword = testPassword("1001");
  options.calls = 30;
  options.rate = 15;
  options.extraArgs = {"-lost", "10"};
  EXPECT_TRUE(sippPasses(options));
}

// A retransmitted non-INVITE request gets the stored response again (same To tag), not a
// second pass through the application (RFC 3261 17.2.2: Trying/Completed absorb it).
TEST_F(RetransmissionTest, RetransmittedOptionsGetsTheSameResponse) {
  ASSERT_TRUE(startServer());
  UdpSipSocket socket;
  TestRequest request;
  request.localPort = socket.localPort();
  request.callId = nextCallId("absorb");
  std::string bytes = buildRequest(request);
  ASSERT_TRUE(socket.sendTo(ccsip_.udpPort(), bytes));
  auto first = receiveFor(socket, request.callId, 10s);
  ASSERT_TRUE(first) << ccsip_.outputTail();
  ASSERT_EQ(statusOf(*first), 200) << *first;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(socket.sendTo(ccsip_.udpPort(), bytes));
    auto again = receiveFor(socket, request.callId, 10s);
    ASSERT_TRUE(again) << "retransmission " << i << " not answered";
    EXPECT_EQ(statusOf(*again), 200);
    EXPECT_EQ(headerOf(*again, "To"), headerOf(*first, "To")) << "a new To tag: not absorbed";
  }
}

// An INVITE the server refuses: the INVITE server transaction retransmits the final response
// (Timer G, starting at T1, doubling up to T2) until the ACK arrives (RFC 3261 17.2.1), answers
// a retransmitted INVITE with it, and stops once the ACK is in (Confirmed).
TEST_F(RetransmissionTest, InviteFinalResponseRetransmittedUntilAck) {
  TestConfigOptions config;
  config.t1Ms = 100;  // Timer G fires at 100, 200, 400, 400... ms
  config.t2Ms = 400;
  ASSERT_TRUE(startServer(config));
  UdpSipSocket socket;
  TestRequest invite;
  invite.method = "INVITE";
  invite.localPort = socket.localPort();
  invite.callId = nextCallId("invite-retrans");
  std::string inviteBytes = buildRequest(invite);
  ASSERT_TRUE(socket.sendTo(ccsip_.udpPort(), inviteBytes));

  auto receiveFinal = [&](std::chrono::milliseconds timeout) -> std::optional<std::string> {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto message = receiveFor(socket, invite.callId, 500ms);
      if (message && statusOf(*message) >= 200) return message;
    }
    return std::nullopt;
  };
  auto first = receiveFinal(10s);
  ASSERT_TRUE(first) << "no final response to INVITE\n" << ccsip_.outputTail();
  int status = statusOf(*first);
  ASSERT_GE(status, 300) << *first;  // nothing accepts an INVITE yet
  std::string to = headerOf(*first, "To");
  ASSERT_NE(to.find("tag="), std::string::npos) << *first;

  // No ACK: the same response comes again, by Timer G.
  auto retransmitted = receiveFinal(5s);
  ASSERT_TRUE(retransmitted) << "final response not retransmitted before the ACK";
  EXPECT_EQ(statusOf(*retransmitted), status);
  EXPECT_EQ(headerOf(*retransmitted, "To"), to);

  // A retransmitted INVITE is absorbed and answered with the same response.
  ASSERT_TRUE(socket.sendTo(ccsip_.udpPort(), inviteBytes));
  auto absorbed = receiveFinal(5s);
  ASSERT_TRUE(absorbed);
  EXPECT_EQ(headerOf(*absorbed, "To"), to);

  // RFC 3261 17.1.1.3: the ACK for a non-2xx has the INVITE's branch and the response's To.
  std::string branch = "z9hG4bK-" + tokenOf(invite.callId) + "-1";
  std::string ack =
      "ACK sip:1000@ccsip.test SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 127.0.0.1:" +
      std::to_string(socket.localPort()) + ";branch=" + branch +
      ";rport\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:itest@ccsip.test>;tag=itest-" +
      tokenOf(invite.callId) +
      "\r\n"
      "To: " +
      to +
      "\r\n"
      "Call-ID: " +
      invite.callId +
      "\r\n"
      "CSeq: 1 ACK\r\n"
      "Content-Length: 0\r\n\r\n";
  ASSERT_TRUE(socket.sendTo(ccsip_.udpPort(), ack));
  // One retransmission may already be on its way; after that, silence (Confirmed, Timer I).
  while (receiveFor(socket, invite.callId, 300ms)) {
  }
  auto late = receiveFor(socket, invite.callId, 1500ms);
  EXPECT_FALSE(late) << "response still retransmitted after the ACK:\n" << *late;
  EXPECT_TRUE(answersOptionsUdp());
}

}  // namespace
}  // namespace ccsip::itest
