#include "model/query.h"

namespace ccsip::model {

namespace json = boost::json;

namespace {

// {"<name of index 0>": n0, ...} for counts indexed by an enum.
template <class Enum, std::size_t N>
json::object countsByName(const std::array<std::size_t, N>& counts) {
  json::object out;
  for (std::size_t i = 0; i < N; ++i) out[toString(static_cast<Enum>(i))] = counts[i];
  return out;
}

}  // namespace

json::object toJson(const AddressInfo& info) {
  json::object out;
  out["thisDN"] = info.dn;
  out["dnType"] = toString(info.type);
  out["dnState"] = toString(info.deviceState);
  out["presence"] = toString(info.presence);
  if (info.removed) out["removed"] = true;
  if (!info.agentId.empty()) {
    out["agentId"] = info.agentId;
    out["agentState"] = toString(info.agentState);
    if (!info.reasons.empty()) out["reasons"] = info.reasons;
  }
  json::array calls;
  for (const AddressCall& call : info.calls) {
    json::object item;
    item["connId"] = call.connId.str();
    item["callType"] = toString(call.callType);
    item["partyState"] = toString(call.partyState);
    if (!call.otherDn.empty()) item["otherDN"] = call.otherDn;
    calls.push_back(std::move(item));
  }
  out["calls"] = std::move(calls);
  if (const auto* mwi = info.mwi.if_contains("gsipmwi"); mwi != nullptr) out["mwi"] = *mwi;
  return out;
}

json::object toJson(const Call& call) {
  json::object out;
  out["connId"] = call.connId.str();
  out["callType"] = toString(call.type);
  out["originDN"] = call.originDn;
  if (!call.dialledDn.empty()) out["dialledDN"] = call.dialledDn;
  if (!call.routedFrom.empty()) out["routedFrom"] = call.routedFrom;
  if (call.mainConnId) out["mainConnId"] = call.mainConnId->str();
  json::array parties;
  for (const Party& party : call.parties) {
    parties.push_back(json::object{
        {"dn", party.dn}, {"state", toString(party.state)}, {"since", toEpochMillis(party.since)}});
  }
  out["parties"] = std::move(parties);
  out["userData"] = call.userData;
  out["created"] = toEpochMillis(call.created);
  if (call.established) out["established"] = toEpochMillis(*call.established);
  return out;
}

json::object toJson(const ServerInfo& info) {
  json::object out;
  out["calls"] = info.calls;
  out["callsByType"] = countsByName<CallType>(info.callsByType);
  out["parties"] = info.parties;
  out["partiesByState"] = countsByName<PartyState>(info.partiesByState);
  out["agents"] = info.agents;
  out["agentsByState"] = countsByName<AgentState>(info.agentsByState);
  out["dns"] = info.dns;
  out["dnsByState"] = countsByName<DeviceState>(info.dnsByState);
  out["dnsRemoving"] = info.dnsRemoving;
  out["groups"] = info.groups;
  return out;
}

}  // namespace ccsip::model
