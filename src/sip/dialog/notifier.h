#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

class ServerSubscription;

// The application side of one subscription we serve (reSIProcate ServerSubscriptionHandler).
class ServerSubscriptionHandler {
 public:
  virtual ~ServerSubscriptionHandler() = default;
  // A refresh was accepted (a NOTIFY with the last body has been sent, RFC 6665 4.2.1.2).
  virtual void onRefresh(ServerSubscription& subscription, std::chrono::seconds expires) {}
  // The subscription ended; reason: "timeout" (expired), "unsubscribed" (Expires: 0), "error"
  // (481/408/timeout to a NOTIFY, RFC 6665 4.2.2) or the reason given to end(). Called once.
  virtual void onTerminated(ServerSubscription& subscription, std::string_view reason) = 0;
};

// A minimal RFC 6665 notifier: accept or reject a SUBSCRIBE, send NOTIFYs with bodies the
// application supplies, end on expiry, unsubscribe or request. At most one NOTIFY in flight per
// subscription; a newer body replaces a queued one (only the latest state matters).
class ServerSubscription final : public DialogUsage {
 public:
  ServerSubscription(UserAgentCore& core, const EventPackage& package);
  ~ServerSubscription() override;

  bool terminated() const override { return terminated_; }
  bool answered() const { return answered_; }
  const EventPackage& package() const { return package_; }
  const Dialog* dialog() const { return dialog_ ? &*dialog_ : nullptr; }
  std::chrono::seconds granted() const { return granted_; }
  void setHandler(ServerSubscriptionHandler& handler) { handler_ = &handler; }

  // 200 with the granted Expires; creates the dialog. RFC 6665 4.2.1.2: follow with notify().
  bool accept();
  bool reject(int status);
  // NOTIFY with Subscription-State active;expires=<left> (or pending). With a granted Expires of
  // 0 (a fetch) the NOTIFY is terminated;reason=timeout and ends the subscription.
  bool notify(const Body& body, bool pending = false);
  // A final NOTIFY terminated;reason=<reason>.
  void end(std::string_view reason = "noresource", const Body& body = {});

  // Used by UserAgentCore: checks Expires (423 below the package minimum). False when it
  // answered the request itself.
  bool start(const txn::ServerTransactionHandle& txn, const Message& subscribe,
             const transport::Peer& from);

  // --- DialogUsage
  void onDialogRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                       const transport::Peer& from) override;

  // --- txn::ClientTransactionHandler
  void onResponse(const txn::ClientTransactionHandle& txn, const Message& response) override;
  void onTimeout(const txn::ClientTransactionHandle& txn) override;
  void onTransportError(const txn::ClientTransactionHandle& txn) override;

 private:
  struct Queued {
    Body body;
    SubscriptionStateHeader state;
  };
  void send(const Body& body, SubscriptionStateHeader state);
  void sendNow(const Queued& notify);
  std::chrono::seconds remaining() const;
  void armExpiry();
  void onExpiry();
  void finish(std::string_view reason);  // final NOTIFY already sent (or not possible)
  void failed();

  EventPackage package_;
  ServerSubscriptionHandler* handler_ = nullptr;
  txn::ServerTransactionHandle subscribeTxn_;
  std::string eventHeader_;
  std::string localTag_;
  std::chrono::seconds granted_{0};
  util::TimePoint expiresAt_{};
  std::optional<Dialog> dialog_;
  Body lastBody_;
  txn::ClientTransactionHandle notifyTxn_;
  bool notifyInFlight_ = false;
  std::optional<Queued> queued_;
  bool answered_ = false;
  bool terminated_ = false;
  util::TimerId expiryTimer_ = 0;
};

}  // namespace ccsip::sip::dialog
