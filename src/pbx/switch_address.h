#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ccsip::pbx {

// Where the switch is, as the monitors write it into Request-URIs and From headers.
struct SwitchAddress {
  std::string host;  // URI host: "192.0.2.10", "[2001:db8::5]"
  std::uint16_t port = 5060;
  bool tcp = false;

  // "sip:<user>@<host>:<port>" (";transport=tcp" for TCP: RFC 3263 4.1 picks the transport
  // from the URI); no user part when `user` is empty.
  std::string uri(std::string_view user) const {
    std::string out = "sip:";
    if (!user.empty()) {
      out += user;
      out += '@';
    }
    out += host;
    out += ':';
    out += std::to_string(port);
    if (tcp) out += ";transport=tcp";
    return out;
  }
  // The URI parameter a Contact of ccsip's needs so that the switch's in-dialog requests (the
  // NOTIFYs) come over the same transport, to ccsip's TCP port (RFC 3261 12.2.1.1 sends them to
  // the Contact, RFC 3263 4.1 picks its transport): ";transport=tcp" or "".
  std::string_view contactParameter() const { return tcp ? ";transport=tcp" : ""; }
};

}  // namespace ccsip::pbx
