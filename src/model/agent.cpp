#include "model/agent.h"

namespace ccsip::model {

std::string_view toString(AgentState state) {
  switch (state) {
    case AgentState::LoggedOut:
      return "LoggedOut";
    case AgentState::NotReady:
      return "NotReady";
    case AgentState::Ready:
      return "Ready";
    case AgentState::AfterCallWork:
      return "AfterCallWork";
  }
  return "LoggedOut";
}

bool isAllowed(AgentState from, AgentAction action) {
  if (action == AgentAction::Login) return from == AgentState::LoggedOut;
  return from != AgentState::LoggedOut;
}

}  // namespace ccsip::model
