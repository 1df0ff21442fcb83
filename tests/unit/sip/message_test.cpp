#include "sip/message.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sip/parser.h"
#include "sip/serializer.h"

namespace ccsip::sip {
namespace {

Message buildInvite() {
  Message m = Message::makeRequest(Method::Invite, "sip:bob@biloxi.example.com");
  m.addHeader(HeaderId::Via, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1;rport");
  m.addHeader(HeaderId::MaxForwards, "70");
  m.addHeader(HeaderId::From, "\"Alice\" <sip:alice@atlanta.example.com>;tag=a1");
  m.addHeader(HeaderId::To, "<sip:bob@biloxi.example.com>");
  m.addHeader(HeaderId::CallId, "call-1@192.0.2.1");
  m.addHeader(HeaderId::CSeq, "1 INVITE");
  m.addHeader(HeaderId::Contact, "<sip:alice@192.0.2.1:5060>");
  m.setBody("application/sdp", "v=0\r\n");
  return m;
}

TEST(MessageTest, BuildsRequestWithTypedViews) {
  Message m = buildInvite();
  EXPECT_TRUE(m.isRequest());
  EXPECT_EQ(m.method(), Method::Invite);
  EXPECT_EQ(m.methodName(), "INVITE");
  EXPECT_EQ(m.requestUri().user, "bob");
  EXPECT_EQ(m.sipVersion(), "SIP/2.0");
  ASSERT_NE(m.topVia(), nullptr);
  EXPECT_EQ(m.topVia()->branch, "z9hG4bK-1");
  EXPECT_EQ(m.from().tag, "a1");
  EXPECT_EQ(m.from().displayName, "Alice");
  EXPECT_EQ(m.to().uri.host, "biloxi.example.com");
  EXPECT_EQ(m.callId(), "call-1@192.0.2.1");
  EXPECT_EQ(m.cseq().number, 1u);
  EXPECT_EQ(m.cseq().method, Method::Invite);
  EXPECT_EQ(m.maxForwards(), 70u);
  EXPECT_EQ(m.contentType(), "application/sdp");
  EXPECT_EQ(m.body(), "v=0\r\n");
  EXPECT_EQ(m.contentLength(), 5u);
  EXPECT_TRUE(m.canBuildResponse());
}

TEST(MessageTest, ExtensionMethodKeepsItsName) {
  Message m = Message::makeRequest("FOO", "sip:a@b");
  EXPECT_EQ(m.method(), Method::Unknown);
  EXPECT_EQ(m.methodName(), "FOO");
  Message r = Message::makeResponse(486, "");
  EXPECT_EQ(r.reasonPhrase(), "Busy Here");
  EXPECT_TRUE(r.isResponse());
}

TEST(MessageTest, PrependAndRemoveVia) {
  Message m = buildInvite();
  m.prependHeader(HeaderId::Via, "SIP/2.0/TCP proxy.example.com;branch=z9hG4bK-2");
  ASSERT_EQ(m.vias().size(), 2u);
  EXPECT_EQ(m.topVia()->host, "proxy.example.com");
  EXPECT_EQ(m.headers()[0].id, HeaderId::Via);
  m.removeFirstHeader(HeaderId::Via);
  ASSERT_EQ(m.vias().size(), 1u);
  EXPECT_EQ(m.topVia()->branch, "z9hG4bK-1");
  m.removeHeaders(HeaderId::Via);
  EXPECT_EQ(m.topVia(), nullptr);
  EXPECT_FALSE(m.canBuildResponse());
  // Prepending with no Via at all puts it first.
  m.prependHeader(HeaderId::Via, "SIP/2.0/UDP h;branch=z9hG4bK-3");
  EXPECT_EQ(m.headers()[0].id, HeaderId::Via);
}

TEST(MessageTest, ListValuesAreSplitAndSetHeaderReplaces) {
  Message m = buildInvite();
  m.addHeader(HeaderId::Allow, "INVITE, ACK, BYE");
  EXPECT_EQ(m.countHeaders(HeaderId::Allow), 3u);
  EXPECT_EQ(m.headerValue(HeaderId::Allow), "INVITE");
  m.setHeader(HeaderId::Allow, "OPTIONS");
  EXPECT_EQ(m.countHeaders(HeaderId::Allow), 1u);
  EXPECT_EQ(m.headerValue("allow"), "OPTIONS");
  m.setHeader(HeaderId::MaxForwards, "69");
  EXPECT_EQ(m.maxForwards(), 69u);
  EXPECT_EQ(m.countHeaders(HeaderId::MaxForwards), 1u);
  m.addHeader("X-Custom", "hello");
  EXPECT_EQ(m.headerValue("x-custom"), "hello");
  EXPECT_EQ(m.findHeader("X-CUSTOM")->id, HeaderId::Other);
  m.addHeader("Expires", "300");
  EXPECT_EQ(m.expires(), 300u);
}

TEST(MessageTest, SetToTagAndFromTag) {
  Message m = buildInvite();
  m.setToTag("b2");
  EXPECT_EQ(m.to().tag, "b2");
  EXPECT_EQ(m.headerValue(HeaderId::To), "<sip:bob@biloxi.example.com>;tag=b2");
  m.setToTag("b3");  // replaces
  EXPECT_EQ(m.headerValue(HeaderId::To), "<sip:bob@biloxi.example.com>;tag=b3");
  m.setFromTag("zz");
  EXPECT_EQ(m.from().tag, "zz");
  EXPECT_EQ(m.headerValue(HeaderId::From), "\"Alice\" <sip:alice@atlanta.example.com>;tag=zz");
}

TEST(MessageTest, SetTopViaReceived) {
  Message m = buildInvite();
  m.setTopViaReceived("203.0.113.9", 40000);
  EXPECT_EQ(m.topVia()->received, "203.0.113.9");
  EXPECT_EQ(m.topVia()->rport, 40000);
  EXPECT_EQ(m.topVia()->branch, "z9hG4bK-1");
  EXPECT_EQ(m.headerValue(HeaderId::Via),
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1;rport=40000;received=203.0.113.9");
  m.setTopViaReceived("203.0.113.10", std::nullopt);
  EXPECT_EQ(m.topVia()->received, "203.0.113.10");
  EXPECT_EQ(m.topVia()->rport, 40000);
  Message plain = Message::makeRequest(Method::Options, "sip:x");
  plain.addHeader(HeaderId::Via, "SIP/2.0/UDP [2001:db8::1]");
  plain.setTopViaReceived("2001:db8::2", std::nullopt);
  EXPECT_EQ(plain.headerValue(HeaderId::Via), "SIP/2.0/UDP [2001:db8::1];received=2001:db8::2");
  EXPECT_FALSE(plain.topVia()->hasRport);
}

TEST(MessageTest, SetTopViaReceivedLeavesTheOtherViasAlone) {
  // Three Via values on two lines (the top one already parsed by the parser): only the top
  // one is rewritten and re-derived.
  auto parsed = parseMessage(
      "NOTIFY sip:ccsip@192.0.2.9 SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-a;rport, SIP/2.0/TCP "
      "192.0.2.2;branch=z9hG4bK-b\r\n"
      "Via: SIP/2.0/UDP 192.0.2.3;branch=z9hG4bK-c\r\n"
      "From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\nCall-ID: c1\r\nCSeq: 3 NOTIFY\r\n"
      "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(parsed.ok());
  Message& m = parsed.message;
  ASSERT_EQ(m.vias().size(), 3u);
  m.setTopViaReceived("203.0.113.9", 40000);
  ASSERT_EQ(m.vias().size(), 3u);
  EXPECT_EQ(m.vias()[0].received, "203.0.113.9");
  EXPECT_EQ(m.vias()[0].rport, 40000);
  EXPECT_EQ(m.vias()[0].branch, "z9hG4bK-a");
  EXPECT_EQ(m.vias()[1].branch, "z9hG4bK-b");
  EXPECT_EQ(m.vias()[1].host, "192.0.2.2");
  EXPECT_TRUE(m.vias()[1].received.empty());
  EXPECT_EQ(m.vias()[2].branch, "z9hG4bK-c");
  EXPECT_EQ(m.headerValues(HeaderId::Via)[0],
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-a;rport=40000;received=203.0.113.9");
  EXPECT_EQ(m.headerValues(HeaderId::Via)[1], "SIP/2.0/TCP 192.0.2.2;branch=z9hG4bK-b");
}

TEST(MessageTest, ViewsSurviveMovesAndEdits) {
  // Small messages too: the buffer lives on the heap, not in a moved std::string's SSO area.
  auto parsed = parseMessage(std::string(
      "BYE sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\n"
      "t: <sip:c@d>;tag=2\r\ni: x\r\nCSeq: 2 BYE\r\n\r\n"));
  ASSERT_TRUE(parsed.ok());
  Message m = std::move(parsed.message);
  std::vector<Message> many;
  for (int i = 0; i < 50; ++i) many.push_back(m.clone());  // vector reallocations move them
  many.push_back(std::move(m));
  for (Message& x : many) {
    EXPECT_EQ(x.callId(), "x");
    EXPECT_EQ(x.topVia()->branch, "z9hG4bK1");
    EXPECT_EQ(x.from().tag, "1");
    EXPECT_EQ(x.requestUri().host, "b");
  }
  Message& last = many.back();
  std::string_view oldCallId = last.callId();
  for (int i = 0; i < 200; ++i) last.addHeader("X-Fill", std::string(100, 'a' + i % 26));
  EXPECT_EQ(oldCallId, "x");  // edits never move earlier text
  EXPECT_EQ(last.to().tag, "2");
  Message moved = std::move(last);
  EXPECT_EQ(moved.countHeaders(HeaderId::Other), 200u);
  EXPECT_EQ(moved.to().tag, "2");
}

TEST(MessageTest, CloneIsDeep) {
  Message original = buildInvite();
  Message copy = original.clone();
  original.setToTag("t1");
  original.removeHeaders(HeaderId::Contact);
  original = Message::makeResponse(200, "OK");  // the original's text is gone
  EXPECT_EQ(copy.to().tag, "");
  EXPECT_EQ(copy.contacts().size(), 1u);
  EXPECT_EQ(copy.body(), "v=0\r\n");
  EXPECT_EQ(copy.topVia()->branch, "z9hG4bK-1");
  EXPECT_EQ(copy.cseq().method, Method::Invite);
  EXPECT_EQ(copy.requestUri().user, "bob");
}

TEST(MessageTest, SetBodyAndContentLength) {
  Message m = buildInvite();
  m.setBody("", "");
  EXPECT_EQ(m.body(), "");
  EXPECT_EQ(m.contentType(), "");
  EXPECT_EQ(m.contentLength(), 0u);
  m.addHeader(HeaderId::ContentLength, "0");
  m.setBody("text/plain", "hello");
  EXPECT_EQ(m.headerValue(HeaderId::ContentLength), "5");
  EXPECT_EQ(m.contentLength(), 5u);
}

TEST(MessageTest, RoutesAndContacts) {
  Message m = Message::makeRequest(Method::Invite, "sip:x@y");
  m.addHeader(HeaderId::RecordRoute, "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>");
  m.addHeader(HeaderId::Route, "<sip:p3.example.com;lr>");
  m.addHeader(HeaderId::Contact, "*");
  ASSERT_EQ(m.recordRoutes().size(), 2u);
  EXPECT_EQ(m.recordRoutes()[1].uri.host, "p2.example.com");
  ASSERT_EQ(m.routes().size(), 1u);
  EXPECT_TRUE(m.routes()[0].uri.hasParam("lr"));
  ASSERT_EQ(m.contacts().size(), 1u);
  EXPECT_TRUE(m.contacts()[0].wildcard);
}

TEST(MessageTest, DefaultAndMovedFromAreSafe) {
  Message empty;
  EXPECT_EQ(empty.findHeader(HeaderId::Via), nullptr);
  EXPECT_EQ(empty.headerValue("x"), "");
  EXPECT_FALSE(empty.canBuildResponse());
  empty.addHeader(HeaderId::CallId, "abc");
  EXPECT_EQ(empty.callId(), "abc");
  Message a = buildInvite();
  Message b = std::move(a);
  Message c = a.clone();  // NOLINT: moved-from is valid and empty enough to clone
  (void)c;
  EXPECT_EQ(b.callId(), "call-1@192.0.2.1");
}

}  // namespace
}  // namespace ccsip::sip
