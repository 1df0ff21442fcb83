#pragma once

#include <chrono>

namespace ccsip::util {

// All protocol timers run on the monotonic clock; wall time never drives a SIP timer.
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = std::chrono::milliseconds;

}  // namespace ccsip::util
