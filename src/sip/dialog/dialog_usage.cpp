#include "sip/dialog/dialog_usage.h"

#include <algorithm>

#include "sip/dialog/user_agent_core.h"
#include "sip/txn/transaction_layer.h"

namespace ccsip::sip::dialog {

DialogUsage::~DialogUsage() {
  shutdown();
}

void DialogUsage::shutdown() {
  if (shutDown_) return;
  shutDown_ = true;
  // The layer keeps running our transactions (retransmissions, ACK of non-2xx) but must not call
  // a handler that is gone.
  for (const auto& txn : clientTxns_) txn.detach();
  for (const PendingTimer& timer : timers_) core_.timers().cancel(timer.id);
  clientTxns_.clear();
  timers_.clear();
}

void DialogUsage::onDialogSetRequest(const txn::ServerTransactionHandle& txn,
                                     const Message& request, const transport::Peer&) {
  core_.respond(txn, request, 481);
}

txn::ClientTransactionHandle DialogUsage::sendRequest(Message request,
                                                      const std::optional<transport::Peer>& to) {
  std::optional<transport::Peer> peer = to;
  if (!peer) {
    auto hop = core_.nextHopOf(request);
    if (!hop) return {};
    peer = *hop;
  }
  if (!core_.options().userAgent.empty() && request.findHeader(HeaderId::UserAgent) == nullptr) {
    request.addHeader(HeaderId::UserAgent, core_.options().userAgent);
  }
  auto txn = core_.layer().sendRequest(std::move(request), *peer, *this);
  if (txn.valid()) clientTxns_.push_back(txn);
  return txn;
}

std::optional<transport::Peer> DialogUsage::sendAck(Message& ack,
                                                    const std::optional<transport::Peer>& to) {
  std::optional<transport::Peer> peer = to;
  if (!peer) {
    auto hop = core_.nextHopOf(ack);
    if (!hop) return std::nullopt;
    peer = *hop;
  }
  if (!core_.layer().sendStateless(ack, *peer)) return std::nullopt;
  return peer;
}

bool DialogUsage::hasLiveClientTransactions() const {
  return std::any_of(clientTxns_.begin(), clientTxns_.end(),
                     [](const txn::ClientTransactionHandle& t) { return t.valid(); });
}

void DialogUsage::retireWhenIdle() {
  if (retiring_) return;
  retiring_ = true;
  core_.retire(*this);
}

void DialogUsage::onTerminated(const txn::ClientTransactionHandle& txn) {
  auto self = shared_from_this();
  onTransactionEnded(txn);
  clientTxns_.erase(std::remove(clientTxns_.begin(), clientTxns_.end(), txn), clientTxns_.end());
  // A held subscription has no transaction for most of its life: give the array back.
  if (clientTxns_.empty()) clientTxns_.shrink_to_fit();
  // The handle is still valid during this call: count the others only.
  const bool othersLive =
      std::any_of(clientTxns_.begin(), clientTxns_.end(),
                  [&](const txn::ClientTransactionHandle& t) { return t != txn && t.valid(); });
  if (retiring_ && !othersLive) core_.release(*this);
}

util::TimerId DialogUsage::schedule(util::Duration after, TimerAction action) {
  // 32 bytes of callback (one small allocation) and 16 in timers_: the callback finds its
  // entry by token, so no shared cell is needed to learn the id it was given.
  struct Fire {
    std::weak_ptr<DialogUsage> usage;
    TimerAction action;
    std::uint32_t token;
    void operator()() const {
      auto self = usage.lock();
      if (!self) return;
      auto& timers = self->timers_;
      timers.erase(std::remove_if(timers.begin(), timers.end(),
                                  [this](const PendingTimer& t) { return t.token == token; }),
                   timers.end());
      action(*self);
    }
  };
  const std::uint32_t token = ++nextTimerToken_;
  const util::TimerId id = core_.timers().schedule(after, Fire{weak_from_this(), action, token});
  timers_.push_back(PendingTimer{token, id});
  return id;
}

void DialogUsage::cancelTimer(util::TimerId& id) {
  if (id == 0) return;
  core_.timers().cancel(id);
  timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                               [id](const PendingTimer& t) { return t.id == id; }),
                timers_.end());
  id = 0;
}

}  // namespace ccsip::sip::dialog
