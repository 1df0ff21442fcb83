#include "sip/transport/udp_transport.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "sip/transport/endpoint.h"
#include "sip/transport/transport_log.h"

namespace ccsip::sip::transport {

namespace {

// The largest UDP payload over IPv4 (65535 minus the IP and UDP headers). A larger message is
// sent at once, so that send() still reports the kernel's refusal (EMSGSIZE) to its caller.
constexpr std::size_t kMaxQueuedDatagram = 65507;
// sendmmsg takes at most UIO_MAXIOV messages per call.
constexpr std::size_t kMaxSendBatch = 1024;

// RFC 5626 4.4.2 is STUN over UDP, but many phones send bare CRLFs (or zero bytes) as NAT
// keepalives; such datagrams carry no message and are dropped quietly.
bool isKeepalive(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t' && c != '\0') return false;
  }
  return true;
}

bool wouldBlock(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

boost::asio::ip::udp::endpoint toEndpoint(const sockaddr_storage& address, socklen_t size) {
  boost::asio::ip::udp::endpoint endpoint;
  const std::size_t copied = std::min<std::size_t>(size, endpoint.capacity());
  std::memcpy(endpoint.data(), &address, copied);
  endpoint.resize(copied);
  return endpoint;
}

}  // namespace

struct UdpTransport::Socket {
  explicit Socket(boost::asio::ip::udp::socket s) : socket(std::move(s)) {
    for (std::size_t i = 0; i < kReadBatch; ++i) {
      iovecs[i].iov_base = buffers.get() + i * kMaxDatagram;
      iovecs[i].iov_len = kMaxDatagram;
      headers[i].msg_hdr.msg_iov = &iovecs[i];
      headers[i].msg_hdr.msg_iovlen = 1;
      headers[i].msg_hdr.msg_name = &senders[i];
    }
  }

  boost::asio::ip::udp::socket socket;
  Address local;
  // Not zeroed: only the bytes the kernel writes are ever read (and touched).
  std::unique_ptr<char[]> buffers =
      std::make_unique_for_overwrite<char[]>(kReadBatch * kMaxDatagram);
  std::array<iovec, kReadBatch> iovecs{};
  std::array<sockaddr_storage, kReadBatch> senders{};
  std::array<mmsghdr, kReadBatch> headers{};
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
  // asio's reactor is edge-triggered: wait only once the socket was read until it would block
  // (drain), else a datagram already queued could wait for the next one to arrive.
  socket.socket.async_wait(
      boost::asio::ip::udp::socket::wait_read,
      [this, &socket, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
        if (alive.expired() || ec == boost::asio::error::operation_aborted) return;
        if (!socket.socket.is_open()) return;
        if (ec) {
          // Unconnected UDP sockets report little (an ICMP error at most); keep receiving.
          ++counters_.receiveDropped;
          spdlog::debug("UDP receive on {}: {}", toString(socket.local), ec.message());
        }
        drain(socket);
      });
}

void UdpTransport::drain(Socket& socket) {
  bool exhausted = false;
  std::size_t handled = 0;
  while (handled < kMaxPerTurn && socket.socket.is_open()) {
    for (mmsghdr& header : socket.headers) {
      header.msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      header.msg_hdr.msg_flags = 0;
    }
    const int n = ::recvmmsg(socket.socket.native_handle(), socket.headers.data(), kReadBatch,
                             MSG_DONTWAIT, nullptr);
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      if (wouldBlock(error)) {
        exhausted = true;
        break;
      }
      // A pending ICMP error, reported once: keep reading (bounded by the turn's budget).
      ++counters_.receiveDropped;
      ++handled;
      spdlog::debug("UDP receive on {}: {}", toString(socket.local), std::strerror(error));
      continue;
    }
    // What the sink sends while it handles these datagrams leaves in one sendmmsg after them.
    batching_ = true;
    for (int i = 0; i < n && socket.socket.is_open(); ++i) {
      const mmsghdr& header = socket.headers[i];
      onDatagram(socket, socket.buffers.get() + i * kMaxDatagram, header.msg_len,
                 toEndpoint(socket.senders[i], header.msg_hdr.msg_namelen));
    }
    batching_ = false;
    flushQueued();
    handled += static_cast<std::size_t>(n);
    // Fewer than asked: the queue was empty; a datagram arriving since is a new edge.
    if (static_cast<std::size_t>(n) < kReadBatch) {
      exhausted = true;
      break;
    }
  }
  if (!socket.socket.is_open()) return;
  if (exhausted) {
    startReceive(socket);
    return;
  }
  // The turn's budget is spent with datagrams left: read on after the other ready handlers
  // (timers, TCP, CTI) had their turn.
  boost::asio::post(socket.socket.get_executor(),
                    [this, &socket, alive = std::weak_ptr<int>(alive_)] {
                      if (alive.expired() || !socket.socket.is_open()) return;
                      drain(socket);
                    });
}

void UdpTransport::onDatagram(Socket& socket, const char* data, std::size_t size,
                              const boost::asio::ip::udp::endpoint& sender) {
  counters_.bytesIn += size;
  if (isKeepalive(data, size)) {
    ++counters_.keepalivesIn;
    return;
  }
  const Peer from{TransportKind::Udp, toAddress(sender), socket.local, 0};
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
  const boost::asio::ip::udp::endpoint destination = toUdpEndpoint(to.remote);
  if (!batching_ || bytes.size() > kMaxQueuedDatagram) {
    return sendNow(*socket, destination, bytes);
  }
  Queued queued;
  queued.socket = socket;
  std::memcpy(&queued.to, destination.data(), destination.size());
  queued.toSize = static_cast<socklen_t>(destination.size());
  queued.offset = queuedBytes_.size();
  queued.size = bytes.size();
  queuedBytes_.append(bytes);
  queued_.push_back(queued);
  return true;
}

bool UdpTransport::sendNow(Socket& socket, const boost::asio::ip::udp::endpoint& to,
                           std::string_view bytes) {
  boost::system::error_code ec;
  socket.socket.send_to(boost::asio::buffer(bytes.data(), bytes.size()), to, 0, ec);
  if (ec) {
    ++counters_.sendFailures;
    spdlog::debug("UDP send to {}: {}", toString(toAddress(to)), ec.message());
    return false;
  }
  ++counters_.messagesOut;
  counters_.bytesOut += bytes.size();
  return true;
}

void UdpTransport::flushQueued() {
  if (queued_.empty()) return;
  // Pointers into queuedBytes_ are taken only now: it no longer grows.
  sendHeaders_.assign(queued_.size(), mmsghdr{});
  sendIovecs_.resize(queued_.size());
  for (std::size_t i = 0; i < queued_.size(); ++i) {
    Queued& queued = queued_[i];
    sendIovecs_[i].iov_base = queuedBytes_.data() + queued.offset;
    sendIovecs_[i].iov_len = queued.size;
    msghdr& header = sendHeaders_[i].msg_hdr;
    header.msg_name = &queued.to;
    header.msg_namelen = queued.toSize;
    header.msg_iov = &sendIovecs_[i];
    header.msg_iovlen = 1;
  }
  std::size_t i = 0;
  while (i < queued_.size()) {
    Socket* socket = queued_[i].socket;
    // A run of datagrams for the same socket goes in one call.
    std::size_t end = i + 1;
    while (end < queued_.size() && end - i < kMaxSendBatch && queued_[end].socket == socket) {
      ++end;
    }
    if (!socket->socket.is_open()) {
      counters_.sendFailures += end - i;
      i = end;
      continue;
    }
    const int n = ::sendmmsg(socket->socket.native_handle(), sendHeaders_.data() + i,
                             static_cast<unsigned>(end - i), MSG_DONTWAIT);
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      // The first datagram of the run was refused (a full send buffer, no route): dropped, as
      // the network could have; the transaction layer retransmits requests.
      ++counters_.sendFailures;
      spdlog::debug("UDP send to {}: {}",
                    toString(toAddress(toEndpoint(queued_[i].to, queued_[i].toSize))),
                    std::strerror(error));
      ++i;
      continue;
    }
    for (std::size_t k = i; k < i + static_cast<std::size_t>(n); ++k) {
      ++counters_.messagesOut;
      counters_.bytesOut += queued_[k].size;
    }
    i += static_cast<std::size_t>(n);
  }
  queued_.clear();
  queuedBytes_.clear();
}

}  // namespace ccsip::sip::transport
