#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/timer_service.h"

namespace ccsip::util {

// TimerService on one asio steady_timer armed for the earliest deadline of a TimerQueue: tens of
// thousands of transaction timers cost one kernel timer, not one each.
class AsioTimerService final : public TimerService {
 public:
  explicit AsioTimerService(boost::asio::io_context& io) : timer_(io) {}

  TimePoint now() const override { return Clock::now(); }
  TimerId schedule(Duration after, TimerCallback callback) override;
  bool cancel(TimerId id) override { return queue_.cancel(id); }
  std::size_t pending() const { return queue_.pending(); }

 private:
  void rearm();

  boost::asio::steady_timer timer_;
  TimerQueue queue_;
  std::optional<TimePoint> armedFor_;
};

}  // namespace ccsip::util
