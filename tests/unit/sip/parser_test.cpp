#include "sip/parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "sip/serializer.h"

namespace ccsip::sip {
namespace {

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Trace files show LF line ends; the wire has CRLF.
std::string toCrlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

ParseResult parse(std::string_view text, Framing framing = Framing::Datagram) {
  return parseMessage(std::string(text), framing);
}

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: \"Alice A.\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

TEST(ParserTest, ParsesBasicInvite) {
  auto r = parse(kInvite);
  ASSERT_TRUE(r.ok()) << r.error->reason;
  const Message& m = r.message;
  EXPECT_TRUE(m.isRequest());
  EXPECT_EQ(m.method(), Method::Invite);
  EXPECT_EQ(m.methodName(), "INVITE");
  EXPECT_EQ(m.requestUri().user, "bob");
  EXPECT_EQ(m.requestUri().host, "biloxi.example.com");
  EXPECT_EQ(m.sipVersion(), "SIP/2.0");
  ASSERT_EQ(m.vias().size(), 1u);
  EXPECT_EQ(m.topVia()->branch, "z9hG4bK776asdhds");
  EXPECT_TRUE(m.topVia()->hasRport);
  EXPECT_FALSE(m.topVia()->rport.has_value());
  EXPECT_EQ(m.from().displayName, "Alice A.");
  EXPECT_EQ(m.from().tag, "1928301774");
  EXPECT_EQ(m.to().displayName, "Bob");
  EXPECT_EQ(m.to().tag, "");
  EXPECT_EQ(m.callId(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(m.cseq().number, 314159u);
  EXPECT_EQ(m.cseq().method, Method::Invite);
  EXPECT_EQ(m.maxForwards(), 70u);
  EXPECT_EQ(m.contentLength(), 4u);
  EXPECT_EQ(m.contentType(), "application/sdp");
  EXPECT_EQ(m.body(), "v=0\n");
  ASSERT_EQ(m.contacts().size(), 1u);
  EXPECT_EQ(m.contacts()[0].uri.user, "alice");
  EXPECT_EQ(m.headers().size(), 9u);
  EXPECT_TRUE(m.canBuildResponse());
}

TEST(ParserTest, ParsesResponse) {
  auto r = parse(
      "SIP/2.0 180 Ringing\r\n"
      "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKx;received=192.0.2.1;rport=5062\r\n"
      "From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  EXPECT_TRUE(r.message.isResponse());
  EXPECT_EQ(r.message.statusCode(), 180);
  EXPECT_EQ(r.message.reasonPhrase(), "Ringing");
  EXPECT_EQ(r.message.topVia()->received, "192.0.2.1");
  EXPECT_EQ(r.message.topVia()->rport, 5062);
  EXPECT_EQ(r.message.topVia()->port, 5060);
  EXPECT_EQ(r.message.to().tag, "2");
  EXPECT_FALSE(r.message.canBuildResponse());
}

TEST(ParserTest, UnfoldsContinuationLinesInPlace) {
  auto r = parse(
      "OPTIONS sip:a@b SIP/2.0\r\n"
      "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "From: <sip:a@b>\r\n  ;tag=9\r\n"
      "To: <sip:a@b>\r\n"
      "Call-ID: x\r\n"
      "CSeq: 1\r\n\tOPTIONS\r\n"
      "Subject: one\r\n two\r\n \r\n three\r\n"
      "\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  EXPECT_EQ(r.message.from().tag, "9");
  EXPECT_EQ(r.message.cseq().method, Method::Options);
  EXPECT_EQ(r.message.headerValue(HeaderId::Subject), "one   two      three");
}

TEST(ParserTest, CompactFormsAndCaseInsensitiveNames) {
  auto r = parse(
      "MESSAGE sip:a@b SIP/2.0\r\n"
      "v: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"
      "f: <sip:a@b>;tag=1\r\n"
      "t: <sip:c@d>\r\n"
      "i: abc\r\n"
      "cSeQ: 2 MESSAGE\r\n"
      "m: <sip:a@h>\r\n"
      "c: text/plain\r\n"
      "k: timer, 100rel\r\n"
      "o: presence\r\n"
      "u: dialog, presence\r\n"
      "s: hi\r\n"
      "e: gzip\r\n"
      "l: 2\r\n"
      "\r\nhi");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  const Message& m = r.message;
  EXPECT_EQ(m.topVia()->transport, "TCP");
  EXPECT_EQ(m.callId(), "abc");
  EXPECT_EQ(m.cseq().number, 2u);
  EXPECT_EQ(m.contentType(), "text/plain");
  EXPECT_EQ(m.countHeaders(HeaderId::Supported), 2u);
  EXPECT_EQ(m.headerValue(HeaderId::Event), "presence");
  EXPECT_EQ(m.countHeaders(HeaderId::AllowEvents), 2u);
  EXPECT_EQ(m.headerValue("Subject"), "hi");
  EXPECT_EQ(m.headerValue("content-encoding"), "gzip");
  EXPECT_EQ(m.body(), "hi");
  EXPECT_EQ(m.findHeader("Call-ID")->name, "i");
}

TEST(ParserTest, SplitsListHeadersRespectingQuotesAndAngles) {
  auto r = parse(
      "REGISTER sip:reg SIP/2.0\r\n"
      "Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2\r\n"
      "Via: SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK3\r\n"
      "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n"
      "Contact: \"Doe, John\" <sip:j,k@h;x=a>;q=0.5, <sip:k@h>, sip:l@h;expires=5\r\n"
      "Authorization: Digest username=\"a\", realm=\"b\"\r\n"
      "X-List: a, b\r\n"
      "\r\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
  const Message& m = r.message;
  ASSERT_EQ(m.vias().size(), 3u);
  EXPECT_EQ(m.vias()[1].host, "b");
  EXPECT_EQ(m.vias()[2].host, "[2001:db8::1]");
  EXPECT_EQ(m.vias()[2].port, 5070);
  auto contacts = m.contacts();
  ASSERT_EQ(contacts.size(), 3u);
  EXPECT_EQ(contacts[0].displayName, "Doe, John");
  EXPECT_EQ(contacts[0].uri.user, "j,k");
  EXPECT_EQ(contacts[0].uri.params, "x=a");
  EXPECT_EQ(contacts[0].param("q"), "0.5");
  EXPECT_EQ(contacts[2].uri.user, "l");
  EXPECT_EQ(contacts[2].param("expires"), "5");
  EXPECT_EQ(m.countHeaders(HeaderId::Authorization), 1u);
  EXPECT_EQ(m.headerValue("X-List"), "a, b");
  std::size_t sameLine = 0;
  for (const HeaderField& f : m.headers()) sameLine += f.sameLine ? 1 : 0;
  EXPECT_EQ(sameLine, 3u);
}

TEST(ParserTest, DatagramBodyFraming) {
  std::string head =
      "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\n";
  auto extra = parse(head + "Content-Length: 3\r\n\r\nabcdef");
  ASSERT_TRUE(extra.ok());
  EXPECT_EQ(extra.message.body(), "abc");
  auto none = parse(head + "\r\nabcdef");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.message.body(), "abcdef");
  auto shorter = parse(head + "Content-Length: 30\r\n\r\nabcdef");
  ASSERT_FALSE(shorter.ok());
  EXPECT_EQ(shorter.error->status, 400);
  EXPECT_TRUE(shorter.message.canBuildResponse());
  auto stream = parse(head + "Content-Length: 6\r\n\r\nabcdef", Framing::Stream);
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream.message.body(), "abcdef");
}

TEST(ParserTest, ErrorsKeepEnoughToAnswer) {
  std::string base =
      "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n";
  auto badCseq = parse(base + "CSeq: 99999999999 INVITE\r\n\r\n");
  ASSERT_FALSE(badCseq.ok());
  EXPECT_EQ(badCseq.error->reason, "Bad CSeq");
  EXPECT_TRUE(badCseq.message.canBuildResponse());
  EXPECT_FALSE(badCseq.error->drop);

  auto dupCl = parse(base + "CSeq: 1 INVITE\r\nContent-Length: 0\r\nl: 0\r\n\r\n");
  ASSERT_FALSE(dupCl.ok());
  EXPECT_EQ(dupCl.error->reason, "Duplicate Content-Length");
  EXPECT_TRUE(dupCl.message.canBuildResponse());

  auto badVia = parse(
      "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
      "Call-ID: x\r\nCSeq: 1 INVITE\r\n\r\n");
  ASSERT_FALSE(badVia.ok());
  EXPECT_EQ(badVia.error->reason, "Malformed Via");
  EXPECT_FALSE(badVia.message.canBuildResponse());
  EXPECT_TRUE(badVia.error->drop);

  auto version = parse(
      "INVITE sip:a@b SIP/3.0\r\nVia: SIP/3.0/UDP h\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
      "Call-ID: x\r\nCSeq: 1 INVITE\r\n\r\n");
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error->status, 505);
  EXPECT_TRUE(version.message.canBuildResponse());
}

TEST(ParserTest, GarbageNeverCrashes) {
  for (std::string_view s :
       {"", "\r\n\r\n", "x", "INVITE", "INVITE sip:a@b", "SIP/2.0", "SIP/2.0 ", "SIP/2.0 99 x\r\n",
        "INVITE  SIP/2.0\r\n\r\n", "A B C\r\n:\r\n \r\n\r\n", "INVITE sip:a@b SIP/2.0\r\n v: x\r\n",
        "INVITE sip:a@b SIP/2.0\r\nVia: \"\r\n", "INVITE sip:a@b SIP/2.0\r\nTo: \"a\\\r\n",
        "INVITE sip:[ SIP/2.0\r\n\r", "INVITE sip:a@b SIP/2.0\nContent-Length: 5\n\nab"}) {
    auto r = parse(s);
    EXPECT_FALSE(r.ok()) << s;
  }
}

TEST(ParserTest, AcceptsBareLfLineEnds) {
  auto r = parse(
      "OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\n"
      "To: <sip:a@b>\nCall-ID: x\nCSeq: 1 OPTIONS\n\n");
  ASSERT_TRUE(r.ok()) << r.error->reason;
}

// --- RFC 4475 torture messages: the parser's own classification (the full expected-answer
// table lives in the torture suite).

std::filesystem::path tortureDir() {
  return std::filesystem::path(CCSIP_SHARED_DIR) / "torture" / "rfc4475";
}

TEST(ParserTortureTest, ValidMessagesParse) {
  for (std::string name :
       {"wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq", "semiuri",
        "transports", "mpart01", "unreason", "noreason",
        // 3.2 - 3.4: well-formed, answered by the application layers.
        "badbranch", "unkscm", "novelsc", "unksm2", "bext01", "invut", "regaut01", "bcast",
        "zeromf", "cparam01", "cparam02", "regescrt", "sdp01", "inv2543"}) {
    SCOPED_TRACE(name);
    std::string bytes = readFile(tortureDir() / (name + ".dat"));
    ASSERT_FALSE(bytes.empty());
    auto r = parseMessage(bytes);
    EXPECT_TRUE(r.ok()) << (r.error ? r.error->reason : "");
    // Round trip: serialize and parse again, every header survives.
    std::string wire = toString(r.message);
    auto again = parseMessage(wire);
    EXPECT_TRUE(again.ok()) << (again.error ? again.error->reason : "") << "\n" << wire;
    ASSERT_EQ(again.message.headers().size(),
              r.message.headers().size() - r.message.countHeaders(HeaderId::ContentLength) + 1);
    EXPECT_EQ(again.message.body(), r.message.body());
  }
}

TEST(ParserTortureTest, InvalidMessagesFail) {
  struct Case {
    const char* name;
    int status;
  };
  for (Case c : {Case{"badinv01", 400},
                 {"clerr", 400},
                 {"ncl", 400},
                 {"scalar02", 400},
                 {"scalarlg", 400},
                 {"quotbal", 400},
                 {"ltgtruri", 400},
                 {"lwsruri", 400},
                 {"lwsstart", 400},
                 {"trws", 400},
                 {"escruri", 400},
                 {"baddate", 400},
                 {"regbadct", 400},
                 {"badaspec", 400},
                 {"baddn", 400},
                 {"badvers", 505},
                 {"mismatch01", 400},
                 {"mismatch02", 400},
                 {"bigcode", 400},
                 // 3.3 answered 400 by the parser too.
                 {"insuf", 400},
                 {"multi01", 400},
                 {"mcl01", 400}}) {
    SCOPED_TRACE(c.name);
    auto r = parseMessage(readFile(tortureDir() / (std::string(c.name) + ".dat")));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->status, c.status) << r.error->reason;
    if (r.message.isRequest()) {
      EXPECT_TRUE(r.message.canBuildResponse()) << r.error->reason;
    } else {
      EXPECT_TRUE(r.error->drop);
    }
  }
}

TEST(ParserTortureTest, WsinvDetails) {
  auto r = parseMessage(readFile(tortureDir() / "wsinv.dat"));
  ASSERT_TRUE(r.ok());
  const Message& m = r.message;
  EXPECT_EQ(m.to().tag, "1918181833n");
  EXPECT_EQ(m.from().tag, "98asjd8");
  EXPECT_EQ(m.from().displayName, "J Rosenberg \\\\\\\"");
  EXPECT_EQ(m.maxForwards(), 68u);
  EXPECT_EQ(m.cseq().number, 9u);
  EXPECT_EQ(m.cseq().method, Method::Invite);
  ASSERT_EQ(m.vias().size(), 3u);
  EXPECT_EQ(m.vias()[0].protocol, "SIP/2.0");
  EXPECT_EQ(m.vias()[0].transport, "UDP");
  EXPECT_EQ(m.vias()[0].host, "192.0.2.2");
  EXPECT_EQ(m.vias()[1].branch, "z9hG4bK9ikj8");
  EXPECT_EQ(m.vias()[2].host, "192.168.255.111");
  EXPECT_EQ(m.vias()[2].branch, "z9hG4bK30239");
  EXPECT_EQ(m.headerValue("NewFangledHeader"), "newfangled value   continued newfangled value");
  EXPECT_EQ(m.headerValue("UnknownHeaderWithUnusualValue"), ";;,,;;,;");
  auto contacts = m.contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0].displayName, "Quoted string \\\"\\\"");
  EXPECT_EQ(contacts[0].param("newparam"), "newvalue");
  EXPECT_EQ(contacts[0].param("q"), "0.33");
  EXPECT_TRUE(contacts[0].param("secondparam").has_value());
  EXPECT_EQ(m.routes().size(), 1u);
  EXPECT_EQ(m.body().size(), 150u);
}

TEST(ParserTortureTest, IntmethDetails) {
  auto r = parseMessage(readFile(tortureDir() / "intmeth.dat"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.message.method(), Method::Unknown);
  EXPECT_EQ(r.message.methodName(), "!interesting-Method0123456789_*+`.%indeed'~");
  EXPECT_EQ(r.message.requestUri().user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(r.message.requestUri().password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(r.message.requestUri().host, "example.com");
  EXPECT_EQ(r.message.from().tag, "_token~1'+`*%!-.");
  EXPECT_EQ(r.message.from().displayName, "token1~` token2'+_ token3*%!.-");
}

TEST(ParserTortureTest, DblreqIgnoresTheSecondMessage) {
  auto r = parseMessage(readFile(tortureDir() / "dblreq.dat"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.message.method(), Method::Register);
  EXPECT_EQ(r.message.body(), "");
}

// --- Real Asterisk traces (LF in the files, CRLF on the wire).

// Extracts the first message of `trace` that begins with `startLine`: the text up to the next
// "----" separator line of the trace format, with CRLF line ends.
std::string extractMessage(const std::string& trace, std::string_view startLine) {
  std::size_t at = trace.find(startLine);
  if (at == std::string::npos) return {};
  std::size_t end = trace.find("\n----", at);
  if (end == std::string::npos) end = trace.size();
  return toCrlf(std::string_view(trace).substr(at, end + 1 - at));
}

std::string readTrace(const char* dir, const char* file) {
  return readFile(std::filesystem::path(CCSIP_SHARED_DIR) / "traces" / dir / file);
}

TEST(ParserTraceTest, PjsipNotifyWithPaddedContentLength) {
  std::string trace = readTrace("asterisk-20-pjsip", "mwi-message-summary.txt");
  ASSERT_FALSE(trace.empty());
  std::string notify = extractMessage(trace, "NOTIFY sip:");
  ASSERT_FALSE(notify.empty());
  auto r = parseMessage(notify);
  ASSERT_TRUE(r.ok()) << r.error->reason << "\n" << notify;
  EXPECT_EQ(r.message.method(), Method::Notify);
  EXPECT_FALSE(r.message.headerValue(HeaderId::SubscriptionState).empty());
  EXPECT_EQ(r.message.contentLength(), r.message.body().size());
}

TEST(ParserTraceTest, ChanSipMwiNotify) {
  std::string trace = readTrace("asterisk-20", "mwi-message-summary.txt");
  ASSERT_FALSE(trace.empty());
  std::string notify = extractMessage(trace, "NOTIFY sip:");
  ASSERT_FALSE(notify.empty());
  auto r = parseMessage(notify);
  ASSERT_TRUE(r.ok()) << r.error->reason << "\n" << notify;
  EXPECT_EQ(r.message.headerValue(HeaderId::Event), "message-summary");
  EXPECT_NE(r.message.body().find("Messages-Waiting"), std::string_view::npos);
}

TEST(ParserTraceTest, EveryTraceMessageParses) {
  for (const char* dir : {"asterisk-20", "asterisk-20-pjsip"}) {
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(CCSIP_SHARED_DIR) / "traces" / dir)) {
      if (entry.path().extension() != ".txt" || entry.path().filename() == "README.md") continue;
      std::string trace = readFile(entry.path());
      std::size_t pos = 0;
      int parsed = 0;
      while (true) {
        // Start lines: "SIP/2.0 ..." or "<METHOD> sip:" at the beginning of a line.
        std::size_t next = std::string::npos;
        for (std::string_view start : {"\nSIP/2.0 ", "\nINVITE sip:", "\nACK sip:", "\nBYE sip:",
                                       "\nCANCEL sip:", "\nOPTIONS sip:", "\nREGISTER sip:",
                                       "\nSUBSCRIBE sip:", "\nNOTIFY sip:", "\nPUBLISH sip:"}) {
          next = std::min(next, trace.find(start, pos));
        }
        if (next == std::string::npos) break;
        std::string message = extractMessage(trace.substr(next + 1), "");
        pos = next + 1;
        if (message.empty()) continue;
        auto r = parseMessage(message);
        EXPECT_TRUE(r.ok()) << entry.path() << ": " << (r.error ? r.error->reason : "") << "\n"
                            << message;
        ++parsed;
      }
      EXPECT_GT(parsed, 0) << entry.path();
    }
  }
}

}  // namespace
}  // namespace ccsip::sip
