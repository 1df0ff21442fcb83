#include "cli/cti_connection.h"

#include <csignal>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace ccsip::cli {

namespace asio = boost::asio;
using boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

CtiConnection::CtiConnection() : socket_(io_) {}

bool CtiConnection::runUntil(const bool& done, std::optional<Clock::time_point> deadline) {
  io_.restart();
  while (!done && !interrupted_) {
    if (deadline) {
      const auto now = Clock::now();
      if (now >= *deadline) return false;
      io_.run_one_for(*deadline - now);
    } else {
      io_.run_one();
    }
    // Out of work (a completed handler was the last): run_one would return at once forever.
    if (io_.stopped()) io_.restart();
  }
  return done;
}

util::Result<std::string> CtiConnection::connect(const std::string& host, std::uint16_t port,
                                                 std::chrono::milliseconds timeout) {
  const std::string target = host + ":" + std::to_string(port);
  tcp::resolver resolver(io_);
  bool done = false;
  boost::system::error_code result;
  tcp::endpoint peer;
  resolver.async_resolve(
      host, std::to_string(port),
      [&](const boost::system::error_code& ec, const tcp::resolver::results_type& endpoints) {
        if (ec) {
          result = ec;
          done = true;
          return;
        }
        asio::async_connect(
            socket_, endpoints,
            [&](const boost::system::error_code& connectError, const tcp::endpoint& endpoint) {
              result = connectError;
              peer = endpoint;
              done = true;
            });
      });
  if (!runUntil(done, Clock::now() + timeout)) {
    resolver.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
    // The cancelled handlers still run (with operation_aborted): the lambdas reference locals.
    io_.restart();
    while (!done) io_.run_one();
    return util::makeError(
        0, "cannot connect to " + target + ": " + (interrupted_ ? "interrupted" : "timed out"));
  }
  if (result) return util::makeError(0, "cannot connect to " + target + ": " + result.message());
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);  // one small request at a time
  return peer.address().to_string() + ":" + std::to_string(peer.port());
}

util::Result<std::size_t> CtiConnection::send(std::string_view bytes) {
  boost::system::error_code ec;
  // Asio sends with MSG_NOSIGNAL on Linux: a closed peer is an error here, not a SIGPIPE.
  std::size_t written = asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec) return util::makeError(0, "cannot send to the server: " + ec.message());
  return written;
}

ReadResult CtiConnection::readLine(std::optional<std::chrono::milliseconds> timeout) {
  if (interrupted_) return {ReadStatus::Interrupted, {}, {}};
  bool done = false;
  boost::system::error_code error;
  std::size_t length = 0;
  asio::async_read_until(socket_, asio::dynamic_buffer(buffer_, kMaxLineBytes), '\n',
                         [&](const boost::system::error_code& ec, std::size_t n) {
                           error = ec;
                           length = n;
                           done = true;
                         });
  std::optional<Clock::time_point> deadline;
  if (timeout) deadline = Clock::now() + *timeout;
  if (!runUntil(done, deadline)) {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    io_.restart();
    while (!done) io_.run_one();
    // A line may have completed before the cancel took effect: then it is returned.
    if (error) {
      return {interrupted_ ? ReadStatus::Interrupted : ReadStatus::Timeout, {}, {}};
    }
  }
  if (error == asio::error::eof) return {ReadStatus::Closed, {}, {}};
  if (error == asio::error::not_found) {
    return {ReadStatus::Failed,
            {},
            "a server line longer than " + std::to_string(kMaxLineBytes) + " bytes"};
  }
  if (error) return {ReadStatus::Failed, {}, "cannot read from the server: " + error.message()};
  std::string line = buffer_.substr(0, length - 1);  // length counts the '\n'
  buffer_.erase(0, length);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return {ReadStatus::Line, std::move(line), {}};
}

void CtiConnection::interruptOnSignals() {
  if (signals_) return;
  signals_.emplace(io_, SIGINT, SIGTERM);
  waitForSignal();
}

void CtiConnection::waitForSignal() {
  signals_->async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) interrupted_ = true;
  });
}

}  // namespace ccsip::cli
