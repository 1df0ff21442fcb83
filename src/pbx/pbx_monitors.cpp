#include "pbx/pbx_monitors.h"

#include <spdlog/spdlog.h>

namespace ccsip::pbx {

namespace {

// How often shutdown() looks whether every unsubscribe is over.
constexpr util::Duration kShutdownPoll{20};

SwitchAddress switchAddress(const config::SwitchConfig& pbx) {
  SwitchAddress target;
  const std::string ip = pbx.address.to_string();
  target.host = pbx.address.is_v6() ? "[" + ip + "]" : ip;
  target.port = pbx.port;
  target.tcp = pbx.transport == sip::transport::TransportKind::Tcp;
  return target;
}

PresenceMonitorOptions presenceOptions(const config::SwitchConfig& pbx,
                                       const std::string& localHostPort) {
  PresenceMonitorOptions options;
  options.target = switchAddress(pbx);
  options.localHostPort = localHostPort;
  options.event = pbx.presence.event;
  options.expires = pbx.presence.expires;
  options.retry = pbx.presence.retry;
  options.fromUser = pbx.presence.fromUser;
  return options;
}

MwiMonitorOptions mwiOptions(const config::SwitchConfig& pbx, const std::string& localHostPort) {
  MwiMonitorOptions options;
  options.target = switchAddress(pbx);
  options.localHostPort = localHostPort;
  options.extensionEnable = pbx.mwi.extensionEnable;
  options.expires = pbx.mwi.expires;
  options.retry = pbx.mwi.retry;
  return options;
}

SwitchKeepaliveOptions keepaliveOptions(const config::SwitchConfig& pbx,
                                        const std::string& localHostPort) {
  SwitchKeepaliveOptions options;
  options.target = switchAddress(pbx);
  options.localHostPort = localHostPort;
  options.fromUser = pbx.presence.fromUser;
  options.interval = pbx.optionsKeepalive;
  return options;
}

MonitorServices monitorServices(const PbxServices& services, SubscriptionPacer& pacer) {
  return MonitorServices{services.core, services.timers, &pacer, services.model};
}

}  // namespace

std::vector<std::string> monitoredEndpoints(const config::Config& config) {
  std::vector<std::string> dns;
  if (!config.pbx || !config.pbx->presence.enable) return dns;
  for (const config::DnConfig& dn : config.dns) {
    if (dn.type == config::DnType::Extension && dn.on == config::DnLocation::Switch) {
      dns.push_back(dn.dn);
    }
  }
  return dns;
}

PbxMonitors::PbxMonitors(const PbxServices& services, const config::Config& config,
                         const std::string& localHostPort)
    : model_(*services.model),
      timers_(*services.timers),
      pacer_(*services.timers, PacerOptions::spread(config.pbx->subscribeRate)),
      presence_(monitorServices(services, pacer_), presenceOptions(*config.pbx, localHostPort),
                monitoredEndpoints(config)),
      mwi_(monitorServices(services, pacer_), mwiOptions(*config.pbx, localHostPort),
           mwiScopeFromConfig(config)),
      keepalive_(*services.core, *services.timers, keepaliveOptions(*config.pbx, localHostPort),
                 *this) {
  model_.setLoginObserver(&mwi_);
}

PbxMonitors::~PbxMonitors() {
  model_.setLoginObserver(nullptr);
  if (shutdownTimer_ != 0) timers_.cancel(shutdownTimer_);
}

void PbxMonitors::start() {
  spdlog::info("switch: following the presence of {} endpoint(s)", presence_.size());
  presence_.start();
  mwi_.start();
  keepalive_.start();
}

void PbxMonitors::reload(const config::Config& config) {
  const std::vector<std::string> endpoints = monitoredEndpoints(config);
  presence_.reload(endpoints);
  mwi_.reload(mwiScopeFromConfig(config));
  spdlog::info("switch: following the presence of {} endpoint(s) after the reload",
               endpoints.size());
}

void PbxMonitors::onSwitchRestarted() {
  presence_.recreateAll();
  mwi_.recreateAll();
}

void PbxMonitors::shutdown(util::Duration limit, std::function<void()> done) {
  keepalive_.stop();
  presence_.stop();
  mwi_.stop();
  shutdownDone_ = std::move(done);
  shutdownBy_ = timers_.now() + limit;
  pollShutdown();
}

void PbxMonitors::pollShutdown() {
  shutdownTimer_ = 0;
  if (presence_.busyCount() + mwi_.busyCount() > 0 && timers_.now() < shutdownBy_) {
    shutdownTimer_ = timers_.schedule(kShutdownPoll, [this] { pollShutdown(); });
    return;
  }
  if (auto done = std::move(shutdownDone_)) {
    shutdownDone_ = nullptr;
    done();
  }
}

}  // namespace ccsip::pbx
