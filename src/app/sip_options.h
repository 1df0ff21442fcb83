#pragma once

// Configuration sections turned into the options structs of the SIP core components.

#include <string>
#include <vector>

#include "config/config.h"
#include "sip/dialog/location_table.h"
#include "sip/dialog/nonce_manager.h"
#include "sip/dialog/options_responder.h"
#include "sip/dialog/registrar.h"
#include "sip/transport/transport_manager.h"
#include "sip/txn/timer_options.h"

namespace ccsip::app {

// Methods this server answers itself, for Allow (RFC 3261 20.5) in 405s and OPTIONS answers.
inline constexpr const char* kAllowedMethods =
    "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, UPDATE, INFO";

sip::txn::TimerOptions timerOptions(const config::SipTimersConfig& timers);
sip::transport::ListenOptions listenOptions(const config::ListenConfig& listen);
sip::dialog::LocationOptions locationOptions(const config::RegistrarConfig& registrar);
sip::dialog::NonceOptions nonceOptions(const config::RegistrarConfig& registrar);
// localHosts: the addresses ccsip listens on, which REGISTERs may address instead of the domain.
sip::dialog::RegistrarOptions registrarOptions(const config::Config& config,
                                               std::vector<std::string> localHosts);
sip::dialog::OptionsResponderOptions optionsResponderOptions(const config::Config& config);

}  // namespace ccsip::app
