#pragma once

#include <optional>
#include <vector>

#include "config/config.h"
#include "sip/message.h"
#include "sip/transport/transport.h"

namespace ccsip::control {

// The address a received request came from, as the transaction layer recorded it in the top Via
// (RFC 3261 18.2.1 received=, RFC 3581 rport=). Without rport the port is the sent-by port
// (default 5060). nullopt when there is no usable Via.
std::optional<sip::transport::Address> sourceOf(const sip::Message& request);

// True when `source` is one of `trusted` (a trusted port of 0 matches any port).
bool isTrusted(const sip::transport::Address& source,
               const std::vector<sip::transport::Address>& trusted);

// True when `source` lies in one of `networks` (any port).
bool isTrusted(const sip::transport::Address& source,
               const std::vector<config::IpNetwork>& networks);

}  // namespace ccsip::control
