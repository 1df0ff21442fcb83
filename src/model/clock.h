#pragma once

#include <chrono>

namespace ccsip::model {

// Wall time for what the model shows people: event `time`, call timestamps, agent idle time.
// Injected so tests run on a fake clock (the model never reads a clock of its own).
class WallClock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~WallClock() = default;
  virtual TimePoint now() const = 0;
};

class SystemWallClock final : public WallClock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A fake clock for tests: time moves only when set or advanced.
class ManualWallClock final : public WallClock {
 public:
  explicit ManualWallClock(TimePoint start = TimePoint{std::chrono::seconds{1'700'000'000}})
      : now_(start) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }
  void set(TimePoint at) { now_ = at; }

 private:
  TimePoint now_;
};

// Milliseconds since the Unix epoch: the unit of every `time` field on the wire.
inline long long toEpochMillis(WallClock::TimePoint at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

}  // namespace ccsip::model
