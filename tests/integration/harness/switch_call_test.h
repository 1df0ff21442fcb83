#pragma once

#include <future>
#include <optional>
#include <string>
#include <vector>

#include "harness/cti_call_test.h"

namespace ccsip::itest {

// A routed inbound call through the whole process (docs/call-flows.md): SIPp plays the switch's
// caller side (calls to routing point 8000) and the agents' phones behind the switch; a CTI
// client registered on the agents' DNs drives the call and checks its events.
class SwitchCallTest : public CtiCallTest {
 protected:
  // ccsip with the switch on a free port (where the agent SIPp listens), agents 5001 on 2000 and
  // 5002 on 2001 in group `sales`, routing point 8000 to `sales` (longest idle). `dn2000` adds
  // options to DN 2000. The CTI client registers 2000 and 2001.
  ::testing::AssertionResult start(const std::string& dn2000 = "");
  ::testing::AssertionResult login(const std::string& agentId, const std::string& dn);
  // The agents' phones behind the switch: SIPp listening on the switch port, in the background.
  std::future<SippResult> startAgents(const std::string& scenario, int calls = 1) {
    return startSwitchSipp(scenario, calls);
  }
  // The switch's caller side calling routing point 8000, in the background.
  std::future<SippResult> startCaller(const std::string& scenario,
                                      std::vector<std::string> extraArgs = {}) {
    return startCallerSipp(scenario, "8000", std::move(extraArgs));
  }
  // Checks the fields every call event from the caller +15550100 carries.
  void expectCallFields(const std::optional<std::string>& line, const std::string& thisDn,
                        const std::string& connId, const std::string& reference = "");
};

}  // namespace ccsip::itest
