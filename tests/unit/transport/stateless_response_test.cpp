#include "sip/transport/stateless_response.h"

#include <gtest/gtest.h>

#include <string>

namespace ccsip::sip::transport {
namespace {

const std::string kHead =
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK2\r\n"
    "v: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@example.com>\r\n"
    "f: <sip:alice@example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@10.0.0.1>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 100000\r\n"
    "\r\n";

TEST(StatelessResponse, CopiesTheHeadersA513Needs) {
  const auto response = buildTooLargeResponse(kHead, "abc123");
  ASSERT_TRUE(response);
  EXPECT_EQ(*response,
            "SIP/2.0 513 Message Too Large\r\n"
            "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK2\r\n"
            "v: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1;rport\r\n"
            "f: <sip:alice@example.com>;tag=1928301774\r\n"
            "To: Bob <sip:bob@example.com>;tag=abc123\r\n"
            "Call-ID: a84b4c76e66710@pc33\r\n"
            "CSeq: 314159 INVITE\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(StatelessResponse, KeepsAnExistingToTag) {
  std::string head = kHead;
  head.replace(head.find("To: Bob <sip:bob@example.com>"), 29,
               "t: <sip:bob@example.com> ; TAG = 8321234356");
  const auto response = buildStatelessResponse(head, 513, "Message Too Large", "new");
  ASSERT_TRUE(response);
  EXPECT_NE(response->find("t: <sip:bob@example.com> ; TAG = 8321234356\r\n"), std::string::npos);
  EXPECT_EQ(response->find("new"), std::string::npos);
}

TEST(StatelessResponse, TagInTheUriIsNotTheHeaderTag) {
  std::string head = kHead;
  head.replace(head.find("To: Bob <sip:bob@example.com>"), 29, "To: <sip:bob@example.com;tag=x>");
  const auto response = buildTooLargeResponse(head, "t1");
  ASSERT_TRUE(response);
  EXPECT_NE(response->find("To: <sip:bob@example.com;tag=x>;tag=t1\r\n"), std::string::npos);
}

TEST(StatelessResponse, KeepsFoldedHeaders) {
  std::string head = kHead;
  head.replace(head.find("CSeq: 314159 INVITE"), 19, "CSeq: 314159\r\n INVITE");
  const auto response = buildTooLargeResponse(head, "t");
  ASSERT_TRUE(response);
  EXPECT_NE(response->find("CSeq: 314159\r\n INVITE\r\n"), std::string::npos);
}

TEST(StatelessResponse, NoResponseToAResponseOrAnAck) {
  EXPECT_FALSE(buildTooLargeResponse(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h\r\nFrom: <sip:a@b>\r\nTo: <sip:c@d>\r\n"
      "Call-ID: x\r\nCSeq: 1 INVITE\r\n\r\n",
      "t"));
  std::string ack = kHead;
  ack.replace(0, 6, "ACK");
  EXPECT_FALSE(buildTooLargeResponse(ack, "t"));
}

TEST(StatelessResponse, NoResponseWithoutTheMandatoryHeaders) {
  for (const char* name : {"Call-ID: ", "CSeq: ", "f: ", "To: "}) {
    std::string head = kHead;
    const std::size_t at = head.find(std::string("\r\n") + name);
    ASSERT_NE(at, std::string::npos) << name;
    head.erase(at + 2, head.find("\r\n", at + 2) - at);
    EXPECT_FALSE(buildTooLargeResponse(head, "t")) << name;
  }
  EXPECT_FALSE(
      buildTooLargeResponse("INVITE sip:a@b SIP/2.0\r\nFrom: a\r\nTo: b\r\n"
                            "Call-ID: c\r\nCSeq: 1 INVITE\r\n\r\n",
                            "t"));  // no Via
}

TEST(StatelessResponse, IgnoresAHalfLineAtTheCut) {
  // A head cut at the size limit: the last, incomplete line is not a header.
  const std::string cut = kHead.substr(0, kHead.find("CSeq: 314159 INVITE") + 10);
  EXPECT_FALSE(buildTooLargeResponse(cut, "t"));
  const std::string cutAfterCseq = kHead.substr(0, kHead.find("Contact:") + 5);
  EXPECT_TRUE(buildTooLargeResponse(cutAfterCseq, "t"));
}

TEST(StatelessResponse, GarbageGivesNothing) {
  EXPECT_FALSE(buildTooLargeResponse("", "t"));
  EXPECT_FALSE(buildTooLargeResponse("\r\n\r\n", "t"));
  EXPECT_FALSE(buildTooLargeResponse(std::string(1000, ':'), "t"));
}

}  // namespace
}  // namespace ccsip::sip::transport
