#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sip/dialog/dialog.h"
#include "sip/dialog/dialog_usage.h"
#include "sip/dialog/event_package.h"
#include "sip/dialog/subscription_state.h"
#include "sip/dialog/usage_types.h"
#include "sip/message.h"
#include "sip/transport/transport.h"
#include "sip/txn/transaction_handle.h"
#include "util/time.h"

namespace ccsip::sip::dialog {

class ClientSubscription;

struct SubscriptionOptions {
  EventPackage package;    // Event, Accept and the default Expires
  std::string requestUri;  // "sip:gvm-1000@127.0.0.1:5070"
  std::string from;        // name-addr without tag: "<sip:gvm-1000@127.0.0.1:5060>"
  std::string to;          // name-addr; "" -> "<requestUri>"
  std::string contact;     // "" -> UserAgentCoreOptions::contact
  std::optional<std::chrono::seconds> expires;  // nullopt -> package.defaultExpires
  std::string eventId;                          // Event ";id=" (RFC 6665 8.2.1); "" none
  std::vector<std::string> routes;              // preloaded Route values
  std::optional<transport::Peer> destination;   // first hop of the initial SUBSCRIBE
  ExtraHeaders headers;                         // on the initial SUBSCRIBE and every refresh
};

struct NotifyEvent {
  SubscriptionStateHeader state;
  Body body;
  const Message& request;
};

enum class SubscriptionEndCause : std::uint8_t {
  Notified,      // a NOTIFY said Subscription-State: terminated
  Unsubscribed,  // our unsubscribe (Expires: 0) completed
  Gone,          // 481 to a refresh: the notifier has no such subscription (any more)
  Expired,       // not refreshed in time (chan_sip drops MWI subscriptions without NOTIFY)
};

struct SubscriptionTermination {
  SubscriptionEndCause cause = SubscriptionEndCause::Notified;
  std::string reason;  // the Subscription-State reason, "" when none (chan_pjsip)
  std::optional<std::chrono::seconds> retryAfter;
  int status = 0;  // the response that ended it (481, 408), 0 otherwise
  // A new subscription is in order: 481, expiry, or a terminated NOTIFY whose reason allows it
  // (RFC 6665 4.1.3). Never set after our own unsubscribe. The handler decides.
  bool recreate = false;
};

// The application side of one subscription (reSIProcate ClientSubscriptionHandler style).
class ClientSubscriptionHandler {
 public:
  virtual ~ClientSubscriptionHandler() = default;
  // The subscription became active (2xx to the SUBSCRIBE, a NOTIFY active before it, or active
  // after pending), with
  // the granted duration (the 2xx's Expires; chan_sip's NOTIFYs carry none).
  virtual void onActive(ClientSubscription& subscription, std::chrono::seconds expires) {}
  // Every NOTIFY whose Event and Subscription-State are valid, before it is answered: false
  // refuses it with 400 (a body the package cannot read) and the NOTIFY changes nothing, neither
  // the subscription's state nor, since onNotify does not follow, the application's.
  virtual bool acceptNotify(ClientSubscription& subscription, const NotifyEvent& notify) {
    return true;
  }
  // Every NOTIFY, answered 200 before this call, including the final terminated one.
  virtual void onNotify(ClientSubscription& subscription, const NotifyEvent& notify) = 0;
  // The subscription ended after having been accepted (or created by a NOTIFY); called once.
  virtual void onTerminated(ClientSubscription& subscription,
                            const SubscriptionTermination& termination) = 0;
  // The initial SUBSCRIBE failed: 3xx-6xx (`response` set), or 408 for no answer (nullptr).
  // The subscription is over; onTerminated does not follow.
  virtual void onFailure(ClientSubscription& subscription, int status, const Message* response) = 0;
};

// RFC 6665 subscriber. Refreshes before expiry, follows Subscription-State, and accepts a
// NOTIFY that arrives before the 2xx to its SUBSCRIBE (RFC 6665 4.1.2.4). One dialog per
// subscription: NOTIFYs of further forks are refused with 481, which makes their notifiers
// drop them (RFC 6665 4.1.2.4, 4.2.2).
class ClientSubscription final : public DialogUsage {
 public:
  enum class State : std::uint8_t {
    Subscribing,  // SUBSCRIBE sent, no 2xx and no NOTIFY yet
    Pending,      // NOTIFY said pending (authorization awaited)
    Active,
    Unsubscribing,  // Expires: 0 sent, waiting for the final NOTIFY
    Terminated,
  };

  ClientSubscription(UserAgentCore& core, ClientSubscriptionHandler& handler);
  ~ClientSubscription() override;

  State state() const { return state_; }
  bool terminated() const override { return state_ == State::Terminated; }
  const Dialog* dialog() const { return dialog_ ? &*dialog_ : nullptr; }
  const EventPackage& package() const { return package_; }
  const std::string& callId() const { return dialog_ ? dialog_->id().callId : callId_; }
  std::optional<util::TimePoint> expiresAt() const { return expiresAt_; }
  // True while the initial SUBSCRIBE is kept (until the dialog exists and the initial
  // transaction has its final answer); refreshes never need it.
  bool keepsInitialRequest() const { return initial_ != nullptr; }

  // Refreshes now instead of at the scheduled time. False when not active or one is in flight.
  bool refresh();
  // Unsubscribes (SUBSCRIBE with Expires: 0). onTerminated(Unsubscribed) follows the final
  // NOTIFY, a failure of the unsubscribe, or 64*T1 without that NOTIFY.
  void end();

  // Used by UserAgentCore.
  bool start(const SubscriptionOptions& options);

  // --- DialogUsage
  void onDialogRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                       const transport::Peer& from) override;
  void onDialogSetRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                          const transport::Peer& from) override;

  // --- txn::ClientTransactionHandler
  void onResponse(const txn::ClientTransactionHandle& txn, const Message& response) override;
  void onTimeout(const txn::ClientTransactionHandle& txn) override;
  void onTransportError(const txn::ClientTransactionHandle& txn) override;

 private:
  Message makeSubscribe(std::chrono::seconds expires);
  void initialAnswered();
  void adoptDialog(Dialog dialog);
  void sendInitial();
  void onInitialResponse(const Message& response);
  void onRefreshResponse(const Message& response);
  void onUnsubscribeResponse(const Message& response);
  void handleNotify(const txn::ServerTransactionHandle& txn, const Message& request);
  void setGranted(std::chrono::seconds granted);
  void shortenTo(std::chrono::seconds remaining);
  void scheduleTimers();
  void sendRefresh();
  void sendUnsubscribe();
  void onRefreshTimer();
  void onExpiryTimer();
  void onUnsubscribeGuard();
  void becomeActive(std::chrono::seconds expires);
  void terminate(SubscriptionTermination termination);
  void fail(int status, const Message* response);
  void stopTimers();

  // What only the initial SUBSCRIBE needs: its 423 retry, and the dialog that its 2xx or an
  // early NOTIFY creates (RFC 6665 4.1.2.4). Dropped once the dialog exists and the initial
  // transaction has its final answer: a held subscription keeps its Dialog (Call-ID, tags, CSeq,
  // route set, remote target, Contact) and the few strings below, which is all a refresh needs,
  // not a 2 kB request (DESIGN.md "Performance targets": 100,000 subscriptions in < 500 MB).
  struct Initial {
    Message request;
    std::optional<transport::Peer> destination;
  };

  ClientSubscriptionHandler& handler_;
  State state_ = State::Subscribing;
  EventPackage package_;
  std::string eventHeader_;  // "presence", "dialog;id=7"
  std::string callId_;       // until the dialog (whose id has it) exists
  std::chrono::seconds requested_{0};
  std::chrono::seconds granted_{0};
  std::optional<util::TimePoint> expiresAt_;
  std::unique_ptr<Initial> initial_;
  ExtraHeaders headers_;  // the application's headers, repeated on refreshes
  std::uint32_t initialCSeq_ = 1;
  std::optional<Dialog> dialog_;
  txn::ClientTransactionHandle initialTxn_;
  txn::ClientTransactionHandle refreshTxn_;
  txn::ClientTransactionHandle unsubscribeTxn_;
  bool refreshInFlight_ = false;
  bool retried423_ = false;
  bool endRequested_ = false;
  util::TimerId refreshTimer_ = 0;
  util::TimerId expiryTimer_ = 0;
  util::TimerId unsubscribeGuard_ = 0;
};

// When to refresh a subscription granted for `granted`: `granted` minus a lead of at least the
// non-INVITE transaction timeout (64*T1 = 32 s, so a refresh lost to Timer F still fails before
// the subscription expires and leaves time to re-create it), at least 10% of the interval (clock
// drift; chan_pjsip counts the expiry from its own receive time) and at most half of it.
// 60 s -> 30 s, 600 s -> 540 s, 3600 s -> 3240 s.
util::Duration refreshDelay(std::chrono::seconds granted, util::Duration transactionTimeout);

}  // namespace ccsip::sip::dialog
