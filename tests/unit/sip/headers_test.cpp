#include "sip/headers.h"

#include <gtest/gtest.h>

#include "sip/header_id.h"
#include "sip/method.h"

namespace ccsip::sip {
namespace {

TEST(HeaderIdTest, NamesCompactFormsAndCase) {
  EXPECT_EQ(headerIdFromName("Via"), HeaderId::Via);
  EXPECT_EQ(headerIdFromName("vIA"), HeaderId::Via);
  EXPECT_EQ(headerIdFromName("v"), HeaderId::Via);
  EXPECT_EQ(headerIdFromName("call-id"), HeaderId::CallId);
  EXPECT_EQ(headerIdFromName("i"), HeaderId::CallId);
  EXPECT_EQ(headerIdFromName("CSEQ"), HeaderId::CSeq);
  EXPECT_EQ(headerIdFromName("www-authenticate"), HeaderId::WwwAuthenticate);
  EXPECT_EQ(headerIdFromName("Proxy-Authorization"), HeaderId::ProxyAuthorization);
  EXPECT_EQ(headerIdFromName("o"), HeaderId::Event);
  EXPECT_EQ(headerIdFromName("u"), HeaderId::AllowEvents);
  EXPECT_EQ(headerIdFromName("k"), HeaderId::Supported);
  EXPECT_EQ(headerIdFromName("l"), HeaderId::ContentLength);
  EXPECT_EQ(headerIdFromName("C%6Fntact"), HeaderId::Other);
  EXPECT_EQ(headerIdFromName("Vias"), HeaderId::Other);
  EXPECT_EQ(headerIdFromName("Call_ID"), HeaderId::Other);
  EXPECT_EQ(headerIdFromName(std::string_view("Call\rID")), HeaderId::Other);
  EXPECT_EQ(headerIdFromName(""), HeaderId::Other);
  EXPECT_EQ(headerIdFromName("X-Very-Long-Header-Name-Beyond-Any-Known"), HeaderId::Other);
  // Every canonical name maps back to its id.
  for (int i = 1; i < static_cast<int>(HeaderId::Count_); ++i) {
    auto id = static_cast<HeaderId>(i);
    EXPECT_EQ(headerIdFromName(headerName(id)), id) << headerName(id);
    std::string upper(headerName(id));
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(headerIdFromName(upper), id) << upper;
  }
  EXPECT_TRUE(isListHeader(HeaderId::Via));
  EXPECT_TRUE(isListHeader(HeaderId::Allow));
  EXPECT_FALSE(isListHeader(HeaderId::Authorization));
  EXPECT_FALSE(isListHeader(HeaderId::Date));
}

TEST(MethodTest, CaseSensitiveNames) {
  EXPECT_EQ(methodFromName("INVITE"), Method::Invite);
  EXPECT_EQ(methodFromName("invite"), Method::Unknown);
  EXPECT_EQ(methodFromName("SUBSCRIBE"), Method::Subscribe);
  EXPECT_EQ(methodName(Method::Prack), "PRACK");
  for (int i = 1; i <= static_cast<int>(Method::Publish); ++i) {
    auto m = static_cast<Method>(i);
    EXPECT_EQ(methodFromName(methodName(m)), m);
  }
}

TEST(ViaTest, ParsesSentByAndParams) {
  auto via = parseVia("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776;rport;received=10.0.0.1");
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->protocol, "SIP/2.0");
  EXPECT_EQ(via->transport, "UDP");
  EXPECT_EQ(via->host, "192.0.2.1");
  EXPECT_EQ(via->port, 5060);
  EXPECT_EQ(via->branch, "z9hG4bK776");
  EXPECT_TRUE(via->hasMagicCookie());
  EXPECT_TRUE(via->hasRport);
  EXPECT_FALSE(via->rport.has_value());
  EXPECT_EQ(via->received, "10.0.0.1");
  EXPECT_EQ(via->param("BRANCH"), "z9hG4bK776");
}

TEST(ViaTest, RportWithValueAndIpv6) {
  auto via = parseVia("SIP/2.0/TCP [2001:db8::9]:5070;rport=6000;received=[2001:db8::7];branch=x");
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->host, "[2001:db8::9]");
  EXPECT_EQ(via->port, 5070);
  EXPECT_EQ(via->rport, 6000);
  EXPECT_EQ(via->received, "[2001:db8::7]");
  EXPECT_FALSE(via->hasMagicCookie());
}

TEST(ViaTest, LwsAroundSlashesAndParams) {
  auto via = parseVia("SIP  /   2.0  / UDP     192.0.2.2 ;  branch = z9hG4bK30239 ; ttl=1");
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->protocol, "SIP/2.0");
  EXPECT_EQ(via->transport, "UDP");
  EXPECT_EQ(via->host, "192.0.2.2");
  EXPECT_EQ(via->branch, "z9hG4bK30239");
  EXPECT_EQ(via->param("ttl"), "1");
}

TEST(ViaTest, RejectsMalformed) {
  for (std::string_view bad :
       {"", "SIP/2.0/UDP", "SIP/2.0 host", "SIP/2.0/UDP host;;", "SIP/2.0/UDP host;",
        "SIP/2.0/UDPhost", "SIP/2.0/UDP host:", "SIP/2.0/UDP host:70000", "SIP/2.0/UDP [::1",
        "SIP/2.0/UDP host x", "SIP/2.0/UDP host;rport=abc",
        "SIP/2.0/UDP host;received=not-an-ip"}) {
    EXPECT_FALSE(parseVia(bad).ok()) << bad;
  }
}

TEST(NameAddrTest, QuotedDisplayNameWithEscapes) {
  auto na = parseNameAddr(
      "\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\n  ;\n  tag = 98asjd8");
  ASSERT_TRUE(na.ok());
  EXPECT_EQ(na->displayName, "J Rosenberg \\\\\\\"");
  EXPECT_EQ(na->uri.user, "jdrosen");
  EXPECT_EQ(na->tag, "98asjd8");
}

TEST(NameAddrTest, TokenDisplayNameAndAddrSpec) {
  auto na = parseNameAddr("caller<sip:caller@example.com>;tag=323");
  ASSERT_TRUE(na.ok());
  EXPECT_EQ(na->displayName, "caller");
  EXPECT_EQ(na->tag, "323");
  auto spec = parseNameAddr("sip:j.user@example.com;tag=x;foo=\"a;b\"");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->uri.text, "sip:j.user@example.com");
  EXPECT_EQ(spec->uri.params, "");  // addr-spec: params belong to the header
  EXPECT_EQ(spec->tag, "x");
  EXPECT_EQ(spec->param("foo"), "a;b");
  auto multi =
      parseNameAddr("A. G. Bell <sip:bell@example.com;lr>;expires=60;+sip.instance=\"<urn:x>\"");
  ASSERT_TRUE(multi.ok());
  EXPECT_EQ(multi->displayName, "A. G. Bell");
  EXPECT_EQ(multi->uri.params, "lr");
  EXPECT_EQ(multi->param("+sip.instance"), "<urn:x>");
  EXPECT_EQ(multi->param("expires"), "60");
  auto wildcard = parseNameAddr("*");
  ASSERT_TRUE(wildcard.ok());
  EXPECT_TRUE(wildcard->wildcard);
}

TEST(NameAddrTest, RejectsMalformed) {
  for (std::string_view bad : {"\"Mr. J. User <sip:j.user@example.com>",                // quotbal
                               "Bell, Alexander <sip:a.g.bell@example.com>;tag=43",     // baddn
                               "\"Watson, Thomas\" < sip:t.watson@example.org >",       // badaspec
                               "sip:user@example.com?Route=%3Csip:sip.example.com%3E",  // regbadct
                               "<sip:a@b", "\"x\" sip:a@b", "<sip:a@b>;", "<sip:a@b>;;",
                               "<sip:a@b> junk", "<sip:a@b>;tag=\"x", "", "<>"}) {
    EXPECT_FALSE(parseNameAddr(bad).ok()) << bad;
  }
}

TEST(CSeqTest, ParsesAndRejects) {
  auto c = parseCSeq("0009\r\n  INVITE");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->number, 9u);
  EXPECT_EQ(c->method, Method::Invite);
  auto ext = parseCSeq("4294967295 RE%47IST%45R");
  ASSERT_TRUE(ext.ok());
  EXPECT_EQ(ext->number, 4294967295u);
  EXPECT_EQ(ext->method, Method::Unknown);
  EXPECT_EQ(ext->methodText, "RE%47IST%45R");
  for (std::string_view bad : {"", "1", "INVITE", "1INVITE", "-1 INVITE", "4294967296 INVITE",
                               "36893488147419103232 REGISTER", "1 INVITE x", "1 INV@TE"}) {
    EXPECT_FALSE(parseCSeq(bad).ok()) << bad;
  }
}

TEST(SplitListTest, RespectsQuotesAndAngles) {
  auto items = splitList(" a , \"b, c\" <sip:x,y@h>;p=\"1,2\" ,d,,  ");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0], "a");
  EXPECT_EQ(items[1], "\"b, c\" <sip:x,y@h>;p=\"1,2\"");
  EXPECT_EQ(items[2], "d");
  EXPECT_TRUE(splitList("").empty());
  EXPECT_EQ(splitList("\"unterminated, x").size(), 1u);
  EXPECT_EQ(splitList("\"esc \\\" , still\" , next").size(), 2u);
  EXPECT_EQ(splitList("INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS").size(), 8u);
}

TEST(ValueWithParamsTest, EventAndSubscriptionState) {
  auto event = parseValueWithParams("presence ; id = 42");
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->value, "presence");
  EXPECT_EQ(event->param("ID"), "42");
  auto state = parseValueWithParams("active;expires=599");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->value, "active");
  EXPECT_EQ(state->param("expires"), "599");
  EXPECT_FALSE(state->param("reason").has_value());
  EXPECT_FALSE(parseValueWithParams(";x").ok());
  EXPECT_FALSE(parseValueWithParams("a;").ok());
  EXPECT_EQ(findParam("a=1; b ;c=\"x y\"", "c"), "x y");
  EXPECT_EQ(findParam("a=1; b ;c=\"x y\"", "b"), "");
}

}  // namespace
}  // namespace ccsip::sip
