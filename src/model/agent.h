#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "model/clock.h"

namespace ccsip::model {

// DESIGN.md "Call model": the agent states of T-Library.
enum class AgentState { LoggedOut, NotReady, Ready, AfterCallWork };

// What a request (or presence) asks of an agent's state.
enum class AgentAction { Login, Logout, SetReady, SetNotReady, SetAfterCallWork };

std::string_view toString(AgentState state);  // "LoggedOut", "NotReady", "Ready", "AfterCallWork"

// The legal transitions: Login only from LoggedOut; every other action from any logged-in
// state (setting the current state again is allowed and reported again, as T-Library does).
bool isAllowed(AgentState from, AgentAction action);

// The reasons object presence puts on an agent it makes NotReady.
inline constexpr std::string_view kEndpointBusyReason = "endpoint-busy";

struct AgentOptions {
  std::string name;
  std::string password;
  std::string defaultDn;  // AgentLogin without a DN logs in here
  std::string mailbox;    // voicemail box followed while the agent is logged in; "" = none
  std::optional<std::chrono::seconds> noAnswerTimeout;
  std::string noAnswerOverflow;
  std::string noAnswerAction;  // "notready" or "none"; "" = the application default

  bool operator==(const AgentOptions&) const = default;
};

// A configured agent login and its live state.
struct Agent {
  std::string agentId;
  AgentOptions options;

  AgentState state = AgentState::LoggedOut;
  std::string dn;               // the DN logged in on, "" while LoggedOut
  boost::json::object reasons;  // of the current NotReady / AfterCallWork
  // The NotReady was set by presence (endpoint busy), not chosen by the agent: only such a
  // NotReady is undone when the endpoint turns idle (DESIGN.md "Agent availability").
  bool notReadyByEndpoint = false;
  // Since when the agent is idle: the last change to Ready or the end of the last call on its DN.
  WallClock::TimePoint idleSince{};
  bool removed = false;  // dropped from the configuration: goes away once logged out

  bool loggedIn() const { return state != AgentState::LoggedOut; }
};

// An agent group: the router picks among its members.
struct Group {
  std::string name;
  std::vector<std::string> members;  // agent ids, in configuration order (breaks idle ties)
  std::string mailbox;               // MWI to every logged-in member; "" = none
};

}  // namespace ccsip::model
