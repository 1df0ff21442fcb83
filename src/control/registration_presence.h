#pragma once

#include <string_view>

#include "control/dn_address.h"
#include "model/model.h"
#include "sip/dialog/binding.h"
#include "sip/dialog/location_table.h"

namespace ccsip::control {

// The presence of phones registered on ccsip (DESIGN.md "Agent availability and presence": a
// DN not registered is out of service): the registrar's location table reports bindings coming
// and going; an extension on ccsip is back in service when a binding appears and out of service
// (EventDNOutOfService) when its last binding is removed or expires. DNs on the switch follow
// the switch's presence instead and are left alone. Before its first registration a DN is
// "unknown" (served as idle); the first failed delivery marks it out of service (DnAddressBook).
class RegistrationPresence final : public sip::dialog::RegistrationHandler {
 public:
  RegistrationPresence(model::CallModel& model, const DnAddressBook& addresses,
                       sip::dialog::LocationTable& locations)
      : model_(model), addresses_(addresses), locations_(locations) {}

  void onRegistered(std::string_view aor, const sip::dialog::Binding& binding) override;
  void onUnregistered(std::string_view aor, const sip::dialog::Binding& binding,
                      sip::dialog::UnregisterReason reason) override;

 private:
  // The DN of an AOR of our domain that is an extension on ccsip; "" otherwise.
  std::string_view dnOf(std::string_view aor) const;

  model::CallModel& model_;
  const DnAddressBook& addresses_;
  sip::dialog::LocationTable& locations_;
};

}  // namespace ccsip::control
