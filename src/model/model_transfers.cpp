#include <string>
#include <vector>

#include "model/model.h"

// Transfer facts from the control layer (docs/call-flows.md "SingleStepTransfer",
// "RedirectCall", "InitiateTransfer / CompleteTransfer"): parties change calls or hand a call
// on; each fact changes parties through the mutations of model.cpp, then emits its events.

namespace ccsip::model {

namespace {

bool isTalking(PartyState state) {
  return state == PartyState::Established || state == PartyState::Held;
}

}  // namespace

Status CallModel::partyRingingFrom(ConnId id, std::string_view dn, std::string_view fromDn,
                                   const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (dn.empty() || fromDn.empty()) return makeError(ErrorCode::MissingField, "DN");
  if (const Party* party = call->findParty(dn); party != nullptr) {
    if (party->state == PartyState::Ringing) return ok();
    return makeError(ErrorCode::InvalidCallState, toString(party->state));
  }
  setParty(*call, dn, PartyState::Ringing);
  if (isConfigured(dn)) {
    TEvent event = callEvent("EventRinging", *call, dn, ref);
    event.fields["thirdPartyDN"] = fromDn;
    emit(std::move(event));
  }
  return ok();
}

Status CallModel::partyTransferred(ConnId id, std::string_view fromDn, std::string_view toDn,
                                   std::string_view cause, const ReferenceId& ref) {
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  if (toDn.empty()) return makeError(ErrorCode::MissingField, "target DN");
  if (call->findParty(fromDn) == nullptr) return makeError(ErrorCode::CallNotOnDn, fromDn);
  const std::string from(fromDn);
  const std::string to(toDn);
  const bool configured = isConfigured(from);
  std::vector<TEvent> events;
  if (configured) {
    TEvent released = callEvent("EventReleased", *call, from, ref);
    if (!cause.empty()) released.fields["cause"] = cause;
    released.fields["thirdPartyDN"] = to;
    events.push_back(std::move(released));
  }
  removeParty(*call, from);
  setRoutedFrom(*call, from);
  // Whoever keeps talking on the call now talks to `to`.
  for (const Party& party : call->parties) {
    if (party.dn == to || !party.configured || !isTalking(party.state)) continue;
    TEvent changed = callEvent("EventPartyChanged", *call, party.dn, {});
    changed.fields["otherDN"] = to;
    changed.fields["thirdPartyDN"] = from;
    events.push_back(std::move(changed));
  }
  endCallIfEmpty(id);
  for (TEvent& event : events) emit(std::move(event));
  dnCallEnded(from);
  notifyIfAvailable(from);
  return ok();
}

Status CallModel::transferCompleted(ConnId mainId, ConnId consultId, std::string_view dn,
                                    const ReferenceId& ref) {
  Call* main = callOf(mainId);
  if (main == nullptr) return makeError(ErrorCode::UnknownCall, mainId.str());
  Call* consult = callOf(consultId);
  if (consult == nullptr || mainId == consultId) {
    return makeError(ErrorCode::UnknownCall, consultId.str());
  }
  if (main->findParty(dn) == nullptr || consult->findParty(dn) == nullptr) {
    return makeError(ErrorCode::CallNotOnDn, dn);
  }
  const std::string transferrer(dn);
  // The parties that move: everyone on the consult call but the transferring DN (a party on
  // both calls stays where it is on the main call).
  std::vector<Party> moving;
  for (const Party& party : consult->parties) {
    if (party.dn != transferrer && main->findParty(party.dn) == nullptr) moving.push_back(party);
  }
  std::vector<TEvent> events;
  const bool configured = isConfigured(transferrer);
  if (configured) {
    TEvent consultReleased = callEvent("EventReleased", *consult, transferrer, {});
    consultReleased.fields["cause"] = "transferred";
    events.push_back(std::move(consultReleased));
    TEvent mainReleased = callEvent("EventReleased", *main, transferrer, ref);
    mainReleased.fields["cause"] = "transferred";
    events.push_back(std::move(mainReleased));
  }
  removeParty(*main, transferrer);
  setRoutedFrom(*main, transferrer);
  const std::string newPeer = moving.empty() ? std::string() : moving.front().dn;
  for (const Party& party : main->parties) {
    if (!party.configured || !isTalking(party.state) || newPeer.empty()) continue;
    TEvent changed = callEvent("EventPartyChanged", *main, party.dn, {});
    changed.fields["otherDN"] = newPeer;
    changed.fields["thirdPartyDN"] = transferrer;
    events.push_back(std::move(changed));
  }
  for (const Party& party : moving) {
    removeParty(*consult, party.dn);
    setParty(*main, party.dn, party.state);
    if (!party.configured) continue;
    TEvent changed = callEvent("EventPartyChanged", *main, party.dn, {});
    changed.fields["previousConnId"] = consultId.str();
    changed.fields["thirdPartyDN"] = transferrer;
    events.push_back(std::move(changed));
  }
  eraseCall(consultId);
  endCallIfEmpty(mainId);
  for (TEvent& event : events) emit(std::move(event));
  dnCallEnded(transferrer);
  notifyIfAvailable(transferrer);
  return ok();
}

}  // namespace ccsip::model
