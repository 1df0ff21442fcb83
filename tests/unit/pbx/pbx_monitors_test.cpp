#include "pbx/pbx_monitors.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <boost/asio/ip/address.hpp>

#include "model/spec_from_config.h"
#include "pbx_test_support.h"

namespace ccsip::pbx::test {
namespace {

config::Config pbxConfig() {
  config::Config config;
  config::SwitchConfig pbx;
  pbx.address = boost::asio::ip::make_address("127.0.0.1");
  pbx.port = kAsteriskPort;
  pbx.mwi.extensionEnable = true;
  config.pbx = pbx;
  config::DnConfig dn;
  dn.dn = "1000";
  dn.mailbox = "1000";
  config.dns.push_back(dn);
  dn.dn = "1001";
  dn.mailbox = "";
  dn.on = config::DnLocation::Ccsip;  // registers on ccsip: no presence subscription
  config.dns.push_back(dn);
  dn.dn = "5000";
  dn.type = config::DnType::RoutingPoint;
  config.dns.push_back(dn);
  config::AgentConfig agent;
  agent.id = "a1";
  agent.password = "pw";
  agent.defaultDn = "1000";
  agent.mailbox = "a1";
  config.agents.push_back(agent);
  return config;
}

class PbxMonitorsTest : public PbxTest {
 protected:
  PbxMonitorsTest() : config(pbxConfig()) {
    model.apply(model::specFromConfig(config));
    monitors = std::make_unique<PbxMonitors>(PbxServices{&ccsip.core, &clock, &model}, config,
                                             "127.0.0.1:5060");
  }

  config::Config config;
  std::unique_ptr<PbxMonitors> monitors;
};

TEST_F(PbxMonitorsTest, EndpointsOnTheSwitchOnly) {
  EXPECT_EQ(monitoredEndpoints(config), std::vector<std::string>{"1000"});
  config.pbx->presence.enable = false;
  EXPECT_TRUE(monitoredEndpoints(config).empty());
}

TEST_F(PbxMonitorsTest, StartsPresenceMwiAndKeepaliveAndFollowsLogins) {
  monitors->start();
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes("1000").size(), 1u);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-1000").size(), 1u);
  EXPECT_EQ(asterisk.unanswered(Method::Options).size(), 1u);
  EXPECT_TRUE(asterisk.initialSubscribes("1001").empty());
  loginReady("a1");  // the model tells the MWI monitor
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-a1").size(), 1u);
}

TEST_F(PbxMonitorsTest, ShutdownUnsubscribesAndWaitsForTheFinalNotifies) {
  monitors->start();
  run(100ms);
  asterisk.answerAll(200);
  const auto initial = asterisk.initialSubscribes();
  ASSERT_EQ(initial.size(), 2u);
  bool done = false;
  monitors->shutdown(2000ms, [&] { done = true; });
  wire.pump();
  auto pending = asterisk.unanswered();
  ASSERT_EQ(pending.size(), 2u);
  for (const Message& m : pending) EXPECT_EQ(m.expires(), 0u);
  asterisk.answerAll(200);
  for (const Message& m : initial) {
    asterisk.notify(m, "terminated;reason=timeout", std::string(m.headerValue(HeaderId::Event)), "",
                    "");
  }
  run(100ms, 20ms);
  EXPECT_TRUE(done);
}

TEST_F(PbxMonitorsTest, ShutdownGivesUpAfterTheLimit) {
  monitors->start();
  run(100ms);
  asterisk.answerAll(200);
  bool done = false;
  monitors->shutdown(2000ms, [&] { done = true; });
  run(1900ms, 100ms);
  EXPECT_FALSE(done);  // the switch does not answer the unsubscribes
  run(200ms, 100ms);
  EXPECT_TRUE(done);
}

TEST_F(PbxMonitorsTest, ReloadSubscribesNewEndpointsAndBoxesAndEndsRemovedOnes) {
  monitors->start();
  run(100ms);
  loginReady("a1");
  run(100ms);
  asterisk.answerAll(200);
  ASSERT_EQ(asterisk.initialSubscribes().size(), 3u);  // 1000, gvm-1000, gvm-a1

  // The new file: extension 1000 is gone, 1002 (box 1002) comes, agent a1's box becomes a1b.
  config::Config next = pbxConfig();
  next.dns.erase(next.dns.begin());
  config::DnConfig added;
  added.dn = "1002";
  added.mailbox = "1002";
  next.dns.push_back(added);
  next.agents[0].defaultDn = "1002";
  next.agents[0].mailbox = "a1b";
  monitors->reload(next);
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes("1002").size(), 1u);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-1002").size(), 1u);
  EXPECT_EQ(asterisk.initialSubscribes("gvm-a1b").size(), 1u);
  // 1000, gvm-1000 and gvm-a1 are unsubscribed (Expires: 0), nothing else.
  std::vector<std::string> ended;
  for (const Message& m : asterisk.unanswered()) {
    if (m.expires() == 0u) ended.emplace_back(m.to().uri.user);  // in-dialog: To names it
  }
  std::sort(ended.begin(), ended.end());
  EXPECT_EQ(ended, (std::vector<std::string>{"1000", "gvm-1000", "gvm-a1"}));

  // The same file again changes nothing on the wire.
  asterisk.answerAll(200);
  const std::size_t before = asterisk.initialSubscribes().size();
  monitors->reload(next);
  run(100ms);
  EXPECT_EQ(asterisk.initialSubscribes().size(), before);
  EXPECT_TRUE(asterisk.unanswered().empty());
}

}  // namespace
}  // namespace ccsip::pbx::test
