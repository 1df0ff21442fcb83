#pragma once

// API changes since the first version (all additive):
// - TransactionLayer also implements transport::TransportErrorHandler (register it on the
//   transport): asynchronous TCP failures end the client transactions that used the connection.
// - PolicyRequestValidator (request_validator.h) plugs sip::validateRequest in as the
//   RequestValidator of TransactionLayerOptions.
// - Finished transactions drop their parsed request (handle request() returns nullptr): a
//   non-INVITE server transaction once its final response is sent, an INVITE one once
//   Confirmed, a client transaction once its final response was handed over (transaction_handle.h).

// RFC 3261 17 transaction layer (with RFC 6026 for INVITE 2xx) over a transport::Transport, its
// timers on a util::TimerService (util::ManualTimerService in tests). Single-threaded: every
// call, and every callback, runs on the event-loop thread.
//
// Receive path: transport -> onMessage(bytes, peer) -> sip::parseMessage -> (requests) Via
// received/rport (RFC 3261 18.2.1, RFC 3581 4) -> server transaction matching (17.2.3, with the
// RFC 2543 fallback) -> RequestValidator -> TransactionUser; (responses) client transaction
// matching (17.1.3) -> ClientTransactionHandler, or TransactionUser::onStrayResponse.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/transport/transport.h"
#include "sip/txn/timer_options.h"
#include "sip/txn/transaction_counters.h"
#include "sip/txn/transaction_handle.h"
#include "sip/txn/transaction_user.h"
#include "util/timer_service.h"

namespace ccsip::sip::txn {

struct TransactionLayerOptions {
  TimerOptions timers;
  // Checks new requests before the TU sees them; nullptr: every request goes to the TU.
  RequestValidator* validator = nullptr;
  // Seed for branches and tags (tests want reproducible output); nullopt: random_device.
  std::optional<std::uint64_t> randomSeed;
};

class TransactionLayer final : public transport::MessageSink,
                               public transport::TransportErrorHandler {
 public:
  TransactionLayer(util::TimerService& timers, transport::Transport& transport,
                   TransactionUser& user, TransactionLayerOptions options = {});
  // For wiring where the transport (which takes a MessageSink&) or the TU (which takes the
  // layer) is built after the layer: attach them with setTransport / setTransactionUser before
  // the first message. Messages received before both are attached are dropped.
  TransactionLayer(util::TimerService& timers, TransactionLayerOptions options = {});
  ~TransactionLayer() override;
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  void setTransport(transport::Transport& transport);
  void setTransactionUser(TransactionUser& user);

  // --- receive path (transport::MessageSink)
  void onMessage(std::string bytes, const transport::Peer& from) override;
  // RFC 3261 17.1.4: a connection failure reported after send() returned ends, with
  // onTransportError, every client transaction still waiting for a final response that was sent
  // to error.peer.remote or on error.peer.connectionId.
  void onTransportError(const transport::TransportError& error) override;

  // --- client side
  // Starts a client transaction (INVITE or non-INVITE; never ACK: use sendStateless). Adds a top
  // Via (sent-by from Transport::localAddress(to.kind), a fresh branch with the magic cookie,
  // rport) when the request has none, and Max-Forwards: 70 when absent. Returns an invalid
  // handle when the request lacks Call-ID/CSeq/From/To or is an ACK. `handler` must outlive
  // the transaction or detach() it.
  ClientTransactionHandle sendRequest(sip::Message request, const transport::Peer& to,
                                      ClientTransactionHandler& handler);
  // RFC 3261 9.1: CANCEL for a client INVITE transaction (same Request-URI, Call-ID, To, From,
  // CSeq number, top Via, Route). Sent at once when a provisional response has been received,
  // otherwise as soon as one arrives (never when a final response arrives first). The CANCEL's
  // own responses go to `handler` when given. False when `invite` is not a live INVITE client
  // transaction in Calling/Proceeding or was already cancelled.
  bool sendCancel(const ClientTransactionHandle& invite,
                  ClientTransactionHandler* handler = nullptr);

  // --- stateless sending
  // A request outside any transaction (the ACK for a 2xx, RFC 3261 13.2.2.4): adds a top Via
  // (fresh branch) when it has none, so the TU can resend the same message for 2xx
  // retransmissions. A response is sent to `to` as given.
  bool sendStateless(sip::Message& message, const transport::Peer& to);
  // A response routed as RFC 3261 18.2.2 / RFC 3581 say, from the request's source `requestFrom`
  // and the response's top Via (stateless proxies / answers outside a transaction).
  bool sendStatelessResponse(const sip::Message& response, const transport::Peer& requestFrom);
  // RFC 3261 18.2.2 / RFC 3581: reliable transport -> the connection the request came on;
  // else received (or sent-by host) with rport, else sent-by port, else 5060.
  static transport::Peer responseDestination(const sip::Message& response,
                                             const transport::Peer& requestFrom);

  // --- introspection
  const TransactionCounters& counters() const { return counters_; }
  std::size_t activeClientTransactions() const;
  std::size_t activeServerTransactions() const;
  std::size_t activeTransactions() const {
    return activeClientTransactions() + activeServerTransactions();
  }
  const TimerOptions& timerOptions() const { return options_.timers; }

 private:
  friend class ServerTransactionHandle;
  friend class ClientTransactionHandle;
  struct Impl;
  ServerTransactionHandle serverHandle(std::uint64_t id) { return {this, id}; }
  ClientTransactionHandle clientHandle(std::uint64_t id) { return {this, id}; }

  util::TimerService& timers_;
  TransactionLayerOptions options_;
  TransactionCounters counters_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ccsip::sip::txn
