#pragma once

#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/deferred_queue.h"
#include "util/timer_service.h"

namespace ccsip::util {

// TimerService on one asio steady_timer armed for the earliest deadline of a TimerQueue: tens of
// thousands of transaction timers cost one kernel timer, not one each.
//
// The kernel timer is armed on a grid of kTick: a deadline is rounded up to the next tick, every
// timer due by then runs on that one wake-up, and a new timer re-arms the kernel timer only when
// it falls in an earlier tick than the one armed. Re-arming is a system call (timerfd_settime,
// a VM exit on a virtual machine) and each expiry a wake-up of the event loop: at thousands of
// calls per second, with a dozen timers per call, re-arming for every new earliest deadline cost
// more than the timers' work. SIP timers (T1 = 500 ms) do not notice a millisecond.
//
// defer() work runs from one post to the io_context per batch, after the handler that queued it.
class AsioTimerService final : public TimerService {
 public:
  static constexpr Duration kTick{1};

  explicit AsioTimerService(boost::asio::io_context& io);
  ~AsioTimerService() override;
  AsioTimerService(const AsioTimerService&) = delete;
  AsioTimerService& operator=(const AsioTimerService&) = delete;

  TimePoint now() const override { return Clock::now(); }
  TimerId schedule(Duration after, TimerCallback callback) override;
  bool cancel(TimerId id) override;
  TimerId defer(TimerCallback callback) override;
  std::size_t pending() const { return queue_.pending() + deferred_->pending(); }

  // The tick a deadline is served on: the first multiple of kTick at or after it.
  static TimePoint tickOf(TimePoint deadline);

 private:
  void arm(TimePoint deadline);
  void onExpiry();
  void postDeferredRunner();

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  TimerQueue queue_;
  std::optional<TimePoint> armedFor_;
  // Shared with the posted runner, which may outlive this service (it then finds it gone).
  std::shared_ptr<DeferredQueue> deferred_;
  bool deferredPosted_ = false;
};

}  // namespace ccsip::util
