#include "cti/websocket_client_connection.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/version.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace ccsip::cti {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

// Bytes asked of each read: small enough to notice an oversized message early.
constexpr std::size_t kReadChunk = 16 * 1024;
// A message this large is refused by Beast itself (close 1009) instead of being drained.
constexpr std::size_t kHardMessageLimit = 16 * 1024 * 1024;

}  // namespace

WebSocketClientConnection::WebSocketClientConnection(ClientId id, ConnectionOwner& owner,
                                                     const ConnectionLimits& limits,
                                                     boost::asio::ip::tcp::socket socket,
                                                     UpgradeRequest request)
    : ClientConnection(id, owner, limits),
      stream_(std::move(socket)),
      request_(std::move(request)) {
  boost::system::error_code ec;
  auto& tcp = beast::get_lowest_layer(stream_).socket();
  const auto remote = tcp.remote_endpoint(ec);
  if (!ec) setRemote(endpointText(remote));
  tcp.set_option(boost::asio::ip::tcp::no_delay(true), ec);
}

void WebSocketClientConnection::start() {
  stream_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  stream_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "ccsip");
  }));
  stream_.read_message_max(std::max(kHardMessageLimit, limits().maxMessageBytes + 1));
  stream_.text(true);
  auto self = std::static_pointer_cast<WebSocketClientConnection>(shared_from_this());
  stream_.async_accept(request_,
                       [self](const boost::system::error_code& ec) { self->onAccepted(ec); });
}

void WebSocketClientConnection::onAccepted(const boost::system::error_code& ec) {
  if (!open()) return;
  if (ec) {
    fail(ec);
    return;
  }
  request_ = {};
  accepted_ = true;
  maybeWrite();
  startRead();
}

void WebSocketClientConnection::startRead() {
  auto self = std::static_pointer_cast<WebSocketClientConnection>(shared_from_this());
  stream_.async_read_some(
      buffer_, kReadChunk,
      [self](const boost::system::error_code& ec, std::size_t size) { self->onRead(ec, size); });
}

void WebSocketClientConnection::onRead(const boost::system::error_code& ec, std::size_t) {
  if (!open()) return;
  if (ec) {
    fail(ec);
    return;
  }
  if (buffer_.size() > limits().maxMessageBytes) {
    oversized_ = true;
    buffer_.clear();
  }
  if (stream_.is_message_done()) {
    if (owner() != nullptr) {
      if (oversized_) {
        owner()->onMessageTooLarge(id());
      } else {
        const auto data = buffer_.cdata();
        owner()->onMessage(id(),
                           std::string_view(static_cast<const char*>(data.data()), data.size()));
      }
    }
    oversized_ = false;
    buffer_.clear();
  }
  if (open()) startRead();
}

void WebSocketClientConnection::startWrite() {
  setWriting(true);
  auto self = std::static_pointer_cast<WebSocketClientConnection>(shared_from_this());
  stream_.async_write(boost::asio::buffer(*queue().front()),
                      [self](const boost::system::error_code& ec, std::size_t) {
                        if (!self->open()) return;
                        if (ec) {
                          self->fail(ec);
                          return;
                        }
                        self->writeDone(1);
                      });
}

void WebSocketClientConnection::fail(const boost::system::error_code& ec) {
  if (ec == websocket::error::closed || ec == boost::asio::error::eof) {
    close(CloseReason::PeerClosed);
  } else {
    close(CloseReason::IoError, ec.message());
  }
}

void WebSocketClientConnection::closeSocket() {
  // No closing handshake: the client is gone, misbehaving, or not reading (overflow).
  boost::system::error_code ec;
  auto& socket = beast::get_lowest_layer(stream_).socket();
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace ccsip::cti
