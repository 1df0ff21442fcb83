#pragma once

// The location service of the registrar (RFC 3261 10.3): address-of-record -> bindings. Single
// threaded like the rest of the SIP core. Expired bindings are purged lazily (on every access
// to their AOR) and by a periodic sweep on the injected TimerService, which is what tells the
// RegistrationHandler that a phone silently went away.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sip/dialog/binding.h"
#include "sip/message.h"
#include "sip/transport/transport.h"
#include "util/result.h"
#include "util/timer_service.h"

namespace ccsip::sip::dialog {

struct LocationOptions {
  // RFC 3261 10.2.1.1 / 10.3 step 7: without an expires param or Expires header.
  std::chrono::seconds defaultExpires{3600};
  // Below this (and above 0) a REGISTER gets 423 with Min-Expires (RFC 3261 10.3 step 7).
  std::chrono::seconds minExpires{60};
  // Longer requests are shortened to this (RFC 3261 10.3 step 7 allows it).
  std::chrono::seconds maxExpires{7200};
  // Period of the expiry sweep; zero disables it (bindings are then purged only lazily).
  util::Duration sweepInterval = std::chrono::seconds(30);
  // Bounds against a flood of registrations (answered 503, as Kamailio's registrar does).
  std::size_t maxBindingsPerAor = 16;
  std::size_t maxAors = 100000;
};

// One Contact of a REGISTER with its expiry resolved.
struct ContactUpdate {
  std::string uri;
  std::chrono::seconds expires{0};  // 0: remove
  std::optional<std::uint16_t> q;
  std::string instanceId;
  std::optional<std::uint32_t> regId;
};

// What a REGISTER asks of the location service, taken from the message by parseRegistration.
struct RegistrationUpdate {
  bool removeAll = false;               // Contact: * with Expires: 0
  std::vector<ContactUpdate> contacts;  // empty and !removeAll: a query (RFC 3261 10.2.3)
  std::string callId;
  std::uint32_t cseq = 0;
  transport::Peer source;
  std::vector<std::string> path;
};

class LocationTable {
 public:
  LocationTable(util::TimerService& timers, LocationOptions options = {},
                RegistrationHandler* handler = nullptr);
  ~LocationTable();
  LocationTable(const LocationTable&) = delete;
  LocationTable& operator=(const LocationTable&) = delete;

  void setHandler(RegistrationHandler* handler) { handler_ = handler; }
  const LocationOptions& options() const { return options_; }
  util::TimePoint now() const { return timers_.now(); }

  // RFC 3261 10.3 steps 6-7 on the message: Contact list (Contact: * only alone and with
  // Expires: 0, else 400), each contact's expiry (expires param, else Expires header, else the
  // default; capped at maxExpires), 423 when one is between 0 and minExpires (exclusive).
  // Error codes: 400, 423.
  util::Result<RegistrationUpdate> parseRegistration(const sip::Message& request,
                                                     const transport::Peer& source) const;

  // RFC 3261 10.3 step 7: applies all contact updates or none. A binding with the request's
  // Call-ID and a CSeq not lower than the request's aborts the update with 500 (an out-of-order
  // request); 503 when the AOR or table limits are reached. Returns the AOR's bindings after
  // the update (what the 200 OK lists).
  util::Result<std::vector<Binding>> apply(std::string_view aor, const RegistrationUpdate& update);

  // The current bindings of an AOR, highest q first (no q counts as 1.0), then the most
  // recently refreshed; empty when none.
  std::vector<Binding> lookup(std::string_view aor);
  // Drops every binding of an AOR (reason Removed); false when it had none.
  bool removeAor(std::string_view aor);
  // Purges every expired binding now; returns how many. The periodic sweep calls it.
  std::size_t sweep();

  std::size_t aorCount() const { return table_.size(); }
  std::size_t bindingCount() const;

 private:
  struct Event {
    bool registered = false;  // else unregistered
    bool refreshed = false;
    std::string aor;
    Binding binding;
    UnregisterReason reason = UnregisterReason::Unregistered;
  };
  void purgeExpired(const std::string& aor, std::vector<Binding>& bindings,
                    std::vector<Event>& events);
  void notify(const std::vector<Event>& events);
  void scheduleSweep();

  util::TimerService& timers_;
  LocationOptions options_;
  RegistrationHandler* handler_;
  std::unordered_map<std::string, std::vector<Binding>> table_;
  std::optional<util::TimerId> sweepTimer_;
};

}  // namespace ccsip::sip::dialog
