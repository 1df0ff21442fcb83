#include "sip/transport/tcp_transport.h"

#include <chrono>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "sip/transport/endpoint.h"
#include "sip/transport/transport_log.h"

namespace ccsip::sip::transport {

namespace {

// After an accept error (EMFILE, ENOBUFS) the pending connection stays in the backlog: accepting
// again at once would spin. Wait a little instead.
constexpr util::Duration kAcceptRetry = std::chrono::milliseconds(100);

}  // namespace

struct TcpTransport::Acceptor {
  explicit Acceptor(boost::asio::ip::tcp::acceptor a) : acceptor(std::move(a)) {}
  boost::asio::ip::tcp::acceptor acceptor;
  Address local;
};

TcpTransport::TcpTransport(boost::asio::io_context& io, util::TimerService& timers,
                           TcpOptions options)
    : io_(io),
      timers_(timers),
      options_(std::move(options)),
      context_{timers_, options_, counters_, *this, random_} {}

TcpTransport::~TcpTransport() {
  close();
}

void TcpTransport::adopt(boost::asio::ip::tcp::acceptor acceptor) {
  auto entry = std::make_unique<Acceptor>(std::move(acceptor));
  boost::system::error_code ec;
  entry->local = toAddress(entry->acceptor.local_endpoint(ec));
  Acceptor& ref = *entry;
  acceptors_.push_back(std::move(entry));
  spdlog::debug("TCP listening on {}", toString(ref.local));
  startAccept(ref);
}

void TcpTransport::startAccept(Acceptor& acceptor) {
  acceptor.acceptor.async_accept(
      [this, &acceptor, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec,
                                                            boost::asio::ip::tcp::socket socket) {
        if (alive.expired() || ec == boost::asio::error::operation_aborted) return;
        if (!acceptor.acceptor.is_open()) return;
        if (ec) {
          spdlog::warn("TCP accept on {}: {}", toString(acceptor.local), ec.message());
          timers_.schedule(kAcceptRetry, [this, &acceptor, alive] {
            if (!alive.expired() && acceptor.acceptor.is_open()) startAccept(acceptor);
          });
          return;
        }
        onAccepted(std::move(socket));
        startAccept(acceptor);
      });
}

void TcpTransport::onAccepted(boost::asio::ip::tcp::socket socket) {
  if (connections_.size() >= options_.maxConnections) {
    ++counters_.connectionsRejected;
    spdlog::warn("TCP: {} connections open, refusing a new one", connections_.size());
    boost::system::error_code ec;
    socket.close(ec);
    return;
  }
  const std::uint64_t id = nextId_++;
  auto connection = std::make_shared<TcpConnection>(context_, id, std::move(socket));
  connections_.emplace(id, connection);
  ++counters_.connectionsAccepted;
  ++counters_.connectionsOpen;
  connection->startAccepted();
  if (connection->state() == TcpConnection::State::Closed) return;  // already reported
  byRemote_.emplace(connection->remote(), id);
  spdlog::debug("TCP#{} accepted from {} on {}", id, toString(connection->remote()),
                toString(connection->local()));
}

std::shared_ptr<TcpConnection> TcpTransport::find(const Peer& to) const {
  if (to.connectionId != 0) {
    const auto it = connections_.find(to.connectionId);
    if (it != connections_.end() && it->second->usable()) return it->second;
  }
  // RFC 3261 18.2.2 / 18.1.1: else any connection to the same address (an open one first).
  std::shared_ptr<TcpConnection> connecting;
  const auto [first, last] = byRemote_.equal_range(to.remote);
  for (auto it = first; it != last; ++it) {
    const auto found = connections_.find(it->second);
    if (found == connections_.end()) continue;
    const auto& connection = found->second;
    if (connection->state() == TcpConnection::State::Open) return connection;
    if (connection->state() == TcpConnection::State::Connecting && !connecting) {
      connecting = connection;
    }
  }
  return connecting;
}

std::optional<boost::asio::ip::address> TcpTransport::bindAddressFor(
    const boost::asio::ip::address& to) const {
  for (const auto& acceptor : acceptors_) {
    const auto& ip = acceptor->local.ip;
    if (ip.is_v4() == to.is_v4() && !ip.is_unspecified()) return ip;
  }
  return std::nullopt;
}

bool TcpTransport::send(const Peer& to, std::string_view bytes) {
  std::shared_ptr<TcpConnection> connection = find(to);
  if (!connection) {
    if (to.remote.port == 0 || to.remote.ip.is_unspecified()) {
      ++counters_.sendFailures;
      spdlog::debug("TCP send to {}: no connection and no address to connect to",
                    toString(to.remote));
      return false;
    }
    if (connections_.size() >= options_.maxConnections) {
      ++counters_.sendFailures;
      spdlog::warn("TCP send to {}: connection limit ({}) reached", toString(to.remote),
                   options_.maxConnections);
      return false;
    }
    const std::uint64_t id = nextId_++;
    connection = std::make_shared<TcpConnection>(context_, id, boost::asio::ip::tcp::socket(io_));
    connections_.emplace(id, connection);
    byRemote_.emplace(to.remote, id);
    ++counters_.connectionsOpen;
    spdlog::debug("TCP#{} connecting to {}", id, toString(to.remote));
    connection->startConnect(to.remote, bindAddressFor(to.remote.ip));
  }
  logMessage(Direction::Out, connection->peer(), bytes);
  if (!connection->send(bytes)) {
    ++counters_.sendFailures;
    return false;
  }
  return true;
}

void TcpTransport::close() {
  for (auto& acceptor : acceptors_) {
    boost::system::error_code ec;
    acceptor->acceptor.close(ec);
  }
  // Detach first, clear after: detaching never calls back into this table.
  for (auto& [id, connection] : connections_) connection->detach();
  connections_.clear();
  byRemote_.clear();
  counters_.connectionsOpen = 0;
}

bool TcpTransport::closeConnection(std::uint64_t connectionId) {
  const auto it = connections_.find(connectionId);
  if (it == connections_.end()) return false;
  const std::shared_ptr<TcpConnection> connection = it->second;  // keep it alive through close
  connection->close(CloseCause::Local, "closed locally");
  return true;
}

bool TcpTransport::isOpen(std::uint64_t connectionId) const {
  const auto it = connections_.find(connectionId);
  return it != connections_.end() && it->second->usable();
}

std::uint64_t TcpTransport::connectionTo(const Address& remote) const {
  const auto connection = find(Peer{TransportKind::Tcp, remote, {}, 0});
  return connection ? connection->id() : 0;
}

void TcpTransport::removeFromIndex(const TcpConnection& connection) {
  const auto [first, last] = byRemote_.equal_range(connection.remote());
  for (auto it = first; it != last; ++it) {
    if (it->second == connection.id()) {
      byRemote_.erase(it);
      return;
    }
  }
}

void TcpTransport::report(TransportError error) {
  if (errorHandler_ == nullptr) return;
  // Posted: the close may have happened inside send(), and the handler must never run there.
  boost::asio::post(io_, [this, alive = std::weak_ptr<int>(alive_), error = std::move(error)] {
    if (!alive.expired() && errorHandler_ != nullptr) errorHandler_->onTransportError(error);
  });
}

void TcpTransport::onConnected(TcpConnection& connection) {
  spdlog::debug("TCP#{} connected to {} from {}", connection.id(), toString(connection.remote()),
                toString(connection.local()));
}

void TcpTransport::onMessage(TcpConnection& connection, std::string bytes) {
  const Peer from = connection.peer();
  logMessage(Direction::In, from, bytes);
  if (sink_ == nullptr) {
    ++counters_.receiveDropped;
    return;
  }
  ++counters_.messagesIn;
  sink_->onMessage(std::move(bytes), from);
}

void TcpTransport::onClosed(TcpConnection& connection, const TcpCloseInfo& info) {
  const std::uint64_t id = connection.id();
  removeFromIndex(connection);
  if (connections_.erase(id) > 0 && counters_.connectionsOpen > 0) --counters_.connectionsOpen;
  spdlog::debug("TCP#{} {} closed: {} ({}), {} message(s) unsent", id,
                toString(connection.remote()), toString(info.cause), info.reason,
                info.messagesDropped);

  TransportError error;
  error.peer = connection.peer();
  error.messagesDropped = info.messagesDropped;
  error.reason = info.reason;
  switch (info.cause) {
    case CloseCause::ConnectFailed:
      ++counters_.connectFailures;
      error.kind = TransportErrorKind::ConnectFailed;
      break;
    case CloseCause::SendQueueOverflow:
      error.kind = TransportErrorKind::SendQueueOverflow;
      break;
    default:
      // A close that lost nothing is not an error anyone must act on.
      if (info.messagesDropped == 0) return;
      error.kind = TransportErrorKind::ConnectionFailed;
      break;
  }
  report(std::move(error));
}

}  // namespace ccsip::sip::transport
