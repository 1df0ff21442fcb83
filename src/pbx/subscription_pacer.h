#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "util/time.h"
#include "util/timer_service.h"

namespace ccsip::pbx {

class SubscriptionPacer;

// Something waiting for its turn to send a SUBSCRIBE.
class PacedStart {
 public:
  virtual ~PacedStart() = default;
  // Its turn came (called from a timer, never from inside enqueue()).
  virtual void onPacedStart() = 0;
  bool paced() const { return ticket_ != 0; }

 private:
  friend class SubscriptionPacer;
  std::uint64_t ticket_ = 0;  // its place in the queue; 0 = not queued
};

struct PacerOptions {
  std::uint32_t ratePerSecond = 50;  // config switch.subscribe-rate
  std::uint32_t burst = 50;          // starts allowed at once after a quiet spell
  // The pacer wakes at most once per tick while it waits for tokens, so a high rate goes out in
  // small regular bursts, not in one timer per SUBSCRIBE.
  util::Duration tick{10};

  // The rate spread evenly: a burst of one tick's worth (rate / 100, at least 1). A burst of a
  // whole second's worth (10,000 SUBSCRIBEs in one event-loop turn) brings 10,000 200s and
  // 10,000 NOTIFYs back at once, more than ccsip's UDP receive buffer holds: they are dropped
  // and retransmitted, and the start-up takes longer than at a lower rate.
  static PacerOptions spread(std::uint32_t ratePerSecond) {
    PacerOptions options;
    options.ratePerSecond = ratePerSecond;
    const auto perTick = static_cast<std::uint64_t>(ratePerSecond) *
                         static_cast<std::uint64_t>(options.tick.count()) / 1000;
    options.burst = static_cast<std::uint32_t>(perTick > 0 ? perTick : 1);
    return options;
  }
};

// A token bucket in front of every new SUBSCRIBE (start-up, retries, re-creation after a switch
// restart): 10,000 endpoints become 10,000 SUBSCRIBEs spread over 200 s at 50/s instead of one
// burst that Asterisk (one SIP thread in chan_sip) answers with timeouts. Refreshes are not
// paced: they follow the spread of the starts. First in, first out.
class SubscriptionPacer {
 public:
  SubscriptionPacer(util::TimerService& timers, PacerOptions options = {});
  ~SubscriptionPacer();
  SubscriptionPacer(const SubscriptionPacer&) = delete;
  SubscriptionPacer& operator=(const SubscriptionPacer&) = delete;

  // Queues `start` (once: queuing it again while queued changes nothing). O(1). Whatever was
  // ever queued must outlive the pacer (a removed entry is skipped, not searched for).
  void enqueue(PacedStart& start);
  // Takes `start` out of the queue, in O(1); false when it was not queued.
  bool remove(PacedStart& start);
  std::size_t queued() const { return queued_; }

 private:
  void schedule(util::Duration after);
  void drain();
  void refill();

  util::TimerService& timers_;
  PacerOptions options_;
  struct Entry {
    PacedStart* start;
    std::uint64_t ticket;
  };
  std::deque<Entry> queue_;  // with the entries of removed starts, skipped by drain()
  std::size_t queued_ = 0;
  std::uint64_t nextTicket_ = 1;
  // Tokens in thousandths, so a rate that does not divide 1000 ms still adds up exactly.
  std::uint64_t milliTokens_ = 0;
  util::TimePoint refilledAt_{};
  util::TimerId timer_ = 0;
};

}  // namespace ccsip::pbx
