#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "util/timer_queue.h"

namespace ccsip::util {

// Work to run once the event being handled is done: "after this callback returns" without a
// timer (no deadline, no heap, no kernel timer to re-arm). Used for the frees that must not
// happen inside a callback of the object being freed (a finished call, an ended dialog usage).
//
// The queue only holds the work; its owner runs it (AsioTimerService: one post to the
// io_context per batch).
class DeferredQueue {
 public:
  // Ids have bit 63 set, so they never equal a TimerQueue id (a TimerService takes both in
  // cancel()); never 0.
  static constexpr TimerId kIdBit = TimerId{1} << 63;
  static bool isDeferredId(TimerId id) { return (id & kIdBit) != 0; }

  TimerId post(TimerCallback callback);
  // False: no such work (it ran, or was cancelled already). The callback is destroyed now.
  bool cancel(TimerId id);

  // Runs the work queued before this call, in the order posted; work posted meanwhile waits
  // for the next runBatch (so work that posts itself again cannot starve the event loop).
  // Returns how many ran.
  std::size_t runBatch();

  bool empty() const { return items_.empty(); }
  std::size_t pending() const { return items_.size(); }

 private:
  struct Item {
    TimerId id;
    TimerCallback callback;
  };
  std::deque<Item> items_;  // in posting order, so ids ascend: cancel finds by binary search
  TimerId nextId_ = kIdBit | 1;
};

}  // namespace ccsip::util
