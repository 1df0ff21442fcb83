#include <gtest/gtest.h>

#include "model/model.h"
#include "model_test_support.h"

namespace ccsip::model::test {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

class CallFactsTest : public ModelTest {
 protected:
  ConnId inboundToRoutingPoint() {
    NewCall call;
    call.type = CallType::Inbound;
    call.originDn = "5551234";
    call.dialledDn = "5000";
    call.userData = {{"vip", true}};
    auto id = model_.callCreated(call);
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(model_.routeRequest(*id, "5000").ok());
    return *id;
  }

  ConnId makeCall(std::string from, std::string to, CallType type, json::value ref = nullptr) {
    NewCall call;
    call.type = type;
    call.originDn = std::move(from);
    call.dialledDn = std::move(to);
    call.referenceId = std::move(ref);
    auto id = model_.callCreated(call);
    EXPECT_TRUE(id.ok());
    return *id;
  }

  void expectNoCalls() {
    const ServerInfo info = model_.queryServer();
    EXPECT_EQ(info.calls, 0u);
    EXPECT_EQ(info.parties, 0u);
    for (const auto& [name, dn] : std::vector<std::pair<std::string, const Dn*>>{
             {"1000", model_.findDn("1000")}, {"5000", model_.findDn("5000")}}) {
      EXPECT_TRUE(dn->calls.empty()) << name;
    }
  }

  static void expectCode(const Status& status, ErrorCode code) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, toInt(code)) << status.error().message;
  }
};

TEST_F(CallFactsTest, RoutedInboundCallProducesExactlyTheTLibrarySequence) {
  loginReady("a1000");
  const ConnId id = inboundToRoutingPoint();
  const std::string connId = id.str();
  ASSERT_TRUE(model_.queued(id, "5000").ok());
  ASSERT_TRUE(model_.routeUsed(id, "5000", "1000", 11).ok());
  ASSERT_TRUE(model_.partyRinging(id, "1000").ok());
  ASSERT_TRUE(model_.partyEstablished(id, "1000").ok());
  ASSERT_TRUE(model_.partyReleased(id, "5551234", "normal").ok());  // the caller hangs up
  ASSERT_TRUE(model_.partyReleased(id, "1000", "normal").ok());     // ccsip BYEs the agent leg

  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventRouteRequest", "EventQueued", "EventRouteUsed",
                                      "EventRinging", "EventEstablished", "EventReleased"}));
  const std::vector<std::vector<std::string>> targets{{"5000"}, {"5000"}, {"5000"},
                                                      {"1000"}, {"1000"}, {"1000"}};
  for (std::size_t i = 0; i < sink_.events.size(); ++i) {
    const TEvent& event = sink_.events[i];
    SCOPED_TRACE(event.name);
    EXPECT_EQ(event.dns, targets[i]);
    EXPECT_EQ(event.agentId, "");  // call events go to DNs only
    EXPECT_EQ(field(event, "connId"), connId);
    EXPECT_EQ(field(event, "callType"), "Inbound");
    EXPECT_EQ(field(event, "thisDN"), targets[i][0]);
    EXPECT_EQ(field(event, "otherDN"), "5551234");
    EXPECT_EQ(field(event, "userData"), R"({"vip":true})");
  }
  const auto& e = sink_.events;
  EXPECT_EQ(field(e[0], "agentId"), "<absent>");
  EXPECT_EQ(field(e[2], "thirdPartyDN"), "1000");
  EXPECT_EQ(field(e[2], "referenceId"), "11");     // RouteCall's reference
  EXPECT_EQ(field(e[3], "thirdPartyDN"), "5000");  // where the routed call came from
  EXPECT_EQ(field(e[3], "agentId"), "a1000");
  EXPECT_EQ(field(e[4], "agentId"), "a1000");
  EXPECT_EQ(field(e[5], "cause"), "normal");
  EXPECT_EQ(field(e[5], "referenceId"), "<absent>");
  expectNoCalls();
}

TEST_F(CallFactsTest, EmbeddedStrategyDivertsInsteadOfRouteUsed) {
  loginReady("a1000");
  const ConnId id = inboundToRoutingPoint();
  ASSERT_TRUE(model_.diverted(id, "5000", "1000").ok());
  ASSERT_TRUE(model_.partyRinging(id, "1000").ok());
  ASSERT_TRUE(model_.partyEstablished(id, "1000").ok());
  ASSERT_TRUE(model_.partyReleased(id, "1000").ok());
  ASSERT_TRUE(model_.partyReleased(id, "5551234").ok());
  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventRouteRequest", "EventDiverted", "EventRinging",
                                      "EventEstablished", "EventReleased"}));
  EXPECT_EQ(field(sink_.events[1], "thisDN"), "5000");
  EXPECT_EQ(field(sink_.events[1], "thirdPartyDN"), "1000");
  expectNoCalls();
}

TEST_F(CallFactsTest, NoAnswerOverflowDivertsFromTheAgentToVoicemail) {
  const ConnId id = inboundToRoutingPoint();
  ASSERT_TRUE(model_.routeUsed(id, "5000", "1000").ok());
  ASSERT_TRUE(model_.partyRinging(id, "1000").ok());
  ASSERT_TRUE(model_.diverted(id, "1000", "6000").ok());
  ASSERT_TRUE(model_.partyEstablished(id, "6000").ok());
  sink_.events.erase(sink_.events.begin(), sink_.events.begin() + 3);
  ASSERT_EQ(sink_.names(), (std::vector<std::string>{"EventDiverted", "EventEstablished"}));
  EXPECT_EQ(field(sink_.events[0], "thisDN"), "1000");
  EXPECT_EQ(field(sink_.events[0], "thirdPartyDN"), "6000");
  EXPECT_EQ(field(sink_.events[1], "thisDN"), "6000");
  EXPECT_EQ(model_.deviceState(*model_.findDn("1000")), DeviceState::Idle);
  EXPECT_EQ(model_.deviceState(*model_.findDn("6000")), DeviceState::Busy);
}

TEST_F(CallFactsTest, MakeCallToAnExternalNumber) {
  loginReady("a1000");
  const ConnId id = makeCall("1000", "5559999", CallType::Outbound, 21);
  ASSERT_TRUE(model_.networkReached(id, "5559999").ok());
  ASSERT_TRUE(model_.partyEstablished(id, "5559999").ok());
  ASSERT_TRUE(model_.partyHeld(id, "1000", 22).ok());
  ASSERT_TRUE(model_.partyHeld(id, "1000").ok());  // repeated: nothing new
  EXPECT_EQ(model_.deviceState(*model_.findDn("1000")), DeviceState::Held);
  ASSERT_TRUE(model_.partyRetrieved(id, "1000", 23).ok());
  ASSERT_TRUE(model_.partyReleased(id, "1000", "", 24).ok());
  ASSERT_TRUE(model_.partyReleased(id, "5559999").ok());
  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventDialing", "EventNetworkReached", "EventEstablished",
                                      "EventHeld", "EventRetrieved", "EventReleased"}));
  for (const TEvent& event : sink_.events) {
    SCOPED_TRACE(event.name);
    EXPECT_EQ(field(event, "thisDN"), "1000");
    EXPECT_EQ(field(event, "otherDN"), "5559999");
    EXPECT_EQ(field(event, "callType"), "Outbound");
    EXPECT_EQ(field(event, "agentId"), "a1000");
  }
  EXPECT_EQ(field(sink_.events[0], "referenceId"), "21");  // MakeCall's answer
  EXPECT_EQ(field(sink_.events[1], "referenceId"), "<absent>");
  EXPECT_EQ(field(sink_.events[3], "referenceId"), "22");
  EXPECT_EQ(field(sink_.events[4], "referenceId"), "23");
  EXPECT_EQ(field(sink_.events[5], "referenceId"), "24");
  expectNoCalls();
}

TEST_F(CallFactsTest, InternalCallTellsBothDns) {
  const ConnId id = makeCall("1000", "1001", CallType::Internal);
  ASSERT_TRUE(model_.partyRinging(id, "1001").ok());
  ASSERT_TRUE(model_.partyEstablished(id, "1001").ok());
  ASSERT_TRUE(model_.partyReleased(id, "1001").ok());
  ASSERT_TRUE(model_.partyReleased(id, "1000").ok());
  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventDialing", "EventRinging", "EventEstablished",
                                      "EventEstablished", "EventReleased", "EventReleased"}));
  const std::vector<std::pair<std::string, std::string>> thisOther{
      {"1000", "1001"}, {"1001", "1000"}, {"1001", "1000"},
      {"1000", "1001"}, {"1001", "1000"}, {"1000", "1001"}};
  for (std::size_t i = 0; i < thisOther.size(); ++i) {
    EXPECT_EQ(field(sink_.events[i], "thisDN"), thisOther[i].first) << i;
    EXPECT_EQ(field(sink_.events[i], "otherDN"), thisOther[i].second) << i;
    EXPECT_EQ(sink_.events[i].dns, std::vector<std::string>{thisOther[i].first}) << i;
  }
  EXPECT_EQ(field(sink_.events[1], "thirdPartyDN"), "<absent>");  // not routed
  expectNoCalls();
}

TEST_F(CallFactsTest, CallerAbandonsAtTheRoutingPoint) {
  const ConnId id = inboundToRoutingPoint();
  ASSERT_TRUE(model_.queued(id, "5000").ok());
  ASSERT_TRUE(model_.callAbandoned(id).ok());
  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventRouteRequest", "EventQueued", "EventAbandoned"}));
  EXPECT_EQ(field(sink_.events[2], "thisDN"), "5000");
  EXPECT_EQ(field(sink_.events[2], "connId"), id.str());
  expectNoCalls();
  expectCode(model_.callAbandoned(id), ErrorCode::UnknownCall);
}

TEST_F(CallFactsTest, CallerAbandonsWhileTheAgentRings) {
  loginReady("a1000");
  const ConnId id = inboundToRoutingPoint();
  ASSERT_TRUE(model_.routeUsed(id, "5000", "1000").ok());
  ASSERT_TRUE(model_.partyRinging(id, "1000").ok());
  sink_.clear();
  ASSERT_TRUE(model_.callAbandoned(id).ok());
  ASSERT_EQ(sink_.names(), std::vector<std::string>{"EventAbandoned"});
  EXPECT_EQ(sink_.events[0].dns, std::vector<std::string>{"1000"});
  EXPECT_TRUE(model_.isAvailable(*model_.findAgent("a1000")));
  expectNoCalls();
}

TEST_F(CallFactsTest, RoutedDestinationBusyTellsTheRoutingPointAndTheCallCanBeRecalled) {
  const ConnId id = inboundToRoutingPoint();
  ASSERT_TRUE(model_.routeUsed(id, "5000", "1000").ok());
  ASSERT_TRUE(model_.destinationBusy(id, "1000").ok());
  ASSERT_TRUE(model_.routeRequest(id, "5000").ok());  // recall
  ASSERT_EQ(sink_.names(), (std::vector<std::string>{"EventRouteRequest", "EventRouteUsed",
                                                     "EventDestinationBusy", "EventRouteRequest"}));
  const TEvent& busy = sink_.events[2];
  EXPECT_EQ(busy.dns, std::vector<std::string>{"5000"});
  EXPECT_EQ(field(busy, "thisDN"), "5000");
  EXPECT_EQ(field(busy, "otherDN"), "1000");
  EXPECT_EQ(model_.queryServer().calls, 1u);
  ASSERT_TRUE(model_.callAbandoned(id).ok());
  expectNoCalls();
}

TEST_F(CallFactsTest, MakeCallDestinationBusyTellsTheCaller) {
  const ConnId id = makeCall("1000", "1001", CallType::Internal);
  ASSERT_TRUE(model_.destinationBusy(id, "1001").ok());
  ASSERT_TRUE(model_.partyReleased(id, "1000").ok());
  ASSERT_EQ(sink_.names(),
            (std::vector<std::string>{"EventDialing", "EventDestinationBusy", "EventReleased"}));
  EXPECT_EQ(sink_.events[1].dns, std::vector<std::string>{"1000"});
  EXPECT_EQ(field(sink_.events[1], "otherDN"), "1001");
  expectNoCalls();
}

TEST_F(CallFactsTest, FactErrorsChangeNothing) {
  const ConnId id = makeCall("1000", "1001", CallType::Internal);
  sink_.clear();
  expectCode(model_.partyRinging(ConnId{999}, "1001"), ErrorCode::UnknownCall);
  expectCode(model_.routeRequest(id, "1001"), ErrorCode::WrongDnType);
  expectCode(model_.routeRequest(id, "9999"), ErrorCode::UnknownDn);
  expectCode(model_.partyHeld(id, "1001"), ErrorCode::CallNotOnDn);
  expectCode(model_.partyHeld(id, "1000"), ErrorCode::InvalidCallState);  // still dialing
  expectCode(model_.partyRetrieved(id, "1000"), ErrorCode::InvalidCallState);
  expectCode(model_.partyReleased(id, "1002"), ErrorCode::CallNotOnDn);
  expectCode(model_.queued(id, "5000"), ErrorCode::CallNotOnDn);
  expectCode(model_.routeUsed(id, "5000", "1001"), ErrorCode::CallNotOnDn);
  expectCode(model_.partyRinging(id, ""), ErrorCode::MissingField);
  const auto noOrigin = model_.callCreated(NewCall{});
  ASSERT_FALSE(noOrigin.ok());
  EXPECT_EQ(noOrigin.error().code, toInt(ErrorCode::MissingField));
  ASSERT_TRUE(model_.partyEstablished(id, "1001").ok());
  sink_.clear();
  ASSERT_TRUE(model_.partyHeld(id, "1001").ok());
  expectCode(model_.partyEstablished(id, "1001"), ErrorCode::InvalidCallState);  // retrieve it
  expectCode(model_.partyRinging(id, "1001"), ErrorCode::InvalidCallState);
  EXPECT_EQ(sink_.names(), std::vector<std::string>{"EventHeld"});
  EXPECT_EQ(model_.queryServer().calls, 1u);
}

TEST_F(CallFactsTest, CheckPartyForCallRequests) {
  const ConnId id = makeCall("1000", "1001", CallType::Internal);
  EXPECT_TRUE(model_.checkParty(id, "1000").ok());
  expectCode(model_.checkParty(id, "1001"), ErrorCode::CallNotOnDn);
  expectCode(model_.checkParty(id, "9999"), ErrorCode::UnknownDn);
  expectCode(model_.checkParty(ConnId{12345}, "1000"), ErrorCode::UnknownCall);
}

TEST_F(CallFactsTest, ConsultCallKeepsItsMainCall) {
  loginReady("a1000");
  const ConnId main = inboundToRoutingPoint();
  ASSERT_TRUE(model_.routeUsed(main, "5000", "1000").ok());
  ASSERT_TRUE(model_.partyEstablished(main, "1000").ok());
  ASSERT_TRUE(model_.partyHeld(main, "1000").ok());
  NewCall consult;
  consult.type = CallType::Consult;
  consult.originDn = "1000";
  consult.dialledDn = "1001";
  consult.mainConnId = main;
  auto id = model_.callCreated(consult);
  ASSERT_TRUE(id.ok());
  EXPECT_NE(*id, main);
  EXPECT_EQ(model_.findCall(*id)->mainConnId, main);
  EXPECT_EQ(field(sink_.events.back(), "callType"), "Consult");
  auto address = model_.queryAddress("1000");
  ASSERT_TRUE(address.ok());
  ASSERT_EQ(address->calls.size(), 2u);
  EXPECT_EQ(address->calls[0].partyState, PartyState::Held);
  EXPECT_EQ(address->calls[1].partyState, PartyState::Dialing);
  EXPECT_EQ(address->deviceState, DeviceState::Busy);
}

}  // namespace
}  // namespace ccsip::model::test
