#include <gtest/gtest.h>

#include "model/model.h"
#include "model_test_support.h"

namespace ccsip::model::test {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

AgentLoginRequest login(std::string agentId, std::string password = "pw", std::string dn = {}) {
  AgentLoginRequest request;
  request.agentId = std::move(agentId);
  request.password = std::move(password);
  request.dn = std::move(dn);
  return request;
}

AgentRequest byAgent(std::string agentId, json::value ref = nullptr) {
  return AgentRequest{std::move(agentId), {}, std::move(ref)};
}

class AgentStateTest : public ModelTest {
 protected:
  void expectError(const Status& status, ErrorCode code) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, toInt(code)) << status.error().message;
    EXPECT_TRUE(sink_.events.empty()) << "an error must not emit " << sink_.events[0].name;
  }
};

TEST_F(AgentStateTest, LoginOnDefaultDnIsNotReadyWithReference) {
  AgentLoginRequest request = login("a1000");
  request.referenceId = 7;
  ASSERT_TRUE(model_.agentLogin(request).ok());
  ASSERT_EQ(sink_.names(), std::vector<std::string>{"EventAgentLogin"});
  const TEvent& event = sink_.events[0];
  EXPECT_EQ(field(event, "thisDN"), "1000");
  EXPECT_EQ(field(event, "agentId"), "a1000");
  EXPECT_EQ(field(event, "agentState"), "NotReady");
  EXPECT_EQ(field(event, "referenceId"), "7");
  EXPECT_EQ(field(event, "time"), std::to_string(toEpochMillis(clock_.now())));
  EXPECT_EQ(event.dns, std::vector<std::string>{"1000"});
  EXPECT_EQ(event.agentId, "a1000");
  EXPECT_EQ(stateOf("a1000"), AgentState::NotReady);
  EXPECT_EQ(model_.findDn("1000")->agentId, "a1000");
}

TEST_F(AgentStateTest, LoginReadyOnAnotherDn) {
  AgentLoginRequest request = login("a1000", "pw", "1003");
  request.initialState = AgentState::Ready;
  ASSERT_TRUE(model_.agentLogin(request).ok());
  EXPECT_EQ(field(sink_.events.at(0), "agentState"), "Ready");
  EXPECT_EQ(field(sink_.events.at(0), "thisDN"), "1003");
  EXPECT_EQ(model_.findAgent("a1000")->dn, "1003");
}

TEST_F(AgentStateTest, LoginErrors) {
  expectError(model_.agentLogin(login("nobody")), ErrorCode::UnknownAgent);
  expectError(model_.agentLogin(login("a1000", "wrong")), ErrorCode::WrongPassword);
  expectError(model_.agentLogin(login("a1000", "")), ErrorCode::WrongPassword);
  expectError(model_.agentLogin(login("a1000", "pw", "9999")), ErrorCode::UnknownDn);
  expectError(model_.agentLogin(login("a1000", "pw", "5000")), ErrorCode::WrongDnType);
  AgentLoginRequest acw = login("a1000");
  acw.initialState = AgentState::AfterCallWork;
  expectError(model_.agentLogin(acw), ErrorCode::BadFieldValue);

  loginReady("a1000");
  expectError(model_.agentLogin(login("a1001", "pw", "1000")), ErrorCode::DnHasAgent);
  expectError(model_.agentLogin(login("a1000", "pw", "1001")), ErrorCode::AgentLoggedInElsewhere);
  expectError(model_.agentLogin(login("a1000")), ErrorCode::InvalidAgentState);
  EXPECT_EQ(model_.findAgent("a1001")->state, AgentState::LoggedOut);
}

TEST_F(AgentStateTest, LegalTransitionsEachReportTheirEvent) {
  loginReady("a1000");
  const json::object breakReason{{"reason", "Break"}};
  ASSERT_TRUE(model_.agentSetNotReady(byAgent("a1000", "r1"), breakReason).ok());
  ASSERT_TRUE(model_.agentSetAfterCallWork(byAgent("a1000", "r2")).ok());
  ASSERT_TRUE(model_.agentSetReady(byAgent("a1000", "r3")).ok());
  ASSERT_TRUE(model_.agentSetReady(byAgent("a1000", "r4")).ok());  // again: reported again
  ASSERT_TRUE(model_.agentLogout(byAgent("a1000", "r5")).ok());
  EXPECT_EQ(sink_.names(),
            (std::vector<std::string>{"EventAgentNotReady", "EventAgentAfterCallWork",
                                      "EventAgentReady", "EventAgentReady", "EventAgentLogout"}));
  EXPECT_EQ(field(sink_.events[0], "reasons"), R"({"reason":"Break"})");
  EXPECT_EQ(field(sink_.events[0], "agentState"), "NotReady");
  EXPECT_EQ(field(sink_.events[0], "referenceId"), "r1");
  EXPECT_EQ(field(sink_.events[1], "agentState"), "AfterCallWork");
  EXPECT_EQ(field(sink_.events[2], "reasons"), "<absent>");
  EXPECT_EQ(field(sink_.events[4], "agentState"), "LoggedOut");
  EXPECT_EQ(field(sink_.events[4], "thisDN"), "1000");
  EXPECT_EQ(sink_.events[4].dns, std::vector<std::string>{"1000"});
  EXPECT_EQ(stateOf("a1000"), AgentState::LoggedOut);
  EXPECT_TRUE(model_.findDn("1000")->agentId.empty());
  EXPECT_TRUE(model_.findAgent("a1000")->dn.empty());
}

TEST_F(AgentStateTest, RequestsOnALoggedOutAgentAreInvalidState) {
  expectError(model_.agentSetReady(byAgent("a1000")), ErrorCode::InvalidAgentState);
  expectError(model_.agentSetNotReady(byAgent("a1000"), {}), ErrorCode::InvalidAgentState);
  expectError(model_.agentSetAfterCallWork(byAgent("a1000")), ErrorCode::InvalidAgentState);
  expectError(model_.agentLogout(byAgent("a1000")), ErrorCode::InvalidAgentState);
  expectError(model_.agentSetReady(byAgent("nobody")), ErrorCode::UnknownAgent);
}

TEST_F(AgentStateTest, RequestsByDnAndMismatches) {
  loginReady("a1000");
  ASSERT_TRUE(model_.agentSetNotReady(AgentRequest{"", "1000", nullptr}, {}).ok());
  EXPECT_EQ(field(sink_.events.at(0), "agentId"), "a1000");
  sink_.clear();
  expectError(model_.agentSetReady(AgentRequest{"", "1001", nullptr}), ErrorCode::AgentNotLoggedIn);
  expectError(model_.agentSetReady(AgentRequest{"", "9999", nullptr}), ErrorCode::UnknownDn);
  expectError(model_.agentSetReady(AgentRequest{"a1000", "1001", nullptr}),
              ErrorCode::AgentNotOnDn);
  expectError(model_.agentSetReady(AgentRequest{"", "", nullptr}), ErrorCode::MissingField);
}

// --- presence (DESIGN.md "Agent availability and presence") ---

TEST_F(AgentStateTest, EndpointBusyMakesAReadyAgentNotReadyAndIdleUndoesIt) {
  loginReady("a1000");
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  ASSERT_EQ(sink_.names(), std::vector<std::string>{"EventAgentNotReady"});
  EXPECT_EQ(field(sink_.events[0], "reasons"), R"({"reason":"endpoint-busy"})");
  EXPECT_EQ(field(sink_.events[0], "referenceId"), "<absent>");
  EXPECT_TRUE(model_.findAgent("a1000")->notReadyByEndpoint);
  ASSERT_TRUE(model_.endpointBusy("1000").ok());  // repeated NOTIFY: nothing new
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(sink_.names(), (std::vector<std::string>{"EventAgentNotReady", "EventAgentReady"}));
  EXPECT_EQ(stateOf("a1000"), AgentState::Ready);
}

TEST_F(AgentStateTest, RingingCountsAsBusy) {
  loginReady("a1000");
  ASSERT_TRUE(model_.endpointRinging("1000").ok());
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(sink_.names(), (std::vector<std::string>{"EventAgentNotReady", "EventAgentReady"}));
}

TEST_F(AgentStateTest, PresenceNeverUndoesANotReadyTheAgentChose) {
  loginReady("a1000");
  ASSERT_TRUE(model_.agentSetNotReady(byAgent("a1000"), {{"reason", "Lunch"}}).ok());
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(sink_.names(), std::vector<std::string>{"EventAgentNotReady"});
  EXPECT_EQ(stateOf("a1000"), AgentState::NotReady);
  EXPECT_EQ(json::serialize(model_.findAgent("a1000")->reasons), R"({"reason":"Lunch"})");
}

TEST_F(AgentStateTest, AgentChoiceDuringAnEndpointNotReadyIsKept) {
  loginReady("a1000");
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  // The agent picks NotReady (or after-call work) while presence holds it NotReady...
  ASSERT_TRUE(model_.agentSetNotReady(byAgent("a1000"), {{"reason", "Break"}}).ok());
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(stateOf("a1000"), AgentState::NotReady);  // ...so idle does not make it Ready
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  ASSERT_TRUE(model_.agentSetAfterCallWork(byAgent("a1000")).ok());
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(stateOf("a1000"), AgentState::AfterCallWork);
  EXPECT_EQ(sink_.names(), (std::vector<std::string>{"EventAgentNotReady", "EventAgentNotReady",
                                                     "EventAgentAfterCallWork"}));
}

TEST_F(AgentStateTest, ReadyWhileTheEndpointIsBusyWaitsForIdle) {
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  AgentLoginRequest request = login("a1000");
  request.initialState = AgentState::Ready;
  ASSERT_TRUE(model_.agentLogin(request).ok());
  EXPECT_EQ(field(sink_.events.at(0), "agentState"), "NotReady");
  EXPECT_EQ(field(sink_.events.at(0), "reasons"), R"({"reason":"endpoint-busy"})");
  ASSERT_TRUE(model_.agentSetReady(byAgent("a1000", 3)).ok());
  EXPECT_EQ(sink_.events.at(1).name, "EventAgentNotReady");
  EXPECT_EQ(field(sink_.events.at(1), "referenceId"), "3");
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(sink_.events.at(2).name, "EventAgentReady");
  EXPECT_EQ(stateOf("a1000"), AgentState::Ready);
}

TEST_F(AgentStateTest, PresenceOnADnWithoutAgentGivesNoAgentEvents) {
  ASSERT_TRUE(model_.endpointBusy("1001").ok());
  ASSERT_TRUE(model_.endpointIdle("1001").ok());
  EXPECT_TRUE(sink_.events.empty());
  const Status unknown = model_.endpointBusy("9999");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, toInt(ErrorCode::UnknownDn));
}

TEST_F(AgentStateTest, OfflineIsOutOfServiceUntilBack) {
  loginReady("a1000");
  ASSERT_TRUE(model_.endpointOffline("1000").ok());
  ASSERT_TRUE(model_.endpointOffline("1000").ok());
  ASSERT_EQ(sink_.names(), std::vector<std::string>{"EventDNOutOfService"});
  EXPECT_EQ(field(sink_.events[0], "thisDN"), "1000");
  EXPECT_EQ(sink_.events[0].dns, std::vector<std::string>{"1000"});
  EXPECT_EQ(model_.deviceState(*model_.findDn("1000")), DeviceState::OutOfService);
  EXPECT_FALSE(model_.isAvailable(*model_.findAgent("a1000")));
  EXPECT_EQ(stateOf("a1000"), AgentState::Ready);  // the agent's own state is its choice

  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(sink_.names(),
            (std::vector<std::string>{"EventDNOutOfService", "EventDNBackInService"}));
  EXPECT_EQ(model_.deviceState(*model_.findDn("1000")), DeviceState::Idle);
  EXPECT_TRUE(model_.isAvailable(*model_.findAgent("a1000")));
}

TEST_F(AgentStateTest, BackInServiceBusyThenIdleRestoresAnEndpointNotReady) {
  loginReady("a1000");
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  ASSERT_TRUE(model_.endpointOffline("1000").ok());
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(sink_.names(), (std::vector<std::string>{"EventAgentNotReady", "EventDNOutOfService",
                                                     "EventDNBackInService", "EventAgentReady"}));
}

// --- selection ---

class SelectionTest : public ModelTest {
 protected:
  std::string selected(const std::vector<std::string>& exclude = {}) {
    const Agent* agent = model_.selectAgent("sales", exclude);
    return agent == nullptr ? "<none>" : agent->agentId;
  }
};

TEST_F(SelectionTest, LongestIdleWins) {
  loginReady("a1002");
  clock_.advance(1s);
  loginReady("a1000");
  clock_.advance(1s);
  loginReady("a1001");
  EXPECT_EQ(selected(), "a1002");
  EXPECT_EQ(selected({"a1002"}), "a1000");
  EXPECT_EQ(selected({"a1002", "a1000"}), "a1001");
  EXPECT_EQ(selected({"a1002", "a1000", "a1001"}), "<none>");
}

TEST_F(SelectionTest, TiesGoToTheMemberListedFirst) {
  loginReady("a1002");
  loginReady("a1001");  // same instant
  EXPECT_EQ(selected(), "a1001");
}

TEST_F(SelectionTest, ReadyAgainRestartsTheIdleTime) {
  loginReady("a1000");
  clock_.advance(1s);
  loginReady("a1001");
  clock_.advance(1s);
  ASSERT_TRUE(model_.agentSetNotReady(byAgent("a1000"), {}).ok());
  ASSERT_TRUE(model_.agentSetReady(byAgent("a1000")).ok());
  EXPECT_EQ(selected(), "a1001");
}

TEST_F(SelectionTest, UnavailableAgentsAreExcluded) {
  for (const char* id : {"a1000", "a1001", "a1002"}) loginReady(id);
  EXPECT_EQ(selected(), "a1000");
  ASSERT_TRUE(model_.agentSetNotReady(byAgent("a1000"), {}).ok());  // NotReady
  EXPECT_EQ(selected(), "a1001");
  ASSERT_TRUE(model_.endpointOffline("1001").ok());  // out of service, still Ready
  EXPECT_EQ(selected(), "a1002");
  ASSERT_TRUE(model_.endpointBusy("1002").ok());  // private call: presence busy
  EXPECT_EQ(selected(), "<none>");
  ASSERT_TRUE(model_.endpointIdle("1002").ok());
  EXPECT_EQ(selected(), "a1002");
  ASSERT_TRUE(model_.agentSetAfterCallWork(byAgent("a1002")).ok());
  EXPECT_EQ(selected(), "<none>");
  ASSERT_TRUE(model_.agentLogout(byAgent("a1002")).ok());
  EXPECT_EQ(selected(), "<none>");
  EXPECT_EQ(model_.selectAgent("no-such-group"), nullptr);
}

TEST_F(SelectionTest, ACallOnTheDnExcludesAndItsEndRestartsIdleTime) {
  loginReady("a1000");
  clock_.advance(1s);
  loginReady("a1001");
  clock_.advance(1s);
  // A call ccsip carries to 1000 (no presence monitoring: the phone registered on ccsip).
  NewCall call;
  call.originDn = "5551234";
  auto id = model_.callCreated(call);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(model_.partyRinging(*id, "1000").ok());
  EXPECT_EQ(model_.deviceState(*model_.findDn("1000")), DeviceState::Ringing);
  EXPECT_EQ(selected(), "a1001");
  ASSERT_TRUE(model_.partyEstablished(*id, "1000").ok());
  EXPECT_EQ(model_.deviceState(*model_.findDn("1000")), DeviceState::Busy);
  clock_.advance(1s);
  ASSERT_TRUE(model_.partyReleased(*id, "1000").ok());
  ASSERT_TRUE(model_.partyReleased(*id, "5551234").ok());
  EXPECT_EQ(stateOf("a1000"), AgentState::Ready);
  EXPECT_EQ(selected(), "a1001");  // a1000's idle time starts at its call's end
}

}  // namespace
}  // namespace ccsip::model::test
