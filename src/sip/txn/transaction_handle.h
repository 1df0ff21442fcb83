#pragma once

#include <cstdint>

#include "sip/message.h"
#include "sip/method.h"
#include "sip/transport/transport.h"

namespace ccsip::sip::txn {

class TransactionLayer;

// RFC 3261 17.2.1 / 17.2.2 plus RFC 6026 Accepted.
enum class ServerTransactionState : std::uint8_t {
  Trying,      // non-INVITE, nothing sent yet
  Proceeding,  // INVITE on creation; non-INVITE after a 1xx
  Accepted,    // INVITE after a 2xx (RFC 6026 7.1, Timer L)
  Completed,   // final response sent (INVITE: 3xx-6xx, waiting for ACK; non-INVITE: Timer J)
  Confirmed,   // INVITE: ACK received (Timer I)
  Terminated,  // gone (a handle to a removed transaction reports this)
};

// RFC 3261 17.1.1 / 17.1.2 plus RFC 6026 Accepted.
enum class ClientTransactionState : std::uint8_t {
  Calling,     // INVITE sent, nothing received
  Trying,      // non-INVITE sent, nothing received
  Proceeding,  // 1xx received
  Accepted,    // INVITE: 2xx received (RFC 6026 7.2, Timer M)
  Completed,   // final (INVITE: 3xx-6xx, ACK sent, Timer D; non-INVITE: Timer K)
  Terminated,  // gone
};

// A weak handle to a server transaction: cheap to copy, safe to keep after the transaction is
// gone (every call then fails or returns empty). Valid only on the layer's thread.
class ServerTransactionHandle {
 public:
  ServerTransactionHandle() = default;

  bool valid() const;  // the transaction still exists
  explicit operator bool() const { return valid(); }
  std::uint64_t id() const { return id_; }
  ServerTransactionState state() const;
  // The request that created the transaction (with received/rport already added to its top
  // Via); nullptr once the transaction is gone, and once it no longer needs it: a non-INVITE
  // transaction after its final response (RFC 3261 17.2.2 Completed only resends that response),
  // an INVITE transaction once Confirmed. During TransactionUser::onRequest it is always there.
  const sip::Message* request() const;
  const transport::Peer* peer() const;  // where the request came from
  // Sends a response within the transaction (RFC 3261 17.2.1/17.2.2): 1xx any number of times,
  // one final response (INVITE 2xx: the TU may pass its 2xx retransmissions while Accepted,
  // RFC 6026 8.5). Routed per RFC 3261 18.2.2 / RFC 3581. False when the transaction is gone, the
  // response does not fit its state, or the transport refused it.
  bool respond(sip::Message response) const;

  bool operator==(const ServerTransactionHandle&) const = default;

 private:
  friend class TransactionLayer;
  ServerTransactionHandle(TransactionLayer* layer, std::uint64_t id) : layer_(layer), id_(id) {}
  TransactionLayer* layer_ = nullptr;
  std::uint64_t id_ = 0;
};

// A weak handle to a client transaction (same rules as ServerTransactionHandle).
class ClientTransactionHandle {
 public:
  ClientTransactionHandle() = default;

  bool valid() const;
  explicit operator bool() const { return valid(); }
  std::uint64_t id() const { return id_; }
  ClientTransactionState state() const;
  // The request as sent (with the top Via the layer added); nullptr once gone, and once a final
  // response came (Completed / Accepted: what is left only absorbs retransmitted responses). The
  // handler's onResponse for that final response still sees it.
  const sip::Message* request() const;
  const transport::Peer* peer() const;  // where the request is sent
  // Stops callbacks to the handler (e.g. the handler object is being destroyed); the transaction
  // still runs its timers to completion (retransmissions, ACK for non-2xx).
  void detach() const;

  bool operator==(const ClientTransactionHandle&) const = default;

 private:
  friend class TransactionLayer;
  ClientTransactionHandle(TransactionLayer* layer, std::uint64_t id) : layer_(layer), id_(id) {}
  TransactionLayer* layer_ = nullptr;
  std::uint64_t id_ = 0;
};

}  // namespace ccsip::sip::txn
