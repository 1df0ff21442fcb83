#include "sip/serializer.h"

#include <gtest/gtest.h>

#include <string>

#include "sip/parser.h"

namespace ccsip::sip {
namespace {

constexpr std::string_view kRequest =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-p1, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1;"
    "rport=5060;received=192.0.2.1\r\n"
    "Record-Route: <sip:proxy.example.com;lr>\r\n"
    "Max-Forwards: 69\r\n"
    "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=a1\r\n"
    "To: <sip:bob@biloxi.example.com>\r\n"
    "Call-ID: call-1@192.0.2.1\r\n"
    "CSeq: 7 INVITE\r\n"
    "Timestamp: 54\r\n"
    "Contact: <sip:alice@192.0.2.1>\r\n"
    "Allow: INVITE, ACK, BYE\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

TEST(SerializerTest, WritesStartLineHeadersAndBody) {
  Message m = Message::makeRequest(Method::Options, "sip:a@b");
  m.addHeader(HeaderId::Via, "SIP/2.0/UDP h;branch=z9hG4bK1");
  m.addHeader(HeaderId::CallId, "x");
  m.addHeader(HeaderId::Allow, "INVITE, ACK");
  m.setBody("text/plain", "hi");
  EXPECT_EQ(toString(m),
            "OPTIONS sip:a@b SIP/2.0\r\n"
            "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
            "Call-ID: x\r\n"
            "Allow: INVITE, ACK\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Length: 2\r\n"
            "\r\n"
            "hi");
  Message r = Message::makeResponse(404, "");
  EXPECT_EQ(toString(r), "SIP/2.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}

TEST(SerializerTest, ReusesBufferAndWritesContentLengthFromBody) {
  auto parsed = parseMessage(std::string(kRequest));
  ASSERT_TRUE(parsed.ok());
  Message m = std::move(parsed.message);
  m.setBody("text/plain", "longer body");
  std::string out = "garbage";
  out.clear();
  serialize(m, out);
  EXPECT_NE(out.find("Content-Length: 11\r\n\r\nlonger body"), std::string::npos);
  EXPECT_EQ(out.find("Content-Length: 5"), std::string::npos);
}

TEST(SerializerTest, RoundTripPreservesEveryHeader) {
  auto first = parseMessage(std::string(kRequest));
  ASSERT_TRUE(first.ok());
  std::string wire = toString(first.message);
  auto second = parseMessage(wire);
  ASSERT_TRUE(second.ok()) << second.error->reason;
  auto a = first.message.headers();
  auto b = second.message.headers();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].value, b[i].value);
    EXPECT_EQ(a[i].sameLine, b[i].sameLine);
  }
  EXPECT_EQ(second.message.body(), "hello");
  EXPECT_EQ(toString(second.message), wire);  // a fixed point
}

TEST(SerializerTest, JoinsOnlyValuesThatSharedALine) {
  auto parsed = parseMessage(std::string(kRequest));
  ASSERT_TRUE(parsed.ok());
  Message m = std::move(parsed.message);
  m.removeFirstHeader(HeaderId::Via);
  std::string wire = toString(m);
  EXPECT_NE(wire.find("\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1;"), std::string::npos);
  EXPECT_NE(wire.find("\r\nAllow: INVITE, ACK, BYE\r\n"), std::string::npos);
}

TEST(SerializerTest, MakeResponseCopiesTheRightHeaders) {
  auto parsed = parseMessage(std::string(kRequest));
  ASSERT_TRUE(parsed.ok());
  const Message& req = parsed.message;
  Message ringing = makeResponse(req, 180, "", "b7", true);
  EXPECT_EQ(ringing.statusCode(), 180);
  EXPECT_EQ(ringing.reasonPhrase(), "Ringing");
  ASSERT_EQ(ringing.vias().size(), 2u);
  EXPECT_EQ(ringing.vias()[1].received, "192.0.2.1");
  EXPECT_EQ(ringing.to().tag, "b7");
  EXPECT_EQ(ringing.from().tag, "a1");
  EXPECT_EQ(ringing.callId(), "call-1@192.0.2.1");
  EXPECT_EQ(ringing.cseq().number, 7u);
  EXPECT_EQ(ringing.cseq().method, Method::Invite);
  EXPECT_EQ(ringing.recordRoutes().size(), 1u);
  EXPECT_EQ(ringing.findHeader(HeaderId::Contact), nullptr);
  EXPECT_EQ(ringing.findHeader(HeaderId::Timestamp), nullptr);
  EXPECT_EQ(ringing.findHeader(HeaderId::Allow), nullptr);

  Message trying = makeResponse(req, 100, "Trying");
  EXPECT_EQ(trying.to().tag, "");
  EXPECT_EQ(trying.headerValue(HeaderId::Timestamp), "54");  // RFC 3261 8.2.6.1
  EXPECT_EQ(trying.findHeader(HeaderId::RecordRoute), nullptr);

  std::string wire = toString(ringing);
  EXPECT_EQ(wire.rfind(
                "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-p1, ", 0),
            0u);
  auto again = parseMessage(wire);
  EXPECT_TRUE(again.ok()) << again.error->reason;
}

TEST(SerializerTest, ResponseSurvivesTheRequest) {
  Message response;
  {
    auto parsed = parseMessage(std::string(kRequest));
    response = makeResponse(parsed.message, 200, "OK", "tt");
  }
  EXPECT_EQ(response.to().tag, "tt");
  EXPECT_EQ(response.topVia()->branch, "z9hG4bK-p1");
  EXPECT_EQ(response.callId(), "call-1@192.0.2.1");
}

TEST(SerializerTest, ExistingToTagIsKept) {
  std::string req(kRequest);
  req.replace(req.find("<sip:bob@biloxi.example.com>\r\n"), 30,
              "<sip:bob@biloxi.example.com>;tag=old\r\n");
  auto parsed = parseMessage(req);
  ASSERT_TRUE(parsed.ok()) << parsed.error->reason;
  Message r = makeResponse(parsed.message, 200, "OK", "new");
  EXPECT_EQ(r.to().tag, "old");
}

TEST(SerializerTest, BadRequestForMalformedRequest) {
  // A 400 can be built for a request whose To is broken (RFC 4475 3.1.2.6 quotbal).
  auto parsed = parseMessage(std::string(
      "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
      "To: \"Mr. J. User <sip:j.user@example.com>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n"));
  ASSERT_FALSE(parsed.ok());
  ASSERT_TRUE(parsed.message.canBuildResponse());
  Message r = makeResponse(parsed.message, 400, parsed.error->reason, "t");
  EXPECT_EQ(r.reasonPhrase(), "Malformed To");
  EXPECT_NE(toString(r).find("To: \"Mr. J. User <sip:j.user@example.com>;tag=t\r\n"),
            std::string::npos);
}

TEST(SerializerTest, DefaultReasonPhrases) {
  EXPECT_EQ(defaultReasonPhrase(200), "OK");
  EXPECT_EQ(defaultReasonPhrase(481), "Call/Transaction Does Not Exist");
  EXPECT_EQ(defaultReasonPhrase(505), "Version Not Supported");
  EXPECT_EQ(defaultReasonPhrase(499), "");
}

}  // namespace
}  // namespace ccsip::sip
