#include "http/http_session.h"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http/http_server.h"

namespace ccsip::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

bool isParseError(const boost::system::error_code& ec) {
  return &ec.category() == &bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

Response errorResponse(bhttp::status status, std::string_view body) {
  Response response{status, 11};
  response.set(bhttp::field::server, "ccsip");
  response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  response.body() = std::string(body);
  response.keep_alive(false);
  response.prepare_payload();
  return response;
}

}  // namespace

HttpSession::HttpSession(std::uint64_t id, HttpServer& server, boost::asio::ip::tcp::socket socket)
    : id_(id), server_(&server), stream_(std::move(socket)) {}

void HttpSession::start() {
  startRead();
}

void HttpSession::startRead() {
  if (server_ == nullptr) return;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(server_->options().maxHeaderBytes));
  parser_->body_limit(server_->options().maxBodyBytes);
  stream_.expires_after(server_->options().idleTimeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->onRead(ec);
                    });
}

void HttpSession::onRead(const boost::system::error_code& ec) {
  if (server_ == nullptr) return;
  if (ec == bhttp::error::header_limit) {
    return respond(
        errorResponse(bhttp::status::request_header_fields_too_large, "request header too large\n"),
        false);
  }
  if (ec == bhttp::error::body_limit) {
    return respond(errorResponse(bhttp::status::payload_too_large, "request body too large\n"),
                   false);
  }
  if (isParseError(ec)) {
    return respond(errorResponse(bhttp::status::bad_request, "bad request\n"), false);
  }
  if (ec) return end();  // EOF, reset, idle timeout, closed by the server

  Request request = parser_->release();
  const auto target = request.target();
  if (beast::websocket::is_upgrade(request) &&
      HttpRouter::pathOf(std::string_view(target.data(), target.size())) == "/cti") {
    // A client waits for the 101 before sending frames, so nothing is left in buffer_.
    if (server_->canHandOver()) {
      stream_.expires_never();
      server_->handOver(stream_.release_socket(), std::move(request));
      server_->sessionEnded(id_);
      server_ = nullptr;
      return;
    }
    return respond(errorResponse(bhttp::status::service_unavailable, "CTI not available\n"), false);
  }
  const bool keepAlive = request.keep_alive();
  respond(server_->router().handle(request), keepAlive);
}

void HttpSession::respond(Response response, bool keepAlive) {
  if (server_ == nullptr) return;
  server_->responded(response.result_int());
  response_.emplace(std::move(response));
  stream_.expires_after(server_->options().idleTimeout);
  bhttp::async_write(
      stream_, *response_,
      [self = shared_from_this(), keepAlive](const boost::system::error_code& ec, std::size_t) {
        self->onWritten(ec, keepAlive);
      });
}

void HttpSession::onWritten(const boost::system::error_code& ec, bool keepAlive) {
  response_.reset();
  if (server_ == nullptr) return;
  if (ec || !keepAlive) {
    boost::system::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    return end();
  }
  startRead();
}

void HttpSession::close() {
  boost::system::error_code ignored;
  stream_.socket().close(ignored);
}

void HttpSession::detach() {
  server_ = nullptr;
  close();
}

void HttpSession::end() {
  close();
  if (server_ == nullptr) return;
  auto* server = server_;
  server_ = nullptr;
  server->sessionEnded(id_);  // may destroy the table's reference: the handler holds another
}

}  // namespace ccsip::http
