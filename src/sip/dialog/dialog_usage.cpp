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
  for (util::TimerId id : timers_) core_.timers().cancel(id);
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
  // The handle is still valid during this call: count the others only.
  const bool othersLive =
      std::any_of(clientTxns_.begin(), clientTxns_.end(),
                  [&](const txn::ClientTransactionHandle& t) { return t != txn && t.valid(); });
  if (retiring_ && !othersLive) core_.release(*this);
}

util::TimerId DialogUsage::schedule(util::Duration after,
                                    std::function<void(DialogUsage&)> action) {
  auto holder = std::make_shared<util::TimerId>(0);
  std::weak_ptr<DialogUsage> weak = weak_from_this();
  const util::TimerId id =
      core_.timers().schedule(after, [weak, holder, action = std::move(action)] {
        auto self = weak.lock();
        if (!self) return;
        auto& timers = self->timers_;
        timers.erase(std::remove(timers.begin(), timers.end(), *holder), timers.end());
        action(*self);
      });
  *holder = id;
  timers_.push_back(id);
  return id;
}

void DialogUsage::cancelTimer(util::TimerId& id) {
  if (id == 0) return;
  core_.timers().cancel(id);
  timers_.erase(std::remove(timers_.begin(), timers_.end(), id), timers_.end());
  id = 0;
}

}  // namespace ccsip::sip::dialog
