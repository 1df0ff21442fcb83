#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "http/http_router.h"

namespace ccsip::http {

class HttpServer;

// One HTTP/1.1 connection: read a request (with limits), answer it, repeat while keep-alive.
// Held by the server's table and by its pending operations; detach() cuts it from the server.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(std::uint64_t id, HttpServer& server, boost::asio::ip::tcp::socket socket);

  void start();
  void close();   // closes the socket; the pending handlers then end the session
  void detach();  // the server is going away: close, no callbacks

 private:
  void startRead();
  void onRead(const boost::system::error_code& ec);
  void respond(Response response, bool keepAlive);
  void onWritten(const boost::system::error_code& ec, bool keepAlive);
  void end();

  std::uint64_t id_;
  HttpServer* server_;  // nullptr once detached or ended
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<Response> response_;
};

}  // namespace ccsip::http
