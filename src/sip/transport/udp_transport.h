#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "sip/transport/transport.h"
#include "sip/transport/transport_counters.h"

namespace ccsip::sip::transport {

// SIP over UDP (RFC 3261 18): one datagram is one message. Receives on every adopted socket
// and hands each datagram to the sink; sends with a non-blocking sendto (a full socket buffer
// drops the datagram, as the network could: the transaction layer retransmits).
//
// Single-threaded: every call on the io_context's thread. Destroy it while the io_context is
// alive (its handlers are cancelled; ones already queued see a dead token and return).
class UdpTransport {
 public:
  static constexpr std::size_t kMaxDatagram = 65535;

  UdpTransport();
  ~UdpTransport();
  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  // Messages received without a sink are dropped (and counted).
  void setSink(MessageSink* sink) { sink_ = sink; }

  // Takes an open, bound socket and starts receiving on it. IPv4 and IPv6 sockets may coexist:
  // sends pick the socket of the destination's family.
  void adopt(boost::asio::ip::udp::socket socket);

  // to.local chooses among sockets of the same family when several are bound (else the first).
  bool send(const Peer& to, std::string_view bytes);

  // Stops receiving and closes every socket. Safe to call from inside the sink.
  void close();

  const TransportCounters& counters() const { return counters_; }
  std::size_t socketCount() const { return sockets_.size(); }

 private:
  struct Socket;

  void startReceive(Socket& socket);
  void onDatagram(Socket& socket, std::size_t size);
  Socket* socketFor(const Peer& to);

  MessageSink* sink_ = nullptr;
  // Sockets are only closed, never erased, before the destructor: a handler running inside
  // close() still finds its Socket alive.
  std::vector<std::unique_ptr<Socket>> sockets_;
  TransportCounters counters_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // handlers hold it weakly
};

}  // namespace ccsip::sip::transport
