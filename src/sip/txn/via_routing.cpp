#include "sip/txn/via_routing.h"

#include <boost/system/error_code.hpp>
#include <optional>

namespace ccsip::sip::txn {
namespace {

std::string_view stripBrackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<boost::asio::ip::address> parseIp(std::string_view host) {
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(std::string(stripBrackets(host)), ec);
  if (ec) return std::nullopt;
  return ip;
}

}  // namespace

std::string_view viaTransportToken(transport::TransportKind kind) {
  return kind == transport::TransportKind::Tcp ? "TCP" : "UDP";
}

std::string formatHostPort(const transport::Address& address) {
  std::string out;
  if (address.ip.is_v6()) {
    out = "[" + address.ip.to_string() + "]";
  } else {
    out = address.ip.to_string();
  }
  out += ':';
  out += std::to_string(address.port);
  return out;
}

std::string makeViaValue(transport::TransportKind kind, const transport::Address& sentBy,
                         std::string_view branch) {
  std::string via = "SIP/2.0/";
  via += viaTransportToken(kind);
  via += ' ';
  via += formatHostPort(sentBy);
  via += ";branch=";
  via += branch;
  via += ";rport";
  return via;
}

void addReceivedParams(sip::Message& request, const transport::Peer& from) {
  const sip::Via* via = request.topVia();
  if (via == nullptr) return;
  const std::string source = from.remote.ip.to_string();
  // RFC 3581 4: with rport, received= is added even when it equals sent-by.
  if (via->hasRport) {
    request.setTopViaReceived(source, from.remote.port);
    return;
  }
  // RFC 3261 18.2.1: received= only when sent-by differs from the packet's source. An
  // address written differently (e.g. IPv6 zero compression) compares as an address.
  bool same = equalsIgnoreCase(stripBrackets(via->host), source);
  if (!same) {
    if (auto ip = parseIp(via->host)) same = (*ip == from.remote.ip);
  }
  if (!same) request.setTopViaReceived(source, std::nullopt);
}

transport::Peer responseDestinationFor(const sip::Message& response,
                                       const transport::Peer& requestFrom) {
  transport::Peer to = requestFrom;
  // RFC 3261 18.2.2: over a reliable transport the response goes back on the connection the
  // request came on (the transport reconnects to the source if it has closed).
  if (requestFrom.kind == transport::TransportKind::Tcp) return to;
  to.connectionId = 0;
  const sip::Via* via = response.topVia();
  if (via == nullptr) return to;  // nothing better than the source
  // RFC 3261 18.2.2: received= (or sent-by) host; RFC 3581 4: rport= port, else sent-by port,
  // else the default 5060. A sent-by name we cannot resolve here falls back to the source IP
  // (we add received= whenever sent-by is not the source, so this only happens for responses
  // to requests not received through this layer).
  std::string_view host = !via->received.empty() ? via->received : via->host;
  if (auto ip = parseIp(host)) {
    to.remote.ip = *ip;
  }
  if (via->rport.has_value() && *via->rport != 0) {
    to.remote.port = *via->rport;
  } else if (via->port != 0) {
    to.remote.port = via->port;
  } else {
    to.remote.port = 5060;
  }
  return to;
}

}  // namespace ccsip::sip::txn
