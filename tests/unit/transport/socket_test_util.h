#pragma once

// Helpers for real-socket tests on loopback: everything runs on one io_context, polled with a
// bounded wall-clock limit (no sleeps, no fixed ports).

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>

#include "sip/transport/transport.h"
#include "sip/transport/transport_manager.h"

namespace ccsip::sip::transport::test {

// Runs `io` until `done()` holds or `limit` passes; returns done().
inline bool runUntil(boost::asio::io_context& io, const std::function<bool()>& done,
                     std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(5));
    if (io.stopped()) io.restart();
  }
  return done();
}

// Lets already-queued handlers run (for "nothing happens" checks).
inline void runFor(boost::asio::io_context& io, std::chrono::milliseconds duration) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(5));
    if (io.stopped()) io.restart();
  }
}

// ListenOptions without designated initializers (GCC warns about the members left out).
inline ListenOptions listenOn(const Address& address, bool udp = true, bool tcp = true) {
  ListenOptions options;
  options.address = address;
  options.udp = udp;
  options.tcp = tcp;
  return options;
}

struct Received {
  std::string bytes;
  Peer from;
};

class RecordingSink final : public MessageSink {
 public:
  void onMessage(std::string bytes, const Peer& from) override {
    messages.push_back({std::move(bytes), from});
    if (onReceive) onReceive(messages.back());
  }
  std::vector<Received> messages;
  std::function<void(const Received&)> onReceive;
};

class RecordingErrors final : public TransportErrorHandler {
 public:
  void onTransportError(const TransportError& error) override { errors.push_back(error); }
  std::vector<TransportError> errors;
};

// A TCP client on the test's io_context: asynchronous writes (the server runs on the same
// thread, so a blocking write could deadlock) and a read loop collecting everything.
class TcpClient {
 public:
  explicit TcpClient(boost::asio::io_context& io) : socket_(io) {}

  bool connect(const Address& to) {
    boost::system::error_code ec;
    // Loopback connects complete in the kernel (backlog) without the server's accept.
    socket_.connect({to.ip, to.port}, ec);
    if (ec) return false;
    read();
    return true;
  }

  void write(std::string bytes) {
    auto data = std::make_shared<std::string>(std::move(bytes));
    ++pendingWrites_;
    boost::asio::async_write(socket_, boost::asio::buffer(*data),
                             [this, data](const boost::system::error_code& ec, std::size_t) {
                               --pendingWrites_;
                               if (ec) writeError = ec;
                             });
  }

  Address localAddress() const {
    const auto e = socket_.local_endpoint();
    return {e.address(), e.port()};
  }
  void close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

  std::string received;
  bool closed = false;  // EOF or reset from the server
  boost::system::error_code writeError;
  int pendingWrites() const { return pendingWrites_; }

 private:
  void read() {
    socket_.async_read_some(boost::asio::buffer(buffer_),
                            [this](const boost::system::error_code& ec, std::size_t n) {
                              if (ec) {
                                if (ec != boost::asio::error::operation_aborted) closed = true;
                                return;
                              }
                              received.append(buffer_.data(), n);
                              read();
                            });
  }

  boost::asio::ip::tcp::socket socket_;
  std::array<char, 8192> buffer_{};
  int pendingWrites_ = 0;
};

inline std::string sipRequest(std::string_view method, int cseq, std::string_view body = "",
                              std::string_view transport = "TCP") {
  std::string m;
  m += method;
  m += " sip:bob@127.0.0.1 SIP/2.0\r\n";
  m += "Via: SIP/2.0/";
  m += transport;
  m += " 127.0.0.1:5070;branch=z9hG4bK-" + std::to_string(cseq) + "\r\n";
  m += "Max-Forwards: 70\r\n";
  m += "From: <sip:alice@127.0.0.1>;tag=a1\r\n";
  m += "To: <sip:bob@127.0.0.1>\r\n";
  m += "Call-ID: call-" + std::to_string(cseq) + "@test\r\n";
  m += "CSeq: " + std::to_string(cseq) + " ";
  m += method;
  m += "\r\n";
  m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  m += body;
  return m;
}

inline std::string sipResponse(int cseq) {
  return "SIP/2.0 200 OK\r\n"
         "Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-" +
         std::to_string(cseq) +
         "\r\n"
         "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
         "To: <sip:bob@127.0.0.1>;tag=b1\r\n"
         "Call-ID: call-" +
         std::to_string(cseq) +
         "@test\r\n"
         "CSeq: " +
         std::to_string(cseq) +
         " OPTIONS\r\n"
         "Content-Length: 0\r\n\r\n";
}

}  // namespace ccsip::sip::transport::test
