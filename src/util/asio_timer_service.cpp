#include "util/asio_timer_service.h"

namespace ccsip::util {

TimerId AsioTimerService::schedule(Duration after, TimerCallback callback) {
  const TimerId id = queue_.schedule(Clock::now() + after, std::move(callback));
  rearm();
  return id;
}

void AsioTimerService::rearm() {
  const auto next = queue_.nextDeadline();
  if (!next) return;
  if (armedFor_ && *armedFor_ <= *next) return;  // already armed early enough
  armedFor_ = *next;
  timer_.expires_at(*next);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    armedFor_.reset();
    queue_.fireDue(Clock::now());
    rearm();
  });
}

}  // namespace ccsip::util
