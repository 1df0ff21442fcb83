#include "sip/dialog/subscription.h"

#include <algorithm>

#include "sip/dialog/user_agent_core.h"
#include "sip/serializer.h"
#include "sip/txn/transaction_layer.h"

namespace ccsip::sip::dialog {
namespace {

using std::chrono::seconds;

template <void (ClientSubscription::*Fn)()>
void call(DialogUsage& usage) {
  (static_cast<ClientSubscription&>(usage).*Fn)();
}

std::string hostOfContact(std::string_view contact) {
  auto nameAddr = parseNameAddr(contact);
  if (nameAddr && !nameAddr->uri.host.empty()) return std::string(nameAddr->uri.host);
  return "ccsip";
}

std::optional<seconds> minExpiresOf(const Message& response) {
  const std::string_view value = response.headerValue(HeaderId::MinExpires);
  if (value.empty()) return std::nullopt;
  std::uint32_t number = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<std::uint32_t>(c - '0');
    if (number > 100000000) return std::nullopt;
  }
  return seconds(number);
}

}  // namespace

util::Duration refreshDelay(seconds granted, util::Duration transactionTimeout) {
  const util::Duration interval = granted;
  const util::Duration lead = std::max(interval / 10, std::min(transactionTimeout, interval / 2));
  return interval - lead;
}

ClientSubscription::ClientSubscription(UserAgentCore& core, ClientSubscriptionHandler& handler)
    : DialogUsage(core), handler_(handler) {}

ClientSubscription::~ClientSubscription() = default;

bool ClientSubscription::start(const SubscriptionOptions& options) {
  if (options.requestUri.empty() || options.from.empty() || options.package.name.empty()) {
    return false;
  }
  package_ = options.package;
  eventHeader_ = package_.name;
  if (!options.eventId.empty()) eventHeader_ += ";id=" + options.eventId;
  const std::string& contact = options.contact.empty() ? core_.options().contact : options.contact;
  callId_ = core_.random().callId(hostOfContact(contact));
  const std::string localTag = core_.random().tag();
  requested_ = options.expires.value_or(package_.defaultExpires);
  headers_ = options.headers;

  initial_ = std::make_unique<Initial>();
  initial_->destination = options.destination;
  Message& subscribe = initial_->request;
  subscribe = Message::makeRequest(Method::Subscribe, options.requestUri);
  for (const std::string& route : options.routes) subscribe.addHeader(HeaderId::Route, route);
  subscribe.addHeader(HeaderId::MaxForwards, "70");
  subscribe.addHeader(HeaderId::From, options.from + ";tag=" + localTag);
  subscribe.addHeader(HeaderId::To,
                      options.to.empty() ? "<" + options.requestUri + ">" : options.to);
  subscribe.addHeader(HeaderId::CallId, callId_);
  subscribe.addHeader(HeaderId::CSeq, std::to_string(initialCSeq_) + " SUBSCRIBE");
  if (!contact.empty()) subscribe.addHeader(HeaderId::Contact, contact);
  for (const ExtraHeader& header : headers_) subscribe.addHeader(header.name, header.value);
  // A NOTIFY may create the dialog before the 2xx does (RFC 6665 4.1.2.4).
  core_.registerDialogSet(callId_, localTag, *this);
  sendInitial();
  return initialTxn_.valid();
}

void ClientSubscription::sendInitial() {
  Message request = initial_->request.clone();
  request.setHeader(HeaderId::CSeq, std::to_string(initialCSeq_) + " SUBSCRIBE");
  request.setHeader(HeaderId::Event, eventHeader_);
  request.setHeader(HeaderId::Accept, package_.contentType);
  request.setHeader(HeaderId::Expires, std::to_string(requested_.count()));
  initialTxn_ = sendRequest(std::move(request), initial_->destination);
}

Message ClientSubscription::makeSubscribe(seconds expires) {
  // RFC 6665 4.1.2.2 / RFC 3261 12.2.1.1: Request-URI, Route, From, To, Call-ID, the next CSeq
  // and Contact from the dialog; Event (with its id, RFC 6665 8.2.1), Accept and the
  // application's headers as on the initial SUBSCRIBE.
  Message request = dialog_->makeRequest(Method::Subscribe);
  request.addHeader(HeaderId::Event, eventHeader_);
  request.addHeader(HeaderId::Accept, package_.contentType);
  request.addHeader(HeaderId::Expires, std::to_string(expires.count()));
  for (const ExtraHeader& header : headers_) request.addHeader(header.name, header.value);
  return request;
}

void ClientSubscription::adoptDialog(Dialog dialog) {
  dialog_ = std::move(dialog);
  dialog_->setInitialLocalCSeq(initialCSeq_ + 1);
  core_.registerDialog(dialog_->id(), *this);
  // One dialog per subscription: NOTIFYs of other forks now get the core's 481 (as
  // onDialogSetRequest would answer), and the dialog's id holds the Call-ID from now on.
  core_.unregisterDialogSet(callId_, dialog_->id().localTag);
  std::string().swap(callId_);
}

void ClientSubscription::initialAnswered() {
  // The initial transaction is over: with the dialog in place nothing reads the request again.
  if (dialog_) initial_.reset();
}

// --- responses

void ClientSubscription::onResponse(const txn::ClientTransactionHandle& txn,
                                    const Message& response) {
  auto self = shared_from_this();
  if (response.statusCode() < 200) return;
  if (txn == initialTxn_) {
    onInitialResponse(response);
  } else if (txn == refreshTxn_) {
    onRefreshResponse(response);
  } else if (txn == unsubscribeTxn_) {
    onUnsubscribeResponse(response);
  }
}

void ClientSubscription::onInitialResponse(const Message& response) {
  if (terminated()) return;
  const int status = response.statusCode();
  if (status >= 300) {
    // RFC 6665 4.1.2.1 / RFC 3261 10.2.8-like: 423 names the smallest acceptable interval.
    if (status == 423 && !retried423_ && !endRequested_) {
      if (auto minimum = minExpiresOf(response); minimum && *minimum > requested_) {
        retried423_ = true;
        requested_ = *minimum;
        ++initialCSeq_;
        sendInitial();
        if (initialTxn_.valid()) return;
      }
    }
    if (dialog_) {
      initialAnswered();
      return;  // a NOTIFY already established the subscription; its state rules
    }
    fail(status, &response);
    return;
  }
  if (!dialog_) {
    auto created = Dialog::createUac(initial_->request, response);
    if (!created) {
      fail(500, &response);
      return;
    }
    adoptDialog(std::move(*created));
  }
  initialAnswered();
  // RFC 6665 4.1.2.1: the 2xx's Expires is the duration granted (chan_sip's NOTIFYs carry none).
  const seconds granted = response.expires() ? seconds(*response.expires()) : requested_;
  if (endRequested_) {
    sendUnsubscribe();
    return;
  }
  if (granted.count() == 0) {
    // A fetch (RFC 6665 4.4.3): only the final NOTIFY is still to come.
    state_ = State::Unsubscribing;
    unsubscribeGuard_ = schedule(core_.layer().timerOptions().timerB(),
                                 call<&ClientSubscription::onUnsubscribeGuard>);
    return;
  }
  setGranted(granted);
  if (state_ == State::Subscribing) becomeActive(granted);
}

void ClientSubscription::onRefreshResponse(const Message& response) {
  refreshInFlight_ = false;
  if (terminated() || state_ == State::Unsubscribing) return;
  const int status = response.statusCode();
  if (status < 300) {
    setGranted(response.expires() ? seconds(*response.expires()) : requested_);
    return;
  }
  if (status == 481) {
    // RFC 6665 4.1.2.2: the notifier no longer knows the subscription (it expired there, as
    // chan_sip does silently for MWI): re-create it.
    terminate(SubscriptionTermination{SubscriptionEndCause::Gone, "", std::nullopt, 481, true});
    return;
  }
  if (status == 423) {
    if (auto minimum = minExpiresOf(response); minimum && *minimum > requested_) {
      requested_ = *minimum;
      sendRefresh();
      return;
    }
  }
  // RFC 6665 4.1.2.2: other failures leave the subscription valid until it expires.
}

void ClientSubscription::onUnsubscribeResponse(const Message& response) {
  if (terminated()) return;
  // 2xx: the final NOTIFY follows (the guard timer bounds the wait). A failure ends it now.
  if (response.statusCode() >= 300) {
    terminate(SubscriptionTermination{SubscriptionEndCause::Unsubscribed, "", std::nullopt,
                                      response.statusCode(), false});
  }
}

void ClientSubscription::onTimeout(const txn::ClientTransactionHandle& txn) {
  auto self = shared_from_this();
  if (terminated()) return;
  if (txn == initialTxn_) {
    if (!dialog_) fail(408, nullptr);
    initialAnswered();
  } else if (txn == refreshTxn_) {
    refreshInFlight_ = false;  // RFC 6665 4.1.2.2: still valid until expiry
  } else if (txn == unsubscribeTxn_) {
    terminate(
        SubscriptionTermination{SubscriptionEndCause::Unsubscribed, "", std::nullopt, 408, false});
  }
}

void ClientSubscription::onTransportError(const txn::ClientTransactionHandle& txn) {
  auto self = shared_from_this();
  if (terminated()) return;
  if (txn == initialTxn_) {
    if (!dialog_) fail(503, nullptr);
    initialAnswered();
  } else if (txn == refreshTxn_) {
    refreshInFlight_ = false;
  } else if (txn == unsubscribeTxn_) {
    terminate(
        SubscriptionTermination{SubscriptionEndCause::Unsubscribed, "", std::nullopt, 503, false});
  }
}

// --- NOTIFY

void ClientSubscription::onDialogSetRequest(const txn::ServerTransactionHandle& txn,
                                            const Message& request, const transport::Peer&) {
  auto self = shared_from_this();
  // A NOTIFY from a new remote tag: before the 2xx it creates our dialog (RFC 6665 4.1.2.4);
  // once we have one, it comes from another fork and is refused.
  if (terminated() || dialog_ || request.method() != Method::Notify) {
    core_.respond(txn, request, 481);
    return;
  }
  auto created = Dialog::createFromNotify(initial_->request, request);
  if (!created) {
    core_.respond(txn, request, 481);
    return;
  }
  adoptDialog(std::move(*created));
  handleNotify(txn, request);
}

void ClientSubscription::onDialogRequest(const txn::ServerTransactionHandle& txn,
                                         const Message& request, const transport::Peer&) {
  auto self = shared_from_this();
  if (terminated() || !dialog_) {
    core_.respond(txn, request, 481);
    return;
  }
  if (!dialog_->acceptRemoteCSeq(request)) {
    core_.respond(txn, request, 500);  // RFC 3261 12.2.2
    return;
  }
  if (request.method() != Method::Notify) {
    core_.respond(txn, request, 405);
    return;
  }
  // RFC 6665 (updating RFC 3261 12.2): NOTIFY is a target-refresh request.
  dialog_->refreshRemoteTarget(request);
  handleNotify(txn, request);
}

void ClientSubscription::handleNotify(const txn::ServerTransactionHandle& txn,
                                      const Message& request) {
  // RFC 6665 4.1.3 / 8.2.1: the NOTIFY must name our package (and id).
  const std::string_view event = request.headerValue(HeaderId::Event);
  if (!equalsIgnoreCase(eventPackageName(event), package_.name) ||
      eventId(event) != eventId(eventHeader_)) {
    core_.respond(txn, request, 489);
    return;
  }
  auto parsed = parseSubscriptionState(request.headerValue(HeaderId::SubscriptionState));
  if (!parsed) {
    core_.respond(txn, request, 400);
    return;
  }
  const NotifyEvent notify{std::move(*parsed),
                           Body{std::string(request.contentType()), std::string(request.body())},
                           request};
  // RFC 3261 21.4.1: a body the package cannot read is a bad request; refused, it changes nothing.
  if (!handler_.acceptNotify(*this, notify)) {
    core_.respond(txn, request, 400);
    return;
  }
  const SubscriptionStateHeader& subState = notify.state;
  core_.respond(txn, request, 200);

  switch (subState.state) {
    case SubscriptionStateValue::Active:
      if (subState.expires) shortenTo(*subState.expires);
      if (state_ == State::Subscribing || state_ == State::Pending) {
        if (!expiresAt_) setGranted(subState.expires.value_or(requested_));
        becomeActive(subState.expires.value_or(granted_.count() ? granted_ : requested_));
        if (terminated()) return;
      }
      break;
    case SubscriptionStateValue::Pending:
      if (subState.expires) shortenTo(*subState.expires);
      if (state_ == State::Subscribing || state_ == State::Active) {
        if (!expiresAt_) setGranted(subState.expires.value_or(requested_));
        state_ = State::Pending;
      }
      break;
    case SubscriptionStateValue::Terminated:
      break;
  }
  handler_.onNotify(*this, notify);
  if (terminated() || subState.state != SubscriptionStateValue::Terminated) return;
  const bool unsubscribing = state_ == State::Unsubscribing || endRequested_;
  SubscriptionTermination termination;
  termination.cause =
      unsubscribing ? SubscriptionEndCause::Unsubscribed : SubscriptionEndCause::Notified;
  termination.reason = subState.reason;
  termination.retryAfter = subState.retryAfter;
  termination.recreate = !unsubscribing && resubscribeAllowed(subState.reason);
  terminate(std::move(termination));
}

// --- timers

void ClientSubscription::setGranted(seconds granted) {
  granted_ = granted;
  expiresAt_ = core_.timers().now() + granted;
  scheduleTimers();
}

void ClientSubscription::shortenTo(seconds remaining) {
  // chan_pjsip counts down in every NOTIFY: an earlier end than ours is believed, a later one
  // is not (only a 2xx to our SUBSCRIBE extends the subscription).
  const util::TimePoint candidate = core_.timers().now() + remaining;
  if (expiresAt_ && candidate >= *expiresAt_) return;
  if (!expiresAt_ && granted_.count() == 0) granted_ = remaining;
  expiresAt_ = candidate;
  scheduleTimers();
}

void ClientSubscription::scheduleTimers() {
  cancelTimer(refreshTimer_);
  cancelTimer(expiryTimer_);
  if (!expiresAt_ || state_ == State::Unsubscribing || terminated()) return;
  const util::TimePoint now = core_.timers().now();
  const util::Duration left = std::chrono::duration_cast<util::Duration>(*expiresAt_ - now);
  if (granted_.count() > 0) {
    const util::Duration grantedMs = granted_;
    const util::Duration lead =
        grantedMs - refreshDelay(granted_, core_.layer().timerOptions().timerB());
    refreshTimer_ = schedule(std::max(util::Duration(0), left - lead),
                             call<&ClientSubscription::onRefreshTimer>);
  }
  expiryTimer_ =
      schedule(std::max(util::Duration(0), left), call<&ClientSubscription::onExpiryTimer>);
}

void ClientSubscription::onRefreshTimer() {
  refreshTimer_ = 0;
  if (state_ == State::Active || state_ == State::Pending) sendRefresh();
}

bool ClientSubscription::refresh() {
  auto self = shared_from_this();
  if (!(state_ == State::Active || state_ == State::Pending) || refreshInFlight_) return false;
  sendRefresh();
  return refreshInFlight_;
}

void ClientSubscription::sendRefresh() {
  if (!dialog_ || refreshInFlight_) return;
  refreshTxn_ = sendRequest(makeSubscribe(requested_));
  refreshInFlight_ = refreshTxn_.valid();
}

void ClientSubscription::onExpiryTimer() {
  expiryTimer_ = 0;
  if (terminated() || state_ == State::Unsubscribing) return;
  // No refresh succeeded in time (chan_sip expires MWI subscriptions without a NOTIFY).
  terminate(SubscriptionTermination{SubscriptionEndCause::Expired, "", std::nullopt, 0, true});
}

// --- unsubscribe

void ClientSubscription::end() {
  auto self = shared_from_this();
  if (terminated() || state_ == State::Unsubscribing) return;
  if (!dialog_) {
    endRequested_ = true;  // unsubscribe once the 2xx gives us a dialog
    return;
  }
  sendUnsubscribe();
}

void ClientSubscription::sendUnsubscribe() {
  state_ = State::Unsubscribing;
  cancelTimer(refreshTimer_);
  cancelTimer(expiryTimer_);
  // RFC 6665 4.1.2.3: Expires: 0 unsubscribes; the notifier answers with a final NOTIFY.
  unsubscribeTxn_ = sendRequest(makeSubscribe(seconds(0)));
  if (!unsubscribeTxn_.valid()) {
    terminate(
        SubscriptionTermination{SubscriptionEndCause::Unsubscribed, "", std::nullopt, 503, false});
    return;
  }
  unsubscribeGuard_ = schedule(core_.layer().timerOptions().timerB(),
                               call<&ClientSubscription::onUnsubscribeGuard>);
}

void ClientSubscription::onUnsubscribeGuard() {
  unsubscribeGuard_ = 0;
  if (terminated()) return;
  terminate(
      SubscriptionTermination{SubscriptionEndCause::Unsubscribed, "", std::nullopt, 0, false});
}

// --- state changes

void ClientSubscription::becomeActive(seconds expires) {
  state_ = State::Active;
  handler_.onActive(*this, expires);
}

void ClientSubscription::stopTimers() {
  cancelTimer(refreshTimer_);
  cancelTimer(expiryTimer_);
  cancelTimer(unsubscribeGuard_);
}

void ClientSubscription::terminate(SubscriptionTermination termination) {
  if (terminated()) return;
  state_ = State::Terminated;
  stopTimers();
  retireWhenIdle();
  handler_.onTerminated(*this, termination);
}

void ClientSubscription::fail(int status, const Message* response) {
  if (terminated()) return;
  state_ = State::Terminated;
  stopTimers();
  retireWhenIdle();
  handler_.onFailure(*this, status, response);
}

}  // namespace ccsip::sip::dialog
