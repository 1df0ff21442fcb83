#pragma once

#include <chrono>

#include "util/time.h"

namespace ccsip::sip::txn {

// RFC 3261 17.1.1.1 / Table 4 timer values; every other timer derives from these.
struct TimerOptions {
  util::Duration t1{500};  // RTT estimate
  util::Duration t2{
      4000};  // maximum retransmit interval for non-INVITE requests / INVITE responses
  util::Duration t4{5000};  // maximum time a message stays in the network
  // RFC 3261 17.2.1: the INVITE server transaction sends 100 Trying when the TU has not sent a
  // provisional response within 200 ms.
  util::Duration trying{200};
  // RFC 3261 17.1.1.2: Timer D, at least 32 s over unreliable transports (0 over reliable ones).
  util::Duration timerD{32000};

  util::Duration timerB() const { return 64 * t1; }  // also F, H, J, L, M (RFC 6026)
};

}  // namespace ccsip::sip::txn
