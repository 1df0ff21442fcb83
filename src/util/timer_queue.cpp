#include "util/timer_queue.h"

namespace ccsip::util {

TimerId TimerQueue::schedule(TimePoint deadline, TimerCallback callback) {
  const TimerId id = nextId_++;
  heap_.push(Entry{deadline, id});
  callbacks_.emplace(id, std::move(callback));
  return id;
}

bool TimerQueue::cancel(TimerId id) { return callbacks_.erase(id) > 0; }

void TimerQueue::dropCancelledTop() {
  while (!heap_.empty() && !callbacks_.contains(heap_.top().id)) heap_.pop();
}

std::size_t TimerQueue::fireDue(TimePoint now) {
  std::size_t fired = 0;
  for (;;) {
    dropCancelledTop();
    if (heap_.empty() || heap_.top().deadline > now) break;
    const TimerId id = heap_.top().id;
    heap_.pop();
    auto it = callbacks_.find(id);
    TimerCallback callback = std::move(it->second);
    callbacks_.erase(it);
    callback();
    ++fired;
  }
  return fired;
}

std::optional<TimePoint> TimerQueue::nextDeadline() {
  dropCancelledTop();
  if (heap_.empty()) return std::nullopt;
  return heap_.top().deadline;
}

}  // namespace ccsip::util
