#pragma once

// Real-socket helpers for the CTI and HTTP tests: everything runs on one io_context, polled
// with a bounded wall-clock limit (no sleeps, no fixed ports: loopback, port 0).

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "cti/cti_server.h"
#include "cti/dn_directory.h"
#include "cti/request_handler.h"

namespace ccsip::cti::test {

namespace json = boost::json;
using boost::asio::ip::tcp;

// Runs `io` until `done()` holds or `limit` passes; returns done().
inline bool runUntil(boost::asio::io_context& io, const std::function<bool()>& done,
                     std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    // One handler at a time, so `done` is checked as soon as it may have changed.
    io.run_one_for(std::chrono::milliseconds(5));
    if (io.stopped()) io.restart();
  }
  return done();
}

// Lets already-queued handlers run (for "nothing more happens" checks).
inline void runFor(boost::asio::io_context& io, std::chrono::milliseconds duration) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(2));
    if (io.stopped()) io.restart();
  }
}

inline tcp::acceptor listenLoopback(boost::asio::io_context& io) {
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), 0);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen();
  return acceptor;
}

class FakeDirectory final : public DnDirectory {
 public:
  bool hasDn(std::string_view dn) const override { return dns.contains(std::string(dn)); }
  std::set<std::string> dns{"1000", "1001", "1002", "5000"};
};

// Records requests; answers with `result` (an error becomes EventError), and lets a test react
// synchronously (e.g. emit the model's events) through onRequestHook.
class FakeHandler final : public RequestHandler {
 public:
  model::Status onRequest(ClientId client, const json::object& request) override {
    requests.push_back({client, request});
    if (onRequestHook) return onRequestHook(client, request);
    return model::ok();
  }
  void onClientClosed(ClientId client) override { closed.push_back(client); }

  struct Received {
    ClientId client;
    json::object request;
  };
  std::vector<Received> requests;
  std::vector<ClientId> closed;
  std::function<model::Status(ClientId, const json::object&)> onRequestHook;
};

// Parses each newline-terminated JSON object the client has received so far.
inline std::vector<json::object> parseLines(const std::string& received) {
  std::vector<json::object> out;
  std::size_t start = 0;
  for (auto newline = received.find('\n'); newline != std::string::npos;
       newline = received.find('\n', start)) {
    boost::system::error_code ec;
    auto value = json::parse(std::string_view(received).substr(start, newline - start), ec);
    out.push_back(!ec && value.is_object() ? value.get_object() : json::object{{"unparsed", true}});
    start = newline + 1;
  }
  return out;
}

// A raw TCP CTI client: asynchronous writes (the server runs on the same thread) and a read
// loop collecting everything.
class LineClient {
 public:
  explicit LineClient(boost::asio::io_context& io) : socket_(io) {}

  bool connect(const tcp::endpoint& to, int receiveBuffer = 0) {
    boost::system::error_code ec;
    socket_.open(to.protocol(), ec);
    if (receiveBuffer > 0) {
      socket_.set_option(boost::asio::socket_base::receive_buffer_size(receiveBuffer), ec);
    }
    // Loopback connects complete in the kernel (backlog) without the server's accept.
    socket_.connect(to, ec);
    return !ec;
  }
  void startReading() { read(); }

  void write(std::string bytes) {
    auto data = std::make_shared<std::string>(std::move(bytes));
    boost::asio::async_write(socket_, boost::asio::buffer(*data),
                             [data](const boost::system::error_code&, std::size_t) {});
  }
  void send(const json::object& request) { write(json::serialize(request) + "\n"); }

  std::vector<json::object> events() const { return parseLines(received); }
  std::size_t eventCount() const { return lines_; }
  void close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }
  void clear() {
    received.clear();
    lines_ = 0;
  }

  std::string received;
  bool closed = false;  // EOF or reset from the server

 private:
  void read() {
    socket_.async_read_some(
        boost::asio::buffer(buffer_), [this](const boost::system::error_code& ec, std::size_t n) {
          if (ec) {
            if (ec != boost::asio::error::operation_aborted) closed = true;
            return;
          }
          received.append(buffer_.data(), n);
          lines_ += static_cast<std::size_t>(std::count(buffer_.data(), buffer_.data() + n, '\n'));
          read();
        });
  }

  tcp::socket socket_;
  std::array<char, 16384> buffer_{};
  std::size_t lines_ = 0;
};

// A WebSocket CTI client (Beast) on the same io_context.
class WsClient {
 public:
  explicit WsClient(boost::asio::io_context& io) : ws_(io) {}

  // Connects and starts the handshake for `target`; handshaken or failed tell the outcome.
  void connect(const tcp::endpoint& to, std::string target = "/cti") {
    boost::beast::get_lowest_layer(ws_).socket().connect(to);
    ws_.async_handshake("127.0.0.1", target, [this](const boost::system::error_code& ec) {
      if (ec) {
        failed = true;
        return;
      }
      handshaken = true;
      read();
      flush();
    });
  }
  void send(std::string text) {
    outgoing_.push_back(std::move(text));
    flush();
  }
  void send(const json::object& request) { send(json::serialize(request)); }

  std::vector<json::object> events() const {
    std::vector<json::object> out;
    for (const auto& message : messages) {
      boost::system::error_code ec;
      auto value = json::parse(message, ec);
      out.push_back(!ec && value.is_object() ? value.get_object() : json::object{});
    }
    return out;
  }

  bool handshaken = false;
  bool failed = false;
  bool closed = false;
  std::vector<std::string> messages;

 private:
  void read() {
    ws_.async_read(buffer_, [this](const boost::system::error_code& ec, std::size_t) {
      if (ec) {
        closed = true;
        return;
      }
      messages.push_back(boost::beast::buffers_to_string(buffer_.data()));
      buffer_.clear();
      read();
    });
  }
  void flush() {
    if (!handshaken || writing_ || outgoing_.empty()) return;
    writing_ = true;
    ws_.text(true);
    ws_.async_write(boost::asio::buffer(outgoing_.front()),
                    [this](const boost::system::error_code& ec, std::size_t) {
                      writing_ = false;
                      outgoing_.pop_front();
                      if (!ec) flush();
                    });
  }

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> outgoing_;
  bool writing_ = false;
};

inline json::object request(std::string_view name, std::int64_t referenceId,
                            json::object fields = {}) {
  fields["request"] = name;
  fields["referenceId"] = referenceId;
  return fields;
}

}  // namespace ccsip::cti::test
