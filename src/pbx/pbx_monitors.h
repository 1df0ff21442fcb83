#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/model.h"
#include "pbx/mwi_monitor.h"
#include "pbx/presence_monitor.h"
#include "pbx/subscription_pacer.h"
#include "pbx/switch_keepalive.h"
#include "sip/dialog/user_agent_core.h"
#include "util/timer_service.h"

namespace ccsip::pbx {

struct PbxServices {
  sip::dialog::UserAgentCore* core = nullptr;
  util::TimerService* timers = nullptr;
  model::CallModel* model = nullptr;
};

// The Asterisk side of ccsip (DESIGN.md "Asterisk integration") built from the `switch`
// section: the presence monitor (every extension `on: switch`), the MWI monitor (registered as
// the model's login observer), the OPTIONS keepalive that re-creates both after a switch
// restart, and the pacer all their SUBSCRIBEs share.
class PbxMonitors final : private SwitchRestartHandler {
 public:
  // `localHostPort`: ccsip's "host:port" as the switch reaches it (From / Contact hosts).
  PbxMonitors(const PbxServices& services, const config::Config& config,
              const std::string& localHostPort);
  ~PbxMonitors() override;
  PbxMonitors(const PbxMonitors&) = delete;
  PbxMonitors& operator=(const PbxMonitors&) = delete;

  void start();
  // A reload (SIGHUP): the monitored endpoints and the mailbox scope follow `config`; the switch
  // itself (address, packages, timers) changes only with a restart.
  void reload(const config::Config& config);
  // Unsubscribes everything (the seed: extension boxes end at shutdown) and calls `done` once
  // every subscription is over or `limit` has passed, whichever comes first.
  void shutdown(util::Duration limit, std::function<void()> done);

  PresenceMonitor& presence() { return presence_; }
  MwiMonitor& mwi() { return mwi_; }
  SwitchKeepalive& keepalive() { return keepalive_; }

 private:
  void onSwitchRestarted() override;
  void pollShutdown();

  model::CallModel& model_;
  util::TimerService& timers_;
  SubscriptionPacer pacer_;  // before the monitors: what they queue must outlive it
  PresenceMonitor presence_;
  MwiMonitor mwi_;
  SwitchKeepalive keepalive_;
  std::function<void()> shutdownDone_;
  util::TimePoint shutdownBy_{};
  util::TimerId shutdownTimer_ = 0;
};

// The DNs whose presence ccsip follows: every extension on the switch (none when
// switch.presence.enable is false).
std::vector<std::string> monitoredEndpoints(const config::Config& config);

}  // namespace ccsip::pbx
