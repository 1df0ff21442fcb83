// libFuzzer target: SIP over TCP stream framing (RFC 3261 18.3, RFC 5626 4.4.1 pings) and the
// 513 built from a too-large head. The input is cut into chunks whose sizes the fuzzer also
// chooses (taken from the end of the input); framing must yield the same frames however the
// stream is chunked, and every message it cuts must be exactly head + Content-Length.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sip/transport/framing.h"
#include "sip/transport/stateless_response.h"

namespace {

using ccsip::sip::transport::ContentLengthStatus;
using ccsip::sip::transport::findHeadEnd;
using ccsip::sip::transport::FrameKind;
using ccsip::sip::transport::kMaxStreamMessageSize;
using ccsip::sip::transport::readContentLength;
using ccsip::sip::transport::StreamFramer;

struct Cut {
  FrameKind kind;
  std::string bytes;
  bool operator==(const Cut&) const = default;
};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "framing invariant broken: %s\n", what);
  std::abort();
}

// Returns false once the framer has failed (nothing more will come).
bool drain(StreamFramer& framer, std::vector<Cut>& out) {
  for (;;) {
    auto frame = framer.next();
    if (frame.kind == FrameKind::NeedMore) return true;
    out.push_back({frame.kind, std::move(frame.bytes)});
    if (frame.kind == FrameKind::TooLarge || frame.kind == FrameKind::Malformed) return false;
  }
}

void checkMessage(const std::string& message, std::size_t limit) {
  if (message.empty() || message.size() > limit) fail("message size");
  if (message.front() == '\r' || message.front() == '\n') fail("leading CRLF kept");
  const auto headEnd = findHeadEnd(message);
  if (!headEnd) fail("message without a complete head");
  const auto length = readContentLength(std::string_view(message).substr(0, *headEnd));
  if (length.status != ContentLengthStatus::Ok) fail("message without a valid Content-Length");
  if (*headEnd + length.value != message.size()) fail("message is not head + Content-Length");
}

void checkTooLarge(const std::string& head, std::size_t limit) {
  if (head.size() > limit) fail("too-large head over the limit");
  const auto response = ccsip::sip::transport::buildTooLargeResponse(head, "fuzztag");
  if (response) {
    if (!response->starts_with("SIP/2.0 513 Message Too Large\r\n")) fail("513 status line");
    if (!response->ends_with("\r\nContent-Length: 0\r\n\r\n")) fail("513 end");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  // Mostly the real limit; sometimes a small one so that "too large" is reached by small inputs.
  const auto limitChoice = provider.ConsumeIntegral<std::uint8_t>();
  const std::size_t limit =
      limitChoice < 128 ? kMaxStreamMessageSize : 32 + static_cast<std::size_t>(limitChoice) * 8;

  // Chunked framing, alternating append() and prepare()/commit().
  StreamFramer chunked(limit);
  std::vector<Cut> chunkedCuts;
  std::string stream;
  bool live = true;
  bool inPlace = false;
  while (provider.remaining_bytes() > 0) {
    const auto chunkSize = provider.ConsumeIntegralInRange<std::size_t>(1, 600);
    const std::string chunk = provider.ConsumeBytesAsString(chunkSize);
    stream += chunk;
    if (!live) continue;
    if (inPlace) {
      auto space = chunked.prepare(chunk.size());
      if (space.size() < chunk.size()) fail("prepare too small");
      std::memcpy(space.data(), chunk.data(), chunk.size());
      chunked.commit(chunk.size());
    } else {
      chunked.append(chunk);
    }
    inPlace = !inPlace;
    live = drain(chunked, chunkedCuts);
  }

  // The same stream in one read.
  StreamFramer whole(limit);
  whole.append(stream);
  std::vector<Cut> wholeCuts;
  drain(whole, wholeCuts);

  if (wholeCuts != chunkedCuts) fail("frames depend on how the stream was chunked");

  std::size_t total = 0;
  for (const Cut& cut : wholeCuts) {
    switch (cut.kind) {
      case FrameKind::Message:
        checkMessage(cut.bytes, limit);
        total += cut.bytes.size();
        break;
      case FrameKind::TooLarge:
        checkTooLarge(cut.bytes, limit);
        break;
      case FrameKind::Ping:
      case FrameKind::Malformed:
        if (!cut.bytes.empty()) fail("bytes on a ping or malformed frame");
        break;
      case FrameKind::NeedMore:
        fail("NeedMore returned as a frame");
    }
  }
  if (total > stream.size()) fail("more bytes out than in");

  // The helpers on the raw input, too.
  (void)readContentLength(stream);
  checkTooLarge(stream.substr(0, limit), limit);
  return 0;
}
