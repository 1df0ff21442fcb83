#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

#include "util/time.h"

namespace ccsip::util {

using TimerId = std::uint64_t;
using TimerCallback = std::function<void()>;

// A min-heap of deadlines. Cancellation is lazy (the entry stays in the heap and is skipped when
// it surfaces) so cancel is O(1): transactions cancel far more timers than ever fire.
//
// Callbacks live in a vector of slots reused through a free list, not in a hash map: scheduling
// and cancelling allocate nothing once the queue has grown to its working size (a routed call
// schedules and cancels a dozen timers). A TimerId names its slot and the sequence number of
// its scheduling, so the id of a timer that fired or was cancelled never cancels a later timer
// in the same slot.
class TimerQueue {
 public:
  TimerId schedule(TimePoint deadline, TimerCallback callback);
  // False: no such timer (it fired, or was cancelled already). The callback is destroyed now.
  bool cancel(TimerId id);

  // Runs every callback whose deadline is <= now, earliest first (equal deadlines in the order
  // scheduled). Callbacks may schedule or cancel timers; a timer scheduled by a callback for a
  // deadline <= now also runs in this call.
  std::size_t fireDue(TimePoint now);

  std::optional<TimePoint> nextDeadline();
  std::size_t pending() const { return live_; }

 private:
  // 16 bytes: the heap also holds every cancelled timer until its deadline surfaces.
  struct Entry {
    TimePoint deadline;
    std::uint32_t slot;
    std::uint32_t sequence;  // of the timer scheduled into the slot; orders equal deadlines
    bool operator>(const Entry& other) const {
      if (deadline != other.deadline) return deadline > other.deadline;
      // Wrap-safe: two timers pending at once are far fewer than 2^31 schedules apart.
      return static_cast<std::int32_t>(sequence - other.sequence) > 0;
    }
  };
  struct Slot {
    TimerCallback callback;
    std::uint32_t sequence = 0;  // of the timer in the slot (part of its TimerId)
    bool live = false;
  };
  bool isLive(const Entry& entry) const {
    const Slot& slot = slots_[entry.slot];
    return slot.live && slot.sequence == entry.sequence;
  }
  void release(std::uint32_t slot);
  void dropCancelledTop();

  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::uint32_t nextSequence_ = 1;  // never 0: TimerId 0 means "no timer"
  std::size_t live_ = 0;
};

}  // namespace ccsip::util
