#include "sip/sdp.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace ccsip::sip::sdp {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sharedPath(const std::string& relative) {
  return std::string(CCSIP_SHARED_DIR) + "/" + relative;
}

// The body of the first message of a trace file (LF line ends, "----" separators) whose
// description line contains `direction` and whose start line begins with `startLine`.
std::string traceBody(const std::string& file, const std::string& direction,
                      const std::string& startLine) {
  const std::string text = readFile(sharedPath(file));
  std::size_t pos = 0;
  while ((pos = text.find("\n----\n", pos)) != std::string::npos) {
    pos += 6;
    const std::size_t end = text.find("\n----", pos);
    const std::string block = text.substr(pos, end == std::string::npos ? end : end - pos);
    const std::size_t firstNl = block.find('\n');
    if (firstNl == std::string::npos) continue;
    if (block.substr(0, firstNl).find(direction) == std::string::npos) continue;
    if (block.compare(firstNl + 1, startLine.size(), startLine) != 0) continue;
    const std::size_t blank = block.find("\n\n");
    if (blank == std::string::npos) continue;
    return block.substr(blank + 2) + "\n";
  }
  return {};
}

std::string toCrlf(const std::string& lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

SessionDescription parseOk(std::string_view text) {
  auto r = parseSdp(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r.value()) : SessionDescription{};
}

TEST(SdpTest, AsteriskChanSipOfferParsesAndRoundTripsToTheWireBytes) {
  const std::string body =
      traceBody("traces/asterisk-20/inbound-to-routing-point.txt", "-> 127.0.0.1:5060", "INVITE ");
  ASSERT_FALSE(body.empty()) << "Asterisk INVITE not found in the trace";
  SessionDescription sdp = parseOk(body);  // LF-only line ends, as the trace shows them

  EXPECT_EQ(sdp.version, 0);
  EXPECT_EQ(sdp.origin.username, "root");
  EXPECT_EQ(sdp.origin.sessionId, "1203148836");
  EXPECT_EQ(sdp.origin.sessionVersion, 1203148836u);
  EXPECT_EQ(sdp.origin.netType, "IN");
  EXPECT_EQ(sdp.origin.addrType, "IP4");
  EXPECT_EQ(sdp.origin.address, "127.0.0.1");
  EXPECT_EQ(sdp.sessionName, "Asterisk PBX 20.20.1");
  ASSERT_TRUE(sdp.connection.has_value());
  EXPECT_EQ(sdp.connection->address, "127.0.0.1");
  ASSERT_EQ(sdp.timings.size(), 1u);
  EXPECT_EQ(sdp.timings[0].start, 0u);
  EXPECT_EQ(sdp.timings[0].stop, 0u);

  ASSERT_EQ(sdp.media.size(), 1u);
  const MediaDescription& audio = sdp.media[0];
  EXPECT_EQ(audio.media, "audio");
  EXPECT_EQ(audio.port, 10166);
  EXPECT_EQ(audio.proto, "RTP/AVP");
  EXPECT_EQ(audio.formats, (std::vector<std::string>{"0", "8", "101"}));
  ASSERT_EQ(audio.rtpMaps.size(), 3u);
  EXPECT_EQ(audio.rtpMaps[0], (RtpMap{0, "PCMU", 8000, std::nullopt}));
  EXPECT_EQ(audio.rtpMaps[1], (RtpMap{8, "PCMA", 8000, std::nullopt}));
  EXPECT_EQ(audio.rtpMaps[2], (RtpMap{101, "telephone-event", 8000, std::nullopt}));
  ASSERT_NE(audio.findFmtp("101"), nullptr);
  EXPECT_EQ(audio.findFmtp("101")->parameters, "0-16");
  EXPECT_EQ(audio.ptime, 20u);
  EXPECT_EQ(audio.maxPtime, 140u);
  EXPECT_EQ(audio.direction, Direction::SendRecv);
  EXPECT_TRUE(audio.attributes.empty());
  EXPECT_EQ(effectiveDirection(sdp, audio), Direction::SendRecv);
  EXPECT_FALSE(isOnHold(sdp));

  // Written back with CRLF it is byte for byte what was on the wire (Content-Length: 270).
  const std::string wire = toString(sdp);
  EXPECT_EQ(wire, toCrlf(body));
  EXPECT_EQ(wire.size(), 270u);
}

TEST(SdpTest, AsteriskPjsipOfferParsesAndRoundTrips) {
  const std::string body = traceBody("traces/asterisk-20-pjsip/inbound-to-routing-point.txt",
                                     "-> 127.0.0.1:5060", "INVITE ");
  ASSERT_FALSE(body.empty()) << "Asterisk INVITE not found in the trace";
  SessionDescription sdp = parseOk(toCrlf(body));
  EXPECT_EQ(sdp.origin.username, "-");
  EXPECT_EQ(sdp.origin.sessionVersion, 182055715u);
  EXPECT_EQ(sdp.sessionName, "Asterisk");
  ASSERT_EQ(sdp.media.size(), 1u);
  EXPECT_EQ(sdp.media[0].port, 12052);
  EXPECT_EQ(sdp.media[0].rtpMaps.size(), 3u);
  EXPECT_EQ(sdp.media[0].ptime, 20u);
  EXPECT_EQ(sdp.media[0].maxPtime, 140u);
  const std::string wire = toString(sdp);
  EXPECT_EQ(wire, toCrlf(body));
  EXPECT_EQ(wire.size(), 253u);  // the INVITE's Content-Length
}

TEST(SdpTest, SippAnswerWithoutPtimeRoundTrips) {
  const std::string body = traceBody("traces/asterisk-20/inbound-to-routing-point.txt",
                                     "127.0.0.1:5060 -> 127.0.0.1:5070", "SIP/2.0 200 OK");
  ASSERT_FALSE(body.empty());
  SessionDescription sdp = parseOk(body);
  EXPECT_EQ(sdp.media[0].formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_FALSE(sdp.media[0].ptime.has_value());
  EXPECT_EQ(toString(sdp), toCrlf(body));
  EXPECT_EQ(toString(sdp).size(), 201u);
}

TEST(SdpTest, Rfc4475Sdp01BodyKeepsTheMalformedRtpmapVerbatim) {
  const std::string message = readFile(sharedPath("torture/rfc4475/sdp01.dat"));
  ASSERT_FALSE(message.empty()) << "missing " << sharedPath("torture/rfc4475/sdp01.dat");
  const std::string body = message.substr(message.find("\r\n\r\n") + 4);
  ASSERT_EQ(body.size(), 150u);
  SessionDescription sdp = parseOk(body);
  EXPECT_EQ(sdp.origin.username, "mhandley");
  EXPECT_EQ(sdp.origin.sessionId, "29739");
  EXPECT_EQ(sdp.origin.sessionVersion, 7272939u);
  EXPECT_EQ(sdp.connection->address, "192.0.2.5");
  ASSERT_EQ(sdp.media.size(), 2u);
  EXPECT_EQ(sdp.media[0].media, "audio");
  EXPECT_EQ(sdp.media[0].formats, (std::vector<std::string>{"0", "12"}));
  EXPECT_EQ(sdp.media[1].media, "video");
  EXPECT_EQ(sdp.media[1].port, 3227);
  // "a=rtpmap:31 LPC" has no clock rate: not a usable rtpmap, but not a reason to reject.
  EXPECT_TRUE(sdp.media[1].rtpMaps.empty());
  ASSERT_EQ(sdp.media[1].attributes.size(), 1u);
  EXPECT_EQ(sdp.media[1].attributes[0], (Attribute{"rtpmap", "31 LPC", true}));
  EXPECT_EQ(toString(sdp), body);
}

TEST(SdpTest, LfAndCrlfGiveTheSameModel) {
  const std::string lf =
      "v=0\no=- 1 2 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
      "m=audio 4000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n";
  EXPECT_EQ(parseOk(lf), parseOk(toCrlf(lf)));
  // A missing final line end, trailing blanks and empty lines are tolerated.
  EXPECT_EQ(parseOk(lf), parseOk("v=0\r\no=- 1 2 IN IP4 192.0.2.1 \r\n\r\ns=-\r\n"
                                 "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
                                 "a=rtpmap:0 PCMU/8000"));
}

TEST(SdpTest, EveryLineTypeRoundTripsInRfcOrder) {
  const std::string text =
      "v=0\r\n"
      "o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\r\n"
      "s=SDP Seminar\r\n"
      "i=A Seminar on the session description protocol\r\n"
      "u=http://www.example.com/seminars/sdp.pdf\r\n"
      "e=j.doe@example.com (Jane Doe)\r\n"
      "p=+1 617 555-6011\r\n"
      "c=IN IP4 224.2.17.12/127\r\n"
      "b=CT:128\r\n"
      "t=2873397496 2873404696\r\n"
      "r=7d 1h 0 25h\r\n"
      "t=0 0\r\n"
      "z=2882844526 -1h 2898848070 0\r\n"
      "k=prompt\r\n"
      "a=group:BUNDLE 0 1\r\n"
      "a=recvonly\r\n"
      "m=audio 49170/2 RTP/AVP 0 96\r\n"
      "i=voice\r\n"
      "c=IN IP4 224.2.17.12/127\r\n"
      "c=IN IP4 224.2.17.13/127\r\n"
      "b=AS:64\r\n"
      "b=TIAS:64000\r\n"
      "k=prompt\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:96 opus/48000/2\r\n"
      "a=fmtp:96 minptime=10;useinbandfec=1\r\n"
      "a=ptime:20\r\n"
      "a=maxptime:60\r\n"
      "a=mid:0\r\n"
      "a=rtcp-mux\r\n"
      "a=candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host\r\n"
      "a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx\r\n"
      "a=sendonly\r\n"
      "m=video 0 RTP/AVP 31\r\n"
      "a=mid:1\r\n";
  SessionDescription sdp = parseOk(text);
  EXPECT_EQ(sdp.information, "A Seminar on the session description protocol");
  EXPECT_EQ(sdp.uri, "http://www.example.com/seminars/sdp.pdf");
  EXPECT_EQ(sdp.emails.size(), 1u);
  EXPECT_EQ(sdp.phones.size(), 1u);
  EXPECT_EQ(sdp.connection->address, "224.2.17.12/127");
  EXPECT_EQ(sdp.bandwidths, (std::vector<Bandwidth>{{"CT", 128}}));
  ASSERT_EQ(sdp.timings.size(), 2u);
  EXPECT_EQ(sdp.timings[0].repeats, (std::vector<std::string>{"7d 1h 0 25h"}));
  EXPECT_EQ(sdp.timeZones, "2882844526 -1h 2898848070 0");
  EXPECT_EQ(sdp.direction, Direction::RecvOnly);
  EXPECT_EQ(sdp.attributes, (std::vector<Attribute>{{"group", "BUNDLE 0 1", true}}));

  const MediaDescription& audio = sdp.media[0];
  EXPECT_EQ(audio.portCount, 2u);
  EXPECT_EQ(audio.connections.size(), 2u);
  EXPECT_EQ(audio.bandwidths.size(), 2u);
  EXPECT_EQ(*audio.findRtpMap(96), (RtpMap{96, "opus", 48000, 2u}));
  EXPECT_EQ(audio.findFmtp("96")->parameters, "minptime=10;useinbandfec=1");
  EXPECT_EQ(audio.ptime, 20u);
  EXPECT_EQ(audio.maxPtime, 60u);
  ASSERT_EQ(audio.attributes.size(), 4u);  // kept verbatim, in order
  EXPECT_EQ(audio.attributes[0], (Attribute{"mid", "0", true}));
  EXPECT_EQ(audio.attributes[1], (Attribute{"rtcp-mux", "", false}));
  EXPECT_EQ(audio.attributes[2].value, "1 1 UDP 2130706431 10.0.1.1 8998 typ host");
  EXPECT_EQ(audio.attributes[3].value, "2 1 UDP 1694498815 192.0.2.3 45664 typ srflx");
  EXPECT_EQ(effectiveDirection(sdp, audio), Direction::SendOnly);
  EXPECT_EQ(effectiveDirection(sdp, sdp.media[1]), Direction::RecvOnly);

  EXPECT_EQ(toString(sdp), text);
}

TEST(SdpTest, AttributesAreWrittenInACanonicalOrder) {
  // Direction first and fmtp before its rtpmap on input; written rtpmaps, fmtps, ptime,
  // others, direction.
  SessionDescription sdp = parseOk(
      "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 18 101\r\n"
      "a=inactive\r\na=fmtp:18 annexb=no\r\na=x-custom:1\r\na=ptime:30\r\n"
      "a=fmtp:101 0-15\r\na=rtpmap:101 telephone-event/8000\r\n");
  EXPECT_EQ(toString(sdp),
            "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 18 101\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:18 annexb=no\r\na=fmtp:101 0-15\r\n"
            "a=ptime:30\r\na=x-custom:1\r\na=inactive\r\n");
}

TEST(SdpTest, SessionLevelDirectionAppliesUnlessTheStreamHasItsOwn) {
  SessionDescription sdp = parseOk(
      "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\na=sendonly\r\n"
      "m=audio 1000 RTP/AVP 0\r\nm=video 1002 RTP/AVP 31\r\na=sendrecv\r\n");
  EXPECT_EQ(effectiveDirection(sdp, sdp.media[0]), Direction::SendOnly);
  EXPECT_EQ(effectiveDirection(sdp, sdp.media[1]), Direction::SendRecv);
  EXPECT_TRUE(isStreamOnHold(sdp, sdp.media[0]));
  EXPECT_FALSE(isStreamOnHold(sdp, sdp.media[1]));
  EXPECT_FALSE(isOnHold(sdp));
}

TEST(SdpTest, HoldAndRetrieveBySettingTheDirection) {
  const std::string body =
      traceBody("traces/asterisk-20/inbound-to-routing-point.txt", "-> 127.0.0.1:5060", "INVITE ");
  SessionDescription sdp = parseOk(body);
  sdp.direction = Direction::RecvOnly;  // setDirection must override a session-level one

  setDirection(sdp, Direction::SendOnly);
  bumpVersion(sdp);
  EXPECT_TRUE(isOnHold(sdp));
  EXPECT_EQ(sdp.origin.sessionVersion, 1203148837u);
  const std::string held = toString(sdp);
  EXPECT_NE(held.find("o=root 1203148836 1203148837 IN IP4 127.0.0.1\r\n"), std::string::npos);
  EXPECT_NE(held.find("a=sendonly\r\n"), std::string::npos);
  EXPECT_EQ(held.find("a=sendrecv"), std::string::npos);
  EXPECT_EQ(held.find("a=recvonly"), std::string::npos);

  SessionDescription reparsed = parseOk(held);
  EXPECT_TRUE(isOnHold(reparsed));
  setDirection(reparsed, Direction::Inactive);
  EXPECT_TRUE(isOnHold(reparsed));
  setDirection(reparsed, Direction::SendRecv);
  EXPECT_FALSE(isOnHold(reparsed));
}

TEST(SdpTest, Rfc2543HoldWithNullConnectionAddress) {
  SessionDescription sdp = parseOk(
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 1000 RTP/AVP 0\r\n");
  EXPECT_EQ(effectiveDirection(sdp, sdp.media[0]), Direction::SendRecv);
  EXPECT_TRUE(isOnHold(sdp));
  // A media-level c= overrides the session one.
  sdp.media[0].connections.push_back(Connection{"IN", "IP4", "192.0.2.9"});
  EXPECT_FALSE(isOnHold(sdp));
  EXPECT_EQ(effectiveConnection(sdp, sdp.media[0])->address, "192.0.2.9");
}

TEST(SdpTest, RejectedStreamsAreNeverOnHold) {
  SessionDescription sdp =
      parseOk("v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\na=inactive\r\n");
  EXPECT_FALSE(isStreamOnHold(sdp, sdp.media[0]));
  EXPECT_FALSE(isOnHold(sdp));
}

TEST(SdpTest, AnswerDirectionMirrorsTheOffer) {
  EXPECT_EQ(answerDirection(Direction::SendOnly), Direction::RecvOnly);
  EXPECT_EQ(answerDirection(Direction::RecvOnly), Direction::SendOnly);
  EXPECT_EQ(answerDirection(Direction::Inactive), Direction::Inactive);
  EXPECT_EQ(answerDirection(Direction::SendRecv), Direction::SendRecv);
  EXPECT_EQ(directionFromName("sendonly"), Direction::SendOnly);
  EXPECT_EQ(directionFromName("SENDONLY"), std::nullopt);
}

TEST(SdpTest, BuiltFromScratch) {
  SessionDescription sdp;
  sdp.origin = Origin{"ccsip", "42", 1, "IN", "IP4", "192.0.2.10"};
  sdp.sessionName = "ccsip";
  sdp.connection = Connection{"IN", "IP4", "192.0.2.10"};
  MediaDescription audio;
  audio.port = 20000;
  audio.formats = {"8", "101"};
  audio.rtpMaps = {{8, "PCMA", 8000, std::nullopt}, {101, "telephone-event", 8000, std::nullopt}};
  audio.fmtps = {{"101", "0-16"}};
  audio.ptime = 20;
  audio.direction = Direction::SendRecv;
  sdp.media.push_back(audio);
  const std::string text = toString(sdp);
  EXPECT_EQ(text,
            "v=0\r\no=ccsip 42 1 IN IP4 192.0.2.10\r\ns=ccsip\r\nc=IN IP4 192.0.2.10\r\n"
            "t=0 0\r\nm=audio 20000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n"
            "a=sendrecv\r\n");
  SessionDescription back = parseOk(text);
  sdp.timings.push_back(Timing{});  // "t=0 0" was written for the empty list
  EXPECT_EQ(back, sdp);
}

TEST(SdpTest, EmptySessionNameIsWrittenAsSpace) {
  SessionDescription sdp = parseOk("v=0\r\no=- 1 2 IN IP4 h\r\ns=\r\nt=0 0\r\n");
  EXPECT_EQ(sdp.sessionName, "");
  EXPECT_NE(toString(sdp).find("s= \r\n"), std::string::npos);
  EXPECT_EQ(parseOk(toString(sdp)), sdp);
}

TEST(SdpTest, MalformedDescriptionsAreErrorsNotExceptions) {
  const char* bad[] = {
      "",
      "\r\n\r\n",
      "o=- 1 2 IN IP4 h\r\nv=0\r\ns=-\r\nt=0 0\r\n",                     // v= not first
      "v=0\r\ns=-\r\nt=0 0\r\n",                                         // no o=
      "v=0\r\no=- 1 2 IN IP4 h\r\nt=0 0\r\n",                            // no s=
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\n",                              // no t=
      "v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n",                       // o= with 5 fields
      "v=0\r\no=- 1 x IN IP4 h\r\ns=-\r\nt=0 0\r\n",                     // non-numeric sess-version
      "v=0\r\no=- 1 99999999999999999999 IN IP4 h\r\ns=-\r\nt=0 0\r\n",  // > 64 bits
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 65536 RTP/AVP 0\r\n",
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n",
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1\r\n",
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nm =video 3227 RTP/AVP 31\r\n",  // dblreq
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nx=unknown\r\n",
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\nt=0 0\r\n",
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nc=IN IP4\r\nt=0 0\r\n",
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nb=AS\r\nt=0 0\r\n",
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nr=1d 1h 0\r\nt=0 0\r\n",
      "v=0\r\nv=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\n",
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\ns=-\r\nt=0 0\r\n",
      "v=0\r\nm=audio 1 RTP/AVP 0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\n",
  };
  for (const char* text : bad) {
    auto r = parseSdp(text);
    EXPECT_FALSE(r.ok()) << "accepted: " << text;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, 400);
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

TEST(SdpTest, MalformedTypedAttributesStayVerbatim) {
  SessionDescription sdp = parseOk(
      "v=0\r\no=- 1 2 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n"
      "a=rtpmap:200 X/8000\r\na=rtpmap:0 PCMU\r\na=ptime:20.5\r\na=fmtp:0\r\n"
      "a=sendrecv:x\r\n");
  const MediaDescription& m = sdp.media[0];
  EXPECT_TRUE(m.rtpMaps.empty());
  EXPECT_TRUE(m.fmtps.empty());
  EXPECT_FALSE(m.ptime.has_value());
  EXPECT_FALSE(m.direction.has_value());
  EXPECT_EQ(m.attributes.size(), 5u);
  EXPECT_EQ(parseOk(toString(sdp)), sdp);
}

}  // namespace
}  // namespace ccsip::sip::sdp
