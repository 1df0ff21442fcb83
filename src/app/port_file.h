#pragma once

#include <string>
#include <vector>

#include "sip/transport/transport.h"
#include "util/result.h"

namespace ccsip::app {

struct BoundPort {
  sip::transport::TransportKind kind = sip::transport::TransportKind::Udp;
  sip::transport::Address address;
  // A non-SIP listener ("cti", "http"): written instead of the transport name.
  std::string service;
};

// "udp 127.0.0.1 45678\ntcp 127.0.0.1 45678\ncti 127.0.0.1 45679\n" (IPv6 addresses without
// brackets).
std::string formatPortFile(const std::vector<BoundPort>& ports);

// Writes the file atomically (a temporary file in the same folder, then rename), so a reader
// polling for it never sees it half written.
util::Result<bool> writePortFile(const std::string& path, const std::vector<BoundPort>& ports);

}  // namespace ccsip::app
