#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "util/time.h"

namespace ccsip::util {

using TimerId = std::uint64_t;
using TimerCallback = std::function<void()>;

// A min-heap of deadlines. Cancellation is lazy (the entry stays in the heap and is skipped when
// it surfaces) so cancel is O(1): transactions cancel far more timers than ever fire.
class TimerQueue {
 public:
  TimerId schedule(TimePoint deadline, TimerCallback callback);
  bool cancel(TimerId id);

  // Runs every callback whose deadline is <= now, earliest first. Callbacks may schedule or
  // cancel timers; a timer scheduled by a callback for a deadline <= now also runs in this call.
  std::size_t fireDue(TimePoint now);

  std::optional<TimePoint> nextDeadline();
  std::size_t pending() const { return callbacks_.size(); }

 private:
  struct Entry {
    TimePoint deadline;
    TimerId id;
    bool operator>(const Entry& other) const {
      return deadline != other.deadline ? deadline > other.deadline : id > other.id;
    }
  };
  void dropCancelledTop();

  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::unordered_map<TimerId, TimerCallback> callbacks_;
  TimerId nextId_ = 1;
};

}  // namespace ccsip::util
