#include "sip/dialog/next_hop.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace ccsip::sip::dialog {
namespace {

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<boost::asio::ip::address> ipLiteral(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  return address;
}

}  // namespace

util::Result<transport::Peer> peerForUri(const Uri& uri, HostResolver* resolver) {
  if (uri.scheme == UriScheme::Sips) {
    return util::makeError(503, "sips (TLS) is not supported");
  }
  if (uri.scheme != UriScheme::Sip) {
    return util::makeError(503, "not a SIP URI");
  }
  transport::Peer peer;
  const std::string_view transportParam = uri.transportParam();
  if (transportParam.empty() || equalsNoCase(transportParam, "udp")) {
    peer.kind = transport::TransportKind::Udp;
  } else if (equalsNoCase(transportParam, "tcp")) {
    peer.kind = transport::TransportKind::Tcp;
  } else {
    return util::makeError(503, "unsupported transport " + std::string(transportParam));
  }
  // RFC 3261 19.1.1: maddr overrides the host as the address to contact.
  std::string_view host = uri.host;
  if (auto maddr = uri.param("maddr"); maddr && !maddr->empty()) host = *maddr;
  if (host.empty()) return util::makeError(503, "URI without host");

  auto address = ipLiteral(host);
  if (!address && resolver != nullptr) address = resolver->resolve(host);
  if (!address) return util::makeError(503, "cannot resolve " + std::string(host));
  peer.remote.ip = *address;
  peer.remote.port = uri.port != 0 ? uri.port : 5060;
  return peer;
}

util::Result<transport::Peer> nextHop(const Message& request, HostResolver* resolver) {
  if (const HeaderField* route = request.findHeader(HeaderId::Route)) {
    // Only the first value of the first Route line matters.
    const auto values = splitList(route->value);
    if (!values.empty()) {
      auto first = parseNameAddr(values.front());
      if (!first) return util::makeError(503, "bad Route: " + first.error().message);
      return peerForUri(first->uri, resolver);
    }
  }
  return peerForUri(request.requestUri(), resolver);
}

}  // namespace ccsip::sip::dialog
