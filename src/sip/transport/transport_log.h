#pragma once

// Trace logging of every message in and out. The level check is inline so a server running
// at info level pays one branch per message, never a format.

#include <string_view>

#include <spdlog/spdlog.h>

#include "sip/transport/transport.h"

namespace ccsip::sip::transport {

enum class Direction : std::uint8_t { In, Out };

inline bool messageTraceEnabled() {
  return spdlog::default_logger_raw()->should_log(spdlog::level::trace);
}

// "recv 512 bytes TCP#3 10.0.0.1:5060 -> 10.0.0.2:5060\n<message>" (send: "->" reversed, so
// the arrow always points the way the bytes went).
void logMessageSlow(Direction direction, const Peer& peer, std::string_view bytes);

inline void logMessage(Direction direction, const Peer& peer, std::string_view bytes) {
  if (messageTraceEnabled()) logMessageSlow(direction, peer, bytes);
}

}  // namespace ccsip::sip::transport
