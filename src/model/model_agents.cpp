#include <algorithm>

#include "model/model.h"

// Agent requests, presence facts and agent selection (DESIGN.md "Agent availability and
// presence").

namespace ccsip::model {

namespace json = boost::json;

namespace {

json::object endpointBusyReasons() {
  return json::object{{"reason", kEndpointBusyReason}};
}

// Compares every byte whatever the first difference, so the time taken says nothing about
// where a guess goes wrong.
bool samePassword(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

bool CallModel::presenceBusy(const Dn& dn) {
  return dn.presence == EndpointPresence::Busy || dn.presence == EndpointPresence::Ringing ||
         dn.presence == EndpointPresence::Held;
}

util::Result<Agent*> CallModel::resolveAgent(const AgentRequest& request) {
  if (!request.agentId.empty()) {
    Agent* agent = agentOf(request.agentId);
    if (agent == nullptr) return makeError(ErrorCode::UnknownAgent, request.agentId);
    if (!request.dn.empty()) {
      if (!isConfigured(request.dn)) return makeError(ErrorCode::UnknownDn, request.dn);
      if (!agent->loggedIn()) return makeError(ErrorCode::InvalidAgentState, "LoggedOut");
      if (agent->dn != request.dn) return makeError(ErrorCode::AgentNotOnDn, request.dn);
    }
    return agent;
  }
  if (request.dn.empty()) return makeError(ErrorCode::MissingField, "agentId or thisDN");
  Dn* dn = dnOf(request.dn);
  if (dn == nullptr) return makeError(ErrorCode::UnknownDn, request.dn);
  Agent* agent = agentOn(*dn);
  if (agent == nullptr) return makeError(ErrorCode::AgentNotLoggedIn, request.dn);
  return agent;
}

Status CallModel::agentLogin(const AgentLoginRequest& request) {
  Agent* agent = agentOf(request.agentId);
  if (agent == nullptr || agent->removed) {
    return makeError(ErrorCode::UnknownAgent, request.agentId);
  }
  if (!samePassword(request.password, agent->options.password)) {
    return makeError(ErrorCode::WrongPassword);
  }
  if (request.initialState != AgentState::Ready && request.initialState != AgentState::NotReady) {
    return makeError(ErrorCode::BadFieldValue, "initial agent state must be Ready or NotReady");
  }
  const std::string dnName = request.dn.empty() ? agent->options.defaultDn : request.dn;
  if (dnName.empty()) return makeError(ErrorCode::MissingField, "thisDN (no default DN)");
  Dn* dn = dnOf(dnName);
  if (dn == nullptr) return makeError(ErrorCode::UnknownDn, dnName);
  if (dn->type != DnType::Extension) return makeError(ErrorCode::WrongDnType, dnName);
  if (dn->removed) return makeError(ErrorCode::DnOutOfService, dnName);
  if (agent->loggedIn()) {
    if (agent->dn == dnName) return makeError(ErrorCode::InvalidAgentState, "already logged in");
    return makeError(ErrorCode::AgentLoggedInElsewhere, agent->dn);
  }
  if (!dn->agentId.empty()) return makeError(ErrorCode::DnHasAgent, dn->agentId);

  bindAgent(*agent, dnName);
  if (request.initialState == AgentState::Ready && presenceBusy(*dn)) {
    // Presence outranks the request: Ready comes by itself once the endpoint is idle.
    setAgentState(*agent, AgentState::NotReady, endpointBusyReasons(), true);
  } else if (request.initialState == AgentState::Ready) {
    setAgentState(*agent, AgentState::Ready, {}, false);
  } else {
    setAgentState(*agent, AgentState::NotReady, request.reasons, false);
  }
  setIdleSince(*agent);
  emit(agentEvent("EventAgentLogin", *agent, request.referenceId));
  if (logins_ != nullptr) logins_->onAgentLogin(*agent);
  notifyIfAvailable(dnName);
  return ok();
}

Status CallModel::agentLogout(const AgentRequest& request) {
  auto agent = resolveAgent(request);
  if (!agent) return agent.error();
  Agent& a = **agent;
  if (!isAllowed(a.state, AgentAction::Logout)) {
    return makeError(ErrorCode::InvalidAgentState, toString(a.state));
  }
  const std::string agentId = a.agentId;
  const std::string dn = a.dn;
  setAgentState(a, AgentState::LoggedOut, {}, false);
  TEvent event = agentEvent("EventAgentLogout", a, request.referenceId);
  bindAgent(a, "");
  emit(std::move(event));
  if (logins_ != nullptr) logins_->onAgentLogout(a, dn);
  settleAgentRemoval(agentId);
  if (availability_ != nullptr) availability_->onAgentLoggedOut(agentId);
  return ok();
}

Status CallModel::setReady(Agent& agent, const ReferenceId& ref) {
  const Dn* dn = dnOf(agent.dn);
  if (dn != nullptr && presenceBusy(*dn)) {
    setAgentState(agent, AgentState::NotReady, endpointBusyReasons(), true);
    emit(agentEvent("EventAgentNotReady", agent, ref));
    return ok();
  }
  if (agent.state != AgentState::Ready) setIdleSince(agent);
  setAgentState(agent, AgentState::Ready, {}, false);
  emit(agentEvent("EventAgentReady", agent, ref));
  notifyIfAvailable(agent.dn);
  return ok();
}

Status CallModel::agentSetReady(const AgentRequest& request) {
  auto agent = resolveAgent(request);
  if (!agent) return agent.error();
  if (!isAllowed((*agent)->state, AgentAction::SetReady)) {
    return makeError(ErrorCode::InvalidAgentState, toString((*agent)->state));
  }
  return setReady(**agent, request.referenceId);
}

Status CallModel::agentSetNotReady(const AgentRequest& request, const json::object& reasons) {
  auto agent = resolveAgent(request);
  if (!agent) return agent.error();
  if (!isAllowed((*agent)->state, AgentAction::SetNotReady)) {
    return makeError(ErrorCode::InvalidAgentState, toString((*agent)->state));
  }
  // Chosen by the agent: presence will never undo it.
  setAgentState(**agent, AgentState::NotReady, reasons, false);
  emit(agentEvent("EventAgentNotReady", **agent, request.referenceId));
  return ok();
}

Status CallModel::agentSetAfterCallWork(const AgentRequest& request, const json::object& reasons) {
  auto agent = resolveAgent(request);
  if (!agent) return agent.error();
  if (!isAllowed((*agent)->state, AgentAction::SetAfterCallWork)) {
    return makeError(ErrorCode::InvalidAgentState, toString((*agent)->state));
  }
  setAgentState(**agent, AgentState::AfterCallWork, reasons, false);
  emit(agentEvent("EventAgentAfterCallWork", **agent, request.referenceId));
  return ok();
}

void CallModel::forceLogout(Agent& agent, std::string_view reason) {
  setAgentState(agent, AgentState::LoggedOut, {}, false);
  TEvent event = agentEvent("EventAgentLogout", agent, nullptr);
  event.fields["reasons"] = json::object{{"reason", reason}};
  const std::string dn = agent.dn;
  bindAgent(agent, "");
  emit(std::move(event));
  if (logins_ != nullptr) logins_->onAgentLogout(agent, dn);
}

Status CallModel::endpointPresence(std::string_view dnName, EndpointPresence presence) {
  Dn* dn = dnOf(dnName);
  if (dn == nullptr) return makeError(ErrorCode::UnknownDn, dnName);
  const EndpointPresence old = dn->presence;
  if (old == presence) return ok();
  setPresence(*dn, presence);
  if (presence == EndpointPresence::Offline) {
    emit(dnEvent("EventDNOutOfService", *dn));
    return ok();
  }
  if (old == EndpointPresence::Offline) emit(dnEvent("EventDNBackInService", *dn));

  Agent* agent = agentOn(*dn);
  if (agent == nullptr) return ok();
  if (presenceBusy(*dn) && agent->state == AgentState::Ready && dn->calls.empty()) {
    // Seed "Private Calls": a call ccsip does not see still makes the agent unavailable. A
    // contact-center call on the DN is one ccsip sees: its NOTIFYs confirm the call events
    // already sent (the DN shows busy) and add no agent event.
    setAgentState(*agent, AgentState::NotReady, endpointBusyReasons(), true);
    emit(agentEvent("EventAgentNotReady", *agent, nullptr));
  } else if (presence == EndpointPresence::Idle && agent->state == AgentState::NotReady &&
             agent->notReadyByEndpoint) {
    // Only a NotReady presence caused is undone: one the agent chose stays.
    setIdleSince(*agent);
    setAgentState(*agent, AgentState::Ready, {}, false);
    emit(agentEvent("EventAgentReady", *agent, nullptr));
  }
  // Also a Ready agent whose DN came back in service.
  notifyIfAvailable(dnName);
  return ok();
}

DeviceState CallModel::deviceState(const Dn& dn) const {
  if (dn.outOfService()) return DeviceState::OutOfService;
  // Routing points and trunks hold many calls at once: they have no device to be busy.
  if (dn.type == DnType::RoutingPoint || dn.type == DnType::Trunk) return DeviceState::Idle;
  bool busy = false, ringing = false, held = false;
  for (ConnId id : dn.calls) {
    const Call* call = findCall(id);
    const Party* party = call == nullptr ? nullptr : call->findParty(dn.dn);
    if (party == nullptr) continue;
    switch (party->state) {
      case PartyState::Dialing:
      case PartyState::Established:
        busy = true;
        break;
      case PartyState::Ringing:
        ringing = true;
        break;
      case PartyState::Held:
        held = true;
        break;
      case PartyState::Released:
        break;
    }
  }
  if (busy || dn.presence == EndpointPresence::Busy) return DeviceState::Busy;
  if (ringing || dn.presence == EndpointPresence::Ringing) return DeviceState::Ringing;
  if (held || dn.presence == EndpointPresence::Held) return DeviceState::Held;
  return DeviceState::Idle;
}

bool CallModel::isAvailable(const Agent& agent) const {
  if (agent.state != AgentState::Ready || agent.removed) return false;
  const Dn* dn = findDn(agent.dn);
  return dn != nullptr && !dn->removed && dn->calls.empty() &&
         deviceState(*dn) == DeviceState::Idle;
}

const Agent* CallModel::selectAgent(std::string_view groupName,
                                    const std::vector<std::string>& exclude) const {
  const AvailabilityIndex::Members* members = availableMembers(groupName);
  if (members == nullptr) return nullptr;
  for (const AvailabilityIndex::Entry& entry : *members) {
    const Agent& agent = *entry.agent;
    if (std::find(exclude.begin(), exclude.end(), agent.agentId) == exclude.end()) return &agent;
  }
  return nullptr;
}

// --- the availability index

void CallModel::reindex(const Agent& agent) {
  availabilityIndex_.update(agent, isAvailable(agent));
}

void CallModel::reindexDn(const Dn& dn) {
  if (dn.agentId.empty()) return;  // routing points, trunks, DNs nobody is logged in on
  if (const Agent* agent = findAgent(dn.agentId); agent != nullptr) reindex(*agent);
}

void CallModel::rebuildAvailabilityIndex() {
  std::vector<const Group*> groups;
  groups.reserve(groups_.size());
  for (const auto& [name, group] : groups_) groups.push_back(&group);
  availabilityIndex_.rebuild(groups, [this](std::string_view id) { return findAgent(id); });
  for (const auto& [id, agent] : agents_) reindex(agent);
}

}  // namespace ccsip::model
