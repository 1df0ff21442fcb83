// Micro benchmarks of the SIP core's text handling: parse and serialize the messages a
// contact-center B2BUA sees most (Asterisk's INVITE with SDP, a 200 OK, a presence NOTIFY).
// The messages are the real ones of shared/traces/asterisk-20, byte for byte (CRLF restored).
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "sip/parser.h"
#include "sip/request_validation.h"
#include "sip/sdp.h"
#include "sip/serializer.h"

namespace {

using ccsip::sip::Framing;
using ccsip::sip::parseMessage;
using ccsip::sip::ParseResult;

// Asterisk 20 chan_sip INVITE to a routing point (inbound-to-routing-point.txt), 826 bytes.
constexpr std::string_view kInvite =
    "INVITE sip:8000@127.0.0.1:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK2b9dc622;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:2000@127.0.0.1:5070>;tag=as018c1714\r\n"
    "To: <sip:8000@127.0.0.1:5060>\r\n"
    "Contact: <sip:2000@127.0.0.1:5070>\r\n"
    "Call-ID: 601c92114a50658915a5dd3a7af290b1@127.0.0.1:5070\r\n"
    "CSeq: 102 INVITE\r\n"
    "User-Agent: Asterisk PBX 20.20.1\r\n"
    "Date: Fri, 27 Nov 2026 13:31:38 GMT\r\n"
    "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE\r\n"
    "Supported: replaces, timer\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 270\r\n"
    "\r\n"
    "v=0\r\n"
    "o=root 1203148836 1203148836 IN IP4 127.0.0.1\r\n"
    "s=Asterisk PBX 20.20.1\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 10166 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=maxptime:140\r\n"
    "a=sendrecv\r\n";

// Asterisk 20 chan_pjsip INVITE to a routing point (asterisk-20-pjsip), 905 bytes.
constexpr std::string_view kInvitePjsip =
    "INVITE sip:8000@127.0.0.1:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5080;rport;branch=z9hG4bKPj224d5ba6-39c1-497f-987d-db40a2c111d3\r\n"
    "From: <sip:2000@127.0.0.1>;tag=6978514b-97b7-405c-b84f-0b7815891ba3\r\n"
    "To: <sip:8000@127.0.0.1>\r\n"
    "Contact: <sip:asterisk@127.0.0.1:5080>\r\n"
    "Call-ID: bef2487e-5c02-49b6-869c-9da127605972\r\n"
    "CSeq: 21535 INVITE\r\n"
    "Allow: OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, INVITE, ACK, BYE, CANCEL, UPDATE, "
    "PRACK, MESSAGE, INFO, REFER\r\n"
    "Supported: 100rel, timer, replaces, norefersub, histinfo\r\n"
    "Session-Expires: 1800\r\n"
    "Min-SE: 90\r\n"
    "Max-Forwards: 70\r\n"
    "User-Agent: Asterisk PBX 20.20.1\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length:   253\r\n"
    "\r\n"
    "v=0\r\n"
    "o=- 182055715 182055715 IN IP4 127.0.0.1\r\n"
    "s=Asterisk\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 12052 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=maxptime:140\r\n"
    "a=sendrecv\r\n";

// The routing point's 200 OK to Asterisk (SIPp), 595 bytes.
constexpr std::string_view kOk =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK2b9dc622;rport\r\n"
    "From: <sip:2000@127.0.0.1:5070>;tag=as018c1714\r\n"
    "To: <sip:8000@127.0.0.1:5060>;tag=6530SIPpTag011\r\n"
    "Call-ID: 601c92114a50658915a5dd3a7af290b1@127.0.0.1:5070\r\n"
    "CSeq: 102 INVITE\r\n"
    "Contact: <sip:8000@127.0.0.1:5060>\r\n"
    "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, NOTIFY\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length:   201\r\n"
    "\r\n"
    "v=0\r\n"
    "o=sipp-8000 53655765 2353687637 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 6300 RTP/AVP 0 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=sendrecv\r\n";

// Asterisk 20 presence NOTIFY (presence-pidf.txt, "Ready"), 935 bytes; the body has LF ends.
constexpr std::string_view kNotifyPidf =
    "NOTIFY sip:sipserver@127.0.0.1:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK605a752d;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:1000@127.0.0.1:5070>;tag=as591a86d7\r\n"
    "To: <sip:sipserver@127.0.0.1:5060>;tag=5643SIPpTag001\r\n"
    "Contact: <sip:1000@127.0.0.1:5070>\r\n"
    "Call-ID: 1-5643@127.0.0.1\r\n"
    "CSeq: 103 NOTIFY\r\n"
    "User-Agent: Asterisk PBX 20.20.1\r\n"
    "Subscription-State: active\r\n"
    "Event: presence\r\n"
    "Content-Type: application/pidf+xml\r\n"
    "Content-Length: 488\r\n"
    "\r\n"
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" \n"
    "xmlns:pp=\"urn:ietf:params:xml:ns:pidf:person\"\n"
    "xmlns:es=\"urn:ietf:params:xml:ns:pidf:rpid:status:rpid-status\"\n"
    "xmlns:ep=\"urn:ietf:params:xml:ns:pidf:rpid:rpid-person\"\n"
    "entity=\"sip:sipserver@127.0.0.1:5060\">\n"
    "<pp:person><status>\n"
    "</status></pp:person>\n"
    "<note>Ready</note>\n"
    "<tuple id=\"1000\">\n"
    "<contact priority=\"1\">sip:1000@127.0.0.1:5070</contact>\n"
    "<status><basic>open</basic></status>\n"
    "</tuple>\n"
    "</presence>\n";

// Each iteration hands the parser a fresh buffer, as the transport does with every datagram
// (parseMessage takes ownership of its bytes): the copy is part of the measured cost.
void parseBenchmark(benchmark::State& state, std::string_view text) {
  {
    ParseResult check = parseMessage(std::string(text), Framing::Datagram);
    if (!check.ok()) {
      state.SkipWithError(("does not parse: " + check.error->reason).c_str());
      return;
    }
  }
  for (auto _ : state) {
    ParseResult r = parseMessage(std::string(text), Framing::Datagram);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

// The part of BM_ParseInvite that is not the parser: the per-datagram buffer.
void BM_CopyInviteBuffer(benchmark::State& state) {
  for (auto _ : state) {
    std::string buffer(kInvite);
    benchmark::DoNotOptimize(buffer.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseInvite(benchmark::State& state) {
  parseBenchmark(state, kInvite);
}
void BM_ParseInvitePjsip(benchmark::State& state) {
  parseBenchmark(state, kInvitePjsip);
}
void BM_Parse200Ok(benchmark::State& state) {
  parseBenchmark(state, kOk);
}
void BM_ParseNotifyPidf(benchmark::State& state) {
  parseBenchmark(state, kNotifyPidf);
}

void BM_SerializeInvite(benchmark::State& state) {
  ParseResult parsed = parseMessage(std::string(kInvite), Framing::Datagram);
  if (!parsed.ok()) {
    state.SkipWithError("INVITE does not parse");
    return;
  }
  std::string out;  // reused, as the transport's send buffer is
  for (auto _ : state) {
    out.clear();
    ccsip::sip::serialize(parsed.message, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}

void BM_ValidateInvite(benchmark::State& state) {
  ParseResult parsed = parseMessage(std::string(kInvite), Framing::Datagram);
  if (!parsed.ok()) {
    state.SkipWithError("INVITE does not parse");
    return;
  }
  const ccsip::sip::ValidationPolicy policy;
  for (auto _ : state) {
    auto rejection = ccsip::sip::validateRequest(parsed.message, policy);
    benchmark::DoNotOptimize(rejection);
  }
  state.SetItemsProcessed(state.iterations());
}

std::string_view inviteSdp() {
  return kInvite.substr(kInvite.find("\r\n\r\n") + 4);
}

void BM_ParseSdp(benchmark::State& state) {
  const std::string_view body = inviteSdp();
  for (auto _ : state) {
    auto sdp = ccsip::sip::sdp::parseSdp(body);
    benchmark::DoNotOptimize(sdp);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}

void BM_SerializeSdp(benchmark::State& state) {
  auto sdp = ccsip::sip::sdp::parseSdp(inviteSdp());
  if (!sdp.ok()) {
    state.SkipWithError("SDP does not parse");
    return;
  }
  std::string out;
  for (auto _ : state) {
    out.clear();
    ccsip::sip::sdp::serializeSdp(*sdp, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_ParseInvite);
BENCHMARK(BM_CopyInviteBuffer);
BENCHMARK(BM_ParseInvitePjsip);
BENCHMARK(BM_SerializeInvite);
BENCHMARK(BM_Parse200Ok);
BENCHMARK(BM_ParseNotifyPidf);
BENCHMARK(BM_ValidateInvite);
BENCHMARK(BM_ParseSdp);
BENCHMARK(BM_SerializeSdp);

}  // namespace

BENCHMARK_MAIN();
