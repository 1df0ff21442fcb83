#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <sys/socket.h>
#include <sys/uio.h>

#include <boost/asio/ip/udp.hpp>

#include "sip/transport/transport.h"
#include "sip/transport/transport_counters.h"

namespace ccsip::sip::transport {

// SIP over UDP (RFC 3261 18): one datagram is one message. Receives on every adopted socket
// and hands each datagram to the sink; sends with a non-blocking sendto (a full socket buffer
// drops the datagram, as the network could: the transaction layer retransmits).
//
// Under load the system calls, not the parsing, dominate a datagram's cost (and on loopback
// every send also wakes the receiving process): datagrams are read in batches (recvmmsg), and
// what the sink sends while it handles a batch (the answers to the batch's requests) is queued
// and written in one sendmmsg when the batch is done. A send from anywhere else (timers, TCP,
// CTI) goes out at once. A queued datagram that the kernel refuses is counted in sendFailures
// as if the network had dropped it (send() already returned true: "queued").
//
// Single-threaded: every call on the io_context's thread. Destroy it while the io_context is
// alive (its handlers are cancelled; ones already queued see a dead token and return).
class UdpTransport {
 public:
  static constexpr std::size_t kMaxDatagram = 65535;
  // Datagrams read per recvmmsg, and the most handled in one event-loop turn (then the loop
  // lets timers and other sockets run before reading on).
  static constexpr std::size_t kReadBatch = 32;
  static constexpr std::size_t kMaxPerTurn = 128;

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
  // False when no socket can reach `to`; true when sent or queued for the end of the batch.
  bool send(const Peer& to, std::string_view bytes);

  // Stops receiving and closes every socket. Safe to call from inside the sink.
  void close();

  const TransportCounters& counters() const { return counters_; }
  std::size_t socketCount() const { return sockets_.size(); }

 private:
  struct Socket;
  // A datagram queued during a batch: its bytes are [offset, offset + size) of queuedBytes_.
  struct Queued {
    Socket* socket = nullptr;
    sockaddr_storage to{};
    socklen_t toSize = 0;
    std::size_t offset = 0;
    std::size_t size = 0;
  };

  void startReceive(Socket& socket);
  void drain(Socket& socket);
  void onDatagram(Socket& socket, const char* data, std::size_t size,
                  const boost::asio::ip::udp::endpoint& sender);
  Socket* socketFor(const Peer& to);
  bool sendNow(Socket& socket, const boost::asio::ip::udp::endpoint& to, std::string_view bytes);
  void flushQueued();

  MessageSink* sink_ = nullptr;
  // Sockets are only closed, never erased, before the destructor: a handler running inside
  // close() still finds its Socket alive.
  std::vector<std::unique_ptr<Socket>> sockets_;
  TransportCounters counters_;
  // True while a batch is handed to the sink: sends are queued.
  bool batching_ = false;
  std::vector<Queued> queued_;
  std::string queuedBytes_;
  std::vector<mmsghdr> sendHeaders_;  // scratch of flushQueued
  std::vector<iovec> sendIovecs_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // handlers hold it weakly
};

}  // namespace ccsip::sip::transport
