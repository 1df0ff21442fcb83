#include "model/model.h"

#include <algorithm>
#include <utility>

// The core of CallModel: lookups, the mutations (the one place state changes) and event
// construction. Requests and facts live in model_agents.cpp, model_calls.cpp,
// model_user_data.cpp, model_config.cpp; queries in model_queries.cpp.

namespace ccsip::model {

namespace json = boost::json;

namespace {

// referenceId, time, thisDN, otherDN, connId, callType, agentId, agentState, reasons,
// userData: what the largest events carry.
constexpr std::size_t kEventFieldsReserve = 10;

}  // namespace

CallModel::CallModel(const ModelOptions& options)
    : sink_(*options.sink),
      clock_(*options.clock),
      connIds_(*options.connIds),
      changes_(options.changes) {}

// --- lookups ---

Dn* CallModel::dnOf(std::string_view dn) {
  auto it = dns_.find(dn);
  return it == dns_.end() ? nullptr : &it->second;
}

Agent* CallModel::agentOf(std::string_view agentId) {
  auto it = agents_.find(agentId);
  return it == agents_.end() ? nullptr : &it->second;
}

Agent* CallModel::agentOn(const Dn& dn) {
  return dn.agentId.empty() ? nullptr : agentOf(dn.agentId);
}

Call* CallModel::callOf(ConnId id) {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : &it->second;
}

const Dn* CallModel::findDn(std::string_view dn) const {
  return const_cast<CallModel*>(this)->dnOf(dn);
}

const Agent* CallModel::findAgent(std::string_view agentId) const {
  return const_cast<CallModel*>(this)->agentOf(agentId);
}

const Group* CallModel::findGroup(std::string_view name) const {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

const Call* CallModel::findCall(ConnId id) const {
  return const_cast<CallModel*>(this)->callOf(id);
}

// --- mutations ---

void CallModel::record(std::string_view kind, json::object data) {
  if (changes_ != nullptr) changes_->onChange(StateChange{kind, std::move(data)});
}

void CallModel::putDn(const DnSpec& spec) {
  auto [it, inserted] = dns_.try_emplace(spec.dn);
  Dn& dn = it->second;
  if (inserted) dn.dn = spec.dn;
  dn.type = spec.type;
  dn.options = spec.options;
  reindexDn(dn);  // the type decides the device state
  if (changes_ != nullptr) {
    record("dn.config", {{"dn", spec.dn}, {"type", toString(spec.type)}});
  }
}

void CallModel::setDnRemoved(Dn& dn, bool removed) {
  dn.removed = removed;
  reindexDn(dn);
  if (changes_ != nullptr) record("dn.removed", {{"dn", dn.dn}, {"removed", removed}});
}

void CallModel::setPresence(Dn& dn, EndpointPresence presence) {
  dn.presence = presence;
  reindexDn(dn);
  if (changes_ != nullptr) {
    record("dn.presence", {{"dn", dn.dn}, {"presence", toString(presence)}});
  }
}

void CallModel::eraseDn(std::string_view dn) {
  if (changes_ != nullptr) record("dn.erased", {{"dn", dn}});
  auto it = dns_.find(dn);
  if (it == dns_.end()) return;
  Agent* agent = agentOn(it->second);
  dns_.erase(it);
  if (agent != nullptr) reindex(*agent);  // its DN is gone
}

void CallModel::putAgent(const AgentSpec& spec) {
  auto [it, inserted] = agents_.try_emplace(spec.agentId);
  Agent& agent = it->second;
  if (inserted) agent.agentId = spec.agentId;
  agent.options = spec.options;
  // The password stays out of the journal.
  if (changes_ != nullptr) {
    record("agent.config", {{"agentId", spec.agentId}, {"defaultDN", spec.options.defaultDn}});
  }
}

void CallModel::setAgentRemoved(Agent& agent, bool removed) {
  agent.removed = removed;
  reindex(agent);
  if (changes_ != nullptr) {
    record("agent.removed", {{"agentId", agent.agentId}, {"removed", removed}});
  }
}

void CallModel::eraseAgent(std::string_view agentId) {
  if (changes_ != nullptr) record("agent.erased", {{"agentId", agentId}});
  auto it = agents_.find(agentId);
  if (it == agents_.end()) return;
  availabilityIndex_.forget(it->second);
  agents_.erase(it);
}

void CallModel::putGroups(const std::vector<GroupSpec>& groups) {
  groups_.clear();
  for (const GroupSpec& group : groups) groups_.insert_or_assign(group.name, group);
  rebuildAvailabilityIndex();
  if (changes_ != nullptr) {
    json::array names;
    for (const GroupSpec& group : groups) names.emplace_back(group.name);
    record("group.config", {{"groups", std::move(names)}});
  }
}

void CallModel::bindAgent(Agent& agent, std::string_view dn) {
  if (Dn* old = dnOf(agent.dn); old != nullptr && old->agentId == agent.agentId) {
    old->agentId.clear();
  }
  agent.dn = std::string(dn);
  if (Dn* now = dnOf(dn); now != nullptr) now->agentId = agent.agentId;
  reindex(agent);
  if (changes_ != nullptr) record("agent.dn", {{"agentId", agent.agentId}, {"dn", dn}});
}

void CallModel::setAgentState(Agent& agent, AgentState state, const json::object& reasons,
                              bool byEndpoint) {
  agent.state = state;
  agent.reasons = reasons;
  agent.notReadyByEndpoint = byEndpoint && state == AgentState::NotReady;
  reindex(agent);
  if (changes_ != nullptr) {
    record("agent.state", {{"agentId", agent.agentId},
                           {"state", toString(state)},
                           {"reasons", reasons},
                           {"byEndpoint", agent.notReadyByEndpoint}});
  }
}

void CallModel::setIdleSince(Agent& agent) {
  agent.idleSince = clock_.now();
  reindex(agent);
  if (changes_ != nullptr) {
    record("agent.idle", {{"agentId", agent.agentId}, {"since", toEpochMillis(agent.idleSince)}});
  }
}

Call& CallModel::insertCall(Call call) {
  const ConnId id = call.connId;
  if (changes_ != nullptr) {
    record("call.created", {{"connId", id.str()},
                            {"callType", toString(call.type)},
                            {"originDN", call.originDn},
                            {"dialledDN", call.dialledDn},
                            {"userData", call.userData}});
  }
  return calls_.insert_or_assign(id, std::move(call)).first->second;
}

void CallModel::setParty(Call& call, std::string_view dn, PartyState state) {
  Party* party = call.findParty(dn);
  if (party == nullptr) {
    Party added;
    added.dn = std::string(dn);
    added.configured = isConfigured(dn);
    call.parties.push_back(std::move(added));
    party = &call.parties.back();
    if (Dn* d = dnOf(dn); d != nullptr) {
      d->calls.push_back(call.connId);
      reindexDn(*d);  // a call on the DN: its agent is busy
    }
  }
  party->state = state;
  party->since = clock_.now();
  if (changes_ != nullptr) {
    record("call.party", {{"connId", call.connId.str()}, {"dn", dn}, {"state", toString(state)}});
  }
}

void CallModel::removeParty(Call& call, std::string_view dn) {
  auto it = std::find_if(call.parties.begin(), call.parties.end(),
                         [dn](const Party& party) { return party.dn == dn; });
  if (it == call.parties.end()) return;
  call.parties.erase(it);
  if (Dn* d = dnOf(dn); d != nullptr) {
    std::erase(d->calls, call.connId);
    reindexDn(*d);
  }
  if (changes_ != nullptr) {
    record("call.party",
           {{"connId", call.connId.str()}, {"dn", dn}, {"state", toString(PartyState::Released)}});
  }
}

void CallModel::setRoutedFrom(Call& call, std::string_view dn) {
  call.routedFrom = std::string(dn);
  if (changes_ != nullptr) record("call.routedFrom", {{"connId", call.connId.str()}, {"dn", dn}});
}

void CallModel::setEstablished(Call& call) {
  call.established = clock_.now();
  if (changes_ != nullptr) {
    record("call.established",
           {{"connId", call.connId.str()}, {"time", toEpochMillis(*call.established)}});
  }
}

void CallModel::setUserData(Call& call, json::object userData) {
  call.userData = std::move(userData);
  if (changes_ != nullptr) {
    record("call.userData", {{"connId", call.connId.str()}, {"userData", call.userData}});
  }
}

void CallModel::eraseCall(ConnId id) {
  Call* call = callOf(id);
  if (call == nullptr) return;
  for (const Party& party : call->parties) {
    if (Dn* d = dnOf(party.dn); d != nullptr) {
      std::erase(d->calls, id);
      reindexDn(*d);
    }
  }
  calls_.erase(id);
  if (changes_ != nullptr) record("call.erased", {{"connId", id.str()}});
}

// --- events ---

json::object CallModel::baseFields(const ReferenceId& ref) const {
  json::object fields;
  // Room for the fields every event builder adds: a json::object grows by half its size, so
  // five members one by one reallocate it five times (a presence or MWI NOTIFY makes one
  // event each, thousands a second).
  fields.reserve(kEventFieldsReserve);
  if (!ref.is_null()) fields["referenceId"] = ref;
  fields["time"] = toEpochMillis(clock_.now());
  return fields;
}

TEvent CallModel::agentEvent(std::string_view name, const Agent& agent,
                             const ReferenceId& ref) const {
  TEvent event;
  event.name = std::string(name);
  event.fields = baseFields(ref);
  event.fields["thisDN"] = agent.dn;
  event.fields["agentId"] = agent.agentId;
  event.fields["agentState"] = toString(agent.state);
  if (!agent.reasons.empty()) event.fields["reasons"] = agent.reasons;
  event.dns.push_back(agent.dn);
  event.agentId = agent.agentId;
  return event;
}

TEvent CallModel::callEvent(std::string_view name, const Call& call, std::string_view thisDn,
                            const ReferenceId& ref) const {
  TEvent event;
  event.name = std::string(name);
  event.fields = baseFields(ref);
  event.fields["thisDN"] = thisDn;
  const std::string& other = call.otherDnFor(thisDn);
  if (!other.empty()) event.fields["otherDN"] = other;
  event.fields["connId"] = call.connId.str();
  event.fields["callType"] = toString(call.type);
  if (const Dn* dn = findDn(thisDn); dn != nullptr && !dn->agentId.empty()) {
    event.fields["agentId"] = dn->agentId;
  }
  event.fields["userData"] = call.userData;
  event.dns.emplace_back(thisDn);
  return event;
}

TEvent CallModel::dnEvent(std::string_view name, const Dn& dn) const {
  TEvent event;
  event.name = std::string(name);
  event.fields = baseFields(nullptr);
  event.fields["thisDN"] = dn.dn;
  event.dns.push_back(dn.dn);
  return event;
}

void CallModel::emit(TEvent event) {
  sink_.onEvent(event);
}

}  // namespace ccsip::model
