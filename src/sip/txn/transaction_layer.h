#pragma once

// PLACEHOLDER API sketch, owned by the transaction-layer engineer, who may refine it.
//
// TransactionLayer: RFC 3261 17 client/server transactions over a transport::Transport, timers on
// a util::TimerService (ManualTimerService in tests). Roles are named handler interfaces:
//
//   class ClientTransactionHandler {
//     virtual void onResponse(const Message& response) = 0;      // 1xx..6xx (2xx INVITE: each)
//     virtual void onTimeout() = 0;                                // Timer B / F
//     virtual void onTransportError() = 0;
//   };
//   class TransactionUser {   // the dialog layer / application
//     virtual void onRequest(ServerTransaction& txn, const Message& request) = 0;   // new request
//     virtual void onAck(const Message& ack, const Peer& from) = 0;   // ACK to a 2xx (no txn)
//     virtual void onCancel(...)  // CANCEL matched to an INVITE server txn (already answered 200)
//     virtual void onStrayResponse(...)
//   };
