#include <gtest/gtest.h>

#include "model/model.h"
#include "model_test_support.h"

// What the pbx monitors tell the model (DESIGN.md "Agent availability and presence",
// "Voicemail with MWI"): presence during contact-center calls, on hold, logins for the MWI scope,
// the last MWI state of a DN.
namespace ccsip::model::test {
namespace {

namespace json = boost::json;

class Logins final : public LoginObserver {
 public:
  void onAgentLogin(const Agent& agent) override {
    log.push_back("in " + agent.agentId + " " + agent.dn);
  }
  void onAgentLogout(const Agent& agent, std::string_view dn) override {
    log.push_back("out " + agent.agentId + " " + std::string(dn) + " " +
                  std::string(toString(agent.state)));
  }
  std::vector<std::string> log;
};

using PbxFactsTest = ModelTest;

// The seed's "Contact Center Calls": Asterisk's NOTIFYs for the agent leg confirm the call
// events ccsip sent; they add no EventAgentNotReady / EventAgentReady.
TEST_F(PbxFactsTest, PresenceDuringAContactCenterCallConfirmsIt) {
  loginReady("a1000");
  NewCall call;
  call.type = CallType::Inbound;
  call.originDn = "5551234";
  call.dialledDn = "5000";
  auto id = model_.callCreated(call);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(model_.routeRequest(*id, "5000").ok());
  ASSERT_TRUE(model_.routeUsed(*id, "5000", "1000").ok());
  ASSERT_TRUE(model_.partyRinging(*id, "1000").ok());
  sink_.clear();
  ASSERT_TRUE(model_.endpointRinging("1000").ok());
  ASSERT_TRUE(model_.partyEstablished(*id, "1000").ok());
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  ASSERT_TRUE(model_.partyReleased(*id, "1000").ok());
  ASSERT_TRUE(model_.partyReleased(*id, "5551234").ok());
  // Busy until the switch says idle: not offered a call in between.
  EXPECT_FALSE(model_.isAvailable(*model_.findAgent("a1000")));
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  for (const TEvent& event : sink_.events) {
    EXPECT_NE(event.name, "EventAgentNotReady");
    EXPECT_NE(event.name, "EventAgentReady");
  }
  EXPECT_EQ(stateOf("a1000"), AgentState::Ready);
  EXPECT_TRUE(model_.isAvailable(*model_.findAgent("a1000")));
}

TEST_F(PbxFactsTest, HeldIsBusyForTheAgentAndHeldForTheDevice) {
  loginReady("a1000");
  ASSERT_TRUE(model_.endpointPresence("1000", EndpointPresence::Held).ok());
  EXPECT_EQ(sink_.names(), std::vector<std::string>{"EventAgentNotReady"});
  EXPECT_EQ(model_.deviceState(*model_.findDn("1000")), DeviceState::Held);
  EXPECT_FALSE(model_.isAvailable(*model_.findAgent("a1000")));
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(stateOf("a1000"), AgentState::Ready);
  EXPECT_EQ(toString(EndpointPresence::Held), "held");
}

TEST_F(PbxFactsTest, LoginObserverSeesLoginsAndLogouts) {
  Logins logins;
  model_.setLoginObserver(&logins);
  AgentLoginRequest request;
  request.agentId = "a1000";
  request.password = "pw";
  request.dn = "1003";
  ASSERT_TRUE(model_.agentLogin(request).ok());
  request.password = "wrong";
  request.agentId = "a1001";
  EXPECT_FALSE(model_.agentLogin(request).ok());  // failed: not reported
  ASSERT_TRUE(model_.agentLogout(AgentRequest{"a1000", {}, nullptr}).ok());
  model_.setLoginObserver(nullptr);
  EXPECT_EQ(logins.log, (std::vector<std::string>{"in a1000 1003", "out a1000 1003 LoggedOut"}));
}

TEST_F(PbxFactsTest, QueryAddressShowsTheLastMwiStateOfTheDnsMailbox) {
  const json::object mwi{{"gsipmwi",
                          {{"Mailbox", "1000"},
                           {"Messages-Waiting", "yes"},
                           {"Voice-Message", "1/0 (0/0)"},
                           {"NewMessages", 1},
                           {"OldMessages", 0}}}};
  EXPECT_FALSE(toJson(*model_.queryAddress("1000")).contains("mwi"));
  EXPECT_EQ(model_.mailboxEvent("1000", mwi), 1u);
  EXPECT_EQ(
      json::serialize(toJson(*model_.queryAddress("1000")).at("mwi")),
      R"j({"Mailbox":"1000","Messages-Waiting":"yes","Voice-Message":"1/0 (0/0)","NewMessages":1,"OldMessages":0})j");
  EXPECT_NE(model_.mailboxState("1000"), nullptr);
  EXPECT_EQ(model_.mailboxState("nobody"), nullptr);
  EXPECT_FALSE(toJson(*model_.queryAddress("1001")).contains("mwi"));
}

}  // namespace
}  // namespace ccsip::model::test
