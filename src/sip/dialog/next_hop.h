#pragma once

#include <optional>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "sip/message.h"
#include "sip/transport/transport.h"
#include "sip/uri.h"
#include "util/result.h"

namespace ccsip::sip::dialog {

// Turns a host name into an address. The dialog layer resolves IP literals itself and asks this
// hook only for names (a static table from the configuration, or a cache kept warm by an
// asynchronous resolver); the call must not block the event loop.
class HostResolver {
 public:
  virtual ~HostResolver() = default;
  virtual std::optional<boost::asio::ip::address> resolve(std::string_view host) = 0;
};

// Where to send a request built by the dialog layer: the first Route when there is one (loose
// routing, RFC 3261 8.1.2 / 16.12), else the Request-URI (also right for a strict-routing
// request, whose Request-URI already holds the next hop, RFC 3261 12.2.1.1).
// Error.code is 503 when the host cannot be resolved or the transport is not supported.
util::Result<transport::Peer> nextHop(const Message& request, HostResolver* resolver);

// The transport address a SIP URI designates: maddr over host (RFC 3261 19.1.1), port or 5060,
// transport=tcp or UDP. sips (TLS) is not supported yet.
util::Result<transport::Peer> peerForUri(const Uri& uri, HostResolver* resolver);

}  // namespace ccsip::sip::dialog
