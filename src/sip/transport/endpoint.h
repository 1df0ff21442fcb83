#pragma once

// Conversions between transport::Address and asio endpoints.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "sip/transport/transport.h"

namespace ccsip::sip::transport {

template <class Endpoint>
Address toAddress(const Endpoint& endpoint) {
  return Address{endpoint.address(), endpoint.port()};
}

inline boost::asio::ip::udp::endpoint toUdpEndpoint(const Address& address) {
  return {address.ip, address.port};
}

inline boost::asio::ip::tcp::endpoint toTcpEndpoint(const Address& address) {
  return {address.ip, address.port};
}

}  // namespace ccsip::sip::transport
