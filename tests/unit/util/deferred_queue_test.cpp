#include "util/deferred_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "util/asio_timer_service.h"
#include "util/timer_service.h"

namespace ccsip::util {
namespace {

TEST(DeferredQueue, RunsABatchInPostingOrder) {
  DeferredQueue queue;
  std::vector<int> ran;
  const TimerId first = queue.post([&] { ran.push_back(1); });
  queue.post([&] { ran.push_back(2); });
  EXPECT_TRUE(DeferredQueue::isDeferredId(first));
  EXPECT_NE(first, 0u);
  EXPECT_EQ(queue.pending(), 2u);
  EXPECT_EQ(queue.runBatch(), 2u);
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.runBatch(), 0u);
}

TEST(DeferredQueue, WorkPostedByTheBatchWaitsForTheNextOne) {
  DeferredQueue queue;
  int runs = 0;
  std::function<void()> again = [&] {
    ++runs;
    queue.post(again);  // would loop for ever if a batch ran its own posts
  };
  queue.post(again);
  EXPECT_EQ(queue.runBatch(), 1u);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(queue.pending(), 1u);
  EXPECT_EQ(queue.runBatch(), 1u);
  EXPECT_EQ(runs, 2);
}

TEST(DeferredQueue, CancelBeforeAndDuringTheBatch) {
  DeferredQueue queue;
  std::vector<int> ran;
  const TimerId a = queue.post([&] { ran.push_back(1); });
  TimerId c = 0;
  queue.post([&] {
    ran.push_back(2);
    EXPECT_TRUE(queue.cancel(c));  // later in the same batch: never runs
  });
  c = queue.post([&] { ran.push_back(3); });
  queue.post([&] { ran.push_back(4); });
  EXPECT_TRUE(queue.cancel(a));
  EXPECT_FALSE(queue.cancel(a));
  EXPECT_FALSE(queue.cancel(12345));
  EXPECT_EQ(queue.runBatch(), 2u);
  EXPECT_EQ(ran, (std::vector<int>{2, 4}));
  EXPECT_FALSE(queue.cancel(c));
}

TEST(DeferredQueue, CancelReleasesWhatTheWorkHolds) {
  DeferredQueue queue;
  auto held = std::make_shared<int>(7);
  const TimerId id = queue.post([held] {});
  EXPECT_EQ(held.use_count(), 2);
  EXPECT_TRUE(queue.cancel(id));
  EXPECT_EQ(held.use_count(), 1);
}

TEST(ManualTimerService, DeferRunsAtTheNextAdvanceAndCancels) {
  ManualTimerService timers;
  int ran = 0;
  timers.defer([&] { ++ran; });
  const TimerId cancelled = timers.defer([&] { ran += 10; });
  EXPECT_TRUE(timers.cancel(cancelled));
  EXPECT_EQ(ran, 0);
  timers.advance(Duration(0));
  EXPECT_EQ(ran, 1);
}

// --- AsioTimerService: deferred work and the tick grid, on a real io_context (no sleeping:
// the deadlines are in the past or the work needs no timer at all).

TEST(AsioTimerService, DeferredWorkRunsAfterTheCurrentHandlerWithoutATimer) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  std::vector<std::string> order;
  boost::asio::post(io, [&] {
    timers.defer([&] { order.push_back("deferred 1"); });
    timers.defer([&] { order.push_back("deferred 2"); });
    order.push_back("handler");
  });
  io.poll();
  EXPECT_EQ(order, (std::vector<std::string>{"handler", "deferred 1", "deferred 2"}));
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(AsioTimerService, DeferredWorkCanDeferMoreAndBeCancelled) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  int ran = 0;
  const TimerId cancelled = timers.defer([&] { ran += 100; });
  timers.defer([&] {
    ++ran;
    timers.defer([&] { ++ran; });
  });
  EXPECT_TRUE(timers.cancel(cancelled));
  EXPECT_FALSE(timers.cancel(cancelled));
  io.poll();
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(AsioTimerService, DeferredWorkOfADestroyedServiceNeverRuns) {
  boost::asio::io_context io;
  bool ran = false;
  {
    AsioTimerService timers(io);
    timers.defer([&] { ran = true; });
  }
  io.poll();
  EXPECT_FALSE(ran);
}

TEST(AsioTimerService, TimersAndDeferredIdsDoNotCollide) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  bool timerRan = false;
  const TimerId timer = timers.schedule(std::chrono::hours(1), [&] { timerRan = true; });
  const TimerId deferred = timers.defer([] {});
  EXPECT_FALSE(DeferredQueue::isDeferredId(timer));
  EXPECT_TRUE(DeferredQueue::isDeferredId(deferred));
  EXPECT_TRUE(timers.cancel(deferred));
  EXPECT_EQ(timers.pending(), 1u);
  EXPECT_TRUE(timers.cancel(timer));
  EXPECT_EQ(timers.pending(), 0u);
  io.poll();
  EXPECT_FALSE(timerRan);
}

TEST(AsioTimerService, DeadlinesRoundUpToTheTick) {
  const TimePoint exact{std::chrono::milliseconds(40)};
  EXPECT_EQ(AsioTimerService::tickOf(exact), exact);
  EXPECT_EQ(AsioTimerService::tickOf(exact + std::chrono::microseconds(1)),
            exact + AsioTimerService::kTick);
  EXPECT_EQ(AsioTimerService::tickOf(exact - std::chrono::microseconds(999)), exact);
}

TEST(AsioTimerService, ZeroDelayTimersFireInOrderOnOneWakeUp) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  std::vector<int> fired;
  timers.schedule(Duration(0), [&] { fired.push_back(1); });
  timers.schedule(Duration(0), [&] { fired.push_back(2); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (fired.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace ccsip::util
