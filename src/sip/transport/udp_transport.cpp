#include "sip/transport/udp_transport.h"

#include <spdlog/spdlog.h>

#include "sip/transport/endpoint.h"
#include "sip/transport/transport_log.h"

namespace ccsip::sip::transport {

namespace {

// Datagrams drained synchronously after each asynchronous completion: under load this saves a
// reactor round trip per datagram while still letting other sockets and timers run.
constexpr int kDrainBatch = 32;

// RFC 5626 4.4.2 is STUN over UDP, but many phones send bare CRLFs (or zero bytes) as NAT
// keepalives; such datagrams carry no message and are dropped quietly.
bool isKeepalive(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t' && c != '\0') return false;
  }
  return true;
}

}  // namespace

struct UdpTransport::Socket {
  explicit Socket(boost::asio::ip::udp::socket s) : socket(std::move(s)) {}

  boost::asio::ip::udp::socket socket;
  Address local;
  boost::asio::ip::udp::endpoint sender;
  std::unique_ptr<char[]> buffer = std::make_unique<char[]>(kMaxDatagram);
};

UdpTransport::UdpTransport() = default;

UdpTransport::~UdpTransport() {
  close();
}

void UdpTransport::adopt(boost::asio::ip::udp::socket socket) {
  auto entry = std::make_unique<Socket>(std::move(socket));
  boost::system::error_code ec;
  entry->socket.non_blocking(true, ec);
  const auto local = entry->socket.local_endpoint(ec);
  entry->local = toAddress(local);
  Socket& ref = *entry;
  sockets_.push_back(std::move(entry));
  spdlog::debug("UDP listening on {}", toString(ref.local));
  startReceive(ref);
}

void UdpTransport::close() {
  for (auto& socket : sockets_) {
    boost::system::error_code ec;
    socket->socket.close(ec);
  }
}

void UdpTransport::startReceive(Socket& socket) {
  socket.socket.async_receive_from(
      boost::asio::buffer(socket.buffer.get(), kMaxDatagram), socket.sender,
      [this, &socket, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec,
                                                          std::size_t size) {
        if (alive.expired() || ec == boost::asio::error::operation_aborted) return;
        if (!socket.socket.is_open()) return;
        if (ec) {
          // Unconnected UDP sockets report little (an ICMP error at most); keep receiving.
          ++counters_.receiveDropped;
          spdlog::debug("UDP receive on {}: {}", toString(socket.local), ec.message());
        } else {
          onDatagram(socket, size);
          for (int i = 0; i < kDrainBatch && socket.socket.is_open(); ++i) {
            boost::system::error_code drainError;
            const std::size_t n =
                socket.socket.receive_from(boost::asio::buffer(socket.buffer.get(), kMaxDatagram),
                                           socket.sender, 0, drainError);
            if (drainError) break;  // would_block: nothing more queued
            onDatagram(socket, n);
          }
        }
        if (socket.socket.is_open()) startReceive(socket);
      });
}

void UdpTransport::onDatagram(Socket& socket, std::size_t size) {
  counters_.bytesIn += size;
  const char* data = socket.buffer.get();
  if (isKeepalive(data, size)) {
    ++counters_.keepalivesIn;
    return;
  }
  const Peer from{TransportKind::Udp, toAddress(socket.sender), socket.local, 0};
  std::string bytes(data, size);
  logMessage(Direction::In, from, bytes);
  if (sink_ == nullptr) {
    ++counters_.receiveDropped;
    return;
  }
  ++counters_.messagesIn;
  sink_->onMessage(std::move(bytes), from);
}

UdpTransport::Socket* UdpTransport::socketFor(const Peer& to) {
  Socket* sameFamily = nullptr;
  for (auto& socket : sockets_) {
    if (!socket->socket.is_open() || socket->local.ip.is_v4() != to.remote.ip.is_v4()) continue;
    if (to.local.port != 0 && socket->local == to.local) return socket.get();
    if (sameFamily == nullptr) sameFamily = socket.get();
  }
  return sameFamily;
}

bool UdpTransport::send(const Peer& to, std::string_view bytes) {
  Socket* socket = socketFor(to);
  if (socket == nullptr || to.remote.port == 0) {
    ++counters_.sendFailures;
    spdlog::debug("UDP send to {}: no socket for that address family", toString(to.remote));
    return false;
  }
  const Peer peer{TransportKind::Udp, to.remote, socket->local, 0};
  logMessage(Direction::Out, peer, bytes);
  boost::system::error_code ec;
  socket->socket.send_to(boost::asio::buffer(bytes.data(), bytes.size()), toUdpEndpoint(to.remote),
                         0, ec);
  if (ec) {
    ++counters_.sendFailures;
    spdlog::debug("UDP send to {}: {}", toString(to.remote), ec.message());
    return false;
  }
  ++counters_.messagesOut;
  counters_.bytesOut += bytes.size();
  return true;
}

}  // namespace ccsip::sip::transport
