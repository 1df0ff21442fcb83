#include "pbx/subscription_pacer.h"

#include <algorithm>

namespace ccsip::pbx {

namespace {
constexpr std::uint64_t kMilli = 1000;
}

SubscriptionPacer::SubscriptionPacer(util::TimerService& timers, PacerOptions options)
    : timers_(timers), options_(options) {
  options_.ratePerSecond = std::max<std::uint32_t>(options_.ratePerSecond, 1);
  options_.burst = std::max<std::uint32_t>(options_.burst, 1);
  milliTokens_ = std::uint64_t{options_.burst} * kMilli;
  refilledAt_ = timers_.now();
}

SubscriptionPacer::~SubscriptionPacer() {
  if (timer_ != 0) timers_.cancel(timer_);
}

void SubscriptionPacer::enqueue(PacedStart& start) {
  if (start.ticket_ != 0) return;
  start.ticket_ = nextTicket_++;
  queue_.push_back(Entry{&start, start.ticket_});
  ++queued_;
  // Deferred even when a token is free: the caller may be inside a SIP callback.
  if (timer_ == 0) schedule(util::Duration(0));
}

bool SubscriptionPacer::remove(PacedStart& start) {
  if (start.ticket_ == 0) return false;
  start.ticket_ = 0;
  --queued_;
  if (queued_ == 0) queue_.clear();
  return true;
}

void SubscriptionPacer::schedule(util::Duration after) {
  timer_ = timers_.schedule(after, [this] {
    timer_ = 0;
    drain();
  });
}

void SubscriptionPacer::refill() {
  const util::TimePoint now = timers_.now();
  const auto elapsed = std::chrono::duration_cast<util::Duration>(now - refilledAt_).count();
  if (elapsed <= 0) return;
  refilledAt_ = now;
  const std::uint64_t cap = std::uint64_t{options_.burst} * kMilli;
  // rate tokens per 1000 ms = rate milli-tokens per ms.
  milliTokens_ =
      std::min(cap, milliTokens_ + static_cast<std::uint64_t>(elapsed) * options_.ratePerSecond);
}

void SubscriptionPacer::drain() {
  refill();
  while (!queue_.empty() && milliTokens_ >= kMilli) {
    const Entry next = queue_.front();
    queue_.pop_front();
    if (next.start->ticket_ != next.ticket) continue;  // removed (and maybe queued again later)
    next.start->ticket_ = 0;
    --queued_;
    milliTokens_ -= kMilli;
    next.start->onPacedStart();  // may enqueue or remove others
  }
  if (queued_ == 0) queue_.clear();
  if (queue_.empty() || timer_ != 0) return;
  // The time until the next whole token, rounded up to a millisecond.
  const std::uint64_t missing = kMilli - milliTokens_;
  const std::uint64_t ms = (missing + options_.ratePerSecond - 1) / options_.ratePerSecond;
  schedule(std::max(util::Duration(static_cast<util::Duration::rep>(ms)), options_.tick));
}

}  // namespace ccsip::pbx
