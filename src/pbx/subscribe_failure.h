#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace ccsip::pbx {

// What a failed initial SUBSCRIBE to the switch means, and what ccsip does next (DESIGN.md
// "Asterisk integration", docs/pbx-monitoring.md "Subscription life"). Pure functions, so the
// rules are tested without SIP.

// The most Asterisk grants (both drivers cut a longer Expires to 3600).
inline constexpr std::chrono::seconds kLongestExpiry{3600};

// The Expires of the next SUBSCRIBE after `doublings` answers of 423 without a usable
// Min-Expires (chan_pjsip never sends one, presence-rejected.txt p5): `configured` doubled that
// many times, at most an hour (never less than `configured`).
std::chrono::seconds grownExpiry(std::chrono::seconds configured, std::uint8_t doublings);

// After a 423 to a SUBSCRIBE sent with `doublings`: true when a longer Expires is left to ask
// for, so the next attempt goes at once (paced) with doublings + 1; false when the last one
// already asked for an hour, so the next waits the retry period like any other failure.
bool retryLongerAfter423(std::chrono::seconds configured, std::uint8_t doublings);

// One line for the log: what the switch most likely means by `status` to a SUBSCRIBE, from
// the Asterisk 20 traces (chan_sip and chan_pjsip), and how to fix it. "" for statuses
// without a known cause.
std::string_view subscribeFailureHint(int status);

}  // namespace ccsip::pbx
