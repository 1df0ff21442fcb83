#include <gtest/gtest.h>

#include <algorithm>

#include "model/model.h"
#include "model_test_support.h"

namespace ccsip::model::test {
namespace {

namespace json = boost::json;

class UserDataTest : public ModelTest {
 protected:
  UserDataTest() {
    NewCall call;
    call.type = CallType::Internal;
    call.originDn = "1000";
    call.dialledDn = "1001";
    call.userData = {{"account", "42"}};
    id_ = *model_.callCreated(call);
    EXPECT_TRUE(model_.partyEstablished(id_, "1001").ok());
    sink_.clear();
  }

  std::string userData() const { return json::serialize(model_.findCall(id_)->userData); }

  ConnId id_;
};

TEST_F(UserDataTest, AttachMergesAndTellsEveryParty) {
  ASSERT_TRUE(model_.attachUserData(id_, "1000", {{"lang", "fr"}, {"account", "43"}}, 5).ok());
  EXPECT_EQ(userData(), R"({"account":"43","lang":"fr"})");
  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventAttachedDataChanged", "EventAttachedDataChanged"}));
  EXPECT_EQ(field(sink_.events[0], "thisDN"), "1000");
  EXPECT_EQ(field(sink_.events[1], "thisDN"), "1001");
  for (const TEvent& event : sink_.events) {
    EXPECT_EQ(field(event, "userData"), R"({"account":"43","lang":"fr"})");
    EXPECT_EQ(field(event, "referenceId"), "5");
    EXPECT_EQ(field(event, "connId"), id_.str());
  }
}

TEST_F(UserDataTest, UpdateMergesToo) {
  ASSERT_TRUE(model_.updateUserData(id_, "", {{"account", "44"}}).ok());
  EXPECT_EQ(userData(), R"({"account":"44"})");
  EXPECT_EQ(sink_.events.size(), 2u);
}

TEST_F(UserDataTest, DeleteKeysOrAll) {
  ASSERT_TRUE(model_.attachUserData(id_, "", {{"lang", "fr"}, {"topic", "billing"}}).ok());
  ASSERT_TRUE(model_.deleteUserData(id_, "1001", {"lang", "account"}).ok());
  EXPECT_EQ(userData(), R"({"topic":"billing"})");
  const Status missing = model_.deleteUserData(id_, "", {"topic", "nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, toInt(ErrorCode::UserDataKeyNotFound));
  EXPECT_EQ(userData(), R"({"topic":"billing"})");  // all or nothing
  ASSERT_TRUE(model_.deleteUserData(id_, "", {}).ok());
  EXPECT_EQ(userData(), "{}");
  EXPECT_EQ(field(sink_.events.back(), "userData"), "{}");
  EXPECT_EQ(sink_.events.size(), 6u);
}

TEST_F(UserDataTest, RequesterMustBeOnTheCall) {
  const Status notOnCall = model_.attachUserData(id_, "1002", {{"a", 1}});
  ASSERT_FALSE(notOnCall.ok());
  EXPECT_EQ(notOnCall.error().code, toInt(ErrorCode::CallNotOnDn));
  const Status unknownCall = model_.attachUserData(ConnId{77}, "", {{"a", 1}});
  ASSERT_FALSE(unknownCall.ok());
  EXPECT_EQ(unknownCall.error().code, toInt(ErrorCode::UnknownCall));
  EXPECT_TRUE(sink_.events.empty());
}

TEST_F(UserDataTest, LaterCallEventsCarryTheUserData) {
  ASSERT_TRUE(model_.attachUserData(id_, "", {{"lang", "fr"}}).ok());
  ASSERT_TRUE(model_.partyReleased(id_, "1001").ok());
  EXPECT_EQ(field(sink_.events.back(), "userData"), R"({"account":"42","lang":"fr"})");
}

TEST_F(ModelTest, DistributeUserEventGoesToTheDn) {
  ASSERT_TRUE(model_.distributeUserEvent("1002", {{"note", "hello"}}, "u1").ok());
  ASSERT_EQ(sink_.names(), std::vector<std::string>{"EventUserEvent"});
  EXPECT_EQ(sink_.events[0].dns, std::vector<std::string>{"1002"});
  EXPECT_EQ(field(sink_.events[0], "thisDN"), "1002");
  EXPECT_EQ(field(sink_.events[0], "userData"), R"({"note":"hello"})");
  EXPECT_EQ(field(sink_.events[0], "referenceId"), "u1");
  const Status unknown = model_.distributeUserEvent("9999", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, toInt(ErrorCode::UnknownDn));
}

TEST_F(ModelTest, MailboxEventsFollowTheSeedScope) {
  const json::object mwi{{"gsipmwi", {{"Mailbox", "x"}, {"Messages-Waiting", "yes"}}}};
  // Extension mailbox: the DN's clients, whether an agent is logged in or not.
  EXPECT_EQ(model_.mailboxEvent("1000", mwi), 1u);
  ASSERT_EQ(sink_.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].dns, std::vector<std::string>{"1000"});
  EXPECT_EQ(sink_.events[0].agentId, "");
  EXPECT_EQ(field(sink_.events[0], "userData"), json::serialize(mwi));
  sink_.clear();

  // Agent mailbox: only while logged in, to the agent's session, on whatever DN.
  EXPECT_EQ(model_.mailboxEvent("a1003", mwi), 0u);
  AgentLoginRequest login;
  login.agentId = "a1003";
  login.password = "pw";
  login.dn = "1002";
  ASSERT_TRUE(model_.agentLogin(login).ok());
  sink_.clear();
  EXPECT_EQ(model_.mailboxEvent("a1003", mwi), 1u);
  EXPECT_TRUE(sink_.events[0].dns.empty());
  EXPECT_EQ(sink_.events[0].agentId, "a1003");
  EXPECT_EQ(field(sink_.events[0], "thisDN"), "1002");
  sink_.clear();

  // Group mailbox: every logged-in member.
  EXPECT_EQ(model_.mailboxEvent("sales", mwi), 0u);
  loginReady("a1000");
  loginReady("a1001");
  EXPECT_EQ(model_.mailboxEvent("sales", mwi), 2u);
  std::vector<std::string> agents;
  for (const TEvent& event : sink_.events) agents.push_back(event.agentId);
  std::sort(agents.begin(), agents.end());
  EXPECT_EQ(agents, (std::vector<std::string>{"a1000", "a1001"}));
  EXPECT_EQ(model_.mailboxEvent("unknown-box", mwi), 0u);
}

}  // namespace
}  // namespace ccsip::model::test
