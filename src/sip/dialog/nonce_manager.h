#pragma once

// Stateless Digest nonces (RFC 2617 3.2.1 suggests "time-stamp H(time-stamp ":" ETag ":"
// private-key)"): hex(timestamp | random) + hex(HMAC-SHA256(secret, timestamp | random)), so a
// nonce the server issued is recognised, and its age known, without storing it.
//
// Replay: nonce-counts are tracked (RFC 2617 3.2.2, RFC 7616 3.4) for nonces that authenticated
// a request, only for the nonce lifetime and up to a bounded number of nonces; the verification
// of a nonce itself stays stateless. Clients without qop (RFC 2069) send no nc, so their replays
// inside the lifetime are not detected — the registrar's Call-ID/CSeq rule (RFC 3261 10.3 step
// 7) still rejects a REGISTER replayed as is.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/time.h"
#include "util/timer_service.h"

namespace ccsip::sip::dialog {

struct NonceOptions {
  util::Duration lifetime = std::chrono::seconds(300);
  // HMAC key; empty: 32 random bytes chosen at construction (nonces then die with the process,
  // and a client holding an old one is re-challenged with stale=true).
  std::string secret;
  // Bound on the nonce-count table (memory stays bounded under a flood of authenticated
  // requests); when full the oldest entry is forgotten.
  std::size_t maxTrackedNonces = 100000;
};

enum class NonceStatus : std::uint8_t {
  Valid,    // issued by this server (this secret) and younger than the lifetime
  Stale,    // issued by this server, older than the lifetime: RFC 2617 3.2.1 stale=true
  Invalid,  // not a nonce of this server (malformed, wrong MAC, from the future)
};

class NonceManager {
 public:
  explicit NonceManager(util::TimerService& timers, NonceOptions options = {});

  // A fresh nonce: 64 lower-case hex digits.
  std::string issue();
  NonceStatus check(std::string_view nonce) const;
  // Records nc for a nonce that authenticated a request; false when nc is not greater than
  // the highest nc already seen with that nonce (a replay).
  bool acceptNonceCount(std::string_view nonce, std::uint32_t nc);

  util::Duration lifetime() const { return options_.lifetime; }
  std::size_t trackedNonces() const { return counts_.size(); }

 private:
  std::string mac(const unsigned char* data, std::size_t size) const;
  void purgeCounts();

  util::TimerService& timers_;
  NonceOptions options_;
  struct CountEntry {
    std::uint32_t highestNc = 0;
  };
  std::unordered_map<std::string, CountEntry> counts_;
  // Insertion order = expiry order (one lifetime for all), so purging pops from the front.
  std::deque<std::pair<util::TimePoint, std::string>> countOrder_;
};

}  // namespace ccsip::sip::dialog
