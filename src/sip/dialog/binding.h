#pragma once

// A registrar binding (RFC 3261 10.3) and the handler interface through which the rest of the
// server learns that a phone came into or went out of service.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/transport/transport.h"
#include "util/time.h"

namespace ccsip::sip::dialog {

struct Binding {
  std::string contact;  // the Contact URI (addr-spec, no angle brackets, no header params)
  util::TimePoint expiresAt{};
  std::optional<std::uint16_t> q;  // RFC 3261 20.10 q-value in thousandths; nullopt: none given
  std::string callId;
  std::uint32_t cseq = 0;
  transport::Peer source;  // where the REGISTER came from (the route to a phone behind NAT)
  std::string instanceId;  // RFC 5626 4.1 +sip.instance, as written ("" when absent)
  std::optional<std::uint32_t> regId;  // RFC 5626 4.2 reg-id
  std::vector<std::string> path;       // RFC 3327 Path values of the REGISTER, in order
  util::TimePoint updatedAt{};
};

// "1", "0.5", "0.125": RFC 3261 25.1 qvalue text of thousandths.
std::string formatQValue(std::uint16_t thousandths);
// Parses a qvalue; nullopt when malformed or above 1.
std::optional<std::uint16_t> parseQValue(std::string_view text);

enum class UnregisterReason : std::uint8_t {
  Unregistered,  // the UA removed it (expires 0, Contact: *)
  Expired,       // not refreshed in time (lazy purge or the periodic sweep)
  Removed,       // removed by the server (administration, replaced by a newer binding)
};

std::string_view unregisterReasonName(UnregisterReason reason);

// Callbacks run after the location table has committed the change, so a handler may look the
// AOR up again; they must not destroy the table.
class RegistrationHandler {
 public:
  virtual ~RegistrationHandler() = default;
  // A binding that did not exist before (a phone came into service on this contact).
  virtual void onRegistered(std::string_view aor, const Binding& binding) = 0;
  virtual void onUnregistered(std::string_view aor, const Binding& binding,
                              UnregisterReason reason) = 0;
  // An existing binding refreshed (new expiry / CSeq); most listeners ignore it.
  virtual void onRefreshed(std::string_view /*aor*/, const Binding& /*binding*/) {}
};

}  // namespace ccsip::sip::dialog
