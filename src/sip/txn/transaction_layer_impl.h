#pragma once

// Internal state of TransactionLayer, shared by transaction_layer.cpp (receive path, wiring),
// server_transactions.cpp and client_transactions.cpp. Not a public header.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sip/parser.h"
#include "sip/txn/transaction_key.h"
#include "sip/txn/transaction_layer.h"
#include "util/random.h"

namespace ccsip::sip::txn {

// One timer slot: cancelled when re-armed or when the transaction goes.
struct TimerSlot {
  util::TimerId id = 0;
};

// A transaction keeps the parsed request only while something may still need it: a server
// non-INVITE transaction drops it with its final response (RFC 3261 17.2.2: in Completed it only
// answers retransmissions with the serialized response), an INVITE server transaction once its
// ACK came (Confirmed); a client transaction drops request and wire form with its final response
// (17.1.2.2 Timer K / 17.1.1.3 Timer D absorb retransmitted responses by key alone; the ACK of
// a 3xx-6xx is kept serialized; RFC 6026 7.2 Accepted only passes 2xx up). At 20,000 NOTIFYs per
// second, 64*T1 of Completed transactions is 640,000 of them: a few hundred bytes each instead
// of the 4.4 kB the request costs (DESIGN.md "Performance targets").
struct ServerTxn {
  std::uint64_t id = 0;
  sip::Method method = sip::Method::Unknown;
  bool invite = false;
  ServerTransactionState state = ServerTransactionState::Trying;
  bool unkeyed = false;    // key dropped: its branch was reused by a newer request
  std::uint32_t cseq = 0;  // of the request: the same branch with another CSeq is new
  int lastStatus = 0;
  std::unique_ptr<sip::Message> request;  // nullptr once dropped (see above)
  std::string methodText;                 // the method of an extension (Unknown) request
  transport::Peer peer;
  std::string key;                    // RFC 3261 key, "" for RFC 2543 transactions
  std::unique_ptr<LegacyKey> legacy;  // RFC 2543 matching fields
  std::string lastResponse;           // wire form, resent on request retransmissions / G
  transport::Peer responseTo;
  std::string responseToTag;  // To tag of the last response (RFC 2543 ACK matching, CANCEL)
  util::Duration gInterval{0};
  TimerSlot trying;      // 100 Trying (RFC 3261 17.2.1)
  TimerSlot retransmit;  // G
  TimerSlot timeout;     // H
  TimerSlot end;         // I, J, L
};

struct ClientTxn {
  std::uint64_t id = 0;
  sip::Method method = sip::Method::Unknown;
  bool invite = false;
  bool reliable = false;
  ClientTransactionState state = ClientTransactionState::Trying;
  bool cancelPending = false;  // sendCancel before any 1xx (RFC 3261 9.1)
  bool cancelled = false;
  std::unique_ptr<sip::Message> request;  // nullptr once a final response came (see above)
  transport::Peer to;
  std::string key;
  std::string wire;     // the request as sent, for retransmissions (until a final response)
  std::string ackWire;  // ACK for 3xx-6xx (RFC 3261 17.1.1.3)
  ClientTransactionHandler* handler = nullptr;
  ClientTransactionHandler* cancelHandler = nullptr;
  util::Duration interval{0};  // current A / E interval
  TimerSlot retransmit;        // A, E
  TimerSlot timeout;           // B, F
  TimerSlot end;               // D, K, M
};

struct TransactionLayer::Impl {
  Impl(TransactionLayer& owner, std::optional<std::uint64_t> seed);
  ~Impl();

  TransactionLayer& layer;
  transport::Transport* transport = nullptr;
  TransactionUser* user = nullptr;
  util::Random random;
  std::uint64_t nextId = 1;
  std::string scratch;  // reusable serialization buffer
  // Server transactions whose request is being handed to the TU (validator, onRequest): the TU
  // holds a reference to it, so a response sent from inside the call must not drop it yet.
  std::vector<std::uint64_t> delivering;
  // Transactions ended while their request was being delivered (a final response over TCP ends
  // a non-INVITE server transaction at once): freed once the delivery returned.
  std::vector<std::unique_ptr<ServerTxn>> endedWhileDelivering;

  std::unordered_map<std::uint64_t, std::unique_ptr<ServerTxn>> servers;
  std::unordered_map<std::string, std::uint64_t> serverKeys;
  // RFC 2543 transactions by LegacyKey::indexKey(), the rest of the key compared per entry.
  std::unordered_multimap<std::string, std::uint64_t> legacyServers;
  std::unordered_map<std::uint64_t, std::unique_ptr<ClientTxn>> clients;
  std::unordered_map<std::string, std::uint64_t> clientKeys;

  const TimerOptions& timers() const { return layer.options_.timers; }
  TransactionCounters& counters() { return layer.counters_; }
  util::TimerService& clock() { return layer.timers_; }

  // --- timers
  template <class F>
  void arm(TimerSlot& slot, util::Duration after, F&& callback) {
    disarm(slot);
    slot.id = clock().schedule(after, std::forward<F>(callback));
  }
  void disarm(TimerSlot& slot) {
    if (slot.id != 0) clock().cancel(slot.id);
    slot.id = 0;
  }

  bool send(const transport::Peer& to, std::string_view bytes);

  // --- receive path (transaction_layer.cpp)
  void receiveRequest(sip::Message request, const transport::Peer& from);
  void receiveResponse(sip::Message response, const transport::Peer& from);
  void answerUnparsable(sip::Message& request, const sip::ParseError& error,
                        const transport::Peer& from);

  // --- server side (server_transactions.cpp)
  ServerTxn* findServer(std::uint64_t id);
  ServerTxn* matchServer(const sip::Message& request, std::string_view method);
  ServerTxn* matchLegacyAck(const LegacyKey& ack);
  ServerTxn* createServer(sip::Message request, const transport::Peer& from);
  void handleAck(sip::Message ack, const transport::Peer& from);
  void handleCancel(sip::Message cancel, const transport::Peer& from);
  void handleRetransmission(ServerTxn& txn);
  bool respond(std::uint64_t id, sip::Message response);
  void onTrying(std::uint64_t id);
  void onTimerG(std::uint64_t id);
  void onTimerH(std::uint64_t id);
  void onUnanswered(std::uint64_t id);
  void terminateServer(std::uint64_t id);
  // Drops what a server transaction no longer needs in its state (see ServerTxn).
  void slimServer(ServerTxn& txn);

  // --- client side (client_transactions.cpp)
  ClientTxn* findClient(std::uint64_t id);
  ClientTransactionHandle startClient(sip::Message request, const transport::Peer& to,
                                      ClientTransactionHandler* handler);
  void ensureVia(sip::Message& request, const transport::Peer& to);
  bool cancel(std::uint64_t inviteId, ClientTransactionHandler* handler);
  void sendCancelNow(ClientTxn& invite);
  void onRetransmitTimer(std::uint64_t id);
  void onTimeoutTimer(std::uint64_t id);
  void onSendFailure(std::uint64_t id);
  void terminateClient(std::uint64_t id);
  void clientResponse(ClientTxn& txn, sip::Message response);
  // Drops request and wire form after a final response (see ClientTxn); by id, since the
  // handler that got the response may have ended the transaction.
  void slimClient(std::uint64_t id);

  ServerTransactionHandle serverHandle(std::uint64_t id) { return layer.serverHandle(id); }
  ClientTransactionHandle clientHandle(std::uint64_t id) { return layer.clientHandle(id); }
};

}  // namespace ccsip::sip::txn
