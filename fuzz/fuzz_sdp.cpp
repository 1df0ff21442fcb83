// libFuzzer target: SDP parser and serializer. parse -> serialize -> parse must give the same
// model, and serializing that model again the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sip/sdp.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& wire) {
  std::fprintf(stderr, "SDP round trip broken: %s\n--- serialized ---\n%s\n---\n", what,
               wire.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sdp = ccsip::sip::sdp;
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto first = sdp::parseSdp(input);
  if (!first.ok()) return 0;

  const std::string wire = sdp::toString(*first);
  auto second = sdp::parseSdp(wire);
  if (!second.ok()) fail(("re-parse failed: " + second.error().message).c_str(), wire);
  if (!(*second == *first)) fail("model changed", wire);
  if (sdp::toString(*second) != wire) fail("serialization not stable", wire);

  // The B2BUA helpers on whatever came in.
  for (const auto& m : first->media) {
    (void)sdp::effectiveDirection(*first, m);
    (void)sdp::isStreamOnHold(*first, m);
  }
  (void)sdp::isOnHold(*first);
  sdp::SessionDescription held = *first;
  sdp::setDirection(held, sdp::Direction::SendOnly);
  sdp::bumpVersion(held);
  if (!held.media.empty() && !sdp::isOnHold(held)) {
    bool anyActive = false;
    for (const auto& m : held.media) anyActive = anyActive || m.port != 0;
    if (anyActive) fail("sendonly is not hold", wire);
  }
  return 0;
}
