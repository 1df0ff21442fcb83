#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "control/control_options.h"
#include "model/model.h"
#include "sip/dialog/location_table.h"
#include "sip/transport/transport.h"
#include "util/result.h"

namespace ccsip::control {

// Where an INVITE for one DN goes.
struct DnAddress {
  std::string requestUri;  // sip:<dn>@<switch>, or the phone's registered Contact
  std::string to;          // the To name-addr: the DN as its phone knows itself
  // The first hop when it is not the Request-URI: where the phone's REGISTER came from (the
  // way back through a NAT, RFC 5626 / RFC 3581 style), on the same transport.
  std::optional<sip::transport::Peer> destination;
};

// "Where do I send an INVITE for DN x" (DESIGN.md "Call flows", docs/call-flows.md "Phones
// registered on ccsip"), for every leg ccsip originates:
//   - an extension on ccsip (DnOptions::onCcsip) is called at its registered contact: the
//     registrar's binding with the highest q, then the most recently refreshed (RFC 3261 16.6
//     would fork to all; one leg per DN keeps the call model simple). No binding: error 480
//     and the DN is reported out of service (EventDNOutOfService), so the router stops
//     offering it calls until the phone registers again;
//   - any other DN is dialled on the switch as sip:<dn>@<switch> (a voicemail DN as
//     sip:<access-number>@<switch>), with ;transport=tcp when switch.transport is tcp;
//     without a switch: error 480.
class DnAddressBook {
 public:
  // `locations` may be null (no registrar): every DN is then dialled on the switch.
  DnAddressBook(model::CallModel& model, const CallControlOptions& options,
                sip::dialog::LocationTable* locations)
      : model_(model), options_(options), locations_(locations) {}

  util::Result<DnAddress> resolve(std::string_view dn);
  // The URI naming `dn` in From / To headers (the AOR of a phone on ccsip, else its URI on the
  // switch).
  std::string identityOf(std::string_view dn) const;
  // True when `dn` is an extension whose phone registers on ccsip.
  bool onCcsip(std::string_view dn) const;
  // The registrar's key of a phone: sip:<dn>@<domain>.
  std::string aorOf(std::string_view dn) const;
  // True when `source` is where a phone of extension `dn` (on ccsip) registered from. Its
  // INVITEs are the phone's even from the switch's address, which is trusted on any port (one
  // machine for Asterisk, ccsip and the phones, as in docs/asterisk.md's lab).
  bool isRegisteredFrom(std::string_view dn, const sip::transport::Address& source);

 private:
  std::string switchUri(std::string_view dn) const;

  model::CallModel& model_;
  const CallControlOptions& options_;
  sip::dialog::LocationTable* locations_;
};

}  // namespace ccsip::control
