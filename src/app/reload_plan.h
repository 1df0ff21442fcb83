#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace ccsip::app {

// What a SIGHUP reload can take from a new configuration while calls go on, and what it cannot.
// Applied live: dns, agents, groups, options (through the call model: a removed DN goes out of
// service once its last call ends), extensions (the registrar's credentials) and log.level.
// Everything bound at start-up — SIP/CTI/HTTP listeners, the switch, the SIP timers, the
// registrar's timings, cti tuning — needs a restart: those changes are listed, not applied.
struct ReloadPlan {
  // "sip.listen", "switch", ...: sections whose change is ignored until a restart.
  std::vector<std::string> needsRestart;
};

ReloadPlan planReload(const config::Config& running, const config::Config& next);

}  // namespace ccsip::app
