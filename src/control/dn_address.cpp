#include "control/dn_address.h"

namespace ccsip::control {

bool DnAddressBook::onCcsip(std::string_view dn) const {
  if (locations_ == nullptr) return false;
  const model::Dn* configured = model_.findDn(dn);
  return configured != nullptr && configured->type == model::DnType::Extension &&
         configured->options.onCcsip;
}

std::string DnAddressBook::aorOf(std::string_view dn) const {
  return "sip:" + std::string(dn) + "@" + options_.domain;
}

bool DnAddressBook::isRegisteredFrom(std::string_view dn, const sip::transport::Address& source) {
  if (!onCcsip(dn)) return false;
  for (const sip::dialog::Binding& binding : locations_->lookup(aorOf(dn))) {
    if (binding.source.remote == source) return true;
  }
  return false;
}

std::string DnAddressBook::switchUri(std::string_view dn) const {
  return "sip:" + std::string(dn) + "@" + options_.switchHost + ":" +
         std::to_string(options_.switchPort);
}

std::string DnAddressBook::identityOf(std::string_view dn) const {
  return onCcsip(dn) ? aorOf(dn) : switchUri(dn);
}

util::Result<DnAddress> DnAddressBook::resolve(std::string_view dn) {
  if (!onCcsip(dn)) {
    // RFC 3261 21.4.18: nobody to send it to now.
    if (!options_.hasSwitch) return util::makeError(480, "no switch to dial " + std::string(dn));
    // A voicemail DN is a number of the switch too, dialled by its access number
    // (docs/call-flows.md "No answer and voicemail").
    const model::Dn* configured = model_.findDn(dn);
    const bool voicemail = configured != nullptr && configured->type == model::DnType::Voicemail &&
                           !configured->options.accessNumber.empty();
    const std::string uri = switchUri(voicemail ? configured->options.accessNumber : dn);
    // RFC 3263 4.1: the transport is the URI's; the To names the DN and does not route.
    return DnAddress{options_.switchTcp ? uri + ";transport=tcp" : uri, "<" + uri + ">",
                     std::nullopt};
  }
  const std::vector<sip::dialog::Binding> bindings = locations_->lookup(aorOf(dn));
  if (bindings.empty()) {
    // The phone is not registered: out of service until it is (the model tells the desktops
    // and the router).
    (void)model_.endpointOffline(dn);
    return util::makeError(480, std::string(dn) + " is not registered");
  }
  const sip::dialog::Binding& binding = bindings.front();
  DnAddress address;
  address.requestUri = binding.contact;
  address.to = "<" + aorOf(dn) + ">";
  // A binding registered through a proxy (Path, RFC 3327) is left to its Contact: no Route set
  // is built from the Path (not offered yet).
  if (binding.path.empty()) address.destination = binding.source;
  return address;
}

}  // namespace ccsip::control
