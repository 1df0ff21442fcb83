#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "pbx/subscription_pacer.h"
#include "sip/dialog/subscription.h"
#include "sip/dialog/user_agent_core.h"
#include "util/timer_service.h"

namespace ccsip::pbx {

class KeptSubscription;

// The monitor a kept subscription works for (presence, MWI): it says what to subscribe to and
// reads the NOTIFYs. Callbacks name the subscription; KeptSubscription::tag() tells which.
class KeptSubscriptionOwner {
 public:
  virtual ~KeptSubscriptionOwner() = default;
  // The options of the next initial SUBSCRIBE (asked at every start, retry and re-creation).
  virtual sip::dialog::SubscriptionOptions subscriptionOptions(const KeptSubscription& kept) = 0;
  // A NOTIFY before it is answered: false refuses it with 400 and it changes nothing (a body the
  // package cannot read). The owner may keep what it decoded for the onNotify that follows.
  virtual bool acceptNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) = 0;
  virtual void onNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) = 0;
  // A new subscription is about to be sent (first, retried or re-created): state that belongs to
  // one subscription (dialog-info versions, RFC 4235 4.1) starts over.
  virtual void onNewSubscription(KeptSubscription& kept) {}
};

// What every kept subscription of one monitor shares (one pointer per subscription, so 100,000
// of them cost little: DESIGN.md "Performance targets").
struct KeptSubscriptionContext {
  sip::dialog::UserAgentCore* core = nullptr;
  util::TimerService* timers = nullptr;
  SubscriptionPacer* pacer = nullptr;
  KeptSubscriptionOwner* owner = nullptr;
  std::chrono::seconds retry{60};  // after a rejected or unanswered SUBSCRIBE
};

// One subscription ccsip keeps up while it is wanted (DESIGN.md "Asterisk integration"):
//   - start(): the initial SUBSCRIBE waits for its turn in the pacer;
//   - refreshed before expiry by ClientSubscription itself;
//   - 481 to a refresh, expiry, or a NOTIFY "Subscription-State: terminated" (chan_sip's
//     reason=timeout, chan_pjsip's bare terminated): re-created at once (RFC 6665 4.1.3), but
//     only once in a row for subscriptions that die young, so a switch that ends every
//     subscription at once is not hammered; later ones wait `retry`;
//   - terminated with retry-after (RFC 6665 4.1.3): re-created after it; with a reason that says
//     a new subscription would fail (rejected, noresource, invariant): after `retry`;
//   - a failed initial SUBSCRIBE (403, 404, 489, 5xx, 408 no answer, chan_pjsip's endless 401):
//     tried again after `retry` (the seed: "in one minute"), forever, never in a loop;
//   - 423 without Min-Expires (chan_pjsip): the next attempt, at once (paced), asks for twice
//     as long, up to an hour; a 423 to an hour waits `retry` (subscribe_failure.h);
//   - stop(): unsubscribes (Expires: 0) or leaves the queue; start() again any time;
//   - recreate(): the switch restarted, its subscriptions are gone: drop ours and subscribe anew.
// A subscription that the switch ended, or that ccsip replaced, reports nothing more.
// Lifetime: the ClientSubscriptions it starts call it back until they end, so it lives as long
// as the UserAgentCore can still deliver messages (the monitors are destroyed just before the
// core, with nothing running in between).
class KeptSubscription final : private PacedStart, private sip::dialog::ClientSubscriptionHandler {
 public:
  enum class State : std::uint8_t {
    Idle,         // not wanted, nothing on the wire
    Queued,       // waiting in the pacer
    Waiting,      // waiting `retry` (or a retry-after) before the next attempt
    Subscribing,  // SUBSCRIBE sent, not yet active
    Active,       // accepted (or pending authorization)
    Stopping,     // Expires: 0 sent, final NOTIFY awaited
  };

  KeptSubscription(KeptSubscriptionContext& context, std::uint32_t tag);
  ~KeptSubscription() override;
  KeptSubscription(const KeptSubscription&) = delete;
  KeptSubscription& operator=(const KeptSubscription&) = delete;

  // The owner's index of this subscription.
  std::uint32_t tag() const { return tag_; }
  State state() const { return state_; }
  bool wanted() const { return wanted_; }
  // How many times the switch said 423 without Min-Expires: the SUBSCRIBE asks for the
  // configured Expires doubled that many times, up to an hour (subscribe_failure.h).
  std::uint8_t expiryDoublings() const { return expiryDoublings_; }
  // Failed attempts since the last accepted one.
  std::uint32_t failures() const { return failures_; }
  const sip::dialog::ClientSubscription* current() const { return current_.get(); }

  void start();
  void stop();
  void recreate();
  // Asks for a full state now (RFC 4235 4.1: a dialog-info version was skipped). False when
  // not active or a refresh is already under way.
  bool refresh();

 private:
  // PacedStart
  void onPacedStart() override;
  // sip::dialog::ClientSubscriptionHandler
  void onActive(sip::dialog::ClientSubscription& subscription,
                std::chrono::seconds expires) override;
  bool acceptNotify(sip::dialog::ClientSubscription& subscription,
                    const sip::dialog::NotifyEvent& notify) override;
  void onNotify(sip::dialog::ClientSubscription& subscription,
                const sip::dialog::NotifyEvent& notify) override;
  void onTerminated(sip::dialog::ClientSubscription& subscription,
                    const sip::dialog::SubscriptionTermination& termination) override;
  void onFailure(sip::dialog::ClientSubscription& subscription, int status,
                 const sip::Message* response) override;

  bool isCurrent(const sip::dialog::ClientSubscription& subscription) const {
    return &subscription == current_.get();
  }
  void enqueue();
  void waitThenStart(std::chrono::seconds delay);
  void cancelWait();
  // The current subscription is over (ended by the switch, failed, or ours stopped).
  void ended(std::chrono::seconds delay);

  KeptSubscriptionContext& context_;
  std::shared_ptr<sip::dialog::ClientSubscription> current_;
  util::TimePoint startedAt_{};
  util::TimerId waitTimer_ = 0;
  std::uint32_t tag_;
  std::uint32_t failures_ = 0;
  State state_ = State::Idle;
  bool wanted_ = false;
  std::uint8_t expiryDoublings_ = 0;
  std::uint8_t youngEnds_ = 0;  // re-creations in a row of subscriptions that died young
};

std::string_view toString(KeptSubscription::State state);

}  // namespace ccsip::pbx
