#include "control/trusted_source.h"

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <string>
#include <string_view>

namespace ccsip::control {

std::optional<sip::transport::Address> sourceOf(const sip::Message& request) {
  const sip::Via* via = request.topVia();
  if (via == nullptr) return std::nullopt;
  // The layer added received= whenever sent-by is not the packet's source address.
  std::string_view host = via->received.empty() ? via->host : via->received;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code error;
  const auto ip = boost::asio::ip::make_address(std::string(host), error);
  if (error) return std::nullopt;
  const std::uint16_t port = via->rport.value_or(via->port != 0 ? via->port : 5060);
  return sip::transport::Address{ip, port};
}

bool isTrusted(const sip::transport::Address& source,
               const std::vector<sip::transport::Address>& trusted) {
  for (const sip::transport::Address& entry : trusted) {
    if (entry.ip == source.ip && (entry.port == 0 || entry.port == source.port)) return true;
  }
  return false;
}

bool isTrusted(const sip::transport::Address& source,
               const std::vector<config::IpNetwork>& networks) {
  for (const config::IpNetwork& network : networks) {
    if (network.contains(source.ip)) return true;
  }
  return false;
}

}  // namespace ccsip::control
