#include "model/call.h"

namespace ccsip::model {

std::string_view toString(CallType type) {
  switch (type) {
    case CallType::Inbound:
      return "Inbound";
    case CallType::Outbound:
      return "Outbound";
    case CallType::Internal:
      return "Internal";
    case CallType::Consult:
      return "Consult";
  }
  return "Internal";
}

std::optional<CallType> parseCallType(std::string_view text) {
  for (CallType type :
       {CallType::Inbound, CallType::Outbound, CallType::Internal, CallType::Consult}) {
    if (toString(type) == text) return type;
  }
  return std::nullopt;
}

std::string_view toString(PartyState state) {
  switch (state) {
    case PartyState::Dialing:
      return "Dialing";
    case PartyState::Ringing:
      return "Ringing";
    case PartyState::Established:
      return "Established";
    case PartyState::Held:
      return "Held";
    case PartyState::Released:
      return "Released";
  }
  return "Released";
}

Party* Call::findParty(std::string_view dn) {
  for (Party& party : parties) {
    if (party.dn == dn) return &party;
  }
  return nullptr;
}

const Party* Call::findParty(std::string_view dn) const {
  return const_cast<Call*>(this)->findParty(dn);
}

const std::string& Call::otherDnFor(std::string_view dn) const {
  if (dn != originDn) return originDn;
  for (const Party& party : parties) {
    if (party.dn != dn) return party.dn;
  }
  return dialledDn;
}

}  // namespace ccsip::model
