#include "util/timer_queue.h"

#include <cstdint>

namespace ccsip::util {

namespace {

// TimerId = sequence << 31 | slot: bit 63 stays clear (a TimerService may use it for ids of
// another kind), and a sequence >= 1 keeps every id non-zero (0 = "no timer").
constexpr unsigned kSlotBits = 31;
constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;

}  // namespace

TimerId TimerQueue::schedule(TimePoint deadline, TimerCallback callback) {
  std::uint32_t slot = 0;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  const std::uint32_t sequence = nextSequence_;
  nextSequence_ = nextSequence_ == UINT32_MAX ? 1 : nextSequence_ + 1;
  Slot& entry = slots_[slot];
  entry.callback = std::move(callback);
  entry.sequence = sequence;
  entry.live = true;
  ++live_;
  heap_.push(Entry{deadline, slot, sequence});
  return (static_cast<std::uint64_t>(sequence) << kSlotBits) | slot;
}

bool TimerQueue::cancel(TimerId id) {
  const std::uint64_t slot = id & kSlotMask;
  const std::uint64_t sequence = id >> kSlotBits;
  if (slot >= slots_.size()) return false;
  Slot& entry = slots_[slot];
  if (!entry.live || entry.sequence != sequence) return false;
  entry.callback = nullptr;  // what it holds goes now, not when its deadline surfaces
  release(static_cast<std::uint32_t>(slot));
  return true;
}

void TimerQueue::release(std::uint32_t slot) {
  slots_[slot].live = false;
  free_.push_back(slot);
  --live_;
}

void TimerQueue::dropCancelledTop() {
  while (!heap_.empty() && !isLive(heap_.top())) heap_.pop();
}

std::size_t TimerQueue::fireDue(TimePoint now) {
  std::size_t fired = 0;
  for (;;) {
    dropCancelledTop();
    if (heap_.empty() || heap_.top().deadline > now) break;
    const std::uint32_t slot = heap_.top().slot;
    heap_.pop();
    TimerCallback callback = std::move(slots_[slot].callback);
    slots_[slot].callback = nullptr;
    release(slot);  // before the call: cancelling its own id from inside returns false
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
