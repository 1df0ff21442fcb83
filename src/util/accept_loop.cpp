#include "util/accept_loop.h"

#include <utility>

#include <spdlog/spdlog.h>

namespace ccsip::util {

AcceptLoop::AcceptLoop(boost::asio::ip::tcp::acceptor acceptor, AcceptHandler& handler,
                       AcceptLoopOptions options)
    : acceptor_(std::move(acceptor)),
      handler_(handler),
      options_(std::move(options)),
      retry_(acceptor_.get_executor()) {}

AcceptLoop::~AcceptLoop() {
  close();
}

void AcceptLoop::start() {
  if (open()) accept();
}

void AcceptLoop::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
  if (retryTimer_ != 0 && options_.timers != nullptr) options_.timers->cancel(retryTimer_);
  retryTimer_ = 0;
}

std::optional<boost::asio::ip::tcp::endpoint> AcceptLoop::localEndpoint() const {
  boost::system::error_code ec;
  const auto endpoint = acceptor_.local_endpoint(ec);
  if (ec) return std::nullopt;
  return endpoint;
}

void AcceptLoop::accept() {
  acceptor_.async_accept(
      [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec,
                                                 boost::asio::ip::tcp::socket socket) {
        // The loop may be gone (its acceptor's destruction aborts this operation).
        if (alive.expired()) return;
        onAccept(ec, std::move(socket));
      });
}

void AcceptLoop::onAccept(const boost::system::error_code& ec,
                          boost::asio::ip::tcp::socket socket) {
  if (!open() || ec == boost::asio::error::operation_aborted) return;
  if (ec) {
    ++failures_;
    spdlog::warn("{}: accept failed: {}", options_.name, ec.message());
    retryLater();
    return;
  }
  const std::weak_ptr<int> alive = alive_;
  handler_.onAccepted(std::move(socket));
  // The handler may have closed or destroyed the loop.
  if (!alive.expired() && open()) accept();
}

void AcceptLoop::retryLater() {
  const std::weak_ptr<int> alive = alive_;
  if (options_.timers != nullptr) {
    retryTimer_ = options_.timers->schedule(options_.retryDelay, [this, alive] {
      if (alive.expired()) return;
      retryTimer_ = 0;
      start();
    });
    return;
  }
  retry_.expires_after(options_.retryDelay);
  retry_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (!ec && !alive.expired()) start();
  });
}

}  // namespace ccsip::util
