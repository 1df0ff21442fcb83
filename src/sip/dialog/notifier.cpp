#include "sip/dialog/notifier.h"

#include <algorithm>

#include "sip/dialog/user_agent_core.h"
#include "sip/serializer.h"
#include "sip/txn/transaction_layer.h"

namespace ccsip::sip::dialog {
namespace {

using std::chrono::seconds;

SubscriptionStateHeader terminatedState(std::string_view reason) {
  SubscriptionStateHeader state;
  state.state = SubscriptionStateValue::Terminated;
  state.reason = std::string(reason);
  return state;
}

}  // namespace

ServerSubscription::ServerSubscription(UserAgentCore& core, const EventPackage& package)
    : DialogUsage(core), package_(package) {}

ServerSubscription::~ServerSubscription() = default;

bool ServerSubscription::start(const txn::ServerTransactionHandle& txn, const Message& subscribe,
                               const transport::Peer&) {
  subscribeTxn_ = txn;
  eventHeader_ = std::string(subscribe.headerValue(HeaderId::Event));
  localTag_ = core_.random().tag();
  const seconds requested =
      subscribe.expires() ? seconds(*subscribe.expires()) : package_.defaultExpires;
  if (requested.count() != 0 && package_.minExpires.count() > 0 &&
      requested < package_.minExpires) {
    // RFC 6665 4.2.1.1: too short -> 423 with Min-Expires.
    Message response = sip::makeResponse(subscribe, 423, "Interval Too Brief", localTag_);
    response.addHeader(HeaderId::MinExpires, std::to_string(package_.minExpires.count()));
    txn.respond(std::move(response));
    answered_ = true;
    terminated_ = true;
    retireWhenIdle();
    return false;
  }
  granted_ = std::min(requested, package_.maxExpires);
  return true;
}

bool ServerSubscription::accept() {
  auto self = shared_from_this();
  if (answered_ || terminated_) return false;
  const Message* request = subscribeTxn_.request();
  if (request == nullptr) return false;
  auto created = Dialog::createUas(*request, localTag_, core_.options().contact);
  if (!created) {
    reject(400);
    return false;
  }
  dialog_ = std::move(*created);
  core_.registerDialog(dialog_->id(), *this);
  Message response = sip::makeResponse(*request, 200, "OK", localTag_, /*copyRecordRoute=*/true);
  response.addHeader(HeaderId::Expires, std::to_string(granted_.count()));
  if (!core_.options().contact.empty()) {
    response.addHeader(HeaderId::Contact, core_.options().contact);
  }
  subscribeTxn_.respond(std::move(response));
  answered_ = true;
  if (granted_.count() > 0) armExpiry();
  return true;
}

bool ServerSubscription::reject(int status) {
  auto self = shared_from_this();
  if (answered_ || terminated_ || status < 300 || status > 699) return false;
  if (const Message* request = subscribeTxn_.request()) {
    subscribeTxn_.respond(
        sip::makeResponse(*request, status, defaultReasonPhrase(status), localTag_));
  }
  answered_ = true;
  terminated_ = true;
  retireWhenIdle();
  return true;
}

bool ServerSubscription::notify(const Body& body, bool pending) {
  auto self = shared_from_this();
  if (!answered_ || terminated_ || !dialog_) return false;
  lastBody_ = body;
  if (granted_.count() == 0) {
    // A fetch (RFC 6665 4.4.3): one NOTIFY with the state, and the subscription is over.
    send(body, terminatedState("timeout"));
    finish("timeout");
    return true;
  }
  SubscriptionStateHeader state;
  state.state = pending ? SubscriptionStateValue::Pending : SubscriptionStateValue::Active;
  send(body, state);
  return true;
}

void ServerSubscription::end(std::string_view reason, const Body& body) {
  auto self = shared_from_this();
  if (terminated_ || !answered_ || !dialog_) return;
  send(body.empty() ? lastBody_ : body, terminatedState(reason));
  finish(reason);
}

seconds ServerSubscription::remaining() const {
  const auto left = expiresAt_ - core_.timers().now();
  if (left <= util::Duration(0)) return seconds(0);
  return std::chrono::ceil<seconds>(left);
}

void ServerSubscription::send(const Body& body, SubscriptionStateHeader state) {
  Queued notify{body, std::move(state)};
  // One NOTIFY in flight at a time; a newer one replaces the queued one, but a final NOTIFY is
  // never replaced.
  if (notifyInFlight_) {
    if (!queued_ || queued_->state.state != SubscriptionStateValue::Terminated) {
      queued_ = std::move(notify);
    }
    return;
  }
  sendNow(notify);
}

void ServerSubscription::sendNow(const Queued& notify) {
  if (!dialog_) return;
  SubscriptionStateHeader state = notify.state;
  if (state.state != SubscriptionStateValue::Terminated) state.expires = remaining();
  Message request = dialog_->makeRequest(Method::Notify);
  request.addHeader(HeaderId::Event, eventHeader_);
  request.addHeader(HeaderId::SubscriptionState, toString(state));
  if (!notify.body.empty()) {
    request.setBody(
        notify.body.contentType.empty() ? package_.contentType : notify.body.contentType,
        notify.body.content);
  }
  notifyTxn_ = sendRequest(std::move(request));
  notifyInFlight_ = notifyTxn_.valid();
  if (!notifyInFlight_) failed();
}

void ServerSubscription::armExpiry() {
  cancelTimer(expiryTimer_);
  expiresAt_ = core_.timers().now() + granted_;
  expiryTimer_ = schedule(
      granted_, [](DialogUsage& usage) { static_cast<ServerSubscription&>(usage).onExpiry(); });
}

void ServerSubscription::onExpiry() {
  expiryTimer_ = 0;
  if (terminated_) return;
  // RFC 6665 4.2.2: an expired subscription ends with a final NOTIFY, reason=timeout.
  send(lastBody_, terminatedState("timeout"));
  finish("timeout");
}

void ServerSubscription::finish(std::string_view reason) {
  if (terminated_) return;
  terminated_ = true;
  cancelTimer(expiryTimer_);
  retireWhenIdle();  // the final NOTIFY's transaction keeps the usage until it ends
  if (handler_ != nullptr) handler_->onTerminated(*this, reason);
}

void ServerSubscription::failed() {
  if (terminated_) return;
  queued_.reset();
  finish("error");
}

void ServerSubscription::onResponse(const txn::ClientTransactionHandle& txn,
                                    const Message& response) {
  auto self = shared_from_this();
  if (response.statusCode() < 200 || txn != notifyTxn_) return;
  notifyInFlight_ = false;
  const int status = response.statusCode();
  // RFC 6665 4.2.2: 481 (and a timeout) to a NOTIFY removes the subscription.
  if (status == 481 || status == 408) {
    failed();
    return;
  }
  if (queued_) {
    const Queued next = std::move(*queued_);
    queued_.reset();
    sendNow(next);
  }
}

void ServerSubscription::onTimeout(const txn::ClientTransactionHandle& txn) {
  auto self = shared_from_this();
  if (txn != notifyTxn_) return;
  notifyInFlight_ = false;
  failed();
}

void ServerSubscription::onTransportError(const txn::ClientTransactionHandle& txn) {
  onTimeout(txn);
}

void ServerSubscription::onDialogRequest(const txn::ServerTransactionHandle& txn,
                                         const Message& request, const transport::Peer&) {
  auto self = shared_from_this();
  if (terminated_ || !dialog_) {
    core_.respond(txn, request, 481);
    return;
  }
  if (!dialog_->acceptRemoteCSeq(request)) {
    core_.respond(txn, request, 500);  // RFC 3261 12.2.2
    return;
  }
  if (request.method() != Method::Subscribe) {
    core_.respond(txn, request, 405);
    return;
  }
  if (!equalsIgnoreCase(eventPackageName(request.headerValue(HeaderId::Event)), package_.name)) {
    core_.respond(txn, request, 489);
    return;
  }
  const seconds requested =
      request.expires() ? seconds(*request.expires()) : package_.defaultExpires;
  if (requested.count() != 0 && package_.minExpires.count() > 0 &&
      requested < package_.minExpires) {
    Message response = sip::makeResponse(request, 423, "Interval Too Brief");
    response.addHeader(HeaderId::MinExpires, std::to_string(package_.minExpires.count()));
    txn.respond(std::move(response));
    return;
  }
  dialog_->refreshRemoteTarget(request);
  granted_ = std::min(requested, package_.maxExpires);
  Message response = sip::makeResponse(request, 200, "OK");
  response.addHeader(HeaderId::Expires, std::to_string(granted_.count()));
  if (!core_.options().contact.empty()) {
    response.addHeader(HeaderId::Contact, core_.options().contact);
  }
  txn.respond(std::move(response));
  if (granted_.count() == 0) {
    // RFC 6665 4.1.2.3: unsubscribe; the final NOTIFY carries the last state.
    send(lastBody_, terminatedState("timeout"));
    finish("unsubscribed");
    return;
  }
  armExpiry();
  // RFC 6665 4.2.1.2: every accepted (refreshing) SUBSCRIBE is followed by a NOTIFY.
  SubscriptionStateHeader state;
  send(lastBody_, state);
  if (handler_ != nullptr) handler_->onRefresh(*this, granted_);
}

}  // namespace ccsip::sip::dialog
