#include "pbx/subscribe_failure.h"

#include <algorithm>

namespace ccsip::pbx {

using std::chrono::seconds;

namespace {

// 2^12 s already exceeds an hour: no configured value (>= 1 s) needs more doublings.
constexpr std::uint8_t kMaxDoublings = 12;

}  // namespace

seconds grownExpiry(seconds configured, std::uint8_t doublings) {
  if (configured >= kLongestExpiry) return configured;
  seconds grown = std::max(configured, seconds(1));
  for (std::uint8_t i = 0; i < std::min(doublings, kMaxDoublings) && grown < kLongestExpiry; ++i) {
    grown *= 2;
  }
  return std::min(grown, kLongestExpiry);
}

bool retryLongerAfter423(seconds configured, std::uint8_t doublings) {
  return doublings < kMaxDoublings && grownExpiry(configured, doublings) < kLongestExpiry;
}

std::string_view subscribeFailureHint(int status) {
  switch (status) {
    case 400:
      return "Bad Request: chan_pjsip refuses an initial SUBSCRIBE it cannot take this way "
             "(a fetch, Expires: 0)";
    case 401:
    case 407:
      return "the switch asks for credentials and ccsip has none for it: with chan_pjsip an "
             "identify must match ccsip's address and port (it answers 401 forever otherwise), "
             "with chan_sip a peer must be named after the From user";
    case 403:
      return "the switch refuses the subscriber: with chan_sip no peer is named after the From "
             "user (presence: switch.presence.from-user, MWI: gvm-<box>)";
    case 404:
      return "the switch knows no such resource: presence needs a hint for the DN in the "
             "subscribe context, MWI a gvm-<box> peer / AOR with a mailbox";
    case 406:
    case 489:
      return "the switch cannot produce this event package or body (chan_pjsip: a body "
             "generator module is not loaded; or choose the other switch.presence.event)";
    case 408:
      return "no answer from the switch";
    case 423:
      return "Interval Too Brief: the Expires asked is below the switch's minimum "
             "(subminexpiry / sub_min_expiry)";
    case 481:
      return "the switch does not know the subscription";
    case 500:
      return "server error on the switch (chan_pjsip: the endpoint lists the same mailbox in "
             "its own mailboxes=)";
    case 503:
      return "the switch is unavailable, or the SUBSCRIBE could not be sent";
    default:
      return {};
  }
}

}  // namespace ccsip::pbx
