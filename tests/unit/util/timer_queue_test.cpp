#include "util/timer_queue.h"

#include <gtest/gtest.h>

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
