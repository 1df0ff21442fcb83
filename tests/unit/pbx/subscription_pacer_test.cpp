#include "pbx/subscription_pacer.h"

#include <gtest/gtest.h>

#include <deque>

#include "util/timer_service.h"

namespace ccsip::pbx {
namespace {

using namespace std::chrono_literals;

struct CountingStart final : PacedStart {
  explicit CountingStart(int& started) : started_(started) {}
  void onPacedStart() override { ++started_; }
  int& started_;
};

class SubscriptionPacerTest : public ::testing::Test {
 protected:
  void queue(SubscriptionPacer& pacer, int count) {
    for (int i = 0; i < count; ++i) pacer.enqueue(starts.emplace_back(started));
  }
  util::ManualTimerService clock;
  int started = 0;
  std::deque<CountingStart> starts;
};

TEST_F(SubscriptionPacerTest, SpreadSendsATicksWorthPerTick) {
  const PacerOptions options = PacerOptions::spread(10000);
  EXPECT_EQ(options.burst, 100u);
  EXPECT_EQ(options.tick, 10ms);
  SubscriptionPacer pacer(clock, options);
  queue(pacer, 1000);
  clock.advance(0ms);
  EXPECT_EQ(started, 100) << "never a second's worth in one event-loop turn";
  clock.advance(9ms);
  EXPECT_EQ(started, 100);
  clock.advance(1ms);
  EXPECT_EQ(started, 200);
  clock.advance(80ms);
  EXPECT_EQ(started, 1000);
  EXPECT_EQ(pacer.queued(), 0u);
}

TEST_F(SubscriptionPacerTest, SpreadOfASlowRateIsOneAtATime) {
  const PacerOptions options = PacerOptions::spread(50);
  EXPECT_EQ(options.burst, 1u);
  SubscriptionPacer pacer(clock, options);
  queue(pacer, 60);
  clock.advance(0ms);
  EXPECT_EQ(started, 1);
  clock.advance(20ms);
  EXPECT_EQ(started, 2);
  clock.advance(980ms);
  EXPECT_EQ(started, 51);  // 50 per second
  clock.advance(200ms);
  EXPECT_EQ(started, 60);
}

TEST_F(SubscriptionPacerTest, HighRateWakesOncePerTickNotPerToken) {
  SubscriptionPacer pacer(clock, PacerOptions{10000, 1});
  queue(pacer, 100);
  clock.advance(0ms);
  EXPECT_EQ(started, 1);
  // 10 tokens per ms, but the pacer waits a tick (10 ms) and then has only its burst of 1.
  clock.advance(9ms);
  EXPECT_EQ(started, 1);
  clock.advance(1ms);
  EXPECT_EQ(started, 2);
}

}  // namespace
}  // namespace ccsip::pbx
