#include <gtest/gtest.h>

#include <algorithm>

#include "model/model.h"
#include "model_test_support.h"

namespace ccsip::model::test {
namespace {

ModelSpec without(ModelSpec spec, const std::string& dn) {
  std::erase_if(spec.dns, [&](const DnSpec& d) { return d.dn == dn; });
  return spec;
}

ModelSpec withoutAgent(ModelSpec spec, const std::string& agentId) {
  std::erase_if(spec.agents, [&](const AgentSpec& a) { return a.agentId == agentId; });
  for (GroupSpec& group : spec.groups) std::erase(group.members, agentId);
  return spec;
}

TEST(ModelApply, InitialApplyBuildsEverythingSilently) {
  RecordingSink sink;
  ManualWallClock clock;
  SequenceConnIds ids;
  CallModel model(ModelOptions{&sink, &clock, &ids, nullptr});
  const ApplyReport report = model.apply(demoSpec());
  EXPECT_EQ(report.dnsAdded, 7u);
  EXPECT_EQ(report.agentsAdded, 4u);
  EXPECT_EQ(report.groups, 1u);
  EXPECT_TRUE(report.warnings.empty());
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(model.findDn("5000")->type, DnType::RoutingPoint);
  EXPECT_EQ(model.findDn("1000")->options.mailbox, "1000");
  EXPECT_EQ(model.findAgent("a1002")->options.defaultDn, "1002");
  EXPECT_EQ(model.findGroup("sales")->members.size(), 3u);
  const ServerInfo info = model.queryServer();
  EXPECT_EQ(info.dns, 7u);
  EXPECT_EQ(info.agents, 4u);
  EXPECT_EQ(info.agentsByState[static_cast<std::size_t>(AgentState::LoggedOut)], 4u);
}

TEST_F(ModelTest, ReloadOfTheSameSpecChangesNothing) {
  loginReady("a1000");
  const ApplyReport report = model_.apply(demoSpec());
  EXPECT_EQ(report.dnsAdded + report.dnsUpdated + report.dnsRemoved + report.dnsRemoving, 0u);
  EXPECT_EQ(report.agentsAdded + report.agentsUpdated + report.agentsRemoved, 0u);
  EXPECT_TRUE(sink_.events.empty());
  EXPECT_EQ(stateOf("a1000"), AgentState::Ready);
}

TEST_F(ModelTest, ReloadAddsAndUpdates) {
  loginReady("a1000");
  ModelSpec spec = demoSpec();
  spec.dns.push_back(dnSpec("1004", DnType::Extension));
  spec.dns[1].options.name = "Bob";
  spec.agents.push_back(agentSpec("a1004", "pw", "1004"));
  spec.agents[0].options.password = "new";
  spec.groups[0].members.push_back("a1004");
  const ApplyReport report = model_.apply(spec);
  EXPECT_EQ(report.dnsAdded, 1u);
  EXPECT_EQ(report.dnsUpdated, 1u);
  EXPECT_EQ(report.agentsAdded, 1u);
  EXPECT_EQ(report.agentsUpdated, 1u);
  EXPECT_TRUE(sink_.events.empty());
  EXPECT_EQ(model_.findDn("1001")->options.name, "Bob");
  // The logged-in agent keeps its session; the new password counts from the next login.
  EXPECT_EQ(stateOf("a1000"), AgentState::Ready);
  EXPECT_EQ(model_.findAgent("a1000")->options.password, "new");
  loginReady("a1004");
  EXPECT_EQ(model_.selectAgent("sales", {"a1000"})->agentId, "a1004");
}

TEST_F(ModelTest, RemovedIdleDnGoesOutOfServiceAtOnce) {
  loginReady("a1001");
  const ApplyReport report = model_.apply(without(demoSpec(), "1001"));
  EXPECT_EQ(report.dnsRemoved, 1u);
  EXPECT_EQ(report.dnsRemoving, 0u);
  ASSERT_EQ(sink_.names(), (std::vector<std::string>{"EventAgentLogout", "EventDNOutOfService"}));
  EXPECT_EQ(field(sink_.events[0], "reasons"), R"({"reason":"dn-removed"})");
  EXPECT_EQ(field(sink_.events[1], "thisDN"), "1001");
  EXPECT_EQ(field(sink_.events[1], "reason"), "removed");
  EXPECT_EQ(model_.findDn("1001"), nullptr);
  EXPECT_EQ(stateOf("a1001"), AgentState::LoggedOut);
  EXPECT_FALSE(model_.queryAddress("1001").ok());
}

TEST_F(ModelTest, RemovedDnWithACallKeepsItUntilItEnds) {
  loginReady("a1001");
  NewCall call;
  call.originDn = "5551234";
  const ConnId id = *model_.callCreated(call);
  ASSERT_TRUE(model_.partyEstablished(id, "1001").ok());
  sink_.clear();

  const ApplyReport report = model_.apply(without(demoSpec(), "1001"));
  EXPECT_EQ(report.dnsRemoving, 1u);
  EXPECT_TRUE(sink_.events.empty());  // nothing dropped
  EXPECT_EQ(model_.queryServer().dnsRemoving, 1u);
  ASSERT_TRUE(model_.partyHeld(id, "1001").ok());  // the call goes on
  ASSERT_TRUE(model_.partyRetrieved(id, "1001").ok());
  AgentLoginRequest login;
  login.agentId = "a1002";
  login.password = "pw";
  login.dn = "1001";
  EXPECT_FALSE(model_.agentLogin(login).ok());  // but nothing new starts there
  sink_.clear();

  ASSERT_TRUE(model_.partyReleased(id, "1001").ok());
  EXPECT_EQ(sink_.names(),
            (std::vector<std::string>{"EventReleased", "EventAgentLogout", "EventDNOutOfService"}));
  EXPECT_EQ(model_.findDn("1001"), nullptr);
  ASSERT_TRUE(model_.partyReleased(id, "5551234").ok());
  EXPECT_EQ(model_.queryServer().calls, 0u);
}

TEST_F(ModelTest, DnRestoredBeforeItWentIdleStays) {
  NewCall call;
  call.originDn = "1001";
  const ConnId id = *model_.callCreated(call);
  model_.apply(without(demoSpec(), "1001"));
  const ApplyReport report = model_.apply(demoSpec());
  EXPECT_EQ(report.dnsUpdated, 1u);
  ASSERT_TRUE(model_.partyReleased(id, "1001").ok());
  EXPECT_NE(model_.findDn("1001"), nullptr);
  EXPECT_EQ(sink_.names(), (std::vector<std::string>{"EventDialing", "EventReleased"}));
}

TEST_F(ModelTest, RemovedAgents) {
  loginReady("a1001");
  loginReady("a1002");
  NewCall call;
  call.originDn = "1002";
  const ConnId id = *model_.callCreated(call);
  sink_.clear();

  ModelSpec spec = withoutAgent(withoutAgent(withoutAgent(demoSpec(), "a1000"), "a1001"), "a1002");
  const ApplyReport report = model_.apply(spec);
  EXPECT_EQ(report.agentsRemoved, 2u);   // a1000 (logged out), a1001 (idle: logged out now)
  EXPECT_EQ(report.agentsRemoving, 1u);  // a1002 (on a call)
  EXPECT_EQ(model_.findAgent("a1000"), nullptr);
  EXPECT_EQ(model_.findAgent("a1001"), nullptr);
  ASSERT_EQ(sink_.names(), std::vector<std::string>{"EventAgentLogout"});
  EXPECT_EQ(field(sink_.events[0], "agentId"), "a1001");
  EXPECT_EQ(field(sink_.events[0], "reasons"), R"({"reason":"agent-removed"})");
  EXPECT_TRUE(model_.findDn("1001")->agentId.empty());
  EXPECT_EQ(model_.selectAgent("sales"), nullptr);

  ASSERT_TRUE(model_.partyReleased(id, "1002").ok());
  EXPECT_EQ(model_.findAgent("a1002"), nullptr);
  EXPECT_EQ(sink_.names().back(), "EventAgentLogout");
  EXPECT_NE(model_.findDn("1002"), nullptr);  // the DN itself stays
}

TEST_F(ModelTest, ReloadWarnsAboutWhatItCannotUse) {
  ModelSpec spec = demoSpec();
  spec.groups[0].members.push_back("ghost");
  spec.agents[0].options.defaultDn = "7777";
  spec.dns.push_back(dnSpec("", DnType::Extension));
  const ApplyReport report = model_.apply(spec);
  EXPECT_EQ(report.warnings.size(), 3u);
  EXPECT_NE(model_.findGroup("sales"), nullptr);
}

TEST_F(ModelTest, GroupsAreReplacedOnReload) {
  loginReady("a1000");
  loginReady("a1003");
  ModelSpec spec = demoSpec();
  spec.groups = {GroupSpec{"support", {"a1003"}, ""}};
  model_.apply(spec);
  EXPECT_EQ(model_.findGroup("sales"), nullptr);
  EXPECT_EQ(model_.selectAgent("support")->agentId, "a1003");
}

}  // namespace
}  // namespace ccsip::model::test
