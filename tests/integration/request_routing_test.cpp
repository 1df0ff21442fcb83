// What the application answers to out-of-dialog requests it does not serve (see
// src/app/request_router.h for the reasons, RFC by RFC).

#include <gmock/gmock.h>

#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class RequestRoutingTest : public ServerTest {
 protected:
  // The final response to one request over UDP ("" when none came).
  std::string finalResponse(const std::string& method, const std::string& extraHeaders = "") {
    UdpSipSocket socket;
    TestRequest request;
    request.method = method;
    request.localPort = socket.localPort();
    request.callId = nextCallId("route-" + method);
    request.extraHeaders = extraHeaders;
    socket.sendTo(ccsip_.udpPort(), buildRequest(request));
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto message = receiveFor(socket, request.callId, 1s);
      if (message && statusOf(*message) >= 200) return *message;
    }
    return "";
  }
};

TEST_F(RequestRoutingTest, UnservedRequestsGetTheirRfcAnswer) {
  ASSERT_TRUE(startServer());
  // An INVITE from no switch is a phone's: without credentials it is challenged (RFC 3261
  // 22.2, docs/call-flows.md "Phones registered on ccsip").
  EXPECT_EQ(statusOf(finalResponse("INVITE")), 401);
  // No event package served: 489 Bad Event (RFC 6665 4.2.1.2).
  EXPECT_EQ(statusOf(finalResponse("SUBSCRIBE", "Event: presence\r\nExpires: 60\r\n")), 489);
  // A NOTIFY that matches no subscription: 481 (RFC 6665 4.1.3).
  EXPECT_EQ(statusOf(finalResponse("NOTIFY",
                                   "Event: presence\r\n"
                                   "Subscription-State: active;expires=60\r\n")),
            481);
  // BYE outside a dialog: 481 (RFC 3261 15.1.2).
  EXPECT_EQ(statusOf(finalResponse("BYE")), 481);
  // Understood, not served here: 405 with Allow (RFC 3261 8.2.1, 20.5).
  std::string refer = finalResponse("REFER", "Refer-To: <sip:1001@ccsip.test>\r\n");
  EXPECT_EQ(statusOf(refer), 405) << refer;
  EXPECT_THAT(headerOf(refer, "Allow"), HasSubstr("REGISTER"));
  std::string message = finalResponse("MESSAGE", "Content-Type: text/plain\r\n");
  EXPECT_EQ(statusOf(message), 405) << message;
  EXPECT_FALSE(headerOf(message, "Allow").empty());
  // Every final answer carries a To tag (RFC 3261 8.2.6.2).
  EXPECT_THAT(headerOf(refer, "To"), HasSubstr(";tag="));
  EXPECT_TRUE(answersOptionsUdp());
}

TEST_F(RequestRoutingTest, OptionsAdvertisesCapabilities) {
  ASSERT_TRUE(startServer());
  std::string options = finalResponse("OPTIONS");
  ASSERT_EQ(statusOf(options), 200) << options;
  EXPECT_THAT(headerOf(options, "Allow"), HasSubstr("REGISTER"));
  EXPECT_THAT(headerOf(options, "Allow"), HasSubstr("OPTIONS"));
  EXPECT_THAT(headerOf(options, "Server"), HasSubstr("ccsip/"));
}

// The registrar follows the configuration: with only SHA-256 configured, the challenge offers
// only SHA-256, for the configured realm.
TEST_F(RequestRoutingTest, ChallengeFollowsRegistrarConfig) {
  TestConfigOptions config;
  config.algorithms = "[SHA-256]";
  ASSERT_TRUE(startServer(config));
  UdpSipSocket socket;
  TestRequest request;
  request.method = "REGISTER";
  request.localPort = socket.localPort();
  request.callId = nextCallId("challenge");
  std::string bytes = buildRequest(request);
  // REGISTER's Request-URI is the domain (RFC 3261 10.2), not a user.
  bytes.replace(0, bytes.find(" SIP/2.0"), "REGISTER sip:ccsip.test");
  socket.sendTo(ccsip_.udpPort(), bytes);
  auto response = receiveFor(socket, request.callId, 10s);
  ASSERT_TRUE(response) << ccsip_.outputTail();
  ASSERT_EQ(statusOf(*response), 401) << *response;
  std::string challenge = headerOf(*response, "WWW-Authenticate");
  EXPECT_THAT(challenge, HasSubstr("algorithm=SHA-256"));
  EXPECT_THAT(challenge, HasSubstr("realm=\"ccsip.test\""));
  EXPECT_EQ(response->find("algorithm=MD5"), std::string::npos) << *response;
}

}  // namespace
}  // namespace ccsip::itest
