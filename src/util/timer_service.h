#pragma once

#include "util/timer_queue.h"

namespace ccsip::util {

// The clock and timers every protocol layer uses. Injected, so transaction and dialog timers are
// tested with ManualTimerService (no sleeps) and run on AsioTimerService in the server.
class TimerService {
 public:
  virtual ~TimerService() = default;
  virtual TimePoint now() const = 0;
  virtual TimerId schedule(Duration after, TimerCallback callback) = 0;
  // Also cancels work of defer().
  virtual bool cancel(TimerId id) = 0;
  // Runs `callback` once the event being handled is done (after the current callback returns),
  // before any timer that is not due yet: for work that must leave the current call stack,
  // such as freeing the object whose callback is running. Cancel with cancel(). By default a
  // zero-delay timer (ManualTimerService: it runs at the next advance()); AsioTimerService
  // queues it without a timer.
  virtual TimerId defer(TimerCallback callback) {
    return schedule(Duration::zero(), std::move(callback));
  }
};

// A fake clock for tests: time moves only when advance() is called.
class ManualTimerService final : public TimerService {
 public:
  TimePoint now() const override { return now_; }
  TimerId schedule(Duration after, TimerCallback callback) override {
    return queue_.schedule(now_ + after, std::move(callback));
  }
  bool cancel(TimerId id) override { return queue_.cancel(id); }

  // Moves the clock forward step by step through every due deadline, so callbacks see now()
  // equal to their own deadline, as they would on a real clock.
  void advance(Duration by) {
    const TimePoint target = now_ + by;
    for (auto next = queue_.nextDeadline(); next && *next <= target; next = queue_.nextDeadline()) {
      if (*next > now_) now_ = *next;
      queue_.fireDue(now_);
    }
    now_ = target;
  }
  std::size_t pending() const { return queue_.pending(); }

 private:
  TimePoint now_{};
  TimerQueue queue_;
};

}  // namespace ccsip::util
