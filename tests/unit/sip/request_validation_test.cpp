#include "sip/request_validation.h"

#include <gtest/gtest.h>

#include <string>

#include "sip/parser.h"

namespace ccsip::sip {
namespace {

// A well-formed OPTIONS; tests add or replace lines.
std::string request(const std::string& startLine, const std::string& extraHeaders,
                    const std::string& body = "") {
  std::string text = startLine + "\r\n";
  text +=
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:alice@example.com>;tag=a1\r\n"
      "To: <sip:bob@example.com>\r\n"
      "Call-ID: c1@192.0.2.1\r\n";
  text += extraHeaders;
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return text;
}

std::optional<Rejection> validate(const std::string& text, const ValidationPolicy& policy = {}) {
  ParseResult parsed = parseMessage(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error->reason << "\n" << text;
  return validateRequest(parsed.message, policy);
}

// The status a request is answered with, whether the parser or the validation refuses it;
// 0 when it goes on to be processed.
int answer(const std::string& text, const ValidationPolicy& policy = {}) {
  ParseResult parsed = parseMessage(text);
  if (!parsed.ok()) return parsed.error->status;
  auto r = validateRequest(parsed.message, policy);
  return r ? r->status : 0;
}

std::string headerOf(const Rejection& r, HeaderId id) {
  for (const auto& h : r.headers) {
    if (h.id == id) return h.value;
  }
  return "<none>";
}

const std::string kSdp =
    "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
    "m=audio 4000 RTP/AVP 0\r\n";

TEST(RequestValidationTest, AcceptsAnOrdinaryRequest) {
  EXPECT_FALSE(validate(request("OPTIONS sip:bob@example.com SIP/2.0", "CSeq: 1 OPTIONS\r\n")));
  EXPECT_FALSE(validate(request("INVITE sip:bob@example.com SIP/2.0",
                                "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n", kSdp)));
}

TEST(RequestValidationTest, UnsupportedMethodGets405WithAllow) {
  ValidationPolicy policy;
  policy.supportedMethods = {Method::Invite, Method::Ack, Method::Bye};
  auto r = validate(request("PUBLISH sip:bob@example.com SIP/2.0", "CSeq: 1 PUBLISH\r\n"), policy);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(headerOf(*r, HeaderId::Allow), "INVITE, ACK, BYE");
  // An extension method is never supported.
  r = validate(request("FOO sip:bob@example.com SIP/2.0", "CSeq: 1 FOO\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
}

TEST(RequestValidationTest, AckAndCancelAreNeverRefusedForTheirMethod) {
  ValidationPolicy policy;
  policy.supportedMethods = {Method::Invite};
  EXPECT_FALSE(validate(request("ACK sip:bob@example.com SIP/2.0", "CSeq: 1 ACK\r\n"), policy));
  EXPECT_FALSE(
      validate(request("CANCEL sip:bob@example.com SIP/2.0", "CSeq: 1 CANCEL\r\n"), policy));
}

TEST(RequestValidationTest, UnsupportedUriSchemeGets416) {
  auto r = validate(request("OPTIONS tel:+15551234 SIP/2.0", "CSeq: 1 OPTIONS\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 416);
  ValidationPolicy policy;
  policy.supportedUriSchemes.push_back("TEL");
  EXPECT_FALSE(validate(request("OPTIONS tel:+15551234 SIP/2.0", "CSeq: 1 OPTIONS\r\n"), policy));
  EXPECT_FALSE(validate(request("OPTIONS SIP:bob@example.com SIP/2.0", "CSeq: 1 OPTIONS\r\n")));
}

TEST(RequestValidationTest, UnknownRequireGets420ListingOnlyTheUnknownTags) {
  ValidationPolicy policy;
  policy.supportedOptionTags = {"timer"};
  auto r = validate(request("INVITE sip:bob@example.com SIP/2.0",
                            "CSeq: 1 INVITE\r\nRequire: timer, 100rel\r\nRequire: foo, 100rel\r\n"
                            "Proxy-Require: bar\r\n"),
                    policy);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 420);
  EXPECT_EQ(headerOf(*r, HeaderId::Unsupported), "100rel, foo");
}

TEST(RequestValidationTest, RequireIsIgnoredOnCancelAndAck) {
  EXPECT_FALSE(validate(
      request("CANCEL sip:bob@example.com SIP/2.0", "CSeq: 1 CANCEL\r\nRequire: foo\r\n")));
  EXPECT_FALSE(
      validate(request("ACK sip:bob@example.com SIP/2.0", "CSeq: 1 ACK\r\nRequire: foo\r\n")));
}

TEST(RequestValidationTest, ProxyRequireAloneIsIgnoredByAUas) {
  EXPECT_FALSE(validate(
      request("OPTIONS sip:bob@example.com SIP/2.0", "CSeq: 1 OPTIONS\r\nProxy-Require: x\r\n")));
}

TEST(RequestValidationTest, UnsupportedContentTypeGets415WithAccept) {
  ValidationPolicy policy;
  policy.acceptedContentTypes = {"application/sdp", "text/plain"};
  auto r = validate(request("MESSAGE sip:bob@example.com SIP/2.0",
                            "CSeq: 1 MESSAGE\r\nContent-Type: text/html\r\n", "<b>hi</b>"),
                    [&] {
                      ValidationPolicy p = policy;
                      p.supportedMethods.push_back(Method::Message);
                      return p;
                    }());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415);
  EXPECT_EQ(headerOf(*r, HeaderId::Accept), "application/sdp, text/plain");
  // Parameters and case do not matter.
  EXPECT_FALSE(validate(request("INVITE sip:bob@example.com SIP/2.0",
                                "CSeq: 1 INVITE\r\nContent-Type: Application/SDP ; x=1\r\n", kSdp),
                        policy));
}

TEST(RequestValidationTest, UnsupportedContentEncodingGets415WithAcceptEncoding) {
  auto r = validate(request("INVITE sip:bob@example.com SIP/2.0",
                            "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
                            "Content-Encoding: gzip\r\n",
                            kSdp));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415);
  EXPECT_EQ(headerOf(*r, HeaderId::AcceptEncoding), "identity");
  EXPECT_FALSE(validate(request("INVITE sip:bob@example.com SIP/2.0",
                                "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
                                "Content-Encoding: identity\r\n",
                                kSdp)));
}

TEST(RequestValidationTest, BodyWithoutContentTypeGets400) {
  auto r = validate(request("INVITE sip:bob@example.com SIP/2.0", "CSeq: 1 INVITE\r\n", kSdp));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST(RequestValidationTest, InviteWhoseAcceptExcludesSdpGets406) {
  auto r = validate(request("INVITE sip:bob@example.com SIP/2.0",
                            "CSeq: 1 INVITE\r\nAccept: text/nobodyKnowsThis\r\n"
                            "Content-Type: application/sdp\r\n",
                            kSdp));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 406);
  for (const char* accept :
       {"application/sdp", "application/*", "*/*", "text/plain, APPLICATION/SDP;q=0.5"}) {
    EXPECT_FALSE(validate(request("INVITE sip:bob@example.com SIP/2.0",
                                  std::string("CSeq: 1 INVITE\r\nAccept: ") + accept + "\r\n")))
        << accept;
  }
  // Only an INVITE needs a session description in its answer.
  EXPECT_FALSE(validate(request("OPTIONS sip:bob@example.com SIP/2.0",
                                "CSeq: 1 OPTIONS\r\nAccept: text/nobodyKnowsThis\r\n")));
}

TEST(RequestValidationTest, ZeroMaxForwardsGets483UnlessAnOptionsMayBeAnswered) {
  const std::string options =
      "OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-2\r\n"
      "Max-Forwards: 0\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: x\r\n"
      "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  auto r = validate(options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 483);
  ValidationPolicy policy;
  policy.answerOptionsWithZeroMaxForwards = true;
  EXPECT_FALSE(validate(options, policy));
  policy.rejectZeroMaxForwards = false;
  EXPECT_FALSE(validate(options, policy));
}

TEST(RequestValidationTest, MissingMandatoryHeaderGets400) {
  const std::string text =
      "BYE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-3\r\n"
      "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
  // The parser may already refuse a request without Call-ID; either way the answer is 400.
  EXPECT_EQ(answer(text), 400);
}

TEST(RequestValidationTest, NoMaxForwardsIsAcceptedForRfc2543Peers) {
  const std::string text =
      "OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
      "From: <sip:a@h>\r\nTo: <sip:b@h>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n";
  EXPECT_FALSE(validate(text));
}

TEST(RequestValidationTest, CSeqMethodMismatchGets400EvenForUnknownMethods) {
  EXPECT_EQ(answer(request("OPTIONS sip:bob@example.com SIP/2.0", "CSeq: 1 INVITE\r\n")), 400);
  // Not 405 or 501 (RFC 4475 3.1.2.18 mismatch02).
  EXPECT_EQ(answer(request("NEWMETHOD sip:bob@example.com SIP/2.0", "CSeq: 1 INVITE\r\n")), 400);
}

TEST(RequestValidationTest, RepeatedSingleValueHeadersGet400) {
  for (const char* extra :
       {"CSeq: 1 OPTIONS\r\nCSeq: 2 OPTIONS\r\n", "CSeq: 1 OPTIONS\r\nCall-ID: other\r\n",
        "CSeq: 1 OPTIONS\r\nTo: <sip:carol@example.com>\r\n",
        "CSeq: 1 OPTIONS\r\nMax-Forwards: 5\r\n"}) {
    EXPECT_EQ(answer(request("OPTIONS sip:bob@example.com SIP/2.0", extra)), 400) << extra;
  }
}

TEST(RequestValidationTest, DuplicateTagGets400) {
  const std::string text =
      "OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-4\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:a@h>;tag=1;tag=2\r\nTo: <sip:b@h>\r\nCall-ID: x\r\n"
      "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  EXPECT_EQ(answer(text), 400);
}

TEST(RequestValidationTest, ResponsesAreNotInspected) {
  const std::string text =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-5\r\nFrom: <sip:a@h>;tag=1\r\n"
      "To: <sip:b@h>;tag=2\r\nCall-ID: x\r\nCSeq: 1 FOO\r\nContent-Length: 0\r\n\r\n";
  ParseResult parsed = parseMessage(text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(validateRequest(parsed.message, {}));
}

}  // namespace
}  // namespace ccsip::sip
