#include "util/timer_queue.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "util/timer_service.h"

namespace ccsip::util {
namespace {

TEST(TimerQueue, FiresInDeadlineOrder) {
  TimerQueue queue;
  std::vector<int> fired;
  const TimePoint t0{};
  queue.schedule(t0 + Duration(30), [&] { fired.push_back(3); });
  queue.schedule(t0 + Duration(10), [&] { fired.push_back(1); });
  queue.schedule(t0 + Duration(20), [&] { fired.push_back(2); });
  EXPECT_EQ(queue.fireDue(t0 + Duration(25)), 2u);
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
  EXPECT_EQ(queue.fireDue(t0 + Duration(30)), 1u);
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
}

TEST(TimerQueue, CancelledTimerNeverFires) {
  TimerQueue queue;
  bool fired = false;
  const TimerId id = queue.schedule(TimePoint{} + Duration(5), [&] { fired = true; });
  EXPECT_TRUE(queue.cancel(id));
  EXPECT_FALSE(queue.cancel(id));
  EXPECT_EQ(queue.fireDue(TimePoint{} + Duration(100)), 0u);
  EXPECT_FALSE(fired);
  EXPECT_FALSE(queue.nextDeadline().has_value());
}

TEST(TimerQueue, EqualDeadlinesFireInTheOrderScheduled) {
  TimerQueue queue;
  std::vector<int> fired;
  const TimePoint at = TimePoint{} + Duration(10);
  for (int i = 0; i < 20; ++i) queue.schedule(at, [&fired, i] { fired.push_back(i); });
  // Slots freed and reused in between must not change the order.
  queue.cancel(queue.schedule(at, [] {}));
  for (int i = 20; i < 25; ++i) queue.schedule(at, [&fired, i] { fired.push_back(i); });
  EXPECT_EQ(queue.fireDue(at), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(fired[static_cast<std::size_t>(i)], i);
}

TEST(TimerQueue, AStaleIdNeverCancelsTheTimerThatReusedItsSlot) {
  TimerQueue queue;
  int fired = 0;
  const TimerId first = queue.schedule(TimePoint{} + Duration(5), [&] { fired += 1; });
  EXPECT_NE(first, 0u);
  EXPECT_TRUE(queue.cancel(first));
  const TimerId second = queue.schedule(TimePoint{} + Duration(5), [&] { fired += 10; });
  EXPECT_NE(first, second);
  EXPECT_FALSE(queue.cancel(first));  // the slot is reused: the old id is dead
  EXPECT_EQ(queue.pending(), 1u);
  EXPECT_EQ(queue.fireDue(TimePoint{} + Duration(5)), 1u);
  EXPECT_EQ(fired, 10);
  EXPECT_FALSE(queue.cancel(second));  // fired
  EXPECT_EQ(queue.pending(), 0u);
}

TEST(TimerQueue, CallbacksMayCancelAndScheduleWhileFiring) {
  TimerQueue queue;
  std::vector<int> fired;
  const TimePoint t0{};
  TimerId later = 0;
  TimerId self = 0;
  self = queue.schedule(t0 + Duration(1), [&] {
    fired.push_back(1);
    EXPECT_FALSE(queue.cancel(self));  // it is running: no longer pending
    EXPECT_TRUE(queue.cancel(later));
    queue.schedule(t0 + Duration(1), [&] { fired.push_back(3); });  // due now: runs now
  });
  later = queue.schedule(t0 + Duration(2), [&] { fired.push_back(2); });
  EXPECT_EQ(queue.fireDue(t0 + Duration(2)), 2u);
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
  EXPECT_FALSE(queue.nextDeadline().has_value());
}

TEST(TimerQueue, CancelReleasesWhatTheCallbackHoldsAtOnce) {
  TimerQueue queue;
  auto held = std::make_shared<int>(1);
  const TimerId id = queue.schedule(TimePoint{} + std::chrono::hours(1), [held] {});
  EXPECT_EQ(held.use_count(), 2);
  EXPECT_TRUE(queue.cancel(id));
  EXPECT_EQ(held.use_count(), 1);
}

TEST(TimerQueue, SlotsAreReusedSoTheQueueDoesNotGrowWithChurn) {
  TimerQueue queue;
  for (int i = 0; i < 10000; ++i) {
    const TimerId a = queue.schedule(TimePoint{} + Duration(i + 1000), [] {});
    const TimerId b = queue.schedule(TimePoint{} + Duration(i + 1000), [] {});
    EXPECT_TRUE(queue.cancel(a));
    EXPECT_TRUE(queue.cancel(b));
    // Bit 63 stays free for the deferred work of a TimerService.
    EXPECT_EQ(a >> 63, 0u);
  }
  EXPECT_EQ(queue.pending(), 0u);
  EXPECT_FALSE(queue.nextDeadline().has_value());  // the cancelled entries were dropped
}

TEST(ManualTimerService, CallbackSeesItsOwnDeadlineAndCanReschedule) {
  ManualTimerService timers;
  std::vector<long> seenAt;
  std::function<void()> tick = [&] {
    seenAt.push_back(std::chrono::duration_cast<Duration>(timers.now().time_since_epoch()).count());
    if (seenAt.size() < 3) timers.schedule(Duration(500), tick);
  };
  timers.schedule(Duration(500), tick);
  timers.advance(Duration(10000));
  EXPECT_EQ(seenAt, (std::vector<long>{500, 1000, 1500}));
  EXPECT_EQ(timers.pending(), 0u);
}

}  // namespace
}  // namespace ccsip::util
