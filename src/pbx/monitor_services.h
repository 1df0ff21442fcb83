#pragma once

#include "model/model.h"
#include "pbx/subscription_pacer.h"
#include "sip/dialog/user_agent_core.h"
#include "util/timer_service.h"

namespace ccsip::pbx {

// What the presence and MWI monitors are wired to; all required, all outliving the monitors.
struct MonitorServices {
  sip::dialog::UserAgentCore* core = nullptr;
  util::TimerService* timers = nullptr;
  SubscriptionPacer* pacer = nullptr;
  model::CallModel* model = nullptr;
};

}  // namespace ccsip::pbx
