#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>

#include "util/result.h"

namespace ccsip::cli {

enum class ReadStatus {
  Line,         // `line` holds the next line, without "\n" (and "\r")
  Timeout,      // nothing complete within the timeout
  Closed,       // the server closed the connection
  Interrupted,  // SIGINT / SIGTERM arrived (see interruptOnSignals)
  Failed,       // a socket error or an over-long line; `error` says which
};

struct ReadResult {
  ReadStatus status = ReadStatus::Failed;
  std::string line;
  std::string error;
};

// A blocking client of the CTI TCP port (docs/protocol.md "Framing": one JSON object per line
// each way). Blocking calls on an own io_context, each bounded by a timeout: a command-line
// tool has nothing else to do while it waits.
class CtiConnection {
 public:
  // A server line longer than this is refused (the server's own limit is 64 KiB a message; an
  // event carrying large user data may be longer, so the client is more generous).
  static constexpr std::size_t kMaxLineBytes = 4 * 1024 * 1024;

  CtiConnection();
  CtiConnection(const CtiConnection&) = delete;
  CtiConnection& operator=(const CtiConnection&) = delete;

  // Resolves `host` and connects; the value is the peer ("127.0.0.1:7000").
  util::Result<std::string> connect(const std::string& host, std::uint16_t port,
                                    std::chrono::milliseconds timeout);

  // Writes `bytes` completely; the value is the number of bytes written.
  util::Result<std::size_t> send(std::string_view bytes);

  // The next line; without a timeout it waits until a line, the end of the connection or a
  // signal.
  ReadResult readLine(std::optional<std::chrono::milliseconds> timeout);

  // From now on SIGINT and SIGTERM end a readLine with ReadStatus::Interrupted instead of
  // ending the process (watch stops cleanly on Ctrl-C).
  void interruptOnSignals();

 private:
  // Runs the io_context until `done` or the deadline; false on timeout or interruption.
  bool runUntil(const bool& done, std::optional<std::chrono::steady_clock::time_point> deadline);
  void waitForSignal();

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::optional<boost::asio::signal_set> signals_;
  bool interrupted_ = false;
  std::string buffer_;  // received bytes not yet returned as lines
};

}  // namespace ccsip::cli
