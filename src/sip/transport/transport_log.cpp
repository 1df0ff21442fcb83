#include "sip/transport/transport_log.h"

namespace ccsip::sip::transport {

namespace {

std::string connectionLabel(const Peer& peer) {
  std::string label(transportName(peer.kind));
  if (peer.connectionId != 0) {
    label += '#';
    label += std::to_string(peer.connectionId);
  }
  return label;
}

}  // namespace

void logMessageSlow(Direction direction, const Peer& peer, std::string_view bytes) {
  const bool in = direction == Direction::In;
  spdlog::trace("{} {} bytes {} {} -> {}\n{}", in ? "recv" : "send", bytes.size(),
                connectionLabel(peer), toString(in ? peer.remote : peer.local),
                toString(in ? peer.local : peer.remote), bytes);
}

}  // namespace ccsip::sip::transport
