#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

namespace ccsip::sip::transport {

enum class TransportKind : std::uint8_t { Udp, Tcp };

std::string_view transportName(TransportKind kind);  // "UDP" / "TCP" as written in a Via

struct Address {
  boost::asio::ip::address ip;
  std::uint16_t port = 0;
  bool operator==(const Address&) const = default;
};
std::string toString(const Address& address);  // "127.0.0.1:5060", "[::1]:5060"

// For unordered containers keyed by address (connection tables, per-peer state).
struct AddressHash {
  std::size_t operator()(const Address& address) const noexcept;
};

// Where a message came from or goes to. connectionId names the TCP connection a request came
// in on (0: none), so responses go back on it (RFC 3261 18.2.2) while it is open.
struct Peer {
  TransportKind kind = TransportKind::Udp;
  Address remote;
  Address local;
  std::uint64_t connectionId = 0;
};

// Receives complete, framed messages (one UDP datagram, or one Content-Length-framed message
// cut from a TCP stream). The bytes are handed over (moved), for the zero-copy parser.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  virtual void onMessage(std::string bytes, const Peer& from) = 0;
};

// Sends bytes to a peer. Over TCP it reuses peer.connectionId when that connection is still
// open, else an open connection to peer.remote, else connects. Returns false when the message
// cannot be queued (no route, too large, send queue full).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual bool send(const Peer& to, std::string_view bytes) = 0;
  // The address to write in Via sent-by / Contact for this transport kind.
  virtual Address localAddress(TransportKind kind) const = 0;
  // The same, for a message going to `remote`: when listening on both IPv4 and IPv6, the
  // address of the family the peer can reach. Defaults to localAddress(kind).
  virtual Address localAddressFor(TransportKind kind, const Address& remote) const {
    return localAddress(kind);
  }
};

// --- Asynchronous failures (RFC 3261 17.1.4 / 17.2.4)
//
// send() returning true only means "queued": over TCP the connect, or a later write, may still
// fail. The transport then drops what was queued on that connection and reports it here, so
// the transaction layer can fail the transactions that sent to `peer.remote` (or on
// `peer.connectionId`) without waiting for Timer B/F.
enum class TransportErrorKind : std::uint8_t {
  ConnectFailed,      // connect refused, unreachable, or timed out
  ConnectionFailed,   // a read/write error or reset on an established connection
  SendQueueOverflow,  // the peer does not read: the connection was closed
};

std::string_view toString(TransportErrorKind kind);

struct TransportError {
  TransportErrorKind kind = TransportErrorKind::ConnectFailed;
  Peer peer;                        // kind, remote, local (when known) and connectionId
  std::size_t messagesDropped = 0;  // queued messages that were never (fully) written
  std::string reason;               // for logs: "Connection refused", "connect timeout", ...
};

// Optional: set on the transport by whoever wires the layers. Called on the event-loop thread,
// never from inside send().
class TransportErrorHandler {
 public:
  virtual ~TransportErrorHandler() = default;
  virtual void onTransportError(const TransportError& error) = 0;
};

}  // namespace ccsip::sip::transport
