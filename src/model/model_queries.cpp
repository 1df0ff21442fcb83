#include "model/model.h"

// QueryAddress, QueryCall, QueryServer.

namespace ccsip::model {

util::Result<AddressInfo> CallModel::queryAddress(std::string_view dnName) const {
  const Dn* dn = findDn(dnName);
  if (dn == nullptr) return makeError(ErrorCode::UnknownDn, dnName);
  AddressInfo info;
  info.dn = dn->dn;
  info.type = dn->type;
  info.deviceState = deviceState(*dn);
  info.presence = dn->presence;
  info.removed = dn->removed;
  if (const Agent* agent = findAgent(dn->agentId); agent != nullptr) {
    info.agentId = agent->agentId;
    info.agentState = agent->state;
    info.reasons = agent->reasons;
  }
  for (ConnId id : dn->calls) {
    const Call* call = findCall(id);
    const Party* party = call == nullptr ? nullptr : call->findParty(dn->dn);
    if (party == nullptr) continue;
    info.calls.push_back(AddressCall{id, call->type, party->state, call->otherDnFor(dn->dn)});
  }
  if (!dn->options.mailbox.empty()) {
    if (const auto* state = mailboxState(dn->options.mailbox); state != nullptr) info.mwi = *state;
  }
  return info;
}

const Dn* CallModel::findVoicemailDn(std::string_view box) const {
  // A scan: asked once per overflow to voicemail, far rarer than calls; an index would have to
  // follow every reload for little gain.
  if (box.empty()) return nullptr;
  const Dn* anyBox = nullptr;
  for (const auto& [name, dn] : dns_) {
    if (dn.type != DnType::Voicemail || dn.removed) continue;
    if (dn.options.voicemailBox == box) return &dn;
    if (dn.options.voicemailBox.empty() && (anyBox == nullptr || dn.dn < anyBox->dn)) anyBox = &dn;
  }
  return anyBox;
}

util::Result<boost::json::object> CallModel::queryCall(ConnId id) const {
  const Call* call = findCall(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  return toJson(*call);
}

ServerInfo CallModel::queryServer() const {
  ServerInfo info;
  info.calls = calls_.size();
  for (const auto& [id, call] : calls_) {
    ++info.callsByType[static_cast<std::size_t>(call.type)];
    info.parties += call.parties.size();
    for (const Party& party : call.parties) {
      ++info.partiesByState[static_cast<std::size_t>(party.state)];
    }
  }
  info.agents = agents_.size();
  for (const auto& [id, agent] : agents_) {
    ++info.agentsByState[static_cast<std::size_t>(agent.state)];
  }
  info.dns = dns_.size();
  for (const auto& [name, dn] : dns_) {
    ++info.dnsByState[static_cast<std::size_t>(deviceState(dn))];
    if (dn.removed) ++info.dnsRemoving;
  }
  info.groups = groups_.size();
  return info;
}

}  // namespace ccsip::model
