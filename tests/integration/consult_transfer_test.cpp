// Consult transfers through the whole process (docs/call-flows.md "InitiateTransfer /
// CompleteTransfer"): SIPp plays the switch's caller side (a call to routing point 8000) and
// the phones behind the switch (the agent's leg to 2000 and the consult leg to 2001); a CTI
// client registered on both DNs consults, alternates, reconnects and completes, and checks every
// event of both calls, then that no call is left. The fixture is the one of transfer_test.cpp.

#include <future>
#include <string>
#include <thread>

#include <gmock/gmock.h>

#include "harness/switch_call_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

class ConsultTransferTest : public SwitchCallTest {
 protected:
  // The routed call is up on 2000: its connId.
  std::string established() {
    auto line = cti_.waitFor("\"EventEstablished\"", 15s);
    EXPECT_TRUE(line) << cti_.transcript() << ccsip_.outputTail();
    if (!line) return {};
    std::this_thread::sleep_for(200ms);  // the caller's ACK is in
    return connIdOf(*line);
  }
  bool send(const std::string& json) { return cti_.send(json); }
  std::optional<std::string> waitFor(const std::string& needle) {
    auto line = cti_.waitFor(needle, 15s);
    EXPECT_TRUE(line) << needle << "\n" << cti_.transcript() << ccsip_.outputTail();
    return line;
  }
  // InitiateTransfer from 2000 to 2001 (referenceId 51): the consult call's connId, once 2001
  // answered (`answered`) or once it was refused.
  std::string initiate(const std::string& main, bool answered = true) {
    EXPECT_TRUE(send(R"({"request":"InitiateTransfer","referenceId":51,"thisDN":"2000",)"
                     R"("otherDN":"2001","userData":{"topic":"refund"},"connId":")" +
                     main + "\"}"));
    auto dialing = waitFor("\"EventDialing\"");
    if (!dialing) return {};
    EXPECT_EQ(fieldOf(*dialing, "thisDN"), "2000") << *dialing;
    EXPECT_EQ(fieldOf(*dialing, "otherDN"), "2001") << *dialing;
    EXPECT_EQ(fieldOf(*dialing, "callType"), "Consult") << *dialing;
    EXPECT_EQ(fieldOf(*dialing, "referenceId"), "51") << *dialing;
    EXPECT_NE(dialing->find(R"("userData":{"topic":"refund"})"), std::string::npos) << *dialing;
    const std::string consult = connIdOf(*dialing);
    EXPECT_NE(consult, main);
    if (answered) {
      auto up = waitFor("\"EventEstablished\"");
      if (up) {
        EXPECT_EQ(connIdOf(*up), consult) << *up;
      }
    }
    return consult;
  }
};

TEST_F(ConsultTransferTest, InitiateThenCompleteHandsTheCallerToTheConsultedAgent) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto phones = startAgents("ct_phones_completed.xml", 2);
  auto caller = startCaller("ct_caller_completed.xml");
  const std::string main = established();
  ASSERT_FALSE(main.empty());
  ASSERT_TRUE(send(R"({"request":"AttachUserData","referenceId":50,"thisDN":"2000",)"
                   R"("userData":{"case":"77"},"connId":")" +
                   main + "\"}"));
  ASSERT_TRUE(waitFor("\"EventAttachedDataChanged\""));
  const std::string consult = initiate(main);
  ASSERT_FALSE(consult.empty());
  ASSERT_TRUE(send(R"({"request":"CompleteTransfer","referenceId":52,"thisDN":"2000","connId":")" +
                   main + R"(","consultConnId":")" + consult + "\"}"));
  auto changed = waitFor("\"EventPartyChanged\"");
  ASSERT_TRUE(changed);
  EXPECT_EQ(fieldOf(*changed, "thisDN"), "2001") << *changed;
  EXPECT_EQ(fieldOf(*changed, "connId"), main) << *changed;
  EXPECT_EQ(fieldOf(*changed, "previousConnId"), consult) << *changed;
  EXPECT_EQ(fieldOf(*changed, "thirdPartyDN"), "2000") << *changed;
  EXPECT_EQ(fieldOf(*changed, "otherDN"), "+15550100") << *changed;
  EXPECT_EQ(fieldOf(*changed, "callType"), "Inbound") << *changed;
  EXPECT_NE(changed->find(R"("case":"77")"), std::string::npos) << *changed;  // user data travels
  // The call is 2001's now: its desktop releases it (both legs get BYE).
  ASSERT_TRUE(send(R"({"request":"ReleaseCall","referenceId":53,"thisDN":"2001","connId":")" +
                   main + "\"}"));
  ASSERT_TRUE(waitFor("\"EventReleased\",\"referenceId\":53"));
  expectPassed(caller, "caller");
  expectPassed(phones, "phones");
  EXPECT_THAT(eventsOf(main),
              ElementsAre("EventRinging 2000", "EventEstablished 2000",
                          "EventAttachedDataChanged 2000", "EventHeld 2000", "EventReleased 2000",
                          "EventPartyChanged 2001", "EventReleased 2001"));
  EXPECT_THAT(eventsOf(consult),
              ElementsAre("EventDialing 2000", "EventRinging 2001", "EventEstablished 2001",
                          "EventEstablished 2000", "EventReleased 2000"));
  // The two EventReleased of 2000: the consult's, then the main call's with the referenceId.
  const std::string& text = cti_.transcript();
  EXPECT_NE(text.find(R"("event":"EventReleased","referenceId":52,)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("cause":"transferred")"), std::string::npos) << text;
  EXPECT_TRUE(noCallLeft());
}

TEST_F(ConsultTransferTest, AlternateTwiceThenReconnectGivesTheCallBackToTheAgent) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto phones = startAgents("ct_phones_alternated.xml", 2);
  auto caller = startCaller("ct_caller_alternated.xml");
  const std::string main = established();
  ASSERT_FALSE(main.empty());
  const std::string consult = initiate(main);
  ASSERT_FALSE(consult.empty());
  // From the consult to the caller, and back.
  ASSERT_TRUE(send(R"({"request":"AlternateCall","referenceId":54,"thisDN":"2000","connId":")" +
                   consult + R"(","heldConnId":")" + main + "\"}"));
  auto retrieved = waitFor("\"EventRetrieved\"");
  ASSERT_TRUE(retrieved);
  expectCallFields(retrieved, "2000", main, "54");
  ASSERT_TRUE(send(R"({"request":"AlternateCall","referenceId":55,"thisDN":"2000","connId":")" +
                   main + R"(","heldConnId":")" + consult + "\"}"));
  retrieved = waitFor("\"EventRetrieved\"");
  ASSERT_TRUE(retrieved);
  EXPECT_EQ(connIdOf(*retrieved), consult) << *retrieved;
  EXPECT_EQ(fieldOf(*retrieved, "referenceId"), "55") << *retrieved;
  EXPECT_EQ(fieldOf(*retrieved, "otherDN"), "2001") << *retrieved;
  // Reconnect: the consult is released, the caller retrieved.
  ASSERT_TRUE(send(R"({"request":"ReconnectCall","referenceId":56,"thisDN":"2000","connId":")" +
                   consult + R"(","heldConnId":")" + main + "\"}"));
  retrieved = waitFor("\"EventRetrieved\"");
  ASSERT_TRUE(retrieved);
  expectCallFields(retrieved, "2000", main, "56");
  ASSERT_TRUE(send(R"({"request":"ReleaseCall","referenceId":57,"thisDN":"2000","connId":")" +
                   main + "\"}"));
  expectCallFields(waitFor("\"EventReleased\",\"referenceId\":57"), "2000", main, "57");
  expectPassed(caller, "caller");
  expectPassed(phones, "phones");
  EXPECT_THAT(eventsOf(main), ElementsAre("EventRinging 2000", "EventEstablished 2000",
                                          "EventHeld 2000", "EventRetrieved 2000", "EventHeld 2000",
                                          "EventRetrieved 2000", "EventReleased 2000"));
  EXPECT_THAT(eventsOf(consult),
              ElementsAre("EventDialing 2000", "EventRinging 2001", "EventEstablished 2001",
                          "EventEstablished 2000", "EventHeld 2000", "EventRetrieved 2000",
                          "EventReleased 2000", "EventReleased 2001"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(ConsultTransferTest, ABusyTargetReleasesTheConsultAndReconnectRetrievesTheCaller) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  // The agent's leg is answered; 2001's is refused 486. The caller is held, then retrieved.
  auto phones = startAgents("tr_phones_target_busy.xml", 2);
  auto caller = startCaller("cc_caller_held.xml");
  const std::string main = established();
  ASSERT_FALSE(main.empty());
  const std::string consult = initiate(main, false);
  ASSERT_FALSE(consult.empty());
  auto busy = waitFor("\"EventDestinationBusy\"");
  ASSERT_TRUE(busy);
  EXPECT_EQ(fieldOf(*busy, "thisDN"), "2000") << *busy;
  EXPECT_EQ(fieldOf(*busy, "otherDN"), "2001") << *busy;
  EXPECT_EQ(connIdOf(*busy), consult) << *busy;
  auto released = waitFor("\"EventReleased\"");
  ASSERT_TRUE(released);
  EXPECT_EQ(connIdOf(*released), consult) << *released;
  EXPECT_EQ(fieldOf(*released, "cause"), "busy") << *released;
  // The consult is gone: ReconnectCall retrieves the held caller (a=sendrecv).
  ASSERT_TRUE(send(R"({"request":"ReconnectCall","referenceId":58,"thisDN":"2000","connId":")" +
                   consult + R"(","heldConnId":")" + main + "\"}"));
  expectCallFields(waitFor("\"EventRetrieved\""), "2000", main, "58");
  ASSERT_TRUE(send(R"({"request":"ReleaseCall","referenceId":59,"thisDN":"2000","connId":")" +
                   main + "\"}"));
  expectCallFields(waitFor("\"EventReleased\",\"referenceId\":59"), "2000", main, "59");
  expectPassed(caller, "caller");
  expectPassed(phones, "phones");
  EXPECT_THAT(eventsOf(main),
              ElementsAre("EventRinging 2000", "EventEstablished 2000", "EventHeld 2000",
                          "EventRetrieved 2000", "EventReleased 2000"));
  EXPECT_THAT(eventsOf(consult),
              ElementsAre("EventDialing 2000", "EventDestinationBusy 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(ConsultTransferTest, RequestsInTheWrongStateGetEventErrorAndTheCallGoesOn) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  auto agent = startAgents("routed_agent.xml");
  auto caller = startCaller("cc_caller_released.xml");
  const std::string main = established();
  ASSERT_FALSE(main.empty());
  // No consult call: CompleteTransfer / AlternateCall have nothing to work on.
  ASSERT_TRUE(send(R"({"request":"CompleteTransfer","referenceId":60,"thisDN":"2000","connId":")" +
                   main + R"(","consultConnId":")" + main + "\"}"));
  auto error = waitFor("\"EventError\"");
  ASSERT_TRUE(error);
  EXPECT_EQ(fieldOf(*error, "errorCode"), "62") << *error;
  EXPECT_EQ(fieldOf(*error, "referenceId"), "60") << *error;
  ASSERT_TRUE(send(R"({"request":"AlternateCall","referenceId":61,"thisDN":"2000","connId":")" +
                   main + R"(","heldConnId":"00000000000000ff"})"));
  error = waitFor("\"EventError\"");
  ASSERT_TRUE(error);
  EXPECT_EQ(fieldOf(*error, "errorCode"), "57") << *error;
  // otherDN the caller itself, and a consult to the routing point.
  ASSERT_TRUE(send(R"({"request":"InitiateTransfer","referenceId":62,"thisDN":"2000",)"
                   R"("otherDN":"+15550100","connId":")" +
                   main + "\"}"));
  error = waitFor("\"EventError\"");
  ASSERT_TRUE(error);
  EXPECT_EQ(fieldOf(*error, "errorCode"), "44") << *error;
  ASSERT_TRUE(send(R"({"request":"InitiateTransfer","referenceId":63,"thisDN":"2000",)"
                   R"("otherDN":"8000","connId":")" +
                   main + "\"}"));
  error = waitFor("\"EventError\"");
  ASSERT_TRUE(error);
  EXPECT_EQ(fieldOf(*error, "errorCode"), "90") << *error;
  // The connection and the call are fine: the agent releases it.
  ASSERT_TRUE(send(R"({"request":"ReleaseCall","referenceId":64,"thisDN":"2000","connId":")" +
                   main + "\"}"));
  expectCallFields(waitFor("\"EventReleased\""), "2000", main, "64");
  expectPassed(caller, "caller");
  expectPassed(agent, "agent");
  EXPECT_TRUE(noCallLeft());
}

}  // namespace
}  // namespace ccsip::itest
