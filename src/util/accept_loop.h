#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/time.h"
#include "util/timer_service.h"

namespace ccsip::util {

// Where an AcceptLoop hands the connections it accepts.
class AcceptHandler {
 public:
  virtual ~AcceptHandler() = default;
  // A new connection. Refusing it is closing the socket (or letting it go out of scope).
  virtual void onAccepted(boost::asio::ip::tcp::socket socket) = 0;
};

struct AcceptLoopOptions {
  std::string name;  // prefix of the log lines: "CTI", "HTTP"
  Duration retryDelay{100};
  // Retries are scheduled on this when set (ManualTimerService in tests); otherwise on an asio
  // timer of the acceptor's executor.
  TimerService* timers = nullptr;
};

// The accept loop of one listening TCP socket: each accepted connection goes to the handler and
// the next accept starts. A failed accept (EMFILE, ENFILE, ENOBUFS...) is logged and retried
// after retryDelay: the connection that could not be taken stays in the kernel's backlog, so
// accepting again at once would fail the same way in a busy loop.
//
// Single-threaded: every call and every handler on the acceptor's executor. After close() or
// destruction the handler is never called again.
class AcceptLoop {
 public:
  AcceptLoop(boost::asio::ip::tcp::acceptor acceptor, AcceptHandler& handler,
             AcceptLoopOptions options);
  ~AcceptLoop();
  AcceptLoop(const AcceptLoop&) = delete;
  AcceptLoop& operator=(const AcceptLoop&) = delete;

  // Starts accepting (the acceptor is open, bound and listening).
  void start();
  // Closes the acceptor and cancels a pending retry. Safe inside onAccepted.
  void close();

  bool open() const { return acceptor_.is_open(); }
  // The bound address; nullopt once closed.
  std::optional<boost::asio::ip::tcp::endpoint> localEndpoint() const;
  // Accepts that failed (each one retried), for tests and logs.
  std::uint64_t failures() const { return failures_; }

 private:
  void accept();
  void onAccept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  void retryLater();

  boost::asio::ip::tcp::acceptor acceptor_;
  AcceptHandler& handler_;
  AcceptLoopOptions options_;
  boost::asio::steady_timer retry_;  // used when options_.timers is null
  TimerId retryTimer_ = 0;           // the pending retry on options_.timers
  std::uint64_t failures_ = 0;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // async handlers hold it weakly
};

}  // namespace ccsip::util
