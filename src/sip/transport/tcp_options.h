#pragma once

#include <chrono>
#include <cstddef>

#include "sip/transport/framing.h"
#include "util/time.h"

namespace ccsip::sip::transport {

struct TcpOptions {
  // RFC 3261 18.3 framing limit per message (headers + body); over it: 513 and close.
  std::size_t maxMessageSize = kMaxStreamMessageSize;
  // A peer that stops reading must not make the server buffer without bound: past this many
  // unsent bytes on one connection, the connection is closed.
  std::size_t maxSendQueueBytes = 4 * 1024 * 1024;
  // A connection with no read and no write for this long is closed. 180 s is well past
  // 64*T1 (32 s, Timer B/F), so a connection carrying a live non-INVITE transaction is never
  // idle; it also outlasts the common keepalive intervals of clients (RFC 5626 4.4.1 suggests
  // 95-120 s for CRLF pings), so a phone that pings keeps its connection (and its NAT binding).
  // Any read or write (CRLF pings included) resets it. Zero: never.
  util::Duration idleTimeout = std::chrono::seconds(180);
  // An outbound connect that has not completed by then fails with ConnectFailed; 32 s = 64*T1,
  // when Timer B/F would give up anyway. (The kernel alone may take minutes.)
  util::Duration connectTimeout = std::chrono::seconds(32);
  // After a 513 the connection is half-closed and drained for at most this long, so the peer
  // reads the response before the close (closing with unread input would send a RST).
  util::Duration lingerTimeout = std::chrono::seconds(2);
  // Inbound connections beyond this are accepted and closed at once (bounded memory).
  std::size_t maxConnections = 20000;
  // Bytes requested per read.
  std::size_t readChunk = 16 * 1024;
};

}  // namespace ccsip::sip::transport
