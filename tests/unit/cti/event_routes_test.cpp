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

TEST(EventRoutes, DnsOfKeepsRegistrationOrder) {
  EventRoutes routes;
  for (const char* dn : {"1003", "1001", "1002", "1000"}) routes.addDn(1, dn);
  routes.removeDn(1, "1001");
  routes.addDn(1, "1001");  // registered again: now the last
  EXPECT_EQ(routes.dnsOf(1), (std::vector<std::string>{"1003", "1002", "1000", "1001"}));
  EXPECT_EQ(routes.dnCount(1), 4u);
  EXPECT_TRUE(routes.dnsOf(2).empty());
  EXPECT_EQ(routes.dnCount(2), 0u);
}

TEST(EventRoutes, OneClientWithFiftyThousandDns) {
  // A router or wallboard registering every DN: registering, checking, routing and dropping
  // them all must stay linear (a linear search per DN made this quadratic: minutes at 50,000).
  constexpr int kDns = 50'000;
  EventRoutes routes;
  for (int i = 0; i < kDns; ++i) ASSERT_TRUE(routes.addDn(7, std::to_string(100000 + i)));
  EXPECT_FALSE(routes.addDn(7, "100000"));
  EXPECT_EQ(routes.dnCount(7), static_cast<std::size_t>(kDns));
  for (int i = 0; i < kDns; ++i) ASSERT_TRUE(routes.hasDn(7, std::to_string(100000 + i)));
  EXPECT_FALSE(routes.hasDn(7, "99999"));
  EXPECT_EQ(recipients(routes, {"149999"}), std::vector<ClientId>{7});
  for (int i = 0; i < kDns; i += 2) ASSERT_TRUE(routes.removeDn(7, std::to_string(100000 + i)));
  EXPECT_EQ(routes.dnCount(7), static_cast<std::size_t>(kDns / 2));
  EXPECT_TRUE(routes.clientsOnDn("100000").empty());
  EXPECT_EQ(routes.clientsOnDn("100001"), std::vector<ClientId>{7});
  routes.removeClient(7);
  EXPECT_EQ(routes.dnCount(7), 0u);
  EXPECT_TRUE(routes.clientsOnDn("100001").empty());
}

TEST(EventRoutes, RecipientsAreAscendingAndUnique) {
  EventRoutes routes;
  routes.addDn(5, "1000");
  routes.addDn(2, "1000");
  routes.addDn(2, "1001");
  routes.bindAgent(5, "a");
  EXPECT_EQ(routes.clientsOnDn("1000"), (std::vector<ClientId>{5, 2}));  // registration order
  EXPECT_EQ(recipients(routes, {"1000"}), (std::vector<ClientId>{2, 5}));
  EXPECT_EQ(recipients(routes, {"1000", "1001"}, "a"), (std::vector<ClientId>{2, 5}));
  EXPECT_EQ(recipients(routes, {"1001"}), std::vector<ClientId>{2});
}

}  // namespace
}  // namespace ccsip::cti
