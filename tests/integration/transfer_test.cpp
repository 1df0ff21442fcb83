// SingleStepTransfer through the whole process (docs/call-flows.md "SingleStepTransfer"): SIPp
// plays the switch's caller side (a call to routing point 8000) and the phones behind the switch
// (the agent's leg and the target's late-offer leg); a CTI client registered on the DNs hands
// the call from 2000 to 2001 and checks every event of the call, then that no call is left.
// The fixture is the one of call_control_test.cpp (the switch port answers the presence
// SUBSCRIBEs of start-up with 403 before SIPp takes it over).

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

class TransferTest : public SwitchCallTest {};

TEST_F(TransferTest, SingleStepTransferHandsTheCallerToTheTarget) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  // Two legs reach the phones: the agent's (with the caller's offer) and the target's (without
  // offer: the phone offers in its 2xx and gets the caller's answer in the ACK).
  auto phones = startAgents("routed_agent.xml", 2);
  auto caller = startCaller("tr_caller_transferred.xml");
  auto established = cti_.waitFor("\"EventEstablished\"", 15s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*established);
  std::this_thread::sleep_for(200ms);  // the caller's ACK is in
  ASSERT_TRUE(cti_.send(
      R"({"request":"SingleStepTransfer","referenceId":41,"thisDN":"2000","otherDN":"2001","connId":")" +
      connId + "\"}"));
  auto released = cti_.waitFor("\"EventReleased\"", 15s);
  expectCallFields(released, "2000", connId, "41");
  EXPECT_EQ(fieldOf(*released, "cause"), "transferred");
  EXPECT_EQ(fieldOf(*released, "thirdPartyDN"), "2001");
  ASSERT_TRUE(cti_.send(R"({"request":"ReleaseCall","referenceId":42,"thisDN":"2001","connId":")" +
                        connId + "\"}"));
  auto last = cti_.waitFor("\"EventReleased\",\"referenceId\":42", 10s);
  ASSERT_TRUE(last) << cti_.transcript() << ccsip_.outputTail();
  expectPassed(caller, "caller");
  expectPassed(phones, "phones");
  EXPECT_THAT(eventsOf(connId),
              ElementsAre("EventRinging 2000", "EventEstablished 2000", "EventRinging 2001",
                          "EventEstablished 2001", "EventReleased 2000", "EventReleased 2001"));
  EXPECT_TRUE(noCallLeft());
}

TEST_F(TransferTest, SingleStepTransferToABusyTargetLeavesTheCallWithTheAgent) {
  ASSERT_TRUE(start());
  ASSERT_TRUE(login("5001", "2000"));
  // The phones answer the agent's leg and refuse the target's with 486.
  auto phones = startAgents("tr_phones_target_busy.xml", 2);
  auto caller = startCaller("cc_caller_released.xml");
  auto established = cti_.waitFor("\"EventEstablished\"", 15s);
  ASSERT_TRUE(established) << cti_.transcript() << ccsip_.outputTail();
  const std::string connId = connIdOf(*established);
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(cti_.send(
      R"({"request":"SingleStepTransfer","referenceId":43,"thisDN":"2000","otherDN":"2001","connId":")" +
      connId + "\"}"));
  auto error = cti_.waitFor("\"EventError\"", 15s);
  ASSERT_TRUE(error) << cti_.transcript() << ccsip_.outputTail();
  EXPECT_EQ(fieldOf(*error, "errorCode"), "61") << *error;
  EXPECT_EQ(fieldOf(*error, "referenceId"), "43") << *error;
  // Still the agent's call: the agent releases it.
  ASSERT_TRUE(cti_.send(R"({"request":"ReleaseCall","referenceId":44,"thisDN":"2000","connId":")" +
                        connId + "\"}"));
  expectCallFields(cti_.waitFor("\"EventReleased\"", 10s), "2000", connId, "44");
  expectPassed(caller, "caller");
  expectPassed(phones, "phones");
  EXPECT_THAT(eventsOf(connId), ElementsAre("EventRinging 2000", "EventEstablished 2000",
                                            "EventError 2000", "EventReleased 2000"));
  EXPECT_TRUE(noCallLeft());
}

}  // namespace
}  // namespace ccsip::itest
