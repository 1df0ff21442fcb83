#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sip/dialog/dialog_id.h"
#include "sip/dialog/dialog_usage.h"
#include "sip/dialog/event_package.h"
#include "sip/dialog/next_hop.h"
#include "sip/message.h"
#include "sip/txn/transaction_layer.h"
#include "sip/txn/transaction_user.h"
#include "util/random.h"
#include "util/timer_service.h"

namespace ccsip::sip::dialog {

class InviteSession;
class InviteSessionHandler;
class ClientSubscription;
class ClientSubscriptionHandler;
class ServerSubscription;
class ServerSubscriptionHandler;
struct InviteSessionOptions;
struct SubscriptionOptions;

// Out-of-dialog requests the dialog layer does not own: OPTIONS, REGISTER, MESSAGE, unsolicited
// NOTIFY, ... (the registrar and OPTIONS responder plug in here). Answer through txn.respond().
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void onRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                         const transport::Peer& from) = 0;
};

// A new INVITE arrived: the application adopts the session by giving it a handler.
class IncomingSessionHandler {
 public:
  virtual ~IncomingSessionHandler() = default;
  // Return the handler of the new session (it must outlive the session), or nullptr to let the
  // core answer 480. The session then reports onOffer / onOfferRequired to that handler; answer
  // with provisional() / accept() / reject() now or later.
  virtual InviteSessionHandler* onNewSession(const std::shared_ptr<InviteSession>& session,
                                             const Message& invite) = 0;
};

// A new SUBSCRIBE for one of the packages the notifier serves.
class IncomingSubscriptionHandler {
 public:
  virtual ~IncomingSubscriptionHandler() = default;
  // Return the handler of the new subscription, or nullptr to let the core answer 403. Accept
  // with ServerSubscription::accept() + notify(), or reject(), now or later.
  virtual ServerSubscriptionHandler* onNewSubscription(
      const std::shared_ptr<ServerSubscription>& subscription, const Message& subscribe) = 0;
};

struct UserAgentCoreOptions {
  // The Contact (name-addr) of requests and 2xx responses when a usage gives none:
  // "<sip:ccsip@192.0.2.10:5060>".
  std::string contact;
  std::string userAgent;  // User-Agent of requests; "" for none
  std::string allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, SUBSCRIBE, NOTIFY, UPDATE, INFO";
  HostResolver* resolver = nullptr;  // host names in Route / Contact; nullptr: IP literals only
  std::optional<std::uint64_t> randomSeed;     // tags, Call-IDs, glare timers; nullopt: random
  IncomingSessionHandler* sessions = nullptr;  // nullptr: INVITE gets 480
  IncomingSubscriptionHandler* subscriptions = nullptr;  // nullptr: SUBSCRIBE gets 489
  std::vector<EventPackage> notifierPackages;            // packages served as notifier
  RequestHandler* requests = nullptr;  // other out-of-dialog requests; nullptr: 405
};

// The RFC 3261 UA core above the transaction layer: it is the layer's TransactionUser, owns the
// dialog usages and dispatches every message by dialog id (Call-ID + tags, never URIs).
//   - requests with a To tag go to the usage of their dialog, else 481 (RFC 3261 12.2.2);
//   - ACK for a 2xx goes to its usage (RFC 3261 13.3.1.4); stray ACKs are dropped;
//   - CANCEL matched by the layer goes to the usage owning the INVITE (RFC 3261 9.2);
//   - a 2xx arriving after its client transaction is gone is re-ACKed by its usage, or ACKed
//     and BYEd when no dialog wants it (RFC 3261 13.2.2.4);
//   - out-of-dialog INVITE / SUBSCRIBE create UAS usages; everything else goes to `requests`.
class UserAgentCore final : public txn::TransactionUser, private txn::ClientTransactionHandler {
 public:
  UserAgentCore(txn::TransactionLayer& layer, util::TimerService& timers,
                UserAgentCoreOptions options);
  ~UserAgentCore() override;
  UserAgentCore(const UserAgentCore&) = delete;
  UserAgentCore& operator=(const UserAgentCore&) = delete;

  // UAC usages. nullptr when the request cannot be sent (bad options, no route); the handler
  // must outlive the usage.
  std::shared_ptr<InviteSession> invite(const InviteSessionOptions& options,
                                        InviteSessionHandler& handler);
  std::shared_ptr<ClientSubscription> subscribe(const SubscriptionOptions& options,
                                                ClientSubscriptionHandler& handler);

  // Live dialogs (confirmed and early) and usages not yet freed, for metrics and leak checks.
  std::size_t dialogCount() const { return dialogs_.size(); }
  std::size_t usageCount() const { return usages_.size() + graveyard_.size(); }

  // --- txn::TransactionUser
  void onRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                 const transport::Peer& from) override;
  void onAck(const Message& ack, const transport::Peer& from,
             const txn::ServerTransactionHandle& invite) override;
  void onCancel(const txn::ServerTransactionHandle& invite, const Message& cancel) override;
  void onStrayResponse(const Message& response, const transport::Peer& from) override;
  void onServerTransactionFailure(const txn::ServerTransactionHandle& txn,
                                  txn::TransactionFailure failure) override;

  // --- for usages
  txn::TransactionLayer& layer() { return layer_; }
  util::TimerService& timers() { return timers_; }
  util::Random& random() { return random_; }
  const UserAgentCoreOptions& options() const { return options_; }
  util::Result<transport::Peer> nextHopOf(const Message& request) const {
    return nextHop(request, options_.resolver);
  }
  void registerDialog(const DialogId& id, DialogUsage& usage);
  void unregisterDialog(const DialogId& id);
  // (Call-ID, local tag) of an out-of-dialog request whose dialogs are created by requests
  // (NOTIFY before the 2xx to SUBSCRIBE).
  void registerDialogSet(const std::string& callId, const std::string& localTag,
                         DialogUsage& usage);
  // The dialog set is no longer open to new dialogs (a subscription has its one dialog): its
  // requests from unknown remote tags get 481 from the core, as the usage would answer.
  void unregisterDialogSet(const std::string& callId, const std::string& localTag);
  void registerServerInvite(const txn::ServerTransactionHandle& txn, DialogUsage& usage);
  void unregisterServerInvite(const txn::ServerTransactionHandle& txn);
  // Sends an in-dialog request nobody waits for (BYE to an unwanted fork); the core keeps its
  // transaction until it ends.
  void sendDetached(Message request);
  // Withdraws every registration of `usage`; frees it once it is idle.
  void retire(DialogUsage& usage);
  // Called by a retired usage whose last client transaction ended.
  void release(DialogUsage& usage);
  // Responds with a plain status (no body); a To tag is added when the request has none
  // (RFC 3261 8.2.6.2).
  void respond(const txn::ServerTransactionHandle& txn, const Message& request, int status);

 private:
  template <class T, class... Args>
  std::shared_ptr<T> adopt(Args&&... args);
  void dispatchInDialog(const txn::ServerTransactionHandle& txn, const Message& request,
                        const transport::Peer& from);
  void newSession(const txn::ServerTransactionHandle& txn, const Message& request,
                  const transport::Peer& from);
  void newSubscription(const txn::ServerTransactionHandle& txn, const Message& request,
                       const transport::Peer& from);
  void ackAndByeUnwanted(const Message& response);
  DialogUsage* findDialog(const DialogId& id) const;
  void scheduleReap();
  void forget(DialogUsage& usage);

  // txn::ClientTransactionHandler for detached requests.
  void onResponse(const txn::ClientTransactionHandle&, const Message&) override {}
  void onTimeout(const txn::ClientTransactionHandle&) override {}
  void onTransportError(const txn::ClientTransactionHandle&) override {}
  void onTerminated(const txn::ClientTransactionHandle& txn) override;

  txn::TransactionLayer& layer_;
  util::TimerService& timers_;
  UserAgentCoreOptions options_;
  util::Random random_;
  using DialogSetKey = std::pair<std::string, std::string>;  // Call-ID, local tag
  struct Entry {
    std::shared_ptr<DialogUsage> usage;
    // The usage's keys in dialogs_ / dialogSets_, pointing at the keys the maps hold (their
    // nodes never move): one copy of each id, not two (100,000 subscriptions, one dialog each).
    std::vector<const DialogId*> dialogs;
    std::vector<const DialogSetKey*> dialogSets;
    std::vector<std::uint64_t> serverInvites;
  };
  Entry* entryOf(DialogUsage& usage);

  std::unordered_map<DialogUsage*, Entry> usages_;
  std::vector<std::shared_ptr<DialogUsage>> graveyard_;
  std::unordered_map<DialogId, DialogUsage*, DialogIdHash> dialogs_;
  std::map<DialogSetKey, DialogUsage*> dialogSets_;
  std::unordered_map<std::uint64_t, DialogUsage*> serverInvites_;
  std::vector<txn::ClientTransactionHandle> detached_;
  util::TimerId reapTimer_ = 0;
};

}  // namespace ccsip::sip::dialog
