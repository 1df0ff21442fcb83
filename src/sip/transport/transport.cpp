#include "sip/transport/transport.h"

#include <functional>

namespace ccsip::sip::transport {

std::string_view transportName(TransportKind kind) {
  switch (kind) {
    case TransportKind::Udp:
      return "UDP";
    case TransportKind::Tcp:
      return "TCP";
  }
  return "UDP";
}

std::string toString(const Address& address) {
  std::string out;
  if (address.ip.is_v6()) {
    // RFC 3261 25.1 / RFC 5118: IPv6 references are bracketed when followed by a port.
    out.reserve(48);
    out += '[';
    out += address.ip.to_string();
    out += ']';
  } else {
    out = address.ip.to_string();
  }
  out += ':';
  out += std::to_string(address.port);
  return out;
}

std::size_t AddressHash::operator()(const Address& address) const noexcept {
  std::size_t h = 0;
  if (address.ip.is_v4()) {
    h = std::hash<std::uint32_t>{}(address.ip.to_v4().to_uint());
  } else {
    const auto bytes = address.ip.to_v6().to_bytes();
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    for (std::size_t i = 0; i < 8; ++i) hi = (hi << 8) | bytes[i];
    for (std::size_t i = 8; i < 16; ++i) lo = (lo << 8) | bytes[i];
    h = std::hash<std::uint64_t>{}(hi ^ (lo * 0x9E3779B97F4A7C15ULL));
  }
  return h ^ (std::hash<std::uint16_t>{}(address.port) + 0x9E3779B9U + (h << 6) + (h >> 2));
}

std::string_view toString(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::ConnectFailed:
      return "connect-failed";
    case TransportErrorKind::ConnectionFailed:
      return "connection-failed";
    case TransportErrorKind::SendQueueOverflow:
      return "send-queue-overflow";
  }
  return "unknown";
}

}  // namespace ccsip::sip::transport
