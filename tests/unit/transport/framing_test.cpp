#include "sip/transport/framing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccsip::sip::transport {
namespace {

std::string request(std::string_view body, std::string_view lengthHeader = "Content-Length") {
  std::string m =
      "MESSAGE sip:bob@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:bob@example.com>\r\n"
      "From: <sip:alice@example.com>;tag=1928301774\r\n"
      "Call-ID: a84b4c76e66710@pc33\r\n"
      "CSeq: 1 MESSAGE\r\n";
  m += lengthHeader;
  m += ": " + std::to_string(body.size()) + "\r\n\r\n";
  m += body;
  return m;
}

// A frame as the tests compare it: kind and bytes.
struct Cut {
  FrameKind kind;
  std::string bytes;
  bool operator==(const Cut&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Cut& cut) {
  return os << static_cast<int>(cut.kind) << ":" << cut.bytes.size() << " bytes";
}

void drain(StreamFramer& framer, std::vector<Cut>& out) {
  for (;;) {
    Frame frame = framer.next();
    if (frame.kind == FrameKind::NeedMore) return;
    out.push_back({frame.kind, std::move(frame.bytes)});
    if (frame.kind == FrameKind::TooLarge || frame.kind == FrameKind::Malformed) return;
  }
}

std::vector<Cut> frameWhole(std::string_view stream) {
  StreamFramer framer;
  framer.append(stream);
  std::vector<Cut> out;
  drain(framer, out);
  return out;
}

std::vector<Cut> frameInChunks(std::string_view stream, std::size_t chunk) {
  StreamFramer framer;
  std::vector<Cut> out;
  for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
    framer.append(stream.substr(pos, chunk));
    drain(framer, out);
  }
  return out;
}

TEST(StreamFramer, CutsOneMessage) {
  const std::string m = request("hello");
  const auto cuts = frameWhole(m);
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0], (Cut{FrameKind::Message, m}));
}

TEST(StreamFramer, MessageWithoutBody) {
  const std::string m = request("");
  EXPECT_EQ(frameWhole(m), (std::vector<Cut>{{FrameKind::Message, m}}));
}

TEST(StreamFramer, WaitsForTheWholeBody) {
  const std::string m = request("0123456789");
  StreamFramer framer;
  framer.append(std::string_view(m).substr(0, m.size() - 1));
  EXPECT_EQ(framer.next().kind, FrameKind::NeedMore);
  framer.append(std::string_view(m).substr(m.size() - 1));
  const Frame frame = framer.next();
  EXPECT_EQ(frame.kind, FrameKind::Message);
  EXPECT_EQ(frame.bytes, m);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(StreamFramer, SeveralMessagesInOneRead) {
  const std::string a = request("first");
  const std::string b = request("");
  const std::string c = request(std::string(1000, 'x'));
  const auto cuts = frameWhole(a + b + c);
  EXPECT_EQ(cuts, (std::vector<Cut>{
                      {FrameKind::Message, a}, {FrameKind::Message, b}, {FrameKind::Message, c}}));
}

TEST(StreamFramer, KeepsTheStartOfTheNextMessage) {
  const std::string a = request("first");
  const std::string b = request("second");
  StreamFramer framer;
  framer.append(a + b.substr(0, 10));
  Frame frame = framer.next();
  EXPECT_EQ(frame.bytes, a);
  EXPECT_EQ(framer.next().kind, FrameKind::NeedMore);
  EXPECT_EQ(framer.buffered(), 10u);
  framer.append(b.substr(10));
  frame = framer.next();
  EXPECT_EQ(frame.bytes, b);
}

// Every way of splitting a stream in two, and every chunk size, gives the same frames.
TEST(StreamFramer, SplitAtEveryByteBoundary) {
  const std::string a = request("body of a");
  const std::string b = request("");
  const std::string c = request("the third\r\n\r\nwith blank lines in its body");
  // RFC 5626 4.4.1 keepalives between messages and a pong-like single CRLF before the first.
  const std::string stream = "\r\n" + a + "\r\n\r\n" + b + c + "\r\n\r\n";
  const std::vector<Cut> expected{{FrameKind::Message, a},
                                  {FrameKind::Ping, ""},
                                  {FrameKind::Message, b},
                                  {FrameKind::Message, c},
                                  {FrameKind::Ping, ""}};
  ASSERT_EQ(frameWhole(stream), expected);
  for (std::size_t split = 1; split < stream.size(); ++split) {
    StreamFramer framer;
    std::vector<Cut> out;
    framer.append(std::string_view(stream).substr(0, split));
    drain(framer, out);
    framer.append(std::string_view(stream).substr(split));
    drain(framer, out);
    ASSERT_EQ(out, expected) << "split at " << split;
  }
  for (std::size_t chunk = 1; chunk <= 64; ++chunk) {
    ASSERT_EQ(frameInChunks(stream, chunk), expected) << "chunk " << chunk;
  }
}

TEST(StreamFramer, PrepareAndCommitReadInPlace) {
  const std::string m = request("in place");
  StreamFramer framer;
  for (const char c : m) {
    auto space = framer.prepare(16);
    ASSERT_GE(space.size(), 16u);
    space[0] = c;
    framer.commit(1);
  }
  const Frame frame = framer.next();
  EXPECT_EQ(frame.kind, FrameKind::Message);
  EXPECT_EQ(frame.bytes, m);
}

TEST(StreamFramer, ReleaseIfEmptyKeepsPartialData) {
  const std::string m = request("body");
  StreamFramer framer;
  framer.append(std::string_view(m).substr(0, 20));
  EXPECT_EQ(framer.next().kind, FrameKind::NeedMore);
  framer.releaseIfEmpty();  // 20 bytes buffered: kept
  framer.append(std::string_view(m).substr(20));
  EXPECT_EQ(framer.next().bytes, m);
  framer.releaseIfEmpty();  // empty: freed, and usable again
  EXPECT_EQ(framer.buffered(), 0u);
  framer.append(m);
  EXPECT_EQ(framer.next().bytes, m);
}

TEST(StreamFramer, DoubleCrlfIsAPing) {
  EXPECT_EQ(frameWhole("\r\n\r\n"), (std::vector<Cut>{{FrameKind::Ping, ""}}));
  EXPECT_EQ(frameWhole("\r\n\r\n\r\n\r\n"),
            (std::vector<Cut>{{FrameKind::Ping, ""}, {FrameKind::Ping, ""}}));
}

TEST(StreamFramer, SingleCrlfIsIgnored) {
  // A pong (the answer to our own ping) must not be answered.
  EXPECT_TRUE(frameWhole("\r\n").empty());
  const std::string m = request("");
  EXPECT_EQ(frameWhole("\r\n" + m), (std::vector<Cut>{{FrameKind::Message, m}}));
}

TEST(StreamFramer, PingSplitAcrossReads) {
  StreamFramer framer;
  framer.append("\r\n");
  EXPECT_EQ(framer.next().kind, FrameKind::NeedMore);
  framer.append("\r");
  EXPECT_EQ(framer.next().kind, FrameKind::NeedMore);
  framer.append("\n");
  EXPECT_EQ(framer.next().kind, FrameKind::Ping);
  EXPECT_EQ(framer.next().kind, FrameKind::NeedMore);
}

TEST(StreamFramer, CrlfInsideAMessageIsNotAPing) {
  // The head is incomplete: the CRLFs belong to it, they are not between messages.
  const std::string m = request("x");
  const auto cuts = frameInChunks(m, 1);
  EXPECT_EQ(cuts, (std::vector<Cut>{{FrameKind::Message, m}}));
}

TEST(StreamFramer, CompactContentLength) {
  const std::string m = request("abc", "l");
  EXPECT_EQ(frameWhole(m + m),
            (std::vector<Cut>{{FrameKind::Message, m}, {FrameKind::Message, m}}));
}

TEST(StreamFramer, ContentLengthNameIsCaseInsensitive) {
  for (const char* name : {"content-length", "CONTENT-LENGTH", "Content-length", "L"}) {
    const std::string m = request("abcd", name);
    EXPECT_EQ(frameWhole(m), (std::vector<Cut>{{FrameKind::Message, m}})) << name;
  }
}

TEST(StreamFramer, ContentLengthWithLinearWhitespace) {
  const std::string head =
      "OPTIONS sip:a@b SIP/2.0\r\n"
      "Via: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"
      "Content-Length \t:   \t 4 \t \r\n"
      "\r\n";
  EXPECT_EQ(frameWhole(head + "abcd"), (std::vector<Cut>{{FrameKind::Message, head + "abcd"}}));
  // RFC 3261 7.3.1: the value may be on a continuation line.
  const std::string folded =
      "OPTIONS sip:a@b SIP/2.0\r\n"
      "Content-Length:\r\n"
      "   4\r\n"
      "Via: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"
      "\r\n";
  EXPECT_EQ(frameWhole(folded + "abcd"), (std::vector<Cut>{{FrameKind::Message, folded + "abcd"}}));
}

TEST(StreamFramer, ToleratesBareLineFeeds) {
  const std::string m = "OPTIONS sip:a@b SIP/2.0\nContent-Length: 2\n\nok";
  EXPECT_EQ(frameWhole(m), (std::vector<Cut>{{FrameKind::Message, m}}));
}

TEST(StreamFramer, EqualDuplicateContentLengthsAreAccepted) {
  const std::string m = "OPTIONS sip:a@b SIP/2.0\r\nl: 2\r\nContent-Length: 2\r\n\r\nok";
  EXPECT_EQ(frameWhole(m), (std::vector<Cut>{{FrameKind::Message, m}}));
}

TEST(StreamFramer, MissingContentLengthIsMalformed) {
  // RFC 3261 18.3: mandatory over streams.
  const std::string m = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n";
  StreamFramer framer;
  framer.append(m);
  const Frame frame = framer.next();
  EXPECT_EQ(frame.kind, FrameKind::Malformed);
  EXPECT_EQ(frame.error, "missing Content-Length");
  EXPECT_TRUE(framer.failed());
  // Failed for good: nothing more is framed.
  framer.append(request(""));
  EXPECT_EQ(framer.next().kind, FrameKind::Malformed);
}

TEST(StreamFramer, BadContentLengthIsMalformed) {
  for (const char* value : {"abc", "-1", "1 2", "12a", "", "0x10", "+5"}) {
    const std::string m =
        std::string("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: ") + value + "\r\n\r\n";
    const auto cuts = frameWhole(m);
    ASSERT_EQ(cuts.size(), 1u) << value;
    EXPECT_EQ(cuts[0].kind, FrameKind::Malformed) << value;
  }
}

TEST(StreamFramer, ConflictingContentLengthsAreMalformed) {
  const std::string m = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2\r\nl: 3\r\n\r\nabc";
  const auto cuts = frameWhole(m);
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0].kind, FrameKind::Malformed);
}

// A request of exactly `size` bytes (the Content-Length digits count too).
std::string requestOfSize(std::size_t size) {
  const std::size_t empty = request("").size();  // Content-Length: 0, one digit
  for (std::size_t digits = 1; digits < 8; ++digits) {
    if (size < empty + digits - 1) break;
    const std::size_t body = size - empty - (digits - 1);
    if (std::to_string(body).size() == digits) return request(std::string(body, 'b'));
  }
  return {};
}

TEST(StreamFramer, MessageOfExactlyTheLimitIsAccepted) {
  const std::string m = requestOfSize(kMaxStreamMessageSize);
  ASSERT_EQ(m.size(), kMaxStreamMessageSize);
  EXPECT_EQ(frameInChunks(m, 1000), (std::vector<Cut>{{FrameKind::Message, m}}));
}

TEST(StreamFramer, OneByteOverTheLimitIsTooLarge) {
  const std::string m = requestOfSize(kMaxStreamMessageSize + 1);
  ASSERT_EQ(m.size(), kMaxStreamMessageSize + 1);
  const std::size_t body = m.size() - (m.find("\r\n\r\n") + 4);
  StreamFramer framer;
  // Known from the head alone, before any of the body arrives.
  const std::size_t headSize = m.size() - body;
  framer.append(std::string_view(m).substr(0, headSize));
  const Frame frame = framer.next();
  EXPECT_EQ(frame.kind, FrameKind::TooLarge);
  EXPECT_EQ(frame.bytes, m.substr(0, headSize));  // the head, for the 513
  EXPECT_TRUE(framer.failed());
  EXPECT_EQ(framer.next().kind, FrameKind::TooLarge);
}

TEST(StreamFramer, EndlessHeadIsTooLarge) {
  StreamFramer framer;
  const std::string start = "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n";
  framer.append(start);
  const std::string line = "X-Filler: " + std::string(100, 'f') + "\r\n";
  Frame frame;
  while (framer.buffered() <= kMaxStreamMessageSize) {
    framer.append(line);
    frame = framer.next();
    if (frame.kind != FrameKind::NeedMore) break;
  }
  ASSERT_EQ(frame.kind, FrameKind::TooLarge);
  EXPECT_EQ(frame.bytes.size(), kMaxStreamMessageSize);
  EXPECT_TRUE(frame.bytes.starts_with(start));
}

TEST(StreamFramer, HugeContentLengthIsTooLarge) {
  const auto cuts = frameWhole(
      "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 99999999999999999999999999999\r\n\r\n");
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0].kind, FrameKind::TooLarge);
}

TEST(StreamFramer, SmallerLimit) {
  StreamFramer framer(100);
  framer.append(request(""));
  EXPECT_EQ(framer.next().kind, FrameKind::TooLarge);
}

TEST(ReadContentLength, Statuses) {
  EXPECT_EQ(readContentLength("A sip:x SIP/2.0\r\n\r\n").status, ContentLengthStatus::Missing);
  const ContentLength ok = readContentLength("A sip:x SIP/2.0\r\nl:  017\r\n\r\n");
  EXPECT_EQ(ok.status, ContentLengthStatus::Ok);
  EXPECT_EQ(ok.value, 17u);
  // Not a Content-Length: a longer name, or the text in another header's value.
  EXPECT_EQ(readContentLength("A sip:x SIP/2.0\r\nLength: 1\r\nX: l: 2\r\n\r\n").status,
            ContentLengthStatus::Missing);
  // The start line is never a header, even when it looks like one.
  EXPECT_EQ(readContentLength("l: 5\r\n\r\n").status, ContentLengthStatus::Missing);
}

TEST(FindHeadEnd, Variants) {
  EXPECT_EQ(findHeadEnd("A\r\n\r\nbody"), 5u);
  EXPECT_EQ(findHeadEnd("A\n\nbody"), 3u);
  EXPECT_EQ(findHeadEnd("A\r\nB: c\r\n"), std::nullopt);
  EXPECT_EQ(findHeadEnd("A\r\nB: c\r\n\r"), std::nullopt);
  EXPECT_EQ(findHeadEnd(""), std::nullopt);
}

}  // namespace
}  // namespace ccsip::sip::transport
