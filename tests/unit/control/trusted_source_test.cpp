#include "control/trusted_source.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <string>
#include <vector>

#include "sip/parser.h"

namespace ccsip::control {
namespace {

sip::transport::Address address(std::uint16_t port) {
  return sip::transport::Address{boost::asio::ip::make_address("127.0.0.1"), port};
}

TEST(TrustedSourceTest, SourceComesFromReceivedAndRport) {
  auto parse = [](const std::string& via) {
    return sip::parseMessage("INVITE sip:5000@127.0.0.1 SIP/2.0\r\nVia: " + via +
                             "\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:5000@c>\r\n"
                             "Call-ID: x\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                             "Content-Length: 0\r\n\r\n")
        .message;
  };
  const auto a =
      sourceOf(parse("SIP/2.0/UDP host.example;received=192.0.2.1;rport=5070;branch=z9hG4bK1"));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->ip.to_string(), "192.0.2.1");
  EXPECT_EQ(a->port, 5070);
  const auto b = sourceOf(parse("SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK1"));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->port, 5060);
  EXPECT_FALSE(sourceOf(parse("SIP/2.0/UDP host.example;branch=z9hG4bK1")).has_value());

  const std::vector<sip::transport::Address> trusted = {address(5070)};
  std::vector<sip::transport::Address> anyPort = {address(0)};
  EXPECT_TRUE(isTrusted(address(5070), trusted));
  EXPECT_FALSE(isTrusted(address(5071), trusted));
  EXPECT_TRUE(isTrusted(address(5071), anyPort));
  EXPECT_FALSE(isTrusted(address(5070), std::vector<sip::transport::Address>{}));
}

TEST(TrustedSourceTest, AddressBlocksTrustEveryAddressInsideOnAnyPort) {
  const std::vector<config::IpNetwork> networks = {*config::parseIpNetwork("10.1.2.0/24"),
                                                   *config::parseIpNetwork("2001:db8::/32")};
  auto at = [](const char* ip, std::uint16_t port) {
    return sip::transport::Address{boost::asio::ip::make_address(ip), port};
  };
  EXPECT_TRUE(isTrusted(at("10.1.2.0", 5060), networks));
  EXPECT_TRUE(isTrusted(at("10.1.2.255", 5999), networks));
  EXPECT_FALSE(isTrusted(at("10.1.3.1", 5060), networks));
  EXPECT_TRUE(isTrusted(at("2001:db8:ffff::1", 5060), networks));
  EXPECT_FALSE(isTrusted(at("2001:db9::1", 5060), networks));
  // A v4 peer on a dual-stack socket arrives v4-mapped: still inside its v4 block.
  EXPECT_TRUE(isTrusted(at("::ffff:10.1.2.7", 5060), networks));
  EXPECT_FALSE(isTrusted(at("10.1.2.7", 5060), std::vector<config::IpNetwork>{}));
}

}  // namespace
}  // namespace ccsip::control
