#include "pbx/kept_subscription.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "pbx/subscribe_failure.h"
#include "sip/serializer.h"

namespace ccsip::pbx {

namespace {

using std::chrono::seconds;

std::string_view packageOf(const sip::dialog::ClientSubscription& subscription) {
  return subscription.package().name;
}

}  // namespace

std::string_view toString(KeptSubscription::State state) {
  switch (state) {
    case KeptSubscription::State::Idle:
      return "idle";
    case KeptSubscription::State::Queued:
      return "queued";
    case KeptSubscription::State::Waiting:
      return "waiting";
    case KeptSubscription::State::Subscribing:
      return "subscribing";
    case KeptSubscription::State::Active:
      return "active";
    case KeptSubscription::State::Stopping:
      return "stopping";
  }
  return "idle";
}

KeptSubscription::KeptSubscription(KeptSubscriptionContext& context, std::uint32_t tag)
    : context_(context), tag_(tag) {}

KeptSubscription::~KeptSubscription() {
  cancelWait();
  context_.pacer->remove(*this);
}

void KeptSubscription::start() {
  wanted_ = true;
  if (state_ == State::Idle) enqueue();
  // Stopping: subscribes again once the unsubscribe is over (ended()).
}

void KeptSubscription::stop() {
  wanted_ = false;
  switch (state_) {
    case State::Queued:
      context_.pacer->remove(*this);
      state_ = State::Idle;
      break;
    case State::Waiting:
      cancelWait();
      state_ = State::Idle;
      break;
    case State::Subscribing:
    case State::Active: {
      state_ = State::Stopping;
      // RFC 6665 4.1.2.3: Expires: 0. Before the 2xx it is sent as soon as the dialog exists.
      auto subscription = current_;
      subscription->end();
      break;
    }
    case State::Idle:
    case State::Stopping:
      break;
  }
}

void KeptSubscription::recreate() {
  if (!wanted_) return;
  switch (state_) {
    case State::Waiting:
      cancelWait();
      enqueue();
      break;
    case State::Subscribing:
    case State::Active: {
      // The switch forgot it (restart): the old dialog is dropped, politely (an Expires: 0 the
      // switch answers 481 if it really restarted); it reports nothing more.
      auto old = std::move(current_);
      enqueue();
      old->end();
      break;
    }
    case State::Idle:
    case State::Queued:
    case State::Stopping:
      break;
  }
}

bool KeptSubscription::refresh() {
  if (state_ != State::Active || !current_) return false;
  auto subscription = current_;
  return subscription->refresh();
}

void KeptSubscription::enqueue() {
  state_ = State::Queued;
  context_.pacer->enqueue(*this);
}

void KeptSubscription::waitThenStart(seconds delay) {
  cancelWait();
  state_ = State::Waiting;
  waitTimer_ = context_.timers->schedule(delay, [this] {
    waitTimer_ = 0;
    if (wanted_ && state_ == State::Waiting) enqueue();
  });
}

void KeptSubscription::cancelWait() {
  if (waitTimer_ == 0) return;
  context_.timers->cancel(waitTimer_);
  waitTimer_ = 0;
}

void KeptSubscription::onPacedStart() {
  if (!wanted_ || state_ != State::Queued) return;
  context_.owner->onNewSubscription(*this);
  sip::dialog::SubscriptionOptions options = context_.owner->subscriptionOptions(*this);
  if (expiryDoublings_ > 0) {
    options.expires =
        grownExpiry(options.expires.value_or(options.package.defaultExpires), expiryDoublings_);
  }
  startedAt_ = context_.timers->now();
  state_ = State::Subscribing;
  auto subscription = context_.core->subscribe(options, *this);
  if (!subscription || subscription->terminated()) {
    // Not even sent (no route to the switch, transport down): like a failed attempt.
    ++failures_;
    spdlog::warn("SUBSCRIBE {} to {} not sent; again in {} s", options.package.name,
                 options.requestUri, context_.retry.count());
    ended(context_.retry);
    return;
  }
  current_ = std::move(subscription);
}

void KeptSubscription::onActive(sip::dialog::ClientSubscription& subscription, seconds expires) {
  if (!isCurrent(subscription)) return;
  if (state_ == State::Subscribing) state_ = State::Active;
  failures_ = 0;
}

bool KeptSubscription::acceptNotify(sip::dialog::ClientSubscription& subscription,
                                    const sip::dialog::NotifyEvent& notify) {
  // A subscription being ended or replaced has nothing more to say: its NOTIFYs are taken as
  // they come and dropped.
  if (!isCurrent(subscription) || state_ == State::Stopping) return true;
  return context_.owner->acceptNotify(*this, notify);
}

void KeptSubscription::onNotify(sip::dialog::ClientSubscription& subscription,
                                const sip::dialog::NotifyEvent& notify) {
  if (!isCurrent(subscription) || state_ == State::Stopping) return;
  context_.owner->onNotify(*this, notify);
}

void KeptSubscription::onTerminated(sip::dialog::ClientSubscription& subscription,
                                    const sip::dialog::SubscriptionTermination& termination) {
  if (!isCurrent(subscription)) return;
  if (state_ == State::Stopping) {
    ended(seconds(0));
    return;
  }
  seconds delay(0);
  if (termination.retryAfter) {
    // RFC 6665 4.1.3: "the client SHOULD NOT attempt re-subscription until ... retry-after".
    delay = *termination.retryAfter;
  } else if (!termination.recreate) {
    // rejected / noresource / invariant: a new subscription now would fail the same way.
    delay = context_.retry;
  } else if (context_.timers->now() - startedAt_ < context_.retry) {
    // Died young: re-created at once the first time, then at the retry pace, so a switch that
    // ends every subscription straight away gets one SUBSCRIBE per `retry`, not a loop.
    if (youngEnds_ > 0) delay = context_.retry;
    if (youngEnds_ < 255) ++youngEnds_;
  } else {
    youngEnds_ = 0;
  }
  spdlog::debug("{} subscription {} ended (status {}, reason '{}'): again in {} s",
                packageOf(subscription), subscription.callId(), termination.status,
                termination.reason, delay.count());
  ended(delay);
}

void KeptSubscription::onFailure(sip::dialog::ClientSubscription& subscription, int status,
                                 const sip::Message* response) {
  if (!isCurrent(subscription)) return;
  if (state_ == State::Stopping) {
    ended(seconds(0));
    return;
  }
  if (status == 423) {
    // RFC 6665 4.1.2.1: the interval was too brief. ClientSubscription has tried a Min-Expires
    // already; chan_pjsip sends none (presence-rejected.txt p5): twice as long, at once, up to
    // an hour, which Asterisk always grants; a 423 to an hour waits like any failure.
    const sip::dialog::SubscriptionOptions options = context_.owner->subscriptionOptions(*this);
    const seconds configured = options.expires.value_or(options.package.defaultExpires);
    if (retryLongerAfter423(configured, expiryDoublings_)) {
      ++expiryDoublings_;
      spdlog::info("{} SUBSCRIBE to {} got 423 Interval Too Brief; asking for {} s",
                   packageOf(subscription),
                   response != nullptr ? response->to().uri.text : std::string_view{},
                   grownExpiry(configured, expiryDoublings_).count());
      ended(seconds(0));
      return;
    }
  }
  // Warned once per run of failures: 10,000 endpoints failing every minute must not fill the log.
  // No challenge is ever answered (ccsip has no credentials for the switch): a 401 waits too.
  if (failures_ == 0) {
    spdlog::warn("{} SUBSCRIBE failed with {} {} for {} ({}); again every {} s (Call-ID {})",
                 packageOf(subscription), status,
                 response != nullptr ? response->reasonPhrase() : sip::defaultReasonPhrase(status),
                 response != nullptr ? response->to().uri.text : std::string_view{},
                 subscribeFailureHint(status), context_.retry.count(), subscription.callId());
  } else {
    spdlog::debug("{} SUBSCRIBE failed with {} again (Call-ID {})", packageOf(subscription), status,
                  subscription.callId());
  }
  ++failures_;
  ended(context_.retry);
}

void KeptSubscription::ended(seconds delay) {
  current_.reset();
  if (!wanted_) {
    state_ = State::Idle;
    return;
  }
  if (delay.count() <= 0) {
    enqueue();
  } else {
    waitThenStart(delay);
  }
}

}  // namespace ccsip::pbx
