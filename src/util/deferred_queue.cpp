#include "util/deferred_queue.h"

#include <algorithm>

namespace ccsip::util {

TimerId DeferredQueue::post(TimerCallback callback) {
  const TimerId id = nextId_++;
  items_.push_back(Item{id, std::move(callback)});
  return id;
}

bool DeferredQueue::cancel(TimerId id) {
  auto it = std::lower_bound(items_.begin(), items_.end(), id,
                             [](const Item& item, TimerId wanted) { return item.id < wanted; });
  if (it == items_.end() || it->id != id) return false;
  items_.erase(it);
  return true;
}

std::size_t DeferredQueue::runBatch() {
  if (items_.empty()) return 0;
  // Only what is queued now: the last id of the batch bounds it.
  const TimerId last = items_.back().id;
  std::size_t ran = 0;
  while (!items_.empty() && items_.front().id <= last) {
    TimerCallback callback = std::move(items_.front().callback);
    items_.pop_front();
    callback();
    ++ran;
  }
  return ran;
}

}  // namespace ccsip::util
