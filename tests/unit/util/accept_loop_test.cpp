#include "util/accept_loop.h"

#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include "util/timer_service.h"

namespace ccsip::util {
namespace {

using boost::asio::ip::tcp;

tcp::acceptor listenLoopback(boost::asio::io_context& io) {
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), 0);
  acceptor.open(endpoint.protocol());
  acceptor.bind(endpoint);
  acceptor.listen();
  return acceptor;
}

// Runs `io` until `done()` holds or 5 s pass; returns done().
bool runUntil(boost::asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds(5));
    if (io.stopped()) io.restart();
  }
  return done();
}

void runPending(boost::asio::io_context& io) {
  io.poll();
  io.restart();
}

// A connection completed by the kernel (it waits in the listen backlog for accept()).
std::unique_ptr<tcp::socket> connectTo(boost::asio::io_context& io, const tcp::endpoint& to) {
  auto socket = std::make_unique<tcp::socket>(io);
  socket->connect(to);
  return socket;
}

// accept() on a socket that is bound but not listening fails (EINVAL) until listen() is called:
// a failure the test can end at will, standing for EMFILE and friends (which cannot be
// provoked here: the sanitizers need new descriptors of their own while they check).
tcp::acceptor boundNotListening(boost::asio::io_context& io) {
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), 0);
  acceptor.open(endpoint.protocol());
  acceptor.bind(endpoint);
  return acceptor;
}

class RecordingHandler final : public AcceptHandler {
 public:
  void onAccepted(tcp::socket socket) override {
    sockets.push_back(std::move(socket));
    if (hook) hook();
  }
  std::vector<tcp::socket> sockets;
  std::function<void()> hook;
};

class AcceptLoopTest : public ::testing::Test {
 protected:
  std::unique_ptr<AcceptLoop> makeLoop(TimerService* timers, Duration retry = Duration(100)) {
    return adopt(listenLoopback(io_), timers, retry);
  }
  // A loop whose accepts fail until listen().
  std::unique_ptr<AcceptLoop> makeFailingLoop(TimerService* timers,
                                              Duration retry = Duration(100)) {
    auto acceptor = boundNotListening(io_);
    socket_ = acceptor.native_handle();
    return adopt(std::move(acceptor), timers, retry);
  }
  // A loop whose first accept has failed; then the socket listens and a client waits in the
  // backlog for the retry.
  std::unique_ptr<AcceptLoop> failedOnce(TimerService* timers, Duration retry = Duration(100)) {
    auto loop = makeFailingLoop(timers, retry);
    loop->start();
    EXPECT_TRUE(runUntil(io_, [&] { return loop->failures() == 1; }));
    EXPECT_EQ(::listen(socket_, SOMAXCONN), 0);
    waiting_ = connectTo(io_, endpoint_);
    return loop;
  }

  std::unique_ptr<AcceptLoop> adopt(tcp::acceptor acceptor, TimerService* timers, Duration retry) {
    auto loop = std::make_unique<AcceptLoop>(std::move(acceptor), handler_,
                                             AcceptLoopOptions{"TEST", retry, timers});
    endpoint_ = *loop->localEndpoint();
    return loop;
  }

  boost::asio::io_context io_;
  RecordingHandler handler_;
  ManualTimerService timers_;
  tcp::endpoint endpoint_;
  int socket_ = -1;
  std::unique_ptr<tcp::socket> waiting_;
};

TEST_F(AcceptLoopTest, HandsEveryConnectionToTheHandler) {
  auto loop = makeLoop(&timers_);
  loop->start();
  auto a = connectTo(io_, endpoint_);
  auto b = connectTo(io_, endpoint_);
  EXPECT_TRUE(runUntil(io_, [&] { return handler_.sockets.size() == 2; }));
  EXPECT_EQ(loop->failures(), 0u);
  EXPECT_TRUE(handler_.sockets[0].is_open());
}

TEST_F(AcceptLoopTest, FailedAcceptIsRetriedAfterTheDelayOnTheTimerService) {
  auto loop = failedOnce(&timers_);
  // Backing off: the waiting connection is not taken before the delay, and nothing spins.
  runPending(io_);
  EXPECT_EQ(loop->failures(), 1u);
  EXPECT_TRUE(handler_.sockets.empty());
  EXPECT_EQ(timers_.pending(), 1u);
  timers_.advance(Duration(99));
  runPending(io_);
  EXPECT_TRUE(handler_.sockets.empty());

  timers_.advance(Duration(1));
  EXPECT_TRUE(runUntil(io_, [&] { return handler_.sockets.size() == 1; }));
  EXPECT_EQ(loop->failures(), 1u);
  // And the loop goes on.
  auto next = connectTo(io_, endpoint_);
  EXPECT_TRUE(runUntil(io_, [&] { return handler_.sockets.size() == 2; }));
}

TEST_F(AcceptLoopTest, FailedAcceptIsRetriedOnAnAsioTimerWithoutATimerService) {
  auto loop = failedOnce(nullptr, Duration(20));
  EXPECT_TRUE(runUntil(io_, [&] { return handler_.sockets.size() == 1; }));
  EXPECT_EQ(loop->failures(), 1u);
}

TEST_F(AcceptLoopTest, CloseCancelsAPendingRetry) {
  auto loop = failedOnce(&timers_);
  EXPECT_EQ(timers_.pending(), 1u);
  loop->close();
  EXPECT_FALSE(loop->open());
  EXPECT_FALSE(loop->localEndpoint().has_value());
  EXPECT_EQ(timers_.pending(), 0u);
  timers_.advance(Duration(1000));
  runPending(io_);
  EXPECT_TRUE(handler_.sockets.empty());
}

TEST_F(AcceptLoopTest, HandlerMayCloseTheLoop) {
  auto loop = makeLoop(&timers_);
  handler_.hook = [&] { loop->close(); };
  loop->start();
  auto a = connectTo(io_, endpoint_);
  EXPECT_TRUE(runUntil(io_, [&] { return handler_.sockets.size() == 1; }));
  EXPECT_FALSE(loop->open());
  runPending(io_);
  EXPECT_EQ(handler_.sockets.size(), 1u);
  EXPECT_EQ(loop->failures(), 0u);
}

TEST_F(AcceptLoopTest, HandlerMayDestroyTheLoop) {
  auto loop = makeLoop(&timers_);
  handler_.hook = [&] { loop.reset(); };
  loop->start();
  auto a = connectTo(io_, endpoint_);
  EXPECT_TRUE(runUntil(io_, [&] { return handler_.sockets.size() == 1; }));
  EXPECT_EQ(loop, nullptr);
  runPending(io_);
}

TEST_F(AcceptLoopTest, DestroyedLoopNeverCallsTheHandler) {
  auto loop = makeLoop(&timers_);
  loop->start();
  loop.reset();  // the pending accept completes later, aborted
  runPending(io_);
  EXPECT_TRUE(handler_.sockets.empty());
  EXPECT_EQ(timers_.pending(), 0u);
}

}  // namespace
}  // namespace ccsip::util
