#pragma once

#include <cstdint>

namespace ccsip::sip::txn {

// Monotonic counters of the transaction layer, exported on /metrics. Live transaction counts are
// TransactionLayer::activeClientTransactions() / activeServerTransactions().
struct TransactionCounters {
  std::uint64_t clientTransactionsCreated = 0;
  std::uint64_t serverTransactionsCreated = 0;
  std::uint64_t retransmissionsSent = 0;      // requests (A, E) and responses (G, absorbed)
  std::uint64_t retransmissionsAbsorbed = 0;  // retransmitted requests/responses received
  std::uint64_t clientTimeouts = 0;           // Timer B / F
  std::uint64_t serverTimeouts = 0;           // Timer H (no ACK)
  std::uint64_t transportErrors = 0;
  std::uint64_t parseErrors = 0;          // messages that failed to parse
  std::uint64_t badRequestsAnswered = 0;  // stateless 400/505/... to unparsable requests
  std::uint64_t messagesDropped = 0;      // unparsable or unroutable, not answered
  std::uint64_t strayResponses = 0;       // responses matching no client transaction
  std::uint64_t strayAcks = 0;            // ACKs matching no server transaction (to the TU)
  std::uint64_t cancelsUnmatched = 0;     // CANCEL answered 481
  std::uint64_t statelessSent = 0;        // messages sent with sendStateless*
};

}  // namespace ccsip::sip::txn
