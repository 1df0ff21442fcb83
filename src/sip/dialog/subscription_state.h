#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ccsip::sip::dialog {

enum class SubscriptionStateValue : std::uint8_t { Active, Pending, Terminated };

// RFC 6665 4.1.3 / 8.4: Subscription-State: active;expires=N | pending | terminated;reason=..;
// retry-after=N. chan_sip sends a bare "active" and "terminated;reason=timeout", chan_pjsip
// "active;expires=N" (counting down) and a bare "terminated".
struct SubscriptionStateHeader {
  SubscriptionStateValue state = SubscriptionStateValue::Active;
  std::string reason;  // lower-cased; "" when absent
  std::optional<std::chrono::seconds> expires;
  std::optional<std::chrono::seconds> retryAfter;
};

// Error 400 for a missing or unknown substate value. Unknown parameters are ignored.
util::Result<SubscriptionStateHeader> parseSubscriptionState(std::string_view value);
std::string toString(const SubscriptionStateHeader& header);

// RFC 6665 4.1.3: reasons after which the subscriber may subscribe again (no reason and unknown
// reasons included: "the client MAY attempt to re-subscribe"); rejected, noresource and
// invariant say a new subscription would fail the same way.
bool resubscribeAllowed(std::string_view reason);

// The package token of an Event header value ("presence;id=7" -> "presence") and its id param.
std::string_view eventPackageName(std::string_view eventHeader);
std::string_view eventId(std::string_view eventHeader);

bool equalsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace ccsip::sip::dialog
