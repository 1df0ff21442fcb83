#pragma once

// Transaction matching keys: RFC 3261 17.1.3 (client) and 17.2.3 (server, with the RFC 2543
// fallback for branches without the magic cookie).

#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message.h"

namespace ccsip::sip::txn {

// The method a key names: the enum's name, or the text for extension methods.
std::string_view keyMethodName(sip::Method method, std::string_view text);

// RFC 3261 17.1.3: branch of the top Via + CSeq method.
std::string clientKey(std::string_view branch, std::string_view method);

// RFC 3261 17.2.3: a branch that starts with the magic cookie identifies the transaction. A
// bare cookie (RFC 4475 3.2.1 badbranch) identifies nothing: such requests fall back to the
// RFC 2543 rules, as RFC 4475 allows.
bool hasTransactionBranch(const sip::Via& via);

// RFC 3261 17.2.3: branch + sent-by + method; ACK uses INVITE (it matches the INVITE's
// transaction), callers pass the method to look up. Only for branches with the magic cookie.
std::string serverKey(const sip::Via& topVia, std::string_view method);

// RFC 3261 17.2.3 fallback for RFC 2543 requests (no magic cookie): the fields a request of the
// same transaction repeats. Copied, since the stored request's top Via later gets received=.
struct LegacyKey {
  std::string requestUri;
  std::string fromTag;
  std::string toTag;
  std::string callId;
  std::string topVia;
  std::uint32_t cseqNumber = 0;
  std::string cseqMethod;

  static LegacyKey of(const sip::Message& request);
  // Request-URI, From tag, Call-ID, CSeq number and top Via: shared by the INVITE, its
  // ACK and its CANCEL.
  bool sameBase(const LegacyKey& other) const;
  // Call-ID, CSeq number and From tag: an index over RFC 2543 transactions, so that matching is
  // not a scan of all of them (a flood of cookie-less requests must stay cheap).
  std::string indexKey() const;
};

}  // namespace ccsip::sip::txn
