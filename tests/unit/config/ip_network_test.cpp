#include <gtest/gtest.h>

#include "config/config.h"

namespace ccsip::config {
namespace {

boost::asio::ip::address ip(const char* text) {
  return boost::asio::ip::make_address(text);
}

TEST(IpNetwork, ParsesBlocksAndSingleAddresses) {
  auto block = parseIpNetwork("10.1.2.3/16");
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(toString(*block), "10.1.0.0/16");  // host bits cleared
  EXPECT_EQ(toString(*parseIpNetwork("192.0.2.7")), "192.0.2.7/32");
  EXPECT_EQ(toString(*parseIpNetwork("2001:db8::1/32")), "2001:db8::/32");
  EXPECT_EQ(toString(*parseIpNetwork("::1")), "::1/128");
  EXPECT_EQ(toString(*parseIpNetwork("0.0.0.0/0")), "0.0.0.0/0");
  EXPECT_EQ(toString(*parseIpNetwork("10.255.255.255/9")), "10.128.0.0/9");
}

TEST(IpNetwork, RejectsMalformed) {
  for (const char* text : {"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/8x",
                           "10.0.0.0/-1", "host.example", "10.0.0.0/8/8", "10.0.0.0 /8"}) {
    EXPECT_FALSE(parseIpNetwork(text).has_value()) << text;
  }
}

TEST(IpNetwork, Contains) {
  const IpNetwork block = *parseIpNetwork("10.1.0.0/16");
  EXPECT_TRUE(block.contains(ip("10.1.200.3")));
  EXPECT_FALSE(block.contains(ip("10.2.0.1")));
  EXPECT_FALSE(block.contains(ip("::1")));
  // A v4 peer on a dual-stack socket.
  EXPECT_TRUE(block.contains(ip("::ffff:10.1.0.9")));
  const IpNetwork one = *parseIpNetwork("192.0.2.7");
  EXPECT_TRUE(one.contains(ip("192.0.2.7")));
  EXPECT_FALSE(one.contains(ip("192.0.2.8")));
  const IpNetwork v6 = *parseIpNetwork("2001:db8::/32");
  EXPECT_TRUE(v6.contains(ip("2001:db8:ffff::1")));
  EXPECT_FALSE(v6.contains(ip("2001:db9::1")));
  EXPECT_FALSE(v6.contains(ip("10.0.0.1")));
  EXPECT_TRUE(parseIpNetwork("0.0.0.0/0")->contains(ip("203.0.113.1")));
}

}  // namespace
}  // namespace ccsip::config
