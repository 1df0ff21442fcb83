// Transfer facts (model_transfers.cpp): the target of a SingleStepTransfer rings from the
// transferring DN, the transferring DN hands the call on, a consult transfer joins the consulted
// party to the main call.

#include <gtest/gtest.h>

#include "model/model.h"
#include "model_test_support.h"

namespace ccsip::model::test {
namespace {

namespace json = boost::json;

class TransferFactsTest : public ModelTest {
 protected:
  // 5551234 -> routing point 5000 -> 1000, answered; the events forgotten.
  ConnId answeredOn1000(std::string origin = "5551234") {
    NewCall call;
    call.type = CallType::Inbound;
    call.originDn = std::move(origin);
    call.dialledDn = "5000";
    auto id = model_.callCreated(call);
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(model_.routeRequest(*id, "5000").ok());
    EXPECT_TRUE(model_.routeUsed(*id, "5000", "1000").ok());
    EXPECT_TRUE(model_.partyRinging(*id, "1000").ok());
    EXPECT_TRUE(model_.partyEstablished(*id, "1000").ok());
    sink_.clear();
    return *id;
  }
  // A consult call of 1000 about `main` to `target`, answered; the events forgotten.
  ConnId consult(ConnId main, std::string target) {
    NewCall call;
    call.type = CallType::Consult;
    call.originDn = "1000";
    call.dialledDn = target;
    call.mainConnId = main;
    auto id = model_.callCreated(call);
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(model_.partyRinging(*id, target).ok());
    EXPECT_TRUE(model_.partyEstablished(*id, target).ok());
    sink_.clear();
    return *id;
  }
  static void expectCode(const Status& status, ErrorCode code) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, toInt(code)) << status.error().message;
  }
};

TEST_F(TransferFactsTest, SingleStepTransferRingsTheTargetFromTheAgentThenReleasesTheAgent) {
  const ConnId id = answeredOn1000();
  ASSERT_TRUE(model_.partyRingingFrom(id, "1001", "1000").ok());
  ASSERT_EQ(sink_.names(), std::vector<std::string>{"EventRinging"});
  EXPECT_EQ(field(sink_.events[0], "thisDN"), "1001");
  EXPECT_EQ(field(sink_.events[0], "otherDN"), "5551234");
  EXPECT_EQ(field(sink_.events[0], "thirdPartyDN"), "1000");
  // Ringing twice is one fact.
  ASSERT_TRUE(model_.partyRingingFrom(id, "1001", "1000").ok());
  EXPECT_EQ(sink_.events.size(), 1u);

  ASSERT_TRUE(model_.partyEstablished(id, "1001").ok());
  ASSERT_TRUE(model_.partyTransferred(id, "1000", "1001", "transferred", json::value(19)).ok());
  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventRinging", "EventEstablished", "EventReleased"}));
  const TEvent& released = sink_.events[2];
  EXPECT_EQ(field(released, "thisDN"), "1000");
  EXPECT_EQ(field(released, "cause"), "transferred");
  EXPECT_EQ(field(released, "thirdPartyDN"), "1001");
  EXPECT_EQ(released.fields.at("referenceId").as_int64(), 19);
  const Call* call = model_.findCall(id);
  ASSERT_NE(call, nullptr);
  ASSERT_EQ(call->parties.size(), 2u);
  EXPECT_EQ(call->routedFrom, "1000");
  EXPECT_EQ(call->otherDnFor("5551234"), "1001");
  EXPECT_TRUE(model_.findDn("1000")->calls.empty());
}

TEST_F(TransferFactsTest, AConfiguredCallerGetsPartyChanged) {
  const ConnId id = answeredOn1000("1003");
  ASSERT_TRUE(model_.partyRingingFrom(id, "1001", "1000").ok());
  ASSERT_TRUE(model_.partyEstablished(id, "1001").ok());
  sink_.clear();
  ASSERT_TRUE(model_.partyTransferred(id, "1000", "1001", "transferred").ok());
  ASSERT_EQ(sink_.names(), (std::vector<std::string>{"EventReleased", "EventPartyChanged"}));
  const TEvent& changed = sink_.events[1];
  EXPECT_EQ(field(changed, "thisDN"), "1003");
  EXPECT_EQ(field(changed, "otherDN"), "1001");
  EXPECT_EQ(field(changed, "thirdPartyDN"), "1000");
}

TEST_F(TransferFactsTest, RedirectOfARingingAgentTellsTheTargetWhereItCameFrom) {
  NewCall call;
  call.originDn = "5551234";
  call.dialledDn = "5000";
  const ConnId id = *model_.callCreated(call);
  ASSERT_TRUE(model_.routeRequest(id, "5000").ok());
  ASSERT_TRUE(model_.routeUsed(id, "5000", "1000").ok());
  ASSERT_TRUE(model_.partyRinging(id, "1000").ok());
  sink_.clear();
  ASSERT_TRUE(model_.partyTransferred(id, "1000", "1001", "redirected", json::value(16)).ok());
  ASSERT_TRUE(model_.partyRinging(id, "1001").ok());
  // The caller still dials: no EventPartyChanged to anyone.
  ASSERT_EQ(sink_.names(), (std::vector<std::string>{"EventReleased", "EventRinging"}));
  EXPECT_EQ(field(sink_.events[0], "cause"), "redirected");
  EXPECT_EQ(field(sink_.events[1], "thirdPartyDN"), "1000");
}

TEST_F(TransferFactsTest, TransferFactsRefuseUnknownCallsAndParties) {
  const ConnId id = answeredOn1000();
  expectCode(model_.partyRingingFrom(ConnId{99}, "1001", "1000"), ErrorCode::UnknownCall);
  expectCode(model_.partyRingingFrom(id, "", "1000"), ErrorCode::MissingField);
  expectCode(model_.partyRingingFrom(id, "1000", "1001"), ErrorCode::InvalidCallState);
  expectCode(model_.partyTransferred(id, "1002", "1001", "transferred"), ErrorCode::CallNotOnDn);
  expectCode(model_.partyTransferred(id, "1000", "", "transferred"), ErrorCode::MissingField);
  expectCode(model_.transferCompleted(id, ConnId{99}, "1000"), ErrorCode::UnknownCall);
  expectCode(model_.transferCompleted(id, id, "1000"), ErrorCode::UnknownCall);
  EXPECT_TRUE(sink_.events.empty());
}

TEST_F(TransferFactsTest, CompleteTransferJoinsTheConsultedPartyToTheMainCall) {
  const ConnId main = answeredOn1000();
  ASSERT_TRUE(model_.partyHeld(main, "1000").ok());
  const ConnId second = consult(main, "1001");
  ASSERT_EQ(model_.findDn("1000")->calls.size(), 2u);
  ASSERT_TRUE(model_.transferCompleted(main, second, "1000", json::value(18)).ok());
  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventReleased", "EventReleased", "EventPartyChanged"}));
  EXPECT_EQ(field(sink_.events[0], "connId"), second.str());
  EXPECT_EQ(field(sink_.events[0], "thisDN"), "1000");
  EXPECT_EQ(field(sink_.events[0], "cause"), "transferred");
  EXPECT_EQ(field(sink_.events[1], "connId"), main.str());
  EXPECT_EQ(sink_.events[1].fields.at("referenceId").as_int64(), 18);
  const TEvent& changed = sink_.events[2];
  EXPECT_EQ(field(changed, "thisDN"), "1001");
  EXPECT_EQ(field(changed, "connId"), main.str());
  EXPECT_EQ(field(changed, "previousConnId"), second.str());
  EXPECT_EQ(field(changed, "otherDN"), "5551234");
  EXPECT_EQ(field(changed, "thirdPartyDN"), "1000");
  EXPECT_EQ(model_.findCall(second), nullptr);
  const Call* call = model_.findCall(main);
  ASSERT_NE(call, nullptr);
  ASSERT_EQ(call->parties.size(), 2u);
  EXPECT_EQ(call->findParty("1001")->state, PartyState::Established);
  EXPECT_TRUE(model_.findDn("1000")->calls.empty());
  EXPECT_EQ(model_.findDn("1001")->calls, std::vector<ConnId>{main});
}

}  // namespace
}  // namespace ccsip::model::test
