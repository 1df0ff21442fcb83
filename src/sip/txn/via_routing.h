#pragma once

// Via handling of the transport layer rules (RFC 3261 18.2.1 / 18.2.2, RFC 3581): the
// received/rport parameters of received requests and where a response goes.

#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/transport/transport.h"

namespace ccsip::sip::txn {

// "UDP" / "TCP" as written in a Via.
std::string_view viaTransportToken(transport::TransportKind kind);
// "host:port" with IPv6 addresses in brackets (RFC 3261 25.1 IPv6reference).
std::string formatHostPort(const transport::Address& address);
// The value of a top Via for a request this element sends: sent-by, branch and rport (RFC 3581
// 3: ask the server to answer to the source port, which works through NATs).
std::string makeViaValue(transport::TransportKind kind, const transport::Address& sentBy,
                         std::string_view branch);

// RFC 3261 18.2.1: received= when the sent-by host differs from the source address; RFC 3581 4:
// with rport in the request, received= always and rport=<source port>.
void addReceivedParams(sip::Message& request, const transport::Peer& from);

// RFC 3261 18.2.2 / RFC 3581 4: where the response to a request received from `requestFrom`
// goes, from the response's top Via.
transport::Peer responseDestinationFor(const sip::Message& response,
                                       const transport::Peer& requestFrom);

}  // namespace ccsip::sip::txn
