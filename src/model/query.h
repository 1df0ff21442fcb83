#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "model/agent.h"
#include "model/call.h"
#include "model/dn.h"

namespace ccsip::model {

// QueryAddress: a DN, its device, its agent and its calls.
struct AddressCall {
  ConnId connId;
  CallType callType = CallType::Internal;
  PartyState partyState = PartyState::Dialing;
  std::string otherDn;
};

struct AddressInfo {
  std::string dn;
  DnType type = DnType::Extension;
  DeviceState deviceState = DeviceState::Idle;
  EndpointPresence presence = EndpointPresence::Unknown;
  bool removed = false;
  std::string agentId;  // "" = no agent logged in
  AgentState agentState = AgentState::LoggedOut;
  boost::json::object reasons;
  std::vector<AddressCall> calls;
  // The last MWI userData of the DN's mailbox ({"gsipmwi": {...}}); empty while none is known.
  boost::json::object mwi;
};

// QueryServer: counts by state; all-zero call and party counts mean no call leaked.
struct ServerInfo {
  std::size_t calls = 0;
  std::array<std::size_t, 4> callsByType{};     // indexed by CallType
  std::size_t parties = 0;                      // one per SIP leg the model knows of
  std::array<std::size_t, 5> partiesByState{};  // indexed by PartyState
  std::size_t agents = 0;
  std::array<std::size_t, 4> agentsByState{};  // indexed by AgentState
  std::size_t dns = 0;
  std::array<std::size_t, 5> dnsByState{};  // indexed by DeviceState
  std::size_t dnsRemoving = 0;
  std::size_t groups = 0;
};

// Protocol fields of the query answers (lowerCamel, enum names as in events).
boost::json::object toJson(const AddressInfo& info);  // thisDN, dnType, dnState, agentId, ...
boost::json::object toJson(const Call& call);         // connId, callType, parties, userData, ...
boost::json::object toJson(const ServerInfo& info);   // calls, callsByType, parties, agents, ...

}  // namespace ccsip::model
