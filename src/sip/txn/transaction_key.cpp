#include "sip/txn/transaction_key.h"

namespace ccsip::sip::txn {
namespace {

// A separator no token or host contains.
constexpr char kSep = '\x1f';

void appendLower(std::string& out, std::string_view text) {
  for (char c : text) {
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

}  // namespace

std::string_view keyMethodName(sip::Method method, std::string_view text) {
  std::string_view name = sip::methodName(method);
  return name.empty() ? text : name;
}

bool hasTransactionBranch(const sip::Via& via) {
  return via.hasMagicCookie() && via.branch.size() > 7;
}

std::string clientKey(std::string_view branch, std::string_view method) {
  std::string key;
  key.reserve(branch.size() + method.size() + 1);
  key += branch;
  key += kSep;
  key += method;
  return key;
}

std::string serverKey(const sip::Via& topVia, std::string_view method) {
  std::string key;
  key.reserve(topVia.branch.size() + topVia.host.size() + method.size() + 10);
  key += topVia.branch;
  key += kSep;
  // Host names compare case-insensitively (RFC 3261 19.1.4); the sent-by port as written.
  appendLower(key, topVia.host);
  key += ':';
  key += std::to_string(topVia.port);
  key += kSep;
  key += method;
  return key;
}

LegacyKey LegacyKey::of(const sip::Message& request) {
  LegacyKey key;
  key.requestUri = std::string(request.requestUri().text);
  key.fromTag = std::string(request.from().tag);
  key.toTag = std::string(request.to().tag);
  key.callId = std::string(request.callId());
  if (const sip::Via* via = request.topVia()) key.topVia = std::string(via->text);
  key.cseqNumber = request.cseq().number;
  key.cseqMethod = std::string(keyMethodName(request.cseq().method, request.cseq().methodText));
  return key;
}

bool LegacyKey::sameBase(const LegacyKey& other) const {
  return cseqNumber == other.cseqNumber && callId == other.callId && fromTag == other.fromTag &&
         requestUri == other.requestUri && topVia == other.topVia;
}

std::string LegacyKey::indexKey() const {
  std::string key = callId;
  key += kSep;
  key += std::to_string(cseqNumber);
  key += kSep;
  key += fromTag;
  return key;
}

}  // namespace ccsip::sip::txn
