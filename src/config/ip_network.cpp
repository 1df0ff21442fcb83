#include <charconv>

#include "config/config.h"

namespace ccsip::config {

namespace {

using IpAddress = boost::asio::ip::address;

// The address with every bit after the first `prefix` cleared.
IpAddress masked(const IpAddress& ip, unsigned prefix) {
  if (ip.is_v4()) {
    auto bytes = ip.to_v4().to_bytes();
    for (unsigned i = 0; i < bytes.size(); ++i) {
      const unsigned keep = prefix > i * 8 ? std::min(8u, prefix - i * 8) : 0u;
      bytes[i] &= static_cast<unsigned char>(keep == 0 ? 0 : 0xff << (8 - keep));
    }
    return boost::asio::ip::address_v4(bytes);
  }
  auto bytes = ip.to_v6().to_bytes();
  for (unsigned i = 0; i < bytes.size(); ++i) {
    const unsigned keep = prefix > i * 8 ? std::min(8u, prefix - i * 8) : 0u;
    bytes[i] &= static_cast<unsigned char>(keep == 0 ? 0 : 0xff << (8 - keep));
  }
  return boost::asio::ip::address_v6(bytes);
}

unsigned fullLength(const IpAddress& ip) {
  return ip.is_v4() ? 32 : 128;
}

}  // namespace

bool IpNetwork::contains(const IpAddress& candidate) const {
  IpAddress ip = candidate;
  // A v4 peer seen on a dual-stack socket arrives as ::ffff:a.b.c.d.
  if (ip.is_v6() && ip.to_v6().is_v4_mapped() && address.is_v4()) {
    ip = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6());
  }
  if (ip.is_v4() != address.is_v4()) return false;
  return masked(ip, prefixLength) == address;
}

std::optional<IpNetwork> parseIpNetwork(std::string_view text) {
  const auto slash = text.find('/');
  boost::system::error_code ec;
  const IpAddress ip = boost::asio::ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) return std::nullopt;
  unsigned prefix = fullLength(ip);
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    unsigned value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        value > prefix) {
      return std::nullopt;
    }
    prefix = value;
  }
  return IpNetwork{masked(ip, prefix), prefix};
}

std::string toString(const IpNetwork& network) {
  return network.address.to_string() + "/" + std::to_string(network.prefixLength);
}

}  // namespace ccsip::config
