#pragma once

#include <array>
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "cti/client_connection.h"
#include "cti/line_framer.h"

namespace ccsip::cti {

// A CTI client on the raw TCP port: newline-delimited JSON both ways (docs/protocol.md
// "Framing"). Writes gather several queued events, each followed by `\n`.
class TcpClientConnection final : public ClientConnection {
 public:
  TcpClientConnection(ClientId id, ConnectionOwner& owner, const ConnectionLimits& limits,
                      boost::asio::ip::tcp::socket socket);

  void start() override;
  std::string_view transportName() const override { return "tcp"; }

 private:
  void startRead();
  void onRead(const boost::system::error_code& ec, std::size_t size);
  void startWrite() override;
  void closeSocket() override;
  boost::asio::any_io_executor executor() override { return socket_.get_executor(); }

  boost::asio::ip::tcp::socket socket_;
  LineFramer framer_;
  std::array<char, 16 * 1024> readBuffer_{};
};

}  // namespace ccsip::cti
