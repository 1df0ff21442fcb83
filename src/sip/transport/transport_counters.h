#pragma once

#include <cstdint>

namespace ccsip::sip::transport {

// Plain counters for /metrics: read them on the event-loop thread (or copy them there).
// Totals only grow; connectionsOpen is a gauge.
struct TransportCounters {
  std::uint64_t messagesIn = 0;      // datagrams / framed messages handed to the sink
  std::uint64_t messagesOut = 0;     // messages written to the network (TCP: when fully written)
  std::uint64_t bytesIn = 0;         // every byte read, keepalives included
  std::uint64_t bytesOut = 0;        // every byte written, keepalive answers included
  std::uint64_t keepalivesIn = 0;    // RFC 5626 CRLF pings / keepalive-only datagrams
  std::uint64_t receiveDropped = 0;  // received but not delivered (no sink, receive errors)
  std::uint64_t sendFailures = 0;    // send() refused, or UDP sendto failed

  // TCP only.
  std::uint64_t connectionsOpen = 0;        // gauge: connecting, open or closing
  std::uint64_t connectionsAccepted = 0;    // inbound, total
  std::uint64_t connectionsConnected = 0;   // outbound connects that succeeded
  std::uint64_t connectionsRejected = 0;    // inbound refused: connection limit reached
  std::uint64_t connectFailures = 0;        // outbound connects that failed or timed out
  std::uint64_t connectionsClosedIdle = 0;  // closed by the idle timer
  std::uint64_t tooLarge = 0;               // messages over the size limit (answered 513)
  std::uint64_t framingErrors = 0;          // bad or missing Content-Length (closed)
  std::uint64_t sendQueueOverflows = 0;     // connections closed because the peer did not read
};

struct TransportStats {
  TransportCounters udp;
  TransportCounters tcp;
};

}  // namespace ccsip::sip::transport
