#include "cti/event_routes.h"

#include <gtest/gtest.h>

namespace ccsip::cti {
namespace {

std::vector<ClientId> recipients(const EventRoutes& routes, std::vector<std::string> dns,
                                 std::string_view agent = {}) {
  std::vector<ClientId> out;
  routes.recipients(dns, agent, out);
  return out;
}

TEST(EventRoutes, DnRegistrations) {
  EventRoutes routes;
  EXPECT_TRUE(routes.addDn(1, "1000"));
  EXPECT_FALSE(routes.addDn(1, "1000"));
  EXPECT_TRUE(routes.addDn(2, "1000"));
  EXPECT_TRUE(routes.addDn(2, "1001"));
  EXPECT_TRUE(routes.hasDn(2, "1001"));
  EXPECT_FALSE(routes.hasDn(1, "1001"));
  EXPECT_EQ(recipients(routes, {"1000"}), (std::vector<ClientId>{1, 2}));
  EXPECT_EQ(recipients(routes, {"1000", "1001"}), (std::vector<ClientId>{1, 2}));  // once each
  EXPECT_EQ(recipients(routes, {"9999"}), std::vector<ClientId>{});
  EXPECT_TRUE(routes.removeDn(1, "1000"));
  EXPECT_FALSE(routes.removeDn(1, "1000"));
  EXPECT_EQ(routes.clientsOnDn("1000"), (std::vector<ClientId>{2}));
}

TEST(EventRoutes, AgentBinding) {
  EventRoutes routes;
  routes.addDn(1, "1000");
  routes.bindAgent(3, "agent7");
  EXPECT_EQ(routes.agentOf(3), "agent7");
  EXPECT_EQ(recipients(routes, {"1000"}, "agent7"), (std::vector<ClientId>{1, 3}));
  EXPECT_EQ(recipients(routes, {}, "agent8"), std::vector<ClientId>{});
  routes.bindAgent(3, "agent8");  // replaces
  EXPECT_EQ(recipients(routes, {}, "agent7"), std::vector<ClientId>{});
  EXPECT_EQ(recipients(routes, {}, "agent8"), (std::vector<ClientId>{3}));
  routes.bindAgent(4, "agent8");
  EXPECT_EQ(routes.unbindAllOf("agent8"), 2u);
  EXPECT_EQ(routes.agentOf(3), "");
  EXPECT_EQ(routes.agentOf(4), "");
}

TEST(EventRoutes, RemoveClientForgetsEverything) {
  EventRoutes routes;
  routes.addDn(1, "1000");
  routes.addDn(1, "1001");
  routes.bindAgent(1, "a");
  routes.removeClient(1);
  EXPECT_TRUE(routes.dnsOf(1).empty());
  EXPECT_EQ(routes.agentOf(1), "");
  EXPECT_TRUE(routes.clientsOnDn("1000").empty());
  EXPECT_TRUE(routes.clientsOfAgent("a").empty());
}

}  // namespace
}  // namespace ccsip::cti
