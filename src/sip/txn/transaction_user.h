#pragma once

#include <optional>

#include "sip/message.h"
#include "sip/transport/transport.h"
#include "sip/txn/transaction_handle.h"

namespace ccsip::sip::txn {

enum class TransactionFailure : std::uint8_t {
  Timeout,         // client: Timer B / F; server: Timer H (no ACK for a 3xx-6xx)
  TransportError,  // the transport refused a message (RFC 3261 17.1.4 / 17.2.4)
};

// The owner of one client transaction (dialog usage, registrar client, subscription, ...).
// Callbacks run on the layer's thread; the handler may call back into the layer.
class ClientTransactionHandler {
 public:
  virtual ~ClientTransactionHandler() = default;
  // Every 1xx; the final response once (non-INVITE, INVITE 3xx-6xx); for INVITE each 2xx that
  // arrives while Accepted (RFC 6026 7.2: retransmissions and forked 2xx), so the TU can ACK
  // each one. The TU sends the ACK for a 2xx itself (TransactionLayer::sendStateless).
  virtual void onResponse(const ClientTransactionHandle& txn, const sip::Message& response) = 0;
  // RFC 3261 17.1.1.2 Timer B / 17.1.2.2 Timer F: the TU synthesises a 408 if it needs one.
  virtual void onTimeout(const ClientTransactionHandle& txn) = 0;
  // RFC 3261 17.1.4: the transport could not send the request (reported asynchronously, never
  // from inside sendRequest).
  virtual void onTransportError(const ClientTransactionHandle& txn) = 0;
  // The transaction is being removed (after Timer D/K/M, a timeout or a transport error); the
  // handle is still valid during this call. Optional.
  virtual void onTerminated(const ClientTransactionHandle& /*txn*/) {}
};

// The transaction user: the dialog layer / application above the server side of the layer.
class TransactionUser {
 public:
  virtual ~TransactionUser() = default;
  // A new request created a server transaction (never ACK, never CANCEL). Answer with
  // txn.respond() now or later; for INVITE the layer sends 100 Trying itself after
  // TimerOptions::trying when no response came by then.
  virtual void onRequest(const ServerTransactionHandle& txn, const sip::Message& request,
                         const transport::Peer& from) = 0;
  // An ACK that belongs to no transaction in Completed/Confirmed state: the ACK for a 2xx
  // (RFC 3261 17.2.3; RFC 6026 8.7: also when it matches an INVITE server transaction in
  // Accepted). `invite` is that transaction when one matched, else invalid.
  virtual void onAck(const sip::Message& ack, const transport::Peer& from,
                     const ServerTransactionHandle& invite) = 0;
  // RFC 3261 9.2: a CANCEL matched an INVITE server transaction still in Proceeding. The layer
  // has already answered the CANCEL with 200; the TU should answer the INVITE with 487.
  virtual void onCancel(const ServerTransactionHandle& invite, const sip::Message& cancel) = 0;
  // A response that matches no client transaction (RFC 3261 17.1.3 / RFC 6026 7.2): 2xx
  // retransmissions after Timer M, 2xx of other forks, ... For the dialog layer to ACK or drop.
  virtual void onStrayResponse(const sip::Message& response, const transport::Peer& from) = 0;
  // A server transaction failed: Timer H fired without ACK; a non-INVITE request got no final
  // response from the TU within 64*T1 (the transaction is then ended: the client gave up at
  // Timer F); or a retransmitted response could not be sent. The handle is still valid during
  // this call. Optional.
  virtual void onServerTransactionFailure(const ServerTransactionHandle& /*txn*/,
                                          TransactionFailure /*failure*/) {}
};

// Optional hook that checks every new request before the TU sees it (RFC 3261 8.2: method,
// Require, Max-Forwards, ...). Returns the rejection response (built with sip::makeResponse,
// To tag included) or nullopt to accept. Lets the application plug sip::validateRequest in
// without the transaction layer depending on it.
class RequestValidator {
 public:
  virtual ~RequestValidator() = default;
  virtual std::optional<sip::Message> validate(const sip::Message& request,
                                               const transport::Peer& from) = 0;
};

}  // namespace ccsip::sip::txn
