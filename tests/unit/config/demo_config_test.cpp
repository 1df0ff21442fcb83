#include <gtest/gtest.h>

#include "config/loader.h"

// config/demo.yaml is the contact center README and the integration tests rely on.

namespace ccsip::config {
namespace {

TEST(DemoConfig, IsAWorkingContactCenter) {
  auto result = loadEmbeddedConfig();
  ASSERT_TRUE(result.ok()) << toString(result.errors);
  const Config& c = result.config;
  EXPECT_FALSE(c.pbx.has_value());  // no Asterisk needed

  // The phones register on ccsip with the passwords README gives.
  ASSERT_EQ(c.extensions.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const std::string dn = std::to_string(1000 + i);
    EXPECT_EQ(c.extensions[i].dn, dn);
    EXPECT_EQ(c.extensions[i].password, "demo" + dn);
    const DnConfig* extension = c.findDn(dn);
    ASSERT_NE(extension, nullptr) << dn;
    EXPECT_EQ(extension->type, DnType::Extension);
    EXPECT_EQ(extension->on, DnLocation::Ccsip);
  }

  const DnConfig* rp = c.findDn("8000");
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->type, DnType::RoutingPoint);
  EXPECT_EQ(rp->routingPoint.targetGroup, "sales");

  const GroupConfig* sales = c.findGroup("sales");
  ASSERT_NE(sales, nullptr);
  EXPECT_EQ(sales->members, (std::vector<std::string>{"5001", "5002", "5003", "5004"}));
  for (const auto& id : sales->members) {
    const AgentConfig* agent = c.findAgent(id);
    ASSERT_NE(agent, nullptr) << id;
    EXPECT_FALSE(agent->password.empty());
    ASSERT_NE(c.findDn(agent->defaultDn), nullptr) << id;
  }

  EXPECT_EQ(c.options.agentNoAnswerAction, NoAnswerAction::NotReady);
  EXPECT_EQ(c.options.makecallFlow, MakeCallFlow::Flow1);

  ASSERT_TRUE(c.cti.listen.has_value());
  EXPECT_EQ(c.cti.listen->address.to_string(), "127.0.0.1");
  EXPECT_EQ(c.cti.listen->port, 7000);
  EXPECT_FALSE(c.cti.applications.empty());
  ASSERT_TRUE(c.http.listen.has_value());
  EXPECT_EQ(c.http.listen->address.to_string(), "127.0.0.1");
  EXPECT_EQ(c.http.listen->port, 8080);
}

}  // namespace
}  // namespace ccsip::config
