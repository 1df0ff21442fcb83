#pragma once

#include "model/agent.h"

namespace ccsip::model {

// Seed "MWI Subscription Scope": the mailboxes of an agent login and of its groups are followed
// only while the agent (or, for a group, at least one member) is logged in, so the MWI monitor
// learns of every login and logout from the model rather than from the CTI requests (a logout
// also happens when a reload removes the agent or its DN).
class LoginObserver {
 public:
  virtual ~LoginObserver() = default;
  // `agent` logged in on agent.dn; its EventAgentLogin went out.
  virtual void onAgentLogin(const Agent& agent) = 0;
  // `agent` logged out (a request, or a removal from the configuration); its EventAgentLogout
  // went out. `dn` is the DN it was logged in on.
  virtual void onAgentLogout(const Agent& agent, std::string_view dn) = 0;
};

}  // namespace ccsip::model
