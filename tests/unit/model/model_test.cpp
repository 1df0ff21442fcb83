#include "model/model.h"

#include <gtest/gtest.h>

#include <map>

#include "model_test_support.h"

namespace ccsip::model::test {
namespace {

class Journal final : public ChangeObserver {
 public:
  void onChange(const StateChange& change) override { ++kinds[std::string(change.kind)]; }
  std::map<std::string, int> kinds;
};

TEST(ModelJournal, EveryStateChangeIsReportedOnce) {
  RecordingSink sink;
  ManualWallClock clock;
  SequenceConnIds ids;
  Journal journal;
  CallModel model(ModelOptions{&sink, &clock, &ids, &journal});
  model.apply(demoSpec());
  EXPECT_EQ(journal.kinds["dn.config"], 7);
  EXPECT_EQ(journal.kinds["agent.config"], 4);
  EXPECT_EQ(journal.kinds["group.config"], 1);

  journal.kinds.clear();
  AgentLoginRequest login;
  login.agentId = "a1000";
  login.password = "pw";
  ASSERT_TRUE(model.agentLogin(login).ok());
  EXPECT_EQ(journal.kinds,
            (std::map<std::string, int>{{"agent.dn", 1}, {"agent.state", 1}, {"agent.idle", 1}}));

  journal.kinds.clear();
  NewCall call;
  call.originDn = "5551234";
  const ConnId id = *model.callCreated(call);
  ASSERT_TRUE(model.routeRequest(id, "5000").ok());
  ASSERT_TRUE(model.routeUsed(id, "5000", "1000").ok());
  ASSERT_TRUE(model.partyEstablished(id, "1000").ok());
  ASSERT_TRUE(model.attachUserData(id, "", {{"k", 1}}).ok());
  ASSERT_TRUE(model.partyReleased(id, "1000").ok());
  ASSERT_TRUE(model.partyReleased(id, "5551234").ok());
  EXPECT_EQ(journal.kinds["call.created"], 1);
  // origin, rp, rp gone, agent, origin established, agent gone, origin gone
  EXPECT_EQ(journal.kinds["call.party"], 7);
  EXPECT_EQ(journal.kinds["call.routedFrom"], 1);
  EXPECT_EQ(journal.kinds["call.established"], 1);
  EXPECT_EQ(journal.kinds["call.userData"], 1);
  EXPECT_EQ(journal.kinds["call.erased"], 1);
  EXPECT_EQ(journal.kinds["agent.idle"], 1);  // the call on 1000 ended

  journal.kinds.clear();
  EXPECT_FALSE(model.partyRinging(id, "1000").ok());
  EXPECT_FALSE(model.agentLogin(login).ok());
  EXPECT_TRUE(journal.kinds.empty());
}

TEST_F(ModelTest, QueryServerCountsBackToZeroAfterCalls) {
  loginReady("a1000");
  loginReady("a1001");
  std::vector<ConnId> calls;
  for (int i = 0; i < 3; ++i) {
    NewCall call;
    call.originDn = "555000" + std::to_string(i);
    calls.push_back(*model_.callCreated(call));
    ASSERT_TRUE(model_.routeRequest(calls.back(), "5000").ok());
  }
  ASSERT_TRUE(model_.routeUsed(calls[0], "5000", "1000").ok());
  ASSERT_TRUE(model_.partyEstablished(calls[0], "1000").ok());
  ASSERT_TRUE(model_.routeUsed(calls[1], "5000", "1001").ok());
  ASSERT_TRUE(model_.partyRinging(calls[1], "1001").ok());

  ServerInfo info = model_.queryServer();
  EXPECT_EQ(info.calls, 3u);
  EXPECT_EQ(info.callsByType[static_cast<std::size_t>(CallType::Inbound)], 3u);
  EXPECT_EQ(info.parties, 6u);  // two per call
  EXPECT_EQ(info.partiesByState[static_cast<std::size_t>(PartyState::Established)], 2u);
  EXPECT_EQ(info.partiesByState[static_cast<std::size_t>(PartyState::Ringing)], 2u);  // 1001, rp
  EXPECT_EQ(info.partiesByState[static_cast<std::size_t>(PartyState::Dialing)], 2u);  // callers
  EXPECT_EQ(info.agentsByState[static_cast<std::size_t>(AgentState::Ready)], 2u);
  EXPECT_EQ(info.dnsByState[static_cast<std::size_t>(DeviceState::Busy)], 1u);
  EXPECT_EQ(info.dnsByState[static_cast<std::size_t>(DeviceState::Ringing)], 1u);
  const boost::json::object json = toJson(info);
  EXPECT_EQ(json.at("calls").as_uint64(), 3u);
  EXPECT_EQ(json.at("partiesByState").at("Established").as_uint64(), 2u);
  EXPECT_EQ(json.at("agentsByState").at("Ready").as_uint64(), 2u);

  ASSERT_TRUE(model_.partyReleased(calls[0], "1000").ok());
  ASSERT_TRUE(model_.partyReleased(calls[0], "5550000").ok());
  ASSERT_TRUE(model_.callAbandoned(calls[1]).ok());
  ASSERT_TRUE(model_.callAbandoned(calls[2]).ok());
  info = model_.queryServer();
  EXPECT_EQ(info.calls, 0u);
  EXPECT_EQ(info.parties, 0u);
  EXPECT_EQ(info.dnsByState[static_cast<std::size_t>(DeviceState::Idle)], info.dns);
}

TEST_F(ModelTest, QueryAddressAndQueryCall) {
  loginReady("a1000");
  NewCall call;
  call.originDn = "5551234";
  call.dialledDn = "5000";
  call.userData = {{"k", "v"}};
  const ConnId id = *model_.callCreated(call);
  ASSERT_TRUE(model_.routeRequest(id, "5000").ok());
  ASSERT_TRUE(model_.routeUsed(id, "5000", "1000").ok());
  ASSERT_TRUE(model_.partyEstablished(id, "1000").ok());

  auto address = model_.queryAddress("1000");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->type, DnType::Extension);
  EXPECT_EQ(address->deviceState, DeviceState::Busy);
  EXPECT_EQ(address->agentId, "a1000");
  EXPECT_EQ(address->agentState, AgentState::Ready);
  ASSERT_EQ(address->calls.size(), 1u);
  EXPECT_EQ(address->calls[0].connId, id);
  EXPECT_EQ(address->calls[0].otherDn, "5551234");
  const boost::json::object json = toJson(*address);
  EXPECT_EQ(json.at("thisDN").as_string(), "1000");
  EXPECT_EQ(json.at("dnType").as_string(), "extension");
  EXPECT_EQ(json.at("dnState").as_string(), "Busy");
  EXPECT_EQ(json.at("agentState").as_string(), "Ready");
  EXPECT_EQ(json.at("calls").as_array().at(0).at("partyState").as_string(), "Established");

  auto callInfo = model_.queryCall(id);
  ASSERT_TRUE(callInfo.ok());
  EXPECT_EQ(callInfo->at("connId").as_string(), id.str());
  EXPECT_EQ(callInfo->at("callType").as_string(), "Inbound");
  EXPECT_EQ(callInfo->at("routedFrom").as_string(), "5000");
  EXPECT_EQ(callInfo->at("parties").as_array().size(), 2u);
  EXPECT_EQ(callInfo->at("userData").at("k").as_string(), "v");
  EXPECT_TRUE(callInfo->contains("established"));

  EXPECT_EQ(model_.queryCall(ConnId{999}).error().code, toInt(ErrorCode::UnknownCall));
  EXPECT_EQ(model_.queryAddress("9").error().code, toInt(ErrorCode::UnknownDn));
}

}  // namespace
}  // namespace ccsip::model::test
