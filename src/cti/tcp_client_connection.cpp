#include "cti/tcp_client_connection.h"

#include <vector>

#include <boost/asio/write.hpp>

namespace ccsip::cti {

namespace {

// Events queued during one fan-out go out in one gathered write.
constexpr std::size_t kMaxGather = 64;

}  // namespace

TcpClientConnection::TcpClientConnection(ClientId id, ConnectionOwner& owner,
                                         const ConnectionLimits& limits,
                                         boost::asio::ip::tcp::socket socket)
    : ClientConnection(id, owner, limits),
      socket_(std::move(socket)),
      framer_(limits.maxMessageBytes) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  if (!ec) setRemote(endpointText(remote));
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  // Desktops stay connected for a whole shift, mostly idle: let the kernel notice dead peers.
  socket_.set_option(boost::asio::socket_base::keep_alive(true), ec);
}

void TcpClientConnection::start() {
  startRead();
}

void TcpClientConnection::startRead() {
  socket_.async_read_some(
      boost::asio::buffer(readBuffer_),
      [self = std::static_pointer_cast<TcpClientConnection>(shared_from_this())](
          const boost::system::error_code& ec, std::size_t size) { self->onRead(ec, size); });
}

void TcpClientConnection::onRead(const boost::system::error_code& ec, std::size_t size) {
  if (!open()) return;
  if (ec) {
    if (ec == boost::asio::error::eof) {
      close(CloseReason::PeerClosed);
    } else {
      close(CloseReason::IoError, ec.message());
    }
    return;
  }
  framer_.append(std::string_view(readBuffer_.data(), size));
  while (open() && owner() != nullptr) {
    const auto frame = framer_.next();
    if (!frame) break;
    if (frame->kind == LineFramer::Kind::TooLong) {
      owner()->onMessageTooLarge(id());
    } else {
      owner()->onMessage(id(), frame->text);
    }
  }
  if (open()) startRead();
}

void TcpClientConnection::startWrite() {
  const auto count = std::min(queue().size(), kMaxGather);
  std::vector<boost::asio::const_buffer> buffers;
  buffers.reserve(count * 2);
  static constexpr char kNewline = '\n';
  for (std::size_t i = 0; i < count; ++i) {
    buffers.emplace_back(boost::asio::buffer(*queue()[i]));
    buffers.emplace_back(boost::asio::buffer(&kNewline, 1));
  }
  setWriting(true);
  boost::asio::async_write(
      socket_, buffers,
      [self = std::static_pointer_cast<TcpClientConnection>(shared_from_this()), count](
          const boost::system::error_code& ec, std::size_t) {
        if (!self->open()) return;
        if (ec) {
          self->close(CloseReason::IoError, ec.message());
          return;
        }
        self->writeDone(count);
      });
}

void TcpClientConnection::closeSocket() {
  boost::system::error_code ec;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace ccsip::cti
