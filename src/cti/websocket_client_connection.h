#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "cti/client_connection.h"
#include "cti/upgrade_request.h"

namespace ccsip::cti {

// A CTI client on WebSocket (`/cti` on the HTTP port, RFC 6455): one JSON object per text
// message. The HTTP server has read the upgrade request; this completes the handshake.
//
// Messages are read in chunks, so one over the size limit is discarded as it arrives and
// answered with EventError instead of closing the connection (a WebSocket library's message
// limit would close it with 1009). Idle connections get pings (Beast's suggested server
// timeouts: 30 s handshake, pings after 300 s of silence).
class WebSocketClientConnection final : public ClientConnection {
 public:
  WebSocketClientConnection(ClientId id, ConnectionOwner& owner, const ConnectionLimits& limits,
                            boost::asio::ip::tcp::socket socket, UpgradeRequest request);

  void start() override;
  std::string_view transportName() const override { return "websocket"; }

 private:
  void onAccepted(const boost::system::error_code& ec);
  void startRead();
  void onRead(const boost::system::error_code& ec, std::size_t size);
  void startWrite() override;
  void closeSocket() override;
  bool writable() const override { return accepted_; }
  boost::asio::any_io_executor executor() override { return stream_.get_executor(); }
  void fail(const boost::system::error_code& ec);

  boost::beast::websocket::stream<boost::beast::tcp_stream> stream_;
  UpgradeRequest request_;
  boost::beast::flat_buffer buffer_;
  bool accepted_ = false;
  bool oversized_ = false;  // discarding the rest of a message over the limit
};

}  // namespace ccsip::cti
