#include "sip/uri.h"

#include <gtest/gtest.h>

namespace ccsip::sip {
namespace {

Uri mustParse(std::string_view text) {
  auto r = parseUri(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Uri{};
}

TEST(UriTest, ParsesSipUriParts) {
  Uri u = mustParse("sip:alice:secret@atlanta.example.com:5070;transport=tcp;lr?subject=x&a=b");
  EXPECT_EQ(u.scheme, UriScheme::Sip);
  EXPECT_EQ(u.schemeText, "sip");
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(u.password, "secret");
  EXPECT_EQ(u.host, "atlanta.example.com");
  EXPECT_EQ(u.port, 5070);
  EXPECT_EQ(u.params, "transport=tcp;lr");
  EXPECT_EQ(u.headers, "subject=x&a=b");
  EXPECT_EQ(u.transportParam(), "tcp");
  EXPECT_EQ(u.param("LR"), "");
  EXPECT_TRUE(u.hasParam("lr"));
  EXPECT_FALSE(u.param("maddr").has_value());
}

TEST(UriTest, HostOnlySipsAndCase) {
  Uri u = mustParse("SIPS:Example.COM");
  EXPECT_EQ(u.scheme, UriScheme::Sips);
  EXPECT_TRUE(u.isSip());
  EXPECT_EQ(u.user, "");
  EXPECT_EQ(u.host, "Example.COM");
  EXPECT_EQ(u.port, 0);
}

TEST(UriTest, Ipv6References) {
  Uri u = mustParse("sip:bob@[2001:db8::10]:5061;maddr=[2001:db8::1]");
  EXPECT_EQ(u.host, "[2001:db8::10]");
  EXPECT_TRUE(u.isIpv6());
  EXPECT_EQ(u.port, 5061);
  EXPECT_EQ(u.param("maddr"), "[2001:db8::1]");
  Uri v4mapped = mustParse("sip:[::ffff:192.0.2.1]");
  EXPECT_EQ(v4mapped.host, "[::ffff:192.0.2.1]");
  EXPECT_FALSE(parseUri("sip:bob@[2001:db8::10").ok());
  EXPECT_FALSE(parseUri("sip:bob@[zz::1]").ok());
}

TEST(UriTest, EscapesAreKeptAndValidated) {
  Uri u = mustParse("sip:I%20have%20spaces@example.net;n%61me=v%61lue%25%34%31");
  EXPECT_EQ(u.user, "I%20have%20spaces");
  EXPECT_EQ(u.param("name"), "v%61lue%25%34%31");  // names compare unescaped
  EXPECT_EQ(uriUnescape(u.user), "I have spaces");
  EXPECT_EQ(uriUnescape("%00x%zz"), std::string("\0x%zz", 5));
  EXPECT_FALSE(parseUri("sip:bad%2@example.net").ok());
  EXPECT_FALSE(parseUri("sip:bad%@example.net").ok());
}

TEST(UriTest, UnusualUserParts) {
  // RFC 4475 3.1.1.2 intmeth and 3.1.1.9 semiuri.
  Uri u = mustParse(
      "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
      "(doesn't-it)@example.com");
  EXPECT_EQ(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(u.host, "example.com");
  Uri semi = mustParse("sip:user;par=u%40example.net@example.com");
  EXPECT_EQ(semi.user, "user;par=u%40example.net");
  EXPECT_EQ(semi.params, "");
}

TEST(UriTest, TelAndOtherSchemes) {
  Uri tel = mustParse("tel:+1-201-555-0123;phone-context=example.com");
  EXPECT_EQ(tel.scheme, UriScheme::Tel);
  EXPECT_EQ(tel.user, "+1-201-555-0123");
  EXPECT_EQ(tel.param("phone-context"), "example.com");
  Uri other = mustParse("soap.beep://192.0.2.103:3002");
  EXPECT_EQ(other.scheme, UriScheme::Other);
  EXPECT_EQ(other.schemeText, "soap.beep");
  EXPECT_EQ(mustParse("name:John_Smith").schemeText, "name");
}

TEST(UriTest, RejectsMalformed) {
  for (std::string_view bad : {"",
                               "sip:",
                               "sip:@host",
                               "sip:user@",
                               "sip:host:",
                               "sip:host:99999",
                               "sip:host:5x",
                               "sip:host;",
                               "sip:host;=x",
                               "sip:host;a=",
                               "sip:host?",
                               "sip:host?a",
                               "sip:a b@host",
                               "<sip:host>",
                               "sip:host>",
                               "1sip:host",
                               "tel:",
                               "mailto:",
                               "x: y",
                               "sip:host;a=b c",
                               "sip:user@example.com; lr"}) {
    EXPECT_FALSE(parseUri(bad).ok()) << bad;
  }
}

bool equivalent(std::string_view a, std::string_view b) {
  return uriEquivalent(mustParse(a), mustParse(b));
}

TEST(UriTest, Rfc3261EquivalentExamples) {
  // RFC 3261 19.1.4: these pairs are equivalent.
  EXPECT_TRUE(
      equivalent("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equivalent("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                         "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(equivalent("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                         "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

TEST(UriTest, Rfc3261NonEquivalentExamples) {
  // RFC 3261 19.1.4: these pairs are not equivalent.
  EXPECT_FALSE(equivalent("SIP:ALICE@AtLanTa.CoM;Transport=udp",
                          "sip:alice@AtLanTa.CoM;Transport=UDP"));  // different usernames
  EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
  EXPECT_FALSE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
  EXPECT_FALSE(equivalent("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
}

TEST(UriTest, MoreComparisonRules) {
  EXPECT_FALSE(equivalent("sip:alice@atlanta.com", "sips:alice@atlanta.com"));
  EXPECT_FALSE(equivalent("sip:alice@atlanta.com;maddr=1.2.3.4", "sip:alice@atlanta.com"));
  EXPECT_TRUE(equivalent("sip:alice@atlanta.com;lr", "sip:alice@atlanta.com;LR"));
  EXPECT_FALSE(equivalent("sip:alice@atlanta.com;ttl=1", "sip:alice@atlanta.com;ttl=2"));
  // An escaped reserved character is not the delimiter itself.
  EXPECT_FALSE(equivalent("sip:a%3Bb@atlanta.com", "sip:a;b@atlanta.com"));
  EXPECT_TRUE(equivalent("sip:a%2db@atlanta.com", "sip:a-b@atlanta.com"));
  EXPECT_FALSE(equivalent("sip:alice:pw@atlanta.com", "sip:alice@atlanta.com"));
  EXPECT_TRUE(equivalent("sip:[2001:DB8::1]", "sip:[2001:db8::1]"));
  EXPECT_TRUE(equivalent("tel:+1-201-555-0123", "tel:+12015550123"));
  EXPECT_FALSE(equivalent("tel:+12015550123", "tel:+12015550124"));
  EXPECT_FALSE(equivalent("tel:7042;phone-context=example.com", "tel:7042"));
  EXPECT_TRUE(uriComponentEqual("%41", "A", false));
  EXPECT_FALSE(uriComponentEqual("%41", "a", false));
  EXPECT_TRUE(uriComponentEqual("%41", "a", true));
}

TEST(UriTest, AddressOfRecord) {
  EXPECT_EQ(addressOfRecord(mustParse("SIP:alice@Atlanta.COM:5070;transport=tcp?x=y")),
            "sip:alice@atlanta.com:5070");
  EXPECT_EQ(addressOfRecord(mustParse("sips:example.com")), "sips:example.com");
  EXPECT_EQ(addressOfRecord(mustParse("tel:+123;phone-context=x")), "tel:+123");
}

}  // namespace
}  // namespace ccsip::sip
