// libFuzzer target: SIP message parser, UAS request checks and serializer round trip.
// parse -> (validate) -> serialize -> parse must keep what identifies the message
// (reSIProcate fuzzStack-style round trip).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sip/parser.h"
#include "sip/request_validation.h"
#include "sip/serializer.h"

namespace {

using ccsip::sip::Framing;
using ccsip::sip::HeaderId;
using ccsip::sip::Message;
using ccsip::sip::ParseResult;

[[noreturn]] void fail(const char* what, const std::string& wire) {
  std::fprintf(stderr, "round trip broken: %s\n--- serialized ---\n%s\n---\n", what, wire.c_str());
  std::abort();
}

// Content-Length is written by the serializer from the body, whether or not it was received.
std::size_t countWithoutContentLength(const Message& m) {
  return m.headers().size() - m.countHeaders(HeaderId::ContentLength);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  ParseResult first = ccsip::sip::parseMessage(std::move(bytes), Framing::Datagram);
  if (!first.ok()) {
    // What a 400 would be built from must still be usable.
    if (first.message.canBuildResponse()) {
      (void)ccsip::sip::toString(ccsip::sip::makeResponse(first.message, 400, "Bad Request"));
    }
    return 0;
  }
  const Message& m = first.message;
  (void)ccsip::sip::validateRequest(m, ccsip::sip::ValidationPolicy{});

  const std::string wire = ccsip::sip::toString(m);
  ParseResult second = ccsip::sip::parseMessage(wire, Framing::Datagram);
  if (!second.ok()) fail(("re-parse failed: " + second.error->reason).c_str(), wire);
  const Message& r = second.message;
  if (r.isRequest() != m.isRequest()) fail("request/response", wire);
  if (m.isRequest()) {
    if (r.method() != m.method() || r.methodName() != m.methodName()) fail("method", wire);
  } else if (r.statusCode() != m.statusCode()) {
    fail("status code", wire);
  }
  if (r.callId() != m.callId()) fail("Call-ID", wire);
  if (r.cseq().number != m.cseq().number || r.cseq().methodText != m.cseq().methodText) {
    fail("CSeq", wire);
  }
  if (countWithoutContentLength(r) != countWithoutContentLength(m)) fail("header count", wire);
  if (r.body() != m.body()) fail("body", wire);
  return 0;
}
