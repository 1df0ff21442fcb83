#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "sip/dialog/dialog_id.h"
#include "sip/message.h"
#include "sip/transport/transport.h"
#include "sip/txn/transaction_handle.h"
#include "sip/txn/transaction_user.h"
#include "util/timer_queue.h"

namespace ccsip::sip::dialog {

class UserAgentCore;

// A dialog usage (RFC 5057): an INVITE session or a subscription. Owned by the UserAgentCore
// (shared, so that a usage stays alive while one of its own callbacks runs); the application
// keeps a shared_ptr for as long as it wants to call it. The core dispatches to a usage every
// message of the dialogs it registered. A usage is its own ClientTransactionHandler and lives
// until it is terminated and its last client transaction has ended, so that, e.g., the 2xx of a
// re-INVITE crossing a BYE is still acknowledged. The application drops its shared_ptrs before
// it destroys the core.
class DialogUsage : public txn::ClientTransactionHandler,
                    public std::enable_shared_from_this<DialogUsage> {
 public:
  explicit DialogUsage(UserAgentCore& core) : core_(core) {}
  ~DialogUsage() override;
  DialogUsage(const DialogUsage&) = delete;
  DialogUsage& operator=(const DialogUsage&) = delete;

  // A request (never ACK or CANCEL) within one of this usage's dialogs (`id` as seen locally).
  virtual void onDialogRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                               const transport::Peer& from) = 0;
  // A request whose Call-ID and To tag name a dialog this usage is creating but whose From tag
  // names no dialog yet: a NOTIFY arriving before the 2xx to SUBSCRIBE (RFC 6665 4.1.2.4).
  // Default: 481.
  virtual void onDialogSetRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                                  const transport::Peer& from);
  // RFC 3261 13.3.1.4: the ACK for a 2xx this usage sent.
  virtual void onDialogAck(const Message& ack, const transport::Peer& from) {}
  // RFC 3261 9.2: a CANCEL matched one of this usage's INVITE server transactions (the layer
  // already answered the CANCEL).
  virtual void onServerCancel(const txn::ServerTransactionHandle& invite) {}
  // A response matching no client transaction but one of this usage's dialogs (RFC 3261
  // 13.2.2.4: a retransmitted 2xx whose ACK must be re-sent).
  virtual void onStrayResponse(const Message& response, const transport::Peer& from) {}
  virtual void onServerFailure(const txn::ServerTransactionHandle& txn,
                               txn::TransactionFailure failure) {}

  // True once the usage has ended for the application.
  virtual bool terminated() const = 0;

  // Called by the core's destructor: detaches transactions and cancels timers, so a usage the
  // application still holds is inert (its methods must not be called any more).
  void shutdown();

 protected:
  // Starts a client transaction owned by this usage, to `to` or else to the request's next hop
  // (RFC 3261 8.1.2 / 12.2.1.1). Adds User-Agent. Invalid handle when it cannot be routed/sent.
  txn::ClientTransactionHandle sendRequest(Message request,
                                           const std::optional<transport::Peer>& to = {});
  // Sends outside a transaction (the ACK for a 2xx). Returns where it went, nullopt on failure.
  std::optional<transport::Peer> sendAck(Message& ack,
                                         const std::optional<transport::Peer>& to = {});
  // Called by every terminal transition: withdraws the usage's dialogs from the core at once
  // (new requests get 481) and lets the core free the usage when no transaction needs it.
  void retireWhenIdle();
  bool hasLiveClientTransactions() const;
  // A timer that dies with the usage (cancelled by the destructor, never fires after it). A plain
  // function (a captureless lambda): the callback is small (100,000 subscriptions hold two
  // timers each).
  using TimerAction = void (*)(DialogUsage&);
  util::TimerId schedule(util::Duration after, TimerAction action);
  // Cancels a timer of this usage and zeroes `id` (0: none).
  void cancelTimer(util::TimerId& id);

  // txn::ClientTransactionHandler: onTerminated is handled here; usages see onTransactionEnded.
  void onTerminated(const txn::ClientTransactionHandle& txn) final;
  virtual void onTransactionEnded(const txn::ClientTransactionHandle& txn) {}

  UserAgentCore& core_;

 private:
  friend class UserAgentCore;
  std::vector<txn::ClientTransactionHandle> clientTxns_;
  // Pending timers: the token a callback names itself by, and its id to cancel it.
  struct PendingTimer {
    std::uint32_t token;
    util::TimerId id;
  };
  std::vector<PendingTimer> timers_;
  std::uint32_t nextTimerToken_ = 0;
  bool retiring_ = false;
  bool shutDown_ = false;
};

}  // namespace ccsip::sip::dialog
