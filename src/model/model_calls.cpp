#include "model/model.h"

// Call facts from the control layer (DESIGN.md "Call flows"): each changes parties through the
// mutations of model.cpp, then emits the events the CTI protocol lists, each to its DN.

namespace ccsip::model {

namespace json = boost::json;

namespace {

bool isTalking(PartyState state) {
  return state == PartyState::Established || state == PartyState::Held;
}

}  // namespace

util::Result<ConnId> CallModel::callCreated(const NewCall& spec) {
  if (spec.originDn.empty()) return makeError(ErrorCode::MissingField, "origin DN");
  const ConnId id = connIds_.next();
  if (calls_.contains(id)) return makeError(ErrorCode::InternalError, "ConnId reused");
  Call call;
  call.connId = id;
  call.type = spec.type;
  call.originDn = spec.originDn;
  call.dialledDn = spec.dialledDn;
  call.userData = spec.userData;
  call.mainConnId = spec.mainConnId;
  call.created = clock_.now();
  Call& stored = insertCall(std::move(call));
  setParty(stored, spec.originDn, PartyState::Dialing);
  if (isConfigured(spec.originDn)) {
    emit(callEvent("EventDialing", stored, spec.originDn, spec.referenceId));
  }
  return id;
}

Status CallModel::partyDialing(ConnId id, std::string_view dn, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (dn.empty()) return makeError(ErrorCode::MissingField, "DN");
  const Party* party = call->findParty(dn);
  if (party != nullptr) {
    if (party->state == PartyState::Dialing) return ok();
    return makeError(ErrorCode::InvalidCallState, toString(party->state));
  }
  setParty(*call, dn, PartyState::Dialing);
  if (isConfigured(dn)) emit(callEvent("EventDialing", *call, dn, ref));
  return ok();
}

Status CallModel::partyRinging(ConnId id, std::string_view dn, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (dn.empty()) return makeError(ErrorCode::MissingField, "DN");
  if (const Party* party = call->findParty(dn); party != nullptr) {
    if (party->state == PartyState::Ringing) return ok();
    if (party->state != PartyState::Dialing) {
      return makeError(ErrorCode::InvalidCallState, toString(party->state));
    }
  }
  setParty(*call, dn, PartyState::Ringing);
  if (isConfigured(dn)) {
    TEvent event = callEvent("EventRinging", *call, dn, ref);
    // A routed call tells the agent where it came from (the routing point).
    if (!call->routedFrom.empty()) event.fields["thirdPartyDN"] = call->routedFrom;
    emit(std::move(event));
  }
  return ok();
}

Status CallModel::networkReached(ConnId id, std::string_view dn, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (dn.empty()) return makeError(ErrorCode::MissingField, "DN");
  if (const Party* party = call->findParty(dn); party != nullptr) {
    if (party->state == PartyState::Ringing) return ok();
    return makeError(ErrorCode::InvalidCallState, toString(party->state));
  }
  setParty(*call, dn, PartyState::Ringing);
  if (call->findParty(call->originDn) != nullptr && isConfigured(call->originDn)) {
    TEvent event = callEvent("EventNetworkReached", *call, call->originDn, ref);
    event.fields["otherDN"] = dn;
    emit(std::move(event));
  }
  return ok();
}

Status CallModel::partyEstablished(ConnId id, std::string_view dn, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (dn.empty()) return makeError(ErrorCode::MissingField, "DN");
  if (const Party* party = call->findParty(dn); party != nullptr) {
    if (party->state == PartyState::Established) return ok();
    if (party->state == PartyState::Held) {
      return makeError(ErrorCode::InvalidCallState, toString(party->state));
    }
  }
  setParty(*call, dn, PartyState::Established);
  // The caller was dialing until somebody answered: it is connected now too.
  const Party* origin = call->findParty(call->originDn);
  const bool originAnswered =
      origin != nullptr && call->originDn != dn && origin->state == PartyState::Dialing;
  if (originAnswered) setParty(*call, call->originDn, PartyState::Established);
  if (!call->established) {
    std::size_t talking = 0;
    for (const Party& party : call->parties) talking += isTalking(party.state) ? 1 : 0;
    if (talking >= 2) setEstablished(*call);
  }

  if (isConfigured(dn)) emit(callEvent("EventEstablished", *call, dn, ref));
  if (originAnswered && isConfigured(call->originDn)) {
    TEvent event = callEvent("EventEstablished", *call, call->originDn, ref);
    event.fields["otherDN"] = dn;
    emit(std::move(event));
  }
  return ok();
}

Status CallModel::partyHeld(ConnId id, std::string_view dn, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  const Party* party = call->findParty(dn);
  if (party == nullptr) return makeError(ErrorCode::CallNotOnDn, dn);
  if (party->state == PartyState::Held) return ok();
  if (party->state != PartyState::Established) {
    return makeError(ErrorCode::InvalidCallState, toString(party->state));
  }
  setParty(*call, dn, PartyState::Held);
  if (isConfigured(dn)) emit(callEvent("EventHeld", *call, dn, ref));
  return ok();
}

Status CallModel::partyRetrieved(ConnId id, std::string_view dn, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  const Party* party = call->findParty(dn);
  if (party == nullptr) return makeError(ErrorCode::CallNotOnDn, dn);
  if (party->state != PartyState::Held) {
    return makeError(ErrorCode::InvalidCallState, toString(party->state));
  }
  setParty(*call, dn, PartyState::Established);
  if (isConfigured(dn)) emit(callEvent("EventRetrieved", *call, dn, ref));
  return ok();
}

Status CallModel::partyReleased(ConnId id, std::string_view dn, std::string_view cause,
                                const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (call->findParty(dn) == nullptr) return makeError(ErrorCode::CallNotOnDn, dn);
  const std::string name(dn);
  const bool configured = isConfigured(name);
  TEvent event;
  if (configured) {
    event = callEvent("EventReleased", *call, name, ref);
    if (!cause.empty()) event.fields["cause"] = cause;
  }
  removeParty(*call, name);
  endCallIfEmpty(id);
  if (configured) emit(std::move(event));
  dnCallEnded(name);
  notifyIfAvailable(name);
  return ok();
}

Status CallModel::callAbandoned(ConnId id, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  std::vector<TEvent> events;
  std::vector<std::string> dns;
  for (const Party& party : call->parties) {
    if (!party.configured) continue;
    // Whoever was still waiting sees an abandoned call; a party already talking (conference)
    // or the caller itself sees it released.
    const bool waiting = party.dn != call->originDn && !isTalking(party.state);
    events.push_back(callEvent(waiting ? "EventAbandoned" : "EventReleased", *call, party.dn, ref));
    dns.push_back(party.dn);
  }
  eraseCall(id);
  for (TEvent& event : events) emit(std::move(event));
  for (const std::string& dn : dns) dnCallEnded(dn);
  for (const std::string& dn : dns) notifyIfAvailable(dn);
  return ok();
}

Status CallModel::destinationBusy(ConnId id, std::string_view dn, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (dn.empty()) return makeError(ErrorCode::MissingField, "DN");
  const std::string busy(dn);
  const bool wasParty = call->findParty(busy) != nullptr;
  if (wasParty) removeParty(*call, busy);

  std::vector<TEvent> events;
  auto tell = [&](const std::string& target) {
    if (target.empty() || target == busy || !isConfigured(target)) return;
    TEvent event = callEvent("EventDestinationBusy", *call, target, ref);
    event.fields["otherDN"] = busy;
    events.push_back(std::move(event));
  };
  tell(call->originDn);
  if (call->routedFrom != call->originDn) tell(call->routedFrom);
  endCallIfEmpty(id);
  for (TEvent& event : events) emit(std::move(event));
  if (wasParty) {
    dnCallEnded(busy);
    notifyIfAvailable(busy);
  }
  return ok();
}

Status CallModel::routeRequest(ConnId id, std::string_view rp, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  const Dn* dn = findDn(rp);
  if (dn == nullptr) return makeError(ErrorCode::UnknownDn, rp);
  if (dn->type != DnType::RoutingPoint) return makeError(ErrorCode::WrongDnType, rp);
  if (const Party* party = call->findParty(rp); party != nullptr) {
    // Asked again (a recall, a router that came back): the call still waits there.
    if (party->state != PartyState::Ringing) {
      return makeError(ErrorCode::InvalidCallState, toString(party->state));
    }
  } else {
    setParty(*call, rp, PartyState::Ringing);
  }
  emit(callEvent("EventRouteRequest", *call, rp, ref));
  return ok();
}

Status CallModel::queued(ConnId id, std::string_view rp, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (call->findParty(rp) == nullptr) return makeError(ErrorCode::CallNotOnDn, rp);
  if (isConfigured(rp)) emit(callEvent("EventQueued", *call, rp, ref));
  return ok();
}

Status CallModel::routeUsed(ConnId id, std::string_view rp, std::string_view target,
                            const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (call->findParty(rp) == nullptr) return makeError(ErrorCode::CallNotOnDn, rp);
  if (target.empty()) return makeError(ErrorCode::MissingField, "target DN");
  const std::string from(rp);
  TEvent event = callEvent("EventRouteUsed", *call, from, ref);
  event.fields["thirdPartyDN"] = target;
  removeParty(*call, from);
  setRoutedFrom(*call, from);
  endCallIfEmpty(id);
  emit(std::move(event));
  dnCallEnded(from);
  notifyIfAvailable(from);
  return ok();
}

Status CallModel::diverted(ConnId id, std::string_view fromDn, std::string_view to,
                           const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (call->findParty(fromDn) == nullptr) return makeError(ErrorCode::CallNotOnDn, fromDn);
  if (to.empty()) return makeError(ErrorCode::MissingField, "target DN");
  const std::string from(fromDn);
  const bool configured = isConfigured(from);
  TEvent event;
  if (configured) {
    event = callEvent("EventDiverted", *call, from, ref);
    event.fields["thirdPartyDN"] = to;
  }
  removeParty(*call, from);
  setRoutedFrom(*call, from);
  endCallIfEmpty(id);
  if (configured) emit(std::move(event));
  dnCallEnded(from);
  notifyIfAvailable(from);
  return ok();
}

void CallModel::endCallIfEmpty(ConnId id) {
  const Call* call = findCall(id);
  if (call != nullptr && call->parties.empty()) eraseCall(id);
}

void CallModel::dnCallEnded(std::string_view dnName) {
  Dn* dn = dnOf(dnName);
  if (dn == nullptr || !dn->calls.empty()) return;
  // DESIGN.md "Agent availability": idle time counts from the end of the last call.
  if (Agent* agent = agentOn(*dn); agent != nullptr) setIdleSince(*agent);
  settleRemoval(dnName);
}

void CallModel::notifyIfAvailable(std::string_view dnName) {
  if (availability_ == nullptr) return;
  const Dn* dn = findDn(dnName);
  const Agent* agent = dn == nullptr ? nullptr : findAgent(dn->agentId);
  if (agent != nullptr && isAvailable(*agent)) availability_->onAgentAvailable(*agent);
}

void CallModel::settleRemoval(std::string_view dnName) {
  const std::string name(dnName);  // the Dn (and its own name) may be erased below
  Dn* dn = dnOf(name);
  if (dn == nullptr || !dn->calls.empty()) return;
  if (Agent* agent = agentOn(*dn); agent != nullptr && (agent->removed || dn->removed)) {
    const std::string agentId = agent->agentId;
    forceLogout(*agent, agent->removed ? "agent-removed" : "dn-removed");
    settleAgentRemoval(agentId);
  }
  if (!dn->removed) return;
  if (!dn->outOfService()) {
    TEvent event = dnEvent("EventDNOutOfService", *dn);
    event.fields["reason"] = "removed";
    emit(std::move(event));
  }
  eraseDn(name);
}

void CallModel::settleAgentRemoval(std::string_view agentId) {
  const Agent* agent = findAgent(agentId);
  if (agent != nullptr && agent->removed && !agent->loggedIn()) eraseAgent(std::string(agentId));
}

Status CallModel::checkParty(ConnId id, std::string_view dn) const {
  const Call* call = findCall(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (!isConfigured(dn)) return makeError(ErrorCode::UnknownDn, dn);
  if (call->findParty(dn) == nullptr) return makeError(ErrorCode::CallNotOnDn, dn);
  return ok();
}

}  // namespace ccsip::model
