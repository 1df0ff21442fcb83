// OPTIONS and malformed requests against the real ccsip, driven by SIPp.

#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

class SippOptionsTest : public ServerTest {};

SippOptions scenario(const std::string& file, const std::string& target, bool tcp) {
  SippOptions options;
  options.scenario = file;
  options.target = target;
  options.tcp = tcp;
  options.service = "1000";
  return options;
}

TEST_F(SippOptionsTest, OptionsGets200OverUdp) {
  ASSERT_TRUE(startServer());
  auto options = scenario("options.xml", ccsip_.udpTarget(), false);
  options.calls = 5;
  EXPECT_TRUE(sippPasses(options));
}

TEST_F(SippOptionsTest, OptionsGets200OverTcp) {
  ASSERT_TRUE(startServer());
  auto options = scenario("options.xml", ccsip_.tcpTarget(), true);
  options.calls = 5;
  EXPECT_TRUE(sippPasses(options));
}

TEST_F(SippOptionsTest, MalformedRequestGets400ThenOptionsGets200OverUdp) {
  ASSERT_TRUE(startServer());
  EXPECT_TRUE(sippPasses(scenario("malformed_then_options.xml", ccsip_.udpTarget(), false)));
}

TEST_F(SippOptionsTest, MalformedRequestGets400ThenOptionsGets200OverTcp) {
  ASSERT_TRUE(startServer());
  EXPECT_TRUE(sippPasses(scenario("malformed_then_options.xml", ccsip_.tcpTarget(), true)));
}

// An OPTIONS for a UDP-only server over TCP cannot connect: the config's transports apply.
TEST_F(SippOptionsTest, UdpOnlyListenerBindsNoTcp) {
  TestConfigOptions config;
  config.transports = "[udp]";
  ASSERT_TRUE(startServer(config));
  EXPECT_EQ(ccsip_.tcpPort(), 0);
  EXPECT_TRUE(sippPasses(scenario("options.xml", ccsip_.udpTarget(), false)));
}

}  // namespace
}  // namespace ccsip::itest
