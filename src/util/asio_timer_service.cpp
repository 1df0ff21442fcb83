#include "util/asio_timer_service.h"

#include <boost/asio/post.hpp>

namespace ccsip::util {

AsioTimerService::AsioTimerService(boost::asio::io_context& io)
    : io_(io), timer_(io), deferred_(std::make_shared<DeferredQueue>()) {}

AsioTimerService::~AsioTimerService() = default;

TimePoint AsioTimerService::tickOf(TimePoint deadline) {
  return std::chrono::ceil<Duration>(deadline);
}

TimerId AsioTimerService::schedule(Duration after, TimerCallback callback) {
  const TimePoint deadline = Clock::now() + after;
  const TimerId id = queue_.schedule(deadline, std::move(callback));
  arm(deadline);
  return id;
}

bool AsioTimerService::cancel(TimerId id) {
  // A cancelled timer leaves the kernel timer armed: the wake-up finds nothing due and re-arms
  // for the next live deadline, cheaper than re-arming on every cancel.
  return DeferredQueue::isDeferredId(id) ? deferred_->cancel(id) : queue_.cancel(id);
}

TimerId AsioTimerService::defer(TimerCallback callback) {
  const TimerId id = deferred_->post(std::move(callback));
  if (!deferredPosted_) postDeferredRunner();
  return id;
}

void AsioTimerService::postDeferredRunner() {
  deferredPosted_ = true;
  boost::asio::post(io_, [this, weak = std::weak_ptr<DeferredQueue>(deferred_)] {
    const auto queue = weak.lock();
    if (queue == nullptr) return;  // the service is gone
    deferredPosted_ = false;
    queue->runBatch();
    // Work the batch deferred again runs from a post of its own: I/O gets its turn in between.
    if (!queue->empty() && !deferredPosted_) postDeferredRunner();
  });
}

void AsioTimerService::arm(TimePoint deadline) {
  const TimePoint tick = tickOf(deadline);
  if (armedFor_ && *armedFor_ <= tick) return;  // armed for that tick or an earlier one
  armedFor_ = tick;
  timer_.expires_at(tick);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    onExpiry();
  });
}

void AsioTimerService::onExpiry() {
  armedFor_.reset();
  queue_.fireDue(Clock::now());
  if (const auto next = queue_.nextDeadline()) arm(*next);
}

}  // namespace ccsip::util
