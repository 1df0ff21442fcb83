// Third-party call control and the failure paths of the routed inbound call, through the whole
// process (docs/call-flows.md): SIPp plays the switch's caller side (calls to routing point
// 8000) and the agents' phones behind the switch; a CTI client registered on the agents' DNs
// drives ReleaseCall / HoldCall / RetrieveCall and checks every event of the call by name and
// fields, then that no call is left (QueryServer).

#include <future>
#include <memory>
#include <set>
#include <thread>

#include <gmock/gmock.h>

#include "harness/switch_call_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CallControlTest : public SwitchCallTest {};

TEST_F(CallControlTest, ReleaseCallFromTheAgentsDesktopEndsBothLegs) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("routed_agent.xml");
  auto caller = startCaller("cc_caller_released.xml");
  auto established = cti_.waitFor("\"EventEstablished\"", 15s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*established);
  ASSERT_TRUE(cti_.send(R"({"request":"ReleaseCall","referenceId":77,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  auto released = cti_.waitFor("\"EventReleased\"", 10s);
  expectCallFields(released, "2000", connId, "77");
  EXPECT_EQ(fieldOf(*released, "cause"), "normal");
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  EXPECT_THAT(eventsOf(connId),
              ElementsAre("EventRinging 2000", "EventEstablished 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(CallControlTest, HoldAndRetrieveReinviteTheCallerSendonlyThenSendrecv) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("routed_agent.xml");
  auto caller = startCaller("cc_caller_held.xml");
  auto established = cti_.waitFor("\"EventEstablished\"", 15s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*established);
  std::this_thread::sleep_for(200ms);  // the caller's ACK is in
  ASSERT_TRUE(cti_.send(R"({"request":"HoldCall","referenceId":21,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  expectCallFields(cti_.waitFor("\"EventHeld\"", 10s), "2000", connId, "21");
  ASSERT_TRUE(cti_.send(R"({"request":"RetrieveCall","referenceId":22,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  expectCallFields(cti_.waitFor("\"EventRetrieved\"", 10s), "2000", connId, "22");
  ASSERT_TRUE(cti_.send(R"({"request":"ReleaseCall","referenceId":23,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  expectCallFields(cti_.waitFor("\"EventReleased\"", 10s), "2000", connId, "23");
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  EXPECT_THAT(eventsOf(connId),
              ElementsAre("EventRinging 2000", "EventEstablished 2000", "EventHeld 2000",
                          "EventRetrieved 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(CallControlTest, HoldMeetingGlareIsRetriedAfter491) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("routed_agent.xml");
  auto caller = startCaller("cc_caller_glare.xml");
  auto established = cti_.waitFor("\"EventEstablished\"", 15s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*established);
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(cti_.send(R"({"request":"HoldCall","referenceId":31,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  // RFC 3261 14.1: the retry comes 0-2 s after the 491 (ccsip does not own the Call-ID).
  expectCallFields(cti_.waitFor("\"EventHeld\"", 10s), "2000", connId, "31");
  ASSERT_TRUE(cti_.send(R"({"request":"ReleaseCall","referenceId":32,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  expectCallFields(cti_.waitFor("\"EventReleased\"", 10s), "2000", connId, "32");
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRinging 2000", "EventEstablished 2000",
                                            "EventHeld 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(CallControlTest, BusyAgentPhoneSendsTheCallBackToTheRouterWhichRoutesItAgain) {
  ASSERT_TRUE(start());
  // The client is also the router of 8000 (the URS role): it answers each EventRouteRequest.
  ASSERT_TRUE(request(R"({"request":"RegisterAddress","thisDN":"8000")", "EventRegistered"));
  ASSERT_TRUE(login("5001", "2000"));
  // The phone answers the first agent leg 486 (busy with a private call), the second normally.
  auto agent = startAgents("cc_agent_busy_then_answers.xml", 2);
  auto caller = startCaller("routed_caller.xml");
  std::string connId;
  for (int reference : {51, 52}) {
    auto routeRequest = cti_.waitFor("\"EventRouteRequest\"", 15s);
    ASSERT_TRUE(routeRequest) << cti_.transcript() << ccsip_.outputTail();
    connId = connIdOf(*routeRequest);
    ASSERT_TRUE(cti_.send(R"({"request":"RouteCall","referenceId":)" + std::to_string(reference) +
                          R"(,"thisDN":"8000","otherDN":"2000","connId":")" + connId + "\"}"));
    if (reference == 51) {
      auto busy = cti_.waitFor("\"EventDestinationBusy\"", 15s);
      ASSERT_TRUE(busy) << cti_.transcript() << ccsip_.outputTail();
      EXPECT_EQ(fieldOf(*busy, "thisDN"), "8000");
      EXPECT_EQ(fieldOf(*busy, "otherDN"), "2000");
      EXPECT_EQ(fieldOf(*busy, "connId"), connId);
      EXPECT_EQ(fieldOf(*busy, "callType"), "Inbound");
    }
  }
  auto released = cti_.waitFor("\"EventReleased\"", 15s);
  expectCallFields(released, "2000", connId);
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  // 2000 never rang the first time; the call waited on 8000 again and was routed anew.
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRouteRequest 8000", "EventRouteUsed 8000",
                                            "EventDestinationBusy 8000", "EventRouteRequest 8000",
                                            "EventRouteUsed 8000", "EventRinging 2000",
                                            "EventEstablished 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(CallControlTest, CallerHangingUpWhileTheAgentRingsCancelsTheAgentLeg) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("cc_agent_rings.xml");
  auto caller = startCaller("cc_caller_cancels.xml", {"-d", "500"});
  auto abandoned = cti_.waitFor("\"EventAbandoned\"", 15s);
  ASSERT_TRUE(abandoned) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*abandoned);
  expectCallFields(abandoned, "2000", connId);
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRinging 2000", "EventAbandoned 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(CallControlTest, NoAnswerCancelsTheAgentLegAndRecallsTheCall) {
  // DN 2000 rings 2 s; the call then goes back to 8000 and, 2000's agent being the only one
  // Ready, rings it again, until the caller gives up after 3 s.
  ASSERT_TRUE(start(", no-answer-timeout: 2"));
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("cc_agent_rings.xml", 2);
  auto caller = startCaller("cc_caller_cancels.xml", {"-d", "3000"});
  auto noAnswer = cti_.waitFor("\"EventReleased\"", 15s);
  ASSERT_TRUE(noAnswer) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*noAnswer);
  expectCallFields(noAnswer, "2000", connId);
  EXPECT_EQ(fieldOf(*noAnswer, "cause"), "no-answer");
  auto abandoned = cti_.waitFor("\"EventAbandoned\"", 15s);
  expectCallFields(abandoned, "2000", connId);
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRinging 2000", "EventReleased 2000",
                                            "EventRinging 2000", "EventAbandoned 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(CallControlTest, CallerCancelCrossingTheAgents200EndsWithAckAndBye) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("cc_agent_answers_despite_cancel.xml");
  auto caller = startCaller("cc_caller_cancels.xml", {"-d", "300"});
  auto abandoned = cti_.waitFor("\"EventAbandoned\"", 15s);
  ASSERT_TRUE(abandoned) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*abandoned);
  expectCallFields(abandoned, "2000", connId);
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");  // it got the ACK and the BYE for its late 200
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRinging 2000", "EventAbandoned 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(CallControlTest, CallerByeCrossingTheAgentsReinviteEndsTheCallOnce) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("cc_agent_reinvites.xml");
  auto caller = startCaller("cc_caller_bye_crossing.xml");
  auto released = cti_.waitFor("\"EventReleased\"", 15s);
  ASSERT_TRUE(released) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*released);
  expectCallFields(released, "2000", connId);
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  EXPECT_THAT(eventsOf(connId),
              ElementsAre("EventRinging 2000", "EventEstablished 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(CallControlTest, RequestsInTheWrongStateGetAClearEventError) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("cc_agent_rings.xml");
  auto caller = startCaller("cc_caller_cancels.xml", {"-d", "2000"});
  auto ringing = cti_.waitFor("\"EventRinging\"", 15s);
  ASSERT_TRUE(ringing) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*ringing);
  // Not established: no hold.
  ASSERT_TRUE(cti_.send(R"({"request":"HoldCall","referenceId":41,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  auto holdError = cti_.waitFor("\"EventError\"", 10s);
  ASSERT_TRUE(holdError) << cti_.transcript();
  EXPECT_EQ(fieldOf(*holdError, "errorCode"), "62");
  EXPECT_EQ(fieldOf(*holdError, "referenceId"), "41");
  EXPECT_THAT(fieldOf(*holdError, "errorMessage"), HasSubstr("not established"));
  // The phone of a switch cannot be answered remotely.
  ASSERT_TRUE(cti_.send(R"({"request":"AnswerCall","referenceId":42,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  auto answerError = cti_.waitFor("\"EventError\"", 10s);
  ASSERT_TRUE(answerError) << cti_.transcript();
  EXPECT_EQ(fieldOf(*answerError, "errorCode"), "90");
  EXPECT_EQ(fieldOf(*answerError, "referenceId"), "42");
  EXPECT_THAT(fieldOf(*answerError, "errorMessage"), HasSubstr("cannot be answered remotely"));
  auto abandoned = cti_.waitFor("\"EventAbandoned\"", 15s);
  expectCallFields(abandoned, "2000", connId);
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  EXPECT_TRUE(noCallLeft());
}

}  // namespace
}  // namespace ccsip::itest
