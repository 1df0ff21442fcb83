#include "control/registration_presence.h"

namespace ccsip::control {

std::string_view RegistrationPresence::dnOf(std::string_view aor) const {
  // The registrar keys AORs as sip:<user>@<domain> (Registrar::aorForUser).
  constexpr std::string_view kScheme = "sip:";
  if (aor.substr(0, kScheme.size()) != kScheme) return {};
  const std::string_view rest = aor.substr(kScheme.size());
  const std::size_t at = rest.find('@');
  if (at == std::string_view::npos) return {};
  const std::string_view dn = rest.substr(0, at);
  if (addresses_.aorOf(dn) != aor || !addresses_.onCcsip(dn)) return {};
  return dn;
}

void RegistrationPresence::onRegistered(std::string_view aor, const sip::dialog::Binding&) {
  const std::string_view dn = dnOf(aor);
  if (dn.empty()) return;
  const model::Dn* configured = model_.findDn(dn);
  // Only a DN out of service (or never heard of) comes back; a phone adding a second binding
  // during a call keeps its state.
  if (configured != nullptr && (configured->presence == model::EndpointPresence::Offline ||
                                configured->presence == model::EndpointPresence::Unknown)) {
    (void)model_.endpointIdle(dn);
  }
}

void RegistrationPresence::onUnregistered(std::string_view aor, const sip::dialog::Binding&,
                                          sip::dialog::UnregisterReason) {
  const std::string_view dn = dnOf(aor);
  if (dn.empty()) return;
  // Callbacks come after the table committed the change: another contact may remain.
  if (locations_.lookup(aor).empty()) (void)model_.endpointOffline(dn);
}

}  // namespace ccsip::control
