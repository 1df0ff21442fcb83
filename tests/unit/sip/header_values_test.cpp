// List headers the parser keeps whole (Allow, Supported, Require, ...) and the accessors that
// split them on demand: Message::headerValues, countHeaders and headerValue.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "sip/parser.h"
#include "sip/serializer.h"

namespace ccsip::sip {
namespace {

using Values = std::vector<std::string_view>;

constexpr std::string_view kHead =
    "INVITE sip:a@b SIP/2.0\r\n"
    "Via: SIP/2.0/UDP h;branch=z9hG4bK1, SIP/2.0/UDP g;branch=z9hG4bK2\r\n"
    "From: <sip:a@b>;tag=1\r\n"
    "To: <sip:a@b>\r\n"
    "Call-ID: x\r\n"
    "CSeq: 1 INVITE\r\n";

ParseResult parseWith(std::string_view headers) {
  return parseMessage(std::string(kHead) + std::string(headers) + "\r\n");
}

std::size_t fieldsOf(const Message& m, HeaderId id) {
  std::size_t n = 0;
  for (const HeaderField& f : m.headers()) n += f.id == id ? 1 : 0;
  return n;
}

TEST(HeaderValuesTest, ParserKeepsOtherListHeadersWholeAndSplitsAddressLists) {
  auto r = parseWith(
      "Allow: INVITE, ACK,CANCEL\r\n"
      "Contact: <sip:a@h>, <sip:b@h>\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  const Message& m = r.message;
  EXPECT_EQ(fieldsOf(m, HeaderId::Allow), 1u);
  EXPECT_EQ(m.findHeader(HeaderId::Allow)->value, "INVITE, ACK,CANCEL");
  EXPECT_EQ(m.headerValues(HeaderId::Allow), (Values{"INVITE", "ACK", "CANCEL"}));
  EXPECT_EQ(m.countHeaders(HeaderId::Allow), 3u);
  EXPECT_EQ(m.headerValue(HeaderId::Allow), "INVITE");
  EXPECT_EQ(m.headerValue("allow"), "INVITE");
  // Via and Contact: one field per value, as before.
  EXPECT_EQ(fieldsOf(m, HeaderId::Via), 2u);
  EXPECT_EQ(m.vias().size(), 2u);
  EXPECT_EQ(fieldsOf(m, HeaderId::Contact), 2u);
  EXPECT_EQ(m.headerValues(HeaderId::Contact), (Values{"<sip:a@h>", "<sip:b@h>"}));
}

TEST(HeaderValuesTest, ValuesOfEveryLineInWireOrder) {
  auto r = parseWith(
      "Require: 100rel, timer\r\n"
      "Supported: path\r\n"
      "k: gruu, , outbound\r\n"
      "Require: foo\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  const Message& m = r.message;
  EXPECT_EQ(m.headerValues(HeaderId::Require), (Values{"100rel", "timer", "foo"}));
  EXPECT_EQ(m.countHeaders(HeaderId::Require), 3u);
  // Empty elements are no values (as when the parser split them).
  EXPECT_EQ(m.headerValues(HeaderId::Supported), (Values{"path", "gruu", "outbound"}));
  EXPECT_EQ(m.countHeaders(HeaderId::Supported), 3u);
  EXPECT_TRUE(m.headerValues(HeaderId::Unsupported).empty());
  EXPECT_EQ(m.countHeaders(HeaderId::Unsupported), 0u);
  EXPECT_EQ(m.headerValue(HeaderId::Unsupported), "");
}

TEST(HeaderValuesTest, QuotesAndAnglesDoNotSplit) {
  auto r = parseWith(
      "Warning: 399 h \"one, two\", 307 h \"three\"\r\n"
      "Call-Info: <http://x/a,b>;purpose=icon, <http://x/c>\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  EXPECT_EQ(r.message.headerValues(HeaderId::Warning),
            (Values{"399 h \"one, two\"", "307 h \"three\""}));
  EXPECT_EQ(r.message.headerValues(HeaderId::CallInfo),
            (Values{"<http://x/a,b>;purpose=icon", "<http://x/c>"}));
}

TEST(HeaderValuesTest, EmptyAcceptIsPresentWithNoValue) {
  // RFC 3261 20.1: an empty Accept means no body is acceptable; it still counts as present.
  auto r = parseWith("Accept:\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  EXPECT_EQ(r.message.countHeaders(HeaderId::Accept), 1u);
  EXPECT_TRUE(r.message.headerValues(HeaderId::Accept).empty());
  EXPECT_EQ(r.message.headerValue(HeaderId::Accept), "");
}

TEST(HeaderValuesTest, NonListHeadersAreNotSplit) {
  auto r = parseWith("Subject: a, b\r\nX-List: c, d\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  EXPECT_EQ(r.message.headerValues(HeaderId::Subject), (Values{"a, b"}));
  EXPECT_EQ(r.message.countHeaders(HeaderId::Subject), 1u);
  EXPECT_EQ(r.message.headerValue("X-List"), "c, d");
}

TEST(HeaderValuesTest, EditsKeepOneFieldPerLineAndSerializeAsGiven) {
  Message m = Message::makeResponse(200, "OK");
  m.addHeader(HeaderId::Allow, "INVITE, ACK, BYE");
  m.addHeader(HeaderId::Supported, "timer");
  EXPECT_EQ(fieldsOf(m, HeaderId::Allow), 1u);
  EXPECT_EQ(m.countHeaders(HeaderId::Allow), 3u);
  EXPECT_EQ(m.headerValues(HeaderId::Allow), (Values{"INVITE", "ACK", "BYE"}));
  EXPECT_NE(toString(m).find("\r\nAllow: INVITE, ACK, BYE\r\nSupported: timer\r\n"),
            std::string::npos);
}

TEST(HeaderValuesTest, MovedAndClonedMessagesKeepTheirLists) {
  auto r = parseWith("Allow: INVITE, ACK\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  Message moved = std::move(r.message);
  Message other = Message::makeRequest(Method::Options, "sip:x@y");
  other.addHeader(HeaderId::Supported, "path");
  other = std::move(moved);  // the lists live in the storage that moves with them
  EXPECT_EQ(other.vias().size(), 2u);
  EXPECT_EQ(other.vias()[1].host, "g");
  EXPECT_EQ(other.headerValues(HeaderId::Allow), (Values{"INVITE", "ACK"}));
  Message copy = other.clone();
  other = Message();
  EXPECT_EQ(copy.vias()[0].branch, "z9hG4bK1");
  EXPECT_EQ(copy.headerValues(HeaderId::Allow), (Values{"INVITE", "ACK"}));
  EXPECT_EQ(copy.countHeaders(HeaderId::Supported), 0u);
}

}  // namespace
}  // namespace ccsip::sip
